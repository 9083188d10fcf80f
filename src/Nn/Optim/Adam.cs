using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>
/// Adam (Kingma and Ba; PyTorch's form, L2 coupled into the gradient), one fused native pass per
/// tensor with bias-corrected moments. <see cref="AdamW"/> decouples the weight decay instead.
/// </summary>
public unsafe class Adam : Optimizer
{
    private readonly OptimizerState _m;
    private readonly OptimizerState _v;
    private readonly bool _decoupled;

    public Adam(IEnumerable<Parameter> parameters, float lr = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f,
        float eps = 1e-8f, Penalties penalties = default, Context? ctx = null)
        : this(parameters, lr, beta1, beta2, eps, penalties, ctx, decoupled: false) { }

    private protected Adam(IEnumerable<Parameter> parameters, float lr, float beta1, float beta2, float eps,
        Penalties penalties, Context? ctx, bool decoupled) : base(parameters, lr, ctx)
    {
        Beta1 = Hyper.UnitInterval(beta1, nameof(beta1));
        Beta2 = Hyper.UnitInterval(beta2, nameof(beta2));
        Eps = Hyper.Positive(eps, nameof(eps));
        Penalties = penalties;
        _decoupled = decoupled;
        _m = new OptimizerState(Parameters);
        _v = new OptimizerState(Parameters);
    }

    public float Beta1 { get; }
    public float Beta2 { get; }
    public float Eps { get; }
    public Penalties Penalties { get; }

    /// <summary>Updates taken so far (the bias correction's t after the last step).</summary>
    public long StepCount { get; private set; }

    public override string Kind => _decoupled ? "adamw" : "adam";

    protected internal override void DescribeState(OptimizerStateView state) =>
        state.Hyper("beta1", Beta1).Hyper("beta2", Beta2).Hyper("eps", Eps).Penalties(Penalties)
            .Buffers("exp_avg", _m).Buffers("exp_avg_sq", _v).Counter("step", StepCount, v => StepCount = v);

    public override void Step()
    {
        long t = StepCount + 1;
        var c = Context;
        for (int i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            float wd = Penalties.WeightDecayFor(p), l1 = Penalties.L1For(p);
            var status = _decoupled
                ? Native.hpc_adamw_update(c.Ptr, p.Value.Length, LearningRate, Beta1, Beta2, Eps, wd, l1, t,
                    p.Value.Data, p.Grad.Data, _m[i].Data, _v[i].Data)
                : Native.hpc_adam_update(c.Ptr, p.Value.Length, LearningRate, Beta1, Beta2, Eps, wd, l1, t,
                    p.Value.Data, p.Grad.Data, _m[i].Data, _v[i].Data);
            c.Check(status);
        }
        StepCount = t;
    }

    /// <summary>Forgets the moment estimates and restarts the bias correction.</summary>
    public void Reset()
    {
        _m.Reset();
        _v.Reset();
        StepCount = 0;
    }

    public override void Dispose()
    {
        _m.Dispose();
        _v.Dispose();
        base.Dispose();
    }
}
