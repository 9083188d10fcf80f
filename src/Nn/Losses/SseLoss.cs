using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>The seeds' squared error E = 1/2 sum (pred - target)^2 (summed, not averaged); gradient pred - target.</summary>
public sealed unsafe class SseLoss(Context? ctx = null) : ElementwiseLoss(ctx)
{
    private protected override hpc_status Compute(hpc_ctx* ctx, long n, float* p, float* t, float* loss, float* grad)
        => Native.hpc_sse_loss(ctx, n, p, t, loss, grad);
}
