using Hpc.Interop;

namespace Hpc.Nn;

/// <summary>
/// Binary cross-entropy on logits z with targets in [0, 1], stable for any z:
/// mean of max(z, 0) - z t + log1p(e^-|z|); gradient (sigmoid(z) - t) / n, the "a - y" of seed 004
/// that does not vanish when the sigmoid saturates.
/// </summary>
public sealed unsafe class BceWithLogitsLoss(Context? ctx = null) : ElementwiseLoss(ctx)
{
    private protected override hpc_status Compute(hpc_ctx* ctx, long n, float* p, float* t, float* loss, float* grad)
        => Native.hpc_bce_logits_loss(ctx, n, p, t, loss, grad);
}
