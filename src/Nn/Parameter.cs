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

    public Tensor Value { get; }

    /// <summary>Written (not accumulated) by the owning module's backward pass.</summary>
    public Tensor Grad { get; }

    /// <summary>Whether optimizers apply weight decay to it. False for biases, as the seeds recommend.</summary>
    public bool WeightDecay { get; set; }

    public void Dispose()
    {
        Value.Dispose();
        Grad.Dispose();
    }

    public override string ToString() => $"{Name} {Value.ShapeString()}";
}
