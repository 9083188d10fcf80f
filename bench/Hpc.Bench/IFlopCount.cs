namespace Hpc.Bench;

/// <summary>A benchmark parameter that knows how many floating-point operations one call performs,
/// so <see cref="GflopsColumn"/> can turn the measured time into GFLOP/s.</summary>
public interface IFlopCount
{
    double Flops { get; }
}
