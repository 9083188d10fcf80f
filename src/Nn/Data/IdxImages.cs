namespace Hpc.Nn;

/// <summary>Images read from an IDX3 ubyte file: Count images of Rows x Cols bytes, row-major.</summary>
public sealed record IdxImages(int Count, int Rows, int Cols, byte[] Pixels)
{
    public int PixelsPerImage => Rows * Cols;
}
