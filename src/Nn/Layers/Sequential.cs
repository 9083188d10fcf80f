namespace Hpc.Nn;

/// <summary>Runs its layers in order; backward in reverse. Parameters are named "&lt;index&gt;.&lt;name&gt;".</summary>
public sealed class Sequential : Module
{
    private readonly List<Module> _layers = [];

    public Sequential(params Module[] layers) : this(null, layers) { }

    public Sequential(Context? ctx, params Module[] layers) : base(ctx)
    {
        foreach (var layer in layers) Add(layer);
    }

    public IReadOnlyList<Module> Layers => _layers;

    /// <summary>The per-sample input image shape when the network was built from a spec with an image input (null otherwise).</summary>
    public ImageShape? InputImage { get; internal set; }

    /// <summary>
    /// Saves the network (its spec and every parameter) and <paramref name="metadata"/> as a
    /// checkpoint at <paramref name="path"/>, atomically; <see cref="Checkpoint.Load"/> reads it back.
    /// </summary>
    public void Save(string path, IReadOnlyDictionary<string, string>? metadata = null) => Checkpoint.Save(path, this, metadata: metadata);

    public Sequential Add(Module layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        _layers.Add(layer);
        AssignNames("");
        return this;
    }

    public override string Name => "Sequential(" + string.Join(", ", _layers.Select(l => l.Name)) + ")";

    public override Tensor Forward(Tensor x, bool training)
    {
        if (_layers.Count == 0) throw new InvalidOperationException("Sequential: no layers");
        // A for loop over the list: foreach over IReadOnlyList would box an enumerator per step.
        for (int i = 0; i < _layers.Count; i++) x = _layers[i].Forward(x, training);
        return x;
    }

    public override Tensor? Backward(Tensor dy, bool computeInputGradient)
    {
        if (_layers.Count == 0) throw new InvalidOperationException("Sequential: no layers");
        Tensor? g = dy;
        for (int i = _layers.Count - 1; i >= 0; i--)
        {
            g = _layers[i].Backward(g!, computeInputGradient || i > 0);
        }
        return g;
    }

    public override IEnumerable<Parameter> Parameters() => _layers.SelectMany(l => l.Parameters());

    public override IEnumerable<Module> Children() => _layers;

    internal override void AssignNames(string prefix)
    {
        for (int i = 0; i < _layers.Count; i++) _layers[i].AssignNames($"{prefix}{i}.");
    }
}
