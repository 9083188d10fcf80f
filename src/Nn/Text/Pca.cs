namespace Hpc.Nn;

/// <summary>Principal component projection of the rows of a matrix (e.g. an embedding table), in double.</summary>
public static class Pca
{
    /// <summary>
    /// The rows of <paramref name="rows"/> [n, d], centred, projected on the <paramref name="components"/>
    /// directions of largest variance: [n, components], row-major. The directions come from power
    /// iteration with deflation on the d x d covariance from a fixed start, so the result is
    /// reproducible; each direction's sign makes its largest-magnitude coordinate positive.
    /// </summary>
    public static double[] Project(ReadOnlySpan<float> rows, int n, int d, int components = 2)
    {
        if (n <= 0 || d <= 0 || (long)n * d != rows.Length)
            throw new ArgumentException($"{rows.Length} values are not {n} rows of {d}", nameof(rows));
        if (components < 1 || components > d) throw new ArgumentOutOfRangeException(nameof(components), components, $"components must be in [1, {d}]");
        var mean = new double[d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) mean[j] += rows[i * d + j];
        for (int j = 0; j < d; j++) mean[j] /= n;
        var cov = new double[d * d];
        for (int i = 0; i < n; i++)
            for (int a = 0; a < d; a++)
            {
                double xa = rows[i * d + a] - mean[a];
                for (int b = 0; b < d; b++) cov[a * d + b] += xa * (rows[i * d + b] - mean[b]);
            }
        var dirs = new double[components * d];
        var v = new double[d];
        var w = new double[d];
        for (int c = 0; c < components; c++)
        {
            for (int j = 0; j < d; j++) v[j] = 1.0 + 0.01 * j;
            for (int it = 0; it < 1000; it++)
            {
                for (int a = 0; a < d; a++)
                {
                    double s = 0;
                    for (int b = 0; b < d; b++) s += cov[a * d + b] * v[b];
                    w[a] = s;
                }
                double norm = Math.Sqrt(w.Sum(x => x * x));
                if (norm == 0) break;
                double change = 0;
                for (int j = 0; j < d; j++)
                {
                    double nv = w[j] / norm;
                    change += Math.Abs(nv - v[j]);
                    v[j] = nv;
                }
                if (change < 1e-13) break;
            }
            int big = 0;
            for (int j = 1; j < d; j++) if (Math.Abs(v[j]) > Math.Abs(v[big])) big = j;
            double sign = v[big] < 0 ? -1 : 1;
            for (int j = 0; j < d; j++) dirs[c * d + j] = sign * v[j];
            // Deflate: remove the found direction's variance.
            double lambda = 0;
            for (int a = 0; a < d; a++)
                for (int b = 0; b < d; b++) lambda += v[a] * cov[a * d + b] * v[b];
            for (int a = 0; a < d; a++)
                for (int b = 0; b < d; b++) cov[a * d + b] -= lambda * v[a] * v[b];
        }
        var result = new double[n * components];
        for (int i = 0; i < n; i++)
            for (int c = 0; c < components; c++)
            {
                double s = 0;
                for (int j = 0; j < d; j++) s += (rows[i * d + j] - mean[j]) * dirs[c * d + j];
                result[i * components + c] = s;
            }
        return result;
    }
}
