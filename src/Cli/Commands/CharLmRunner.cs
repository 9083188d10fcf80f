using System.Diagnostics;
using System.Globalization;
using Hpc.Nn;

namespace Hpc.Cli.Commands;

/// <summary>
/// Runs `hpc train --model char-lstm`: the text's distinct characters as vocabulary, 90/5/5
/// split, Embedding -> LSTM -> Linear trained by truncated BPTT with Adam and global-norm
/// clipping, validation bits per character as it goes, test bits per character and optional
/// samples at the end.
/// </summary>
internal static class CharLmRunner
{
    public const string DefaultData = "data/moby-dick";

    public sealed record Settings(int Steps, int Streams, int SeqLen, int Embed, int Hidden, float LearningRate, float ClipNorm,
        int EvalEvery, int Generate, string Prime, float Temperature, ulong Seed, int Threads, string? Isa, string? Data);

    public static int Run(Settings s)
    {
        string path = ResolveText(s.Data);
        using var ctx = ContextFactory.Open(s.Isa, s.Threads);
        var corpus = CharCorpus.Load(path);
        var inv = CultureInfo.InvariantCulture;
        int[] prime;
        try { prime = s.Prime.Length > 0 ? corpus.Encode(s.Prime) : throw new UsageException("--prime: the text is empty"); }
        catch (ArgumentException e) when (s.Generate > 0) { throw new UsageException("--prime: " + e.Message); }
        catch (ArgumentException) { prime = []; }

        using var model = new CharLstm(corpus.Vocabulary.Length, s.Embed, s.Hidden, seed: s.Seed, ctx: ctx);
        using var optimizer = new ClippedOptimizer(new Adam(model.Parameters(), s.LearningRate, ctx: ctx), maxNorm: s.ClipNorm);
        using var trainer = new TruncatedBpttTrainer(model, optimizer, corpus.Train, s.Streams, s.SeqLen);
        Console.WriteLine(string.Create(inv,
            $"hpc train: char-lstm, embedding {s.Embed}, LSTM {s.Hidden}, linear to {corpus.Vocabulary.Length} characters ({model.ParameterCount():N0} parameters); Adam {s.LearningRate}, clip {s.ClipNorm}; {s.Streams} streams x {s.SeqLen} characters, {s.Steps} steps, seed {s.Seed}"));
        Console.WriteLine(string.Create(inv,
            $"data: {path} ({corpus.Train.Length:N0} train, {corpus.Validation.Length:N0} validation, {corpus.Test.Length:N0} test characters; {trainer.StepsPerEpoch} steps per pass); isa {Context.IsaName(ctx.Isa)} ({ContextFactory.IsaOrigin(s.Isa)}), {ctx.Threads} thread{(ctx.Threads == 1 ? "" : "s")}"));

        var clock = Stopwatch.StartNew();
        double trainSeconds = 0, lossSum = 0;
        int lossCount = 0;
        for (int step = 1; step <= s.Steps; step++)
        {
            long t0 = Stopwatch.GetTimestamp();
            float loss = trainer.TrainStep();
            trainSeconds += Stopwatch.GetElapsedTime(t0).TotalSeconds;
            if (!float.IsFinite(loss)) throw new ArithmeticException($"step {step}: the training loss is {loss}");
            lossSum += loss;
            lossCount++;
            if (step % s.EvalEvery == 0 || step == s.Steps)
            {
                double bpc = trainer.BitsPerCharacter(corpus.Validation);
                Console.WriteLine(string.Create(inv,
                    $"step {step,6}: train {lossSum / lossCount / Math.Log(2):F3} bpc, validation {bpc:F3} bpc, {1000 * trainSeconds / step:F1} ms/step"));
                lossSum = 0;
                lossCount = 0;
            }
        }
        double test = trainer.BitsPerCharacter(corpus.Test);
        Console.WriteLine(string.Create(inv,
            $"done: {s.Steps} steps in {clock.Elapsed.TotalSeconds:F1} s ({1000 * trainSeconds / s.Steps:F1} ms/step training); test {test:F3} bits per character"));
        if (s.Generate > 0)
        {
            var sample = model.Generate(prime, s.Generate, s.Temperature, new Rng(s.Seed + 1));
            Console.WriteLine(string.Create(inv, $"sample (temperature {s.Temperature}):"));
            Console.WriteLine(s.Prime + new string(sample.Select(corpus.Decode).ToArray()));
        }
        return 0;
    }

    /// <summary>--data as a text file, or a folder holding data.txt; default data/moby-dick here or beside hpc.</summary>
    private static string ResolveText(string? requested)
    {
        string[] candidates = requested is not null
            ? [Path.GetFullPath(requested)]
            : [Path.GetFullPath(DefaultData), Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, DefaultData))];
        foreach (string c in candidates)
        {
            if (File.Exists(c)) return c;
            if (File.Exists(Path.Combine(c, "data.txt"))) return Path.Combine(c, "data.txt");
        }
        throw new UsageException(requested is not null
            ? $"--data {requested}: neither a text file nor a folder with data.txt"
            : $"no text in {string.Join(" or ", candidates.Distinct())}; run './build.sh data' or pass --data FILE");
    }
}
