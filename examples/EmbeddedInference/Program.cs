using Hpc.Nn;

// Classifies MNIST test digits with a model trained by `hpc train --save`, from many threads at
// once through one InferenceSession. Usage: EmbeddedInference MODEL.hpc MNIST_DIR
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: EmbeddedInference MODEL.hpc MNIST_DIR");
    return 2;
}
try
{
    using var session = InferenceSession.Load(args[0]);
    string dir = args[1];
    var images = Idx.ReadImages(Idx.Find(dir, MnistDataset.TestImages) ?? throw new FileNotFoundException($"no {MnistDataset.TestImages} in {dir}"));
    var labels = Idx.ReadLabels(Idx.Find(dir, MnistDataset.TestLabels) ?? throw new FileNotFoundException($"no {MnistDataset.TestLabels} in {dir}"));
    if (images.PixelsPerImage != session.InputFeatures)
        throw new InvalidDataException($"the model takes {session.InputFeatures} values, the images have {images.PixelsPerImage}");

    var predicted = new int[images.Count];
    Parallel.For(0, images.Count, i =>
    {
        Span<float> pixels = stackalloc float[784];
        for (int p = 0; p < pixels.Length; p++) pixels[p] = images.Pixels[i * 784 + p] / 255f;
        predicted[i] = session.PredictClass(pixels);
    });
    int correct = predicted.Where((c, i) => c == labels[i]).Count();
    Console.WriteLine($"model: {args[0]} ({session.Spec.Layers.Count} layers, {session.InputFeatures} -> {session.OutputFeatures}); {session.Workers} workspaces");
    Console.WriteLine($"first digits: predicted {string.Join(' ', predicted.Take(12))}");
    Console.WriteLine($"              labelled  {string.Join(' ', labels.Take(12))}");
    Console.WriteLine($"accuracy: {100.0 * correct / images.Count:F2}% of {images.Count} test digits");
    // A model that classifies no better than chance is a broken pipeline, not a result.
    return correct * 2 > images.Count ? 0 : 1;
}
catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException)
{
    Console.Error.WriteLine($"EmbeddedInference: error: {e.Message}");
    return 1;
}
