namespace Hpc.Nn;

/// <summary>
/// A differentiable layer. <see cref="Forward"/> caches what <see cref="Backward(Tensor)"/> needs; both
/// return buffers the module owns and reuses across steps (valid until its next call), so
/// steady-state training allocates nothing.
/// </summary>
public abstract class Module : IDisposable
{
    protected Module(Context? ctx) => Context = ctx ?? Context.Default;

    /// <summary>The native context the module's kernels run on.</summary>
    public Context Context { get; }

    /// <summary>Display name; parameters are named "&lt;prefix&gt;.&lt;local name&gt;".</summary>
    public virtual string Name => GetType().Name;

    /// <summary>Computes the output for a batch <paramref name="x"/> (first dimension = batch).</summary>
    public abstract Tensor Forward(Tensor x, bool training);

    /// <summary>Given dLoss/dOutput of the last forward, writes the parameter gradients and returns dLoss/dInput.</summary>
    public Tensor Backward(Tensor dy) => Backward(dy, computeInputGradient: true)!;

    /// <summary>
    /// As <see cref="Backward(Tensor)"/>; with <paramref name="computeInputGradient"/> false the
    /// input gradient is skipped and null returned (the first layer of a network needs none).
    /// </summary>
    public abstract Tensor? Backward(Tensor dy, bool computeInputGradient);

    /// <summary>
    /// The <see cref="ModelSpec"/> line that rebuilds this layer (its configuration, not its
    /// weights), or null for layers without a spec form: what <see cref="ModelSpec.FromModel"/> and
    /// checkpoints write. A new layer kind overrides it together with its parser case.
    /// </summary>
    internal virtual string? SpecLine => null;

    /// <summary>The trainable parameters, in a stable order.</summary>
    public virtual IEnumerable<Parameter> Parameters() => [];

    /// <summary>Direct sub-modules (containers override it).</summary>
    public virtual IEnumerable<Module> Children() => [];

    /// <summary>Re-initialises the parameters with <paramref name="scheme"/>, drawing from <paramref name="rng"/>.</summary>
    public virtual void ResetParameters(InitScheme scheme, Rng rng)
    {
        foreach (var child in Children()) child.ResetParameters(scheme, rng);
    }

    /// <summary>Names parameters "&lt;prefix&gt;&lt;local name&gt;"; containers extend the prefix per child.</summary>
    internal virtual void AssignNames(string prefix)
    {
        foreach (var p in Parameters()) p.Name = prefix + p.LocalName;
    }

    /// <summary>Total number of trainable scalars.</summary>
    public long ParameterCount() => Parameters().Sum(p => p.Value.Length);

    // The checks take the module, not its Name: building the name string on every call would
    // allocate on every training step.
    protected void CheckBatch(Tensor tensor, string name, int expectedCols)
    {
        if (tensor.Cols != expectedCols)
            throw new ArgumentException($"{Name}: {name} has shape {tensor.ShapeString()} ({tensor.Cols} values per row), expected {expectedCols}", name);
    }

    /// <summary>
    /// The backward check of a shape-preserving layer: dy must have as many values as the forward
    /// output (dx takes the output's shape); one helper so every such layer reports both shapes alike.
    /// </summary>
    protected void CheckGradientMatchesOutput(Tensor dy, Tensor output)
    {
        if (dy.Length != output.Length)
            throw new ArgumentException($"{Name}: dy has shape {dy.ShapeString()}, the forward output had {output.ShapeString()}", nameof(dy));
    }

    protected void CheckForwardDone(object? cached)
    {
        if (cached is null) throw new InvalidOperationException($"{Name}: Backward called before Forward");
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (!disposing) return;
        foreach (var p in Parameters()) p.Dispose();
        foreach (var c in Children()) c.Dispose();
    }
}
