namespace Hpc.Nn;

/// <summary>Feature functions given as named predicates, e.g. ("prev=in, capitalized", d =&gt; d.Previous == "in" &amp;&amp; char.IsUpper(d.Word[0])).</summary>
public sealed class NamedFeatures<T> : IFeaturizer<T>
{
    private readonly List<(string Name, Func<T, bool> Holds)> _features = [];

    public NamedFeatures(params (string Name, Func<T, bool> Holds)[] features)
    {
        foreach (var f in features) Add(f.Name, f.Holds);
    }

    public NamedFeatures<T> Add(string name, Func<T, bool> holds)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(holds);
        if (_features.Any(f => f.Name == name)) throw new ArgumentException($"feature '{name}' is defined twice", nameof(name));
        _features.Add((name, holds));
        return this;
    }

    public int Count => _features.Count;

    public string Name(int feature) => _features[feature].Name;

    public void Extract(T datum, List<int> active)
    {
        for (int i = 0; i < _features.Count; i++)
            if (_features[i].Holds(datum)) active.Add(i);
    }
}
