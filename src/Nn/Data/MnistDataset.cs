namespace Hpc.Nn;

/// <summary>
/// MNIST-style data from a directory holding the four standard IDX files (each optionally .gz):
/// train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte.
/// Pixels become floats in [0, 1] (byte / 255); labels must be in [0, 10).
/// </summary>
public static class MnistDataset
{
    public const string TrainImages = "train-images-idx3-ubyte";
    public const string TrainLabels = "train-labels-idx1-ubyte";
    public const string TestImages = "t10k-images-idx3-ubyte";
    public const string TestLabels = "t10k-labels-idx1-ubyte";
    public const int Classes = 10;

    /// <summary>Loads the training and test sets from <paramref name="dir"/>.</summary>
    public static (Dataset Train, Dataset Test) Load(string dir)
    {
        ArgumentNullException.ThrowIfNull(dir);
        if (!Directory.Exists(dir))
            throw new DirectoryNotFoundException($"MNIST directory '{dir}' does not exist (fetch the default set with ./build.sh data)");
        return (LoadSet(dir, TrainImages, TrainLabels), LoadSet(dir, TestImages, TestLabels));
    }

    /// <summary>Loads one images/labels pair.</summary>
    public static Dataset LoadSet(string imagesPath, string labelsPath)
    {
        var images = Idx.ReadImages(imagesPath);
        var labels = Idx.ReadLabels(labelsPath);
        if (labels.Length != images.Count)
            throw new InvalidDataException($"{labelsPath}: {labels.Length} labels but {imagesPath} holds {images.Count} images");
        var y = new int[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= Classes) throw new InvalidDataException($"{labelsPath}: label #{i} is {labels[i]}, outside 0..9");
            y[i] = labels[i];
        }
        var x = new float[images.Pixels.Length];
        // Divided (not multiplied by 1/255) so values match PyTorch's ToTensor bit for bit.
        for (int i = 0; i < x.Length; i++) x[i] = images.Pixels[i] / 255f;
        return new Dataset(x, y, images.PixelsPerImage, Classes);
    }

    private static Dataset LoadSet(string dir, string imagesName, string labelsName)
    {
        string images = Idx.Find(dir, imagesName) ?? throw Missing(dir, imagesName);
        string labels = Idx.Find(dir, labelsName) ?? throw Missing(dir, labelsName);
        return LoadSet(images, labels);
    }

    private static FileNotFoundException Missing(string dir, string name) =>
        new($"{Path.Combine(dir, name)}: not found (nor {name}.gz); expected the four standard MNIST IDX files (./build.sh data fetches the default set)",
            Path.Combine(dir, name));
}
