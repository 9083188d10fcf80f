namespace Hpc.Nn;

/// <summary>
/// A small deterministic generator (xoshiro256**, seeded through SplitMix64) for initialisation
/// and shuffling: the same seed gives the same stream on every platform and .NET version, which
/// System.Random does not promise.
/// </summary>
public sealed class Rng
{
    private ulong _s0, _s1, _s2, _s3;

    public Rng(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>The generator's 256-bit state: saved by checkpoints so a resumed run continues the same stream.</summary>
    internal ulong[] GetState() => [_s0, _s1, _s2, _s3];

    /// <summary>Sets the state saved by <see cref="GetState"/>.</summary>
    internal void SetState(ReadOnlySpan<ulong> state)
    {
        if (state.Length != 4) throw new ArgumentException($"an Rng state is 4 words, got {state.Length}", nameof(state));
        if ((state[0] | state[1] | state[2] | state[3]) == 0) throw new ArgumentException("an all-zero Rng state is invalid", nameof(state));
        (_s0, _s1, _s2, _s3) = (state[0], state[1], state[2], state[3]);
    }

    public ulong NextUInt64()
    {
        ulong result = RotL(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotL(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, 1) with 24 random bits.</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>Uniform integer in [0, bound) without modulo bias (Lemire's method).</summary>
    public int NextInt(int bound)
    {
        if (bound <= 0) throw new ArgumentOutOfRangeException(nameof(bound), bound, "bound must be > 0");
        ulong m = (NextUInt64() >> 32) * (ulong)bound;
        uint low = (uint)m;
        if (low < (uint)bound)
        {
            uint threshold = (uint)-bound % (uint)bound;
            while (low < threshold)
            {
                m = (NextUInt64() >> 32) * (ulong)bound;
                low = (uint)m;
            }
        }
        return (int)(m >> 32);
    }

    /// <summary>Standard normal (Box-Muller, one value per call so the stream stays simple to reason about).</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble(); // (0, 1]: log is finite
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Fisher-Yates shuffle in place.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong RotL(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
