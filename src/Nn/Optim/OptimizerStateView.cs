namespace Hpc.Nn;

/// <summary>
/// An optimizer's state by name, whatever its class: the kind, hyper-parameters, counters (with
/// a way to set them back) and state buffers (one tensor per parameter). Checkpoints save and
/// restore optimizers only through this view, so an optimizer needs no checkpoint code of its
/// own: it lists its state in <see cref="Optimizer.DescribeState"/>.
/// </summary>
public sealed class OptimizerStateView
{
    private readonly List<KeyValuePair<string, double>> _hyper = [];
    private readonly List<KeyValuePair<string, OptimizerState>> _buffers = [];
    private readonly List<(string Name, long Value, Action<long> Restore)> _counters = [];

    internal OptimizerStateView(string kind) => Kind = kind;

    /// <summary>The name <see cref="Optimizers.Create"/> knows the optimizer by.</summary>
    public string Kind { get; }

    /// <summary>Hyper-parameters in the order the optimizer listed them ("lr" first).</summary>
    public IReadOnlyList<KeyValuePair<string, double>> HyperParameters => _hyper;

    /// <summary>Counters (e.g. Adam's "step") with their current values.</summary>
    public IEnumerable<KeyValuePair<string, long>> Counters => _counters.Select(c => new KeyValuePair<string, long>(c.Name, c.Value));

    internal IReadOnlyList<KeyValuePair<string, OptimizerState>> StateBuffers => _buffers;

    /// <summary>Records a hyper-parameter (a restore checks that it matches).</summary>
    public OptimizerStateView Hyper(string name, double value)
    {
        _hyper.Add(new(name, value));
        return this;
    }

    /// <summary>Records a counter and how to set it on restore.</summary>
    public OptimizerStateView Counter(string name, long value, Action<long> restore)
    {
        _counters.Add((name, value, restore));
        return this;
    }

    /// <summary>Records one state buffer per parameter under <paramref name="name"/>; null (a buffer the configuration does not use) is skipped.</summary>
    internal OptimizerStateView Buffers(string name, OptimizerState? state)
    {
        if (state is not null) _buffers.Add(new(name, state));
        return this;
    }

    /// <summary>Records the penalties every optimizer takes.</summary>
    internal OptimizerStateView Penalties(Penalties p) =>
        Hyper("weight_decay", p.WeightDecay).Hyper("l1", p.L1).Hyper("decay_biases", p.DecayBiases ? 1 : 0);

    internal void RestoreCounter(string name, long value)
    {
        foreach (var c in _counters)
            if (c.Name == name)
            {
                c.Restore(value);
                return;
            }
        throw new KeyNotFoundException(name);
    }
}
