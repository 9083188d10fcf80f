namespace Hpc.Nn;

/// <summary>Weight initialisation schemes (fan_in = inputs per unit, fan_out = units).</summary>
public enum InitScheme
{
    /// <summary>PyTorch's nn.Linear default: weights and biases U(-1/sqrt(fan_in), +1/sqrt(fan_in)).</summary>
    PyTorchDefault,
    /// <summary>Glorot uniform: U(-a, a), a = sqrt(6 / (fan_in + fan_out)); zero biases.</summary>
    XavierUniform,
    /// <summary>Glorot normal: N(0, 2 / (fan_in + fan_out)); zero biases.</summary>
    XavierNormal,
    /// <summary>He uniform: U(-a, a), a = sqrt(6 / fan_in); zero biases.</summary>
    HeUniform,
    /// <summary>He normal: N(0, 2 / fan_in); zero biases.</summary>
    HeNormal,
    /// <summary>LeCun normal: N(0, 1 / fan_in); zero biases.</summary>
    LeCunNormal,
    /// <summary>LeCun uniform: U(-a, a), a = sqrt(3 / fan_in) (variance 1 / fan_in); zero biases.</summary>
    LeCunUniform,
}
