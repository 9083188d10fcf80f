namespace Hpc.Nn;

/// <summary>
/// An optimizer's state by name, whatever its class: the kind, hyper-parameters, the step counter
/// and the state buffers (per name, one tensor per parameter), read from the optimizer's own
/// <see cref="Optimizer.Kind"/>, <see cref="Optimizer.HyperParameters"/>,
/// <see cref="Optimizer.StateOf"/> and <see cref="Optimizer.StepCount"/>. Checkpoints save and
/// restore optimizers only through this view, so an optimizer needs no checkpoint code of its own.
/// </summary>
public sealed class OptimizerStateView
{
    private readonly Optimizer _optimizer;
    private readonly List<KeyValuePair<string, IReadOnlyList<Tensor>>> _buffers = [];

    internal OptimizerStateView(Optimizer optimizer)
    {
        _optimizer = optimizer;
        Kind = optimizer.Kind;
        HyperParameters = optimizer.HyperParameters;
        // StateOf lists each parameter's buffers in the same order of names; regroup them by name.
        var byName = new Dictionary<string, Tensor[]>(StringComparer.Ordinal);
        for (int i = 0; i < optimizer.Parameters.Count; i++)
            foreach (var (name, tensor) in optimizer.StateOf(i))
            {
                if (!byName.TryGetValue(name, out var perParameter))
                {
                    perParameter = new Tensor[optimizer.Parameters.Count];
                    byName.Add(name, perParameter);
                    _buffers.Add(new(name, perParameter));
                }
                perParameter[i] = tensor;
            }
    }

    /// <summary>The name <see cref="Optimizers.Create"/> knows the optimizer by.</summary>
    public string Kind { get; }

    /// <summary>Hyper-parameters in the order the optimizer lists them ("lr" first).</summary>
    public IReadOnlyList<KeyValuePair<string, double>> HyperParameters { get; }

    /// <summary>Counters with their current values: the updates taken so far ("step").</summary>
    public IEnumerable<KeyValuePair<string, long>> Counters => [new("step", _optimizer.StepCount)];

    internal IReadOnlyList<KeyValuePair<string, IReadOnlyList<Tensor>>> StateBuffers => _buffers;

    internal void RestoreCounter(string name, long value)
    {
        if (name != "step") throw new KeyNotFoundException(name);
        _optimizer.StepCount = value;
    }
}
