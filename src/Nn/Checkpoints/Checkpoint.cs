using System.Globalization;
using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>
/// A saved model: its architecture (<see cref="ModelSpec"/> text), every parameter by name,
/// free-form metadata and, when a trainer saved it, the optimizer state, epoch, step and generator
/// states needed to resume training bit for bit. The file layout is docs/checkpoint-format.md;
/// writes are atomic (<see cref="AtomicFile"/>), reads are validated before anything is built.
/// </summary>
/// <example><code>
/// model.Save("model.hpc");
/// var (loaded, metadata) = Checkpoint.Load("model.hpc");
/// </code></example>
public sealed class Checkpoint
{
    private readonly CheckpointContent _content;

    private Checkpoint(string path, CheckpointContent content, ModelSpec spec, Dictionary<string, string> metadata, Sequential? model)
    {
        Path = path;
        _content = content;
        Spec = spec;
        Metadata = metadata;
        Model = model;
        Parameters = content.Parameters.Select(t => t.ToPublic()).ToArray();
        Optimizer = content.Optimizer is { } o
            ? new OptimizerCheckpoint(o.Kind, o.HyperParameters, o.Counters, o.Buffers.Select(b => b.ToPublic()).ToArray())
            : null;
    }

    /// <summary>The file it was read from.</summary>
    public string Path { get; }

    /// <summary>The architecture.</summary>
    public ModelSpec Spec { get; }

    /// <summary>The network with the saved weights (null when read with <see cref="Read"/>).</summary>
    public Sequential? Model { get; }

    /// <summary>Free-form key/value pairs (data set, accuracy, date, library version, ...).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Every parameter by qualified name, in the model's order.</summary>
    public IReadOnlyList<CheckpointTensor> Parameters { get; }

    /// <summary>The optimizer state, when a trainer (or <see cref="Save"/> with an optimizer) wrote it.</summary>
    public OptimizerCheckpoint? Optimizer { get; }

    /// <summary>Epochs completed when saved by a trainer, else null.</summary>
    public int? Epoch => StateValue("epoch") is { } e ? (int)e : null;

    /// <summary>Training steps taken when saved by a trainer, else null.</summary>
    public long? Step => StateValue("step") is { } s ? (long)s : null;

    /// <summary>Trainable scalars in the file.</summary>
    public long ParameterCount => Parameters.Sum(p => p.Length);

    public void Deconstruct(out Sequential model, out IReadOnlyDictionary<string, string> metadata)
    {
        model = Model ?? throw new InvalidOperationException($"{Path}: read without building its model (use Checkpoint.Load)");
        metadata = Metadata;
    }

    /// <summary>
    /// Reads <paramref name="path"/>, validates it completely and builds the network on
    /// <paramref name="ctx"/> with the saved weights. Any problem is a <see cref="CheckpointException"/>.
    /// </summary>
    public static Checkpoint Load(string path, Context? ctx = null)
    {
        var (content, spec, metadata) = ReadValidated(path);
        Sequential model;
        try { model = spec.Build(0, InitScheme.PyTorchDefault, ctx, fuseActivations: false); }
        catch (ArgumentException e) { throw new CheckpointException(path, "architecture section", ArchOffset(content), $"the architecture cannot be built: {e.Message}"); }
        try
        {
            CopyParameters(path, content, model);
            RestoreModelState(path, content, model);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        return new Checkpoint(path, content, spec, metadata, model);
    }

    /// <summary>Reads and validates <paramref name="path"/> without building the network (for inspection).</summary>
    public static Checkpoint Read(string path)
    {
        var (content, spec, metadata) = ReadValidated(path);
        CheckShapes(path, content, spec);
        return new Checkpoint(path, content, spec, metadata, null);
    }

    /// <summary>
    /// Saves <paramref name="model"/> (spec and parameters), optionally <paramref name="optimizer"/>'s
    /// state, and <paramref name="metadata"/> to <paramref name="path"/> atomically. The library
    /// version and the UTC time are added to the metadata unless given.
    /// </summary>
    public static void Save(string path, Sequential model, Optimizer? optimizer = null, IReadOnlyDictionary<string, string>? metadata = null) =>
        Save(path, model, optimizer, metadata, trainingState: null);

    internal static void Save(string path, Sequential model, Optimizer? optimizer, IReadOnlyDictionary<string, string>? metadata,
        List<KeyValuePair<string, ulong[]>>? trainingState)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(model);
        var content = new CheckpointContent { Architecture = ModelSpec.FromModel(model).ToString() };
        var meta = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["hpc.version"] = LibraryVersion(),
            ["saved.utc"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        };
        if (metadata is not null)
            foreach (var (k, v) in metadata) meta[k] = v;
        content.Metadata.AddRange(meta);
        foreach (var p in model.Parameters()) content.Parameters.Add(TensorEntry.Of(p.Name, p.Value));
        if (optimizer is not null) content.Optimizer = Describe(optimizer);
        for (int i = 0; i < model.Layers.Count; i++)
            if (model.Layers[i] is Dropout d) content.State.Add(new(DropoutKey(i), [d.StreamOffset]));
        if (trainingState is not null) content.State.AddRange(trainingState);
        AtomicFile.WriteAllBytes(path, CheckpointWriter.Serialize(content));
    }

