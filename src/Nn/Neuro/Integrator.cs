namespace Hpc.Nn.Neuro;

/// <summary>How a linear state equation tau dx/dt = target - x advances over one step.</summary>
public enum Integrator
{
    /// <summary>Euler's method: x += dt / tau (target - x). First order in dt.</summary>
    Euler = 0,

    /// <summary>The exact solution over the step: x = target + (x - target) e^(-dt / tau).</summary>
    Exact = 1,
}
