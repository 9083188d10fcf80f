using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>Mean absolute error sum |pred - target| / n; gradient sign(pred - target) / n (sign(0) = 0).</summary>
public sealed unsafe class L1Loss(Context? ctx = null) : ElementwiseLoss(ctx)
{
    private protected override hpc_status Compute(hpc_ctx* ctx, long n, float* p, float* t, float* loss, float* grad)
        => Native.hpc_l1_loss(ctx, n, p, t, loss, grad);
}
