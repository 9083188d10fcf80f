using Hpc.Interop;

namespace Hpc.Bench;

/// <summary>One sgemm problem: C (m x n) = op(A) (m x k) * op(B) (k x n), row-major, tight strides.</summary>
public sealed class GemmShape(string group, int m, int n, int k, bool transA = false, bool transB = false)
    : IFlopCount, IComparable<GemmShape>, IComparable
{
    private static int s_next;
    private readonly int _order = Interlocked.Increment(ref s_next);

    /// <summary>square, mlp, mlp-bwd (the transposed variants a Linear layer uses), batch1.</summary>
    public string Group { get; } = group;
    public int M { get; } = m;
    public int N { get; } = n;
    public int K { get; } = k;
    public bool TransA { get; } = transA;
    public bool TransB { get; } = transB;

    public hpc_transpose OpA => TransA ? hpc_transpose.HPC_TRANS : hpc_transpose.HPC_NO_TRANS;
    public hpc_transpose OpB => TransB ? hpc_transpose.HPC_TRANS : hpc_transpose.HPC_NO_TRANS;

    /// <summary>Row stride of A as stored: m x k, or k x m when transposed.</summary>
    public int Lda => TransA ? M : K;
    /// <summary>Row stride of B as stored: k x n, or n x k when transposed.</summary>
    public int Ldb => TransB ? K : N;
    public int Ldc => N;

    public double Flops => 2.0 * M * N * K;

    /// <summary>Issue 3's list: square sizes, the MLP training shapes as given (NN) and in the
    /// transpositions a Linear layer (weights stored out x in) really issues, forward NT and
    /// weight-gradient TN; batch-1 inference as given and as issued (NT).</summary>
    public static IReadOnlyList<GemmShape> All { get; } = Build();

    private static List<GemmShape> Build()
    {
        var list = new List<GemmShape>();
        foreach (int s in new[] { 64, 128, 256, 512, 1024, 2048 }) list.Add(new("square", s, s, s));
        (int m, int n, int k)[] mlp = [(128, 256, 784), (128, 784, 256), (256, 784, 128), (128, 10, 256), (64, 128, 64), (32, 512, 512)];
        foreach (var (m, n, k) in mlp) list.Add(new("mlp", m, n, k));
        foreach (var (m, n, k) in mlp)
        {
            list.Add(new("mlp-bwd", m, n, k, transB: true));
            list.Add(new("mlp-bwd", m, n, k, transA: true));
        }
        list.Add(new("batch1", 1, 256, 784));
        list.Add(new("batch1", 1, 256, 784, transB: true));
        return list;
    }

    public override string ToString() => $"{(TransA ? 'T' : 'N')}{(TransB ? 'T' : 'N')} {M}x{N}x{K}";

    public int CompareTo(GemmShape? other) => other is null ? 1 : _order.CompareTo(other._order);
    public int CompareTo(object? obj) => CompareTo(obj as GemmShape);
}
