namespace Hpc.Nn;

/// <summary>Named binary feature functions of a datum: which of <see cref="Count"/> features are on.</summary>
public interface IFeaturizer<in T>
{
    int Count { get; }

    string Name(int feature);

    /// <summary>Appends the indices of the features that hold for <paramref name="datum"/>, increasing and distinct.</summary>
    void Extract(T datum, List<int> active);
}