    /// <summary>Copies the saved weights into <paramref name="model"/>; names and shapes must match exactly.</summary>
    public void LoadWeightsInto(Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        CopyParameters(Path, _content, model);
        if (model is Sequential s) RestoreModelState(Path, _content, s);
    }

    /// <summary>
    /// Restores the saved optimizer state into <paramref name="optimizer"/>: the kind and every
    /// hyper-parameter but the learning rate must match (the learning rate is taken from the file,
    /// as a schedule left it); buffers are matched by name and parameter.
    /// </summary>
    public void RestoreOptimizer(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        const string section = "optimizer section";
        var saved = _content.Optimizer ?? throw new CheckpointException(Path, section, 0, "the checkpoint holds no optimizer state");
        long at = _content.SectionOffsets.GetValueOrDefault(CheckpointFormat.Optimizer);
        var live = optimizer.State();
        if (live.Kind != saved.Kind)
            throw new CheckpointException(Path, section, at, $"saved by a '{saved.Kind}' optimizer, restoring into a '{live.Kind}' one");
        double lr = double.NaN;
        foreach (var (name, value) in saved.HyperParameters)
        {
            if (name == "lr") { lr = value; continue; }
            var mine = live.HyperParameters.FirstOrDefault(h => h.Key == name);
            if (mine.Key is null) throw new CheckpointException(Path, section, at, $"hyper-parameter '{name}' = {value} is unknown to the '{live.Kind}' optimizer");
            if ((float)mine.Value != (float)value)
                throw new CheckpointException(Path, section, at, $"hyper-parameter '{name}' is {((float)value).ToString(CultureInfo.InvariantCulture)} in the checkpoint, {((float)mine.Value).ToString(CultureInfo.InvariantCulture)} in the optimizer");
        }
        foreach (var (name, _) in live.HyperParameters)
            if (name != "lr" && !saved.HyperParameters.Any(h => h.Key == name))
                throw new CheckpointException(Path, section, at, $"the checkpoint lacks hyper-parameter '{name}'");
        var copies = new List<(Tensor Target, TensorEntry Source)>();
        foreach (var (name, state) in live.StateBuffers)
            for (int i = 0; i < state.Count; i++)
            {
                string key = $"{name}/{optimizer.Parameters[i].Name}";
                var src = saved.Buffers.FirstOrDefault(b => b.Name == key);
                if (src.Name is null) throw new CheckpointException(Path, section, at, $"no state buffer '{key}'");
                if (src.Values!.LongLength != state[i].Length)
                    throw new CheckpointException(Path, section, src.Offset, $"state buffer '{key}' has {src.Values.LongLength} values, the optimizer's has {state[i].Length}");
                copies.Add((state[i], src));
            }
        if (copies.Count != saved.Buffers.Count)
            throw new CheckpointException(Path, section, at, $"the checkpoint has {saved.Buffers.Count} state buffers, the optimizer {copies.Count}");
        foreach (var (name, _) in live.Counters)
            if (!saved.Counters.Any(c => c.Key == name)) throw new CheckpointException(Path, section, at, $"no counter '{name}'");
        foreach (var (target, src) in copies) target.CopyFrom(src.Values);
        foreach (var (name, value) in saved.Counters) live.RestoreCounter(name, value);
        if (double.IsFinite(lr)) optimizer.LearningRate = (float)lr;
    }

