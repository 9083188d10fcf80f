using System.Globalization;
using Hpc.Cli.Output;
using Hpc.Nn;

namespace Hpc.Cli.Commands;

/// <summary>
/// Runs `hpc train --model nlm`: the n-gram data set of a text folder, the neural language model
/// trained with SGD + momentum, validation cross-entropy and perplexity per epoch, then the test
/// perplexity against interpolated absolute-discounting n-grams of order 2 to the window size.
/// </summary>
internal static class LanguageModelRunner
{
    public const int DefaultEpochs = 30, DefaultBatch = 100;
    public const float DefaultLearningRate = 0.1f, DefaultMomentum = 0.9f;
    public const double InitStd = 0.1, NgramDiscount = 0.75;

    public static int Run(TrainSettings s, string? plotPath)
    {
        if (s.DataDir is null) throw new UsageException("--model nlm needs --data DIR, a folder of .txt files (e.g. data/sotu)");
        string dir = Path.GetFullPath(s.DataDir);
        if (!Directory.Exists(dir)) throw new UsageException($"--data {s.DataDir}: no such directory");
        using var ctx = ContextFactory.Open(s.Isa, s.Threads);
        var inv = CultureInfo.InvariantCulture;
        var data = NgramDataset.Load(dir, order: 4, vocabularySize: 250);
        int k = data.Vocabulary.Count;
        if (data.Train.Count == 0) throw new InvalidDataException($"{dir}: the training files hold no 4-gram of vocabulary words");
        var train = data.Train.ToDataset(k);
        var validation = data.Validation.ToDataset(k);
        var test = data.Test.ToDataset(k);

        using var model = new NeuralLanguageModel(k, data.Order - 1, 16, 180, ctx);
        model.InitializeNormal(InitStd, new Rng(s.Seed));
        using var optimizer = new Sgd(model.Parameters(), s.LearningRate, s.Momentum, ctx: ctx);
        using var trainer = new Trainer(model, optimizer, new CrossEntropyLoss(ctx),
            new TrainerOptions { Epochs = s.Epochs, BatchSize = s.BatchSize, Seed = s.Seed });

        Console.WriteLine(string.Create(inv,
            $"hpc train: neural language model K={k}, D=16, H=180 ({model.ParameterCount():N0} parameters), SGD lr {s.LearningRate} momentum {s.Momentum}, batch {s.BatchSize}, {s.Epochs} epochs, N(0, {InitStd}^2) weights, seed {s.Seed}"));
        Console.WriteLine(string.Create(inv,
            $"data: {dir}: {data.Train.Files}/{data.Validation.Files}/{data.Test.Files} files, {data.Train.Count:N0} / {data.Validation.Count:N0} / {data.Test.Count:N0} 4-grams (train / validation / test); isa {Context.IsaName(ctx.Isa)}, {ctx.Threads} thread(s)"));
        if (validation.Count == 0 || test.Count == 0)
            throw new InvalidDataException($"{dir}: the validation or test files (every 9th / 10th) hold no 4-gram of vocabulary words");

        trainer.EpochCompleted += m => Console.WriteLine(string.Create(inv,
            $"epoch {m.Epoch,2}/{m.Epochs}  train cross-entropy {m.Loss:F4}  validation cross-entropy {m.TestLoss:F4} nats  perplexity {Math.Exp(m.TestLoss):F2}  {m.TrainTime.TotalSeconds:F1} s"));
        var history = trainer.Fit(train, validation);
        double trainSeconds = history.Epochs.Sum(e => e.TrainTime.TotalSeconds);
        long steps = trainer.Step;
        var eval = trainer.Evaluate(test);
        Console.WriteLine(string.Create(inv,
            $"done: {history.Epochs.Count} epochs, {steps:N0} steps in {trainSeconds:F1} s ({trainSeconds * 1000 / Math.Max(steps, 1):F3} ms a step incl. batching)"));
        Console.WriteLine(string.Create(inv, $"test perplexity: neural LM {Math.Exp(eval.Loss):F2}"));
        for (int order = 2; order <= data.Order; order++)
        {
            double ppl = NgramModel.Train(data.Train, order, k, NgramDiscount).Perplexity(data.Test);
            Console.WriteLine(string.Create(inv, $"test perplexity: {order}-gram (interpolated absolute discounting, d = {NgramDiscount}) {ppl:F2}"));
        }
        if (plotPath is not null)
        {
            EmbeddingPlot.WriteSvg(plotPath, model.Embedding, data.Vocabulary);
            Console.WriteLine($"embedding: PCA projection of the {k} word vectors written to {plotPath}");
        }
        return 0;
    }
}
