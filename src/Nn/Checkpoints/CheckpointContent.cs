namespace Hpc.Nn;

/// <summary>A named tensor of a checkpoint: a parameter or an optimizer buffer, with its values.</summary>
/// <param name="Name">A parameter's qualified name ("2.weight"), or "buffer/parameter" for optimizer state ("velocity/2.weight").</param>
/// <param name="Shape">The dimensions.</param>
/// <param name="Values">Row-major float32 values.</param>
public sealed record CheckpointTensor(string Name, int[] Shape, float[] Values)
{
    /// <summary>Values the shape holds.</summary>
    public long Length => Values.LongLength;
}

/// <summary>
/// An optimizer's state as a checkpoint holds it: the kind (a name <see cref="Optimizers.Create"/>
/// accepts), hyper-parameters by name (the learning rate as "lr"), counters by name (Adam's "step")
/// and the state buffers, one per buffer kind and parameter.
/// </summary>
public sealed record OptimizerCheckpoint(
    string Kind,
    IReadOnlyList<KeyValuePair<string, double>> HyperParameters,
    IReadOnlyList<KeyValuePair<string, long>> Counters,
    IReadOnlyList<CheckpointTensor> Buffers);

/// <summary>What goes into a file (writing references live tensors; reading fills arrays).</summary>
internal sealed class CheckpointContent
{
    public string Architecture = "";
    public List<KeyValuePair<string, string>> Metadata = [];
    public List<TensorEntry> Parameters = [];
    public OptimizerCheckpointContent? Optimizer;

    /// <summary>Integer vectors by name: epoch, step, generator states, dropout stream offsets.</summary>
    public List<KeyValuePair<string, ulong[]>> State = [];

    /// <summary>Where each section starts (read files only), for error messages.</summary>
    public Dictionary<uint, long> SectionOffsets = [];
}

internal sealed class OptimizerCheckpointContent
{
    public string Kind = "";
    public List<KeyValuePair<string, double>> HyperParameters = [];
    public List<KeyValuePair<string, long>> Counters = [];
    public List<TensorEntry> Buffers = [];
}

/// <summary>A tensor to write (from a live <see cref="Tensor"/> without copying) or one read back.</summary>
internal readonly record struct TensorEntry(string Name, int[] Shape, Tensor? Source, float[]? Values, long Offset = 0)
{
    public static TensorEntry Of(string name, Tensor t) => new(name, t.ShapeArray(), t, null);

    public ReadOnlySpan<float> Span => Source is not null ? Source.AsSpan() : Values;

    public CheckpointTensor ToPublic() => new(Name, Shape, Values ?? Source!.ToArray());
}
