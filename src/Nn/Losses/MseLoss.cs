using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>Mean squared error over all elements: sum (pred - target)^2 / n; gradient 2 (pred - target) / n.</summary>
public sealed unsafe class MseLoss(Context? ctx = null) : ElementwiseLoss(ctx)
{
    private protected override hpc_status Compute(hpc_ctx* ctx, long n, float* p, float* t, float* loss, float* grad)
        => Native.hpc_mse_loss(ctx, n, p, t, loss, grad);
}
