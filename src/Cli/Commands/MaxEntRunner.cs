using System.Diagnostics;
using System.Globalization;
using Hpc.Nn;

namespace Hpc.Cli.Commands;

/// <summary>
/// Runs `hpc train --model maxent`: a SpamAssassin-style folder, binary presence features of the
/// 20,000 tokens of highest training document frequency, a two-class MaxEnt trained with
/// SparseAdam; prints accuracy, log-loss, spam precision / recall and the top features per class.
/// </summary>
internal static class MaxEntRunner
{
    public const int DefaultEpochs = 2, DefaultBatch = 64, FeatureCount = 20_000;
    public const float DefaultLearningRate = 0.01f, DefaultWeightDecay = 0f;

    public static int Run(TrainSettings s, float weightDecay)
    {
        if (s.DataDir is null) throw new UsageException("--model maxent needs --data DIR, a SpamAssassin-style folder with file_list.json (e.g. data/spam-assassin)");
        string dir = Path.GetFullPath(s.DataDir);
        if (!Directory.Exists(dir)) throw new UsageException($"--data {s.DataDir}: no such directory");
        var inv = CultureInfo.InvariantCulture;
        using var ctx = ContextFactory.Open(s.Isa, s.Threads);
        long t0 = Stopwatch.GetTimestamp();
        var corpus = SpamCorpus.Load(dir);
        var features = TokenPresenceFeatures.FromDocumentFrequency(corpus.TrainDocuments, FeatureCount);
        using var maxent = new MaxEnt<IReadOnlyList<string>>(["ham", "spam"], features, ctx: ctx);
        var xTrain = maxent.Featurize(corpus.TrainDocuments);
        var xTest = maxent.Featurize(corpus.TestDocuments);
        double prepSeconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        Console.WriteLine(string.Create(inv,
            $"hpc train: MaxEnt (2 classes x {features.Count:N0} token-presence features), SparseAdam lr {s.LearningRate}, L2 {weightDecay}, batch {s.BatchSize}, {s.Epochs} epochs, seed {s.Seed}"));
        Console.WriteLine(string.Create(inv,
            $"data: {dir}: {corpus.TrainLabels.Length:N0} training / {corpus.TestLabels.Length:N0} test messages ({corpus.TrainLabels.Count(l => l == SpamCorpus.Spam):N0} / {corpus.TestLabels.Count(l => l == SpamCorpus.Spam):N0} spam), {xTrain.Count:N0} active features in training; loaded and featurized in {prepSeconds:F1} s; isa {Context.IsaName(ctx.Isa)}, {ctx.Threads} thread(s)"));
        double fitSeconds = maxent.Fit(xTrain, corpus.TrainLabels, s.Epochs, s.BatchSize, s.LearningRate, weightDecay, s.Seed,
            afterEpoch: (epoch, train) => Console.WriteLine(string.Create(inv,
                $"epoch {epoch}/{s.Epochs}  train log-loss {train.Loss:F4}  train accuracy {train.Accuracy * 100:F2}%")));
        var predictions = new int[corpus.TestLabels.Length];
        var test = maxent.Evaluate(xTest, corpus.TestLabels, predictions);
        int tp = 0, fp = 0, fn = 0;
        for (int i = 0; i < predictions.Length; i++)
        {
            bool spam = corpus.TestLabels[i] == SpamCorpus.Spam, said = predictions[i] == SpamCorpus.Spam;
            if (spam && said) tp++;
            else if (said) fp++;
            else if (spam) fn++;
        }
        Console.WriteLine(string.Create(inv, $"fit: {fitSeconds:F3} s"));
        Console.WriteLine(string.Create(inv,
            $"test: accuracy {test.Accuracy * 100:F2}% ({test.Correct:N0}/{test.Count:N0}), log-loss {test.Loss:F4}, spam precision {100.0 * tp / Math.Max(tp + fp, 1):F2}%, spam recall {100.0 * tp / Math.Max(tp + fn, 1):F2}%"));
        foreach (var cls in maxent.Classes)
            Console.WriteLine($"top features for {cls}: " + string.Join(", ",
                maxent.TopFeatures(cls, 10).Select(f => string.Create(inv, $"{f.Feature} {f.Weight:+0.00;-0.00}"))));
        return 0;
    }
}
