namespace Hpc.Nn;

/// <summary>A trainable tensor and the gradient of the loss with respect to it (same shape).</summary>
public sealed class Parameter : IDisposable
{
    public Parameter(string name, Tensor value, bool weightDecay = true)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        Name = name;
        LocalName = name;
        Value = value;
        Grad = new Tensor(value.ShapeArray());
        WeightDecay = weightDecay;
    }

    /// <summary>Qualified name, e.g. "2.weight" inside a <see cref="Sequential"/>.</summary>
    public string Name { get; internal set; }

    /// <summary>The name inside its own module ("weight", "bias").</summary>
    public string LocalName { get; }

    public Tensor Value { get; private set; }

    /// <summary>Written (not accumulated) by the owning module's backward pass.</summary>
    public Tensor Grad { get; private set; }

    /// <summary>
    /// Drops this parameter's own memory and reads <paramref name="source"/>'s instead (same shape):
    /// replicas of a network for inference share the weights of one. The gradient becomes a view of
    /// the source's too, so a replica must never run backward.
    /// </summary>
    internal void ShareMemoryOf(Parameter source)
    {
        if (!source.Value.Shape.SequenceEqual(Value.Shape))
            throw new ArgumentException($"{Name}: cannot share {source.Name} of shape {source.Value.ShapeString()} with {Value.ShapeString()}", nameof(source));
        Value.Dispose();
        Grad.Dispose();
        Value = Tensor.ViewOf(source.Value);
        Grad = Tensor.ViewOf(source.Grad);
    }

    /// <summary>Whether optimizers apply weight decay to it. False for biases, as the seeds recommend.</summary>
    public bool WeightDecay { get; set; }

    public void Dispose()
    {
        Value.Dispose();
        Grad.Dispose();
    }

    public override string ToString() => $"{Name} {Value.ShapeString()}";
}
