using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>
/// Finds the first non-finite tensor of a training step. A tensor is finite exactly when the
/// native sum of its squares (accumulated in double, which float squares cannot overflow) is, so
/// each check is one threaded pass that allocates nothing.
/// </summary>
internal sealed unsafe class FiniteValueCheck
{
    private readonly (Parameter Param, string Layer)[] _params;
    private readonly Context _ctx;

    public FiniteValueCheck(Module model)
    {
        _ctx = model.Context;
        var owners = new Dictionary<Parameter, Module>(ReferenceEqualityComparer.Instance);
        Collect(model, owners);
        _params = model.Parameters()
            .Select(p => (p, LayerName(p, owners.GetValueOrDefault(p) ?? model)))
            .ToArray();
    }

    /// <summary>Throws when the input batch is not finite.</summary>
    public void Input(Tensor x, long step, int epoch, int batch)
    {
        if (!IsFinite(x)) throw new NonFiniteValueException(step, epoch, batch, "input", "batch");
    }

    /// <summary>Throws naming the first parameter whose gradient (after backward) is not finite.</summary>
    public void Gradients(long step, int epoch, int batch)
    {
        foreach (var (p, layer) in _params)
            if (!IsFinite(p.Grad)) throw new NonFiniteValueException(step, epoch, batch, layer, "gradient " + p.Name);
    }

    /// <summary>Throws naming the first parameter whose value (after the update) is not finite.</summary>
    public void Weights(long step, int epoch, int batch)
    {
        foreach (var (p, layer) in _params)
            if (!IsFinite(p.Value)) throw new NonFiniteValueException(step, epoch, batch, layer, "weight " + p.Name);
    }

    private bool IsFinite(Tensor t)
    {
        double s;
        _ctx.Check(Native.hpc_sum_squares(_ctx.Ptr, t.Length, t.Data, &s));
        return double.IsFinite(s);
    }

    private static void Collect(Module m, Dictionary<Parameter, Module> owners)
    {
        bool leaf = true;
        foreach (var child in m.Children())
        {
            leaf = false;
            Collect(child, owners);
        }
        if (leaf)
            foreach (var p in m.Parameters()) owners.TryAdd(p, m);
    }

    // "2.weight" of a Linear -> "layer 2 (Linear)"; a parameter of the root module -> its type alone.
    private static string LayerName(Parameter p, Module owner)
    {
        string prefix = p.Name.Length > p.LocalName.Length ? p.Name[..^(p.LocalName.Length + 1)] : "";
        return prefix.Length > 0 ? $"layer {prefix} ({owner.Name})" : $"layer {owner.Name}";
    }
}