    internal ulong[]? StateVector(string key) => _content.State.FirstOrDefault(s => s.Key == key).Value;

    private ulong? StateValue(string key) => StateVector(key) is [var v] ? v : null;

    internal static string DropoutKey(int layer) => $"dropout.{layer.ToString(CultureInfo.InvariantCulture)}.offset";

    private static (CheckpointContent, ModelSpec, Dictionary<string, string>) ReadValidated(string path)
    {
        var content = CheckpointReader.Read(path);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in content.Metadata)
            if (!metadata.TryAdd(k, v))
                throw new CheckpointException(path, "metadata section", content.SectionOffsets[CheckpointFormat.Metadata], $"key '{k}' appears twice");
        ModelSpec spec;
        try { spec = ModelSpec.Parse(content.Architecture, path); }
        catch (ModelSpecException e) { throw new CheckpointException(path, "architecture section", ArchOffset(content), e.Message); }
        return (content, spec, metadata);
    }

    private static long ArchOffset(CheckpointContent c) => c.SectionOffsets.GetValueOrDefault(CheckpointFormat.Architecture);

    /// <summary>Without building: a spec built into a throwaway network on the scalar path checks the names and shapes.</summary>
    private static void CheckShapes(string path, CheckpointContent content, ModelSpec spec)
    {
        using var ctx = Context.ForIsa(Isa.Scalar);
        using var model = spec.Build(0, InitScheme.PyTorchDefault, ctx, fuseActivations: false);
        MatchParameters(path, content, model);
    }

    private static List<(Parameter Target, TensorEntry Source)> MatchParameters(string path, CheckpointContent content, Module model)
    {
        const string section = "parameters section";
        long at = content.SectionOffsets.GetValueOrDefault(CheckpointFormat.Parameters);
        var pairs = new List<(Parameter, TensorEntry)>();
        var parameters = model.Parameters().ToList();
        foreach (var p in parameters)
        {
            var src = content.Parameters.FirstOrDefault(t => t.Name == p.Name);
            if (src.Name is null) throw new CheckpointException(path, section, at, $"no parameter '{p.Name}' (the architecture has {p})");
            if (!src.Shape.AsSpan().SequenceEqual(p.Value.Shape))
                throw new CheckpointException(path, section, src.Offset, $"parameter '{p.Name}' has shape [{string.Join(", ", src.Shape)}], the architecture needs {p.Value.ShapeString()}");
            pairs.Add((p, src));
        }
        if (content.Parameters.Count != parameters.Count)
        {
            var extra = content.Parameters.First(t => !parameters.Any(p => p.Name == t.Name));
            throw new CheckpointException(path, section, extra.Offset, $"parameter '{extra.Name}' is not in the architecture");
        }
        return pairs;
    }

    private static void CopyParameters(string path, CheckpointContent content, Module model)
    {
        foreach (var (target, src) in MatchParameters(path, content, model)) target.Value.CopyFrom(src.Values);
    }

    private static void RestoreModelState(string path, CheckpointContent content, Sequential model)
    {
        for (int i = 0; i < model.Layers.Count; i++)
        {
            if (model.Layers[i] is not Dropout d) continue;
            var v = content.State.FirstOrDefault(s => s.Key == DropoutKey(i)).Value;
            if (v is null) continue; // saved by a writer without the stream offset: masks restart
            if (v.Length != 1)
                throw new CheckpointException(path, "training-state section", content.SectionOffsets.GetValueOrDefault(CheckpointFormat.TrainingState), $"'{DropoutKey(i)}' has {v.Length} values, expected 1");
            d.StreamOffset = v[0];
        }
    }

    private static OptimizerCheckpointContent Describe(Optimizer optimizer)
    {
        var view = optimizer.State();
        var opt = new OptimizerCheckpointContent { Kind = view.Kind };
        opt.HyperParameters.AddRange(view.HyperParameters);
        opt.Counters.AddRange(view.Counters);
        foreach (var (name, state) in view.StateBuffers)
            for (int i = 0; i < state.Count; i++)
                opt.Buffers.Add(TensorEntry.Of($"{name}/{optimizer.Parameters[i].Name}", state[i]));
        return opt;
    }

    internal static string LibraryVersion()
    {
        int v = Native.hpc_version();
        return string.Create(CultureInfo.InvariantCulture, $"{v / 10000}.{v / 100 % 100}.{v % 100}");
    }
}
