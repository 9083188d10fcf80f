using Hpc.Nn;

namespace Hpc.Cli.Commands;

/// <summary>`hpc train --model`: the presets (mlp, lenet) or a model spec file, checked against the data.</summary>
internal static class ModelChoice
{
    public const string Help = "mlp (784-256-128-10, ReLU), lenet (2 conv + 2 max-pool + 2 linear), the path of a model spec file (see examples/lenet.spec), char-lstm (character language model on a text: --data data/moby-dick), or nlm (the neural 4-gram language model on a folder of .txt files: --data data/sotu; defaults then lr 0.1, momentum 0.9, batch 100, 30 epochs), or maxent (spam / ham over token-presence features: --data data/spam-assassin; SparseAdam, defaults lr 0.01, batch 64, 2 epochs)";

    /// <summary>Builds the model named by <paramref name="choice"/> for <paramref name="train"/>'s inputs and classes.</summary>
    public static (Sequential Model, string Description) Build(string choice, Dataset train, ulong seed, Context ctx)
    {
        switch (choice.Trim().ToLowerInvariant())
        {
            case "mlp":
            {
                // The default model's hidden layers; input and output follow the data (28x28 pixels, 10 digits for MNIST).
                int[] sizes = [train.FeatureCount, .. Models.DefaultMlpSizes[1..^1], train.Classes];
                return (Models.Mlp(sizes, "relu", "pytorch", seed: seed, ctx: ctx), $"MLP {string.Join('-', sizes)} (ReLU)");
            }
            case "lenet":
            {
                var spec = ModelSpec.Parse(LeNet.Spec, "lenet");
                CheckFits(spec, train, "lenet");
                return (LeNet.Create(seed, InitScheme.PyTorchDefault, ctx), "LeNet 1x28x28: conv 32 5x5, pool 2, conv 64 5x5, pool 2, 128, 10 (ReLU)");
            }
            default:
            {
                if (!File.Exists(choice))
                    throw new UsageException($"--model '{choice}' is neither mlp, lenet nor an existing model spec file");
                ModelSpec spec;
                // Spec errors are errors in the user's file: report them as data errors, with the line.
                try { spec = ModelSpec.Load(choice); }
                catch (ModelSpecException e) { throw new InvalidDataException(e.Message, e); }
                CheckFits(spec, train, choice);
                string input = spec.InputImage?.ToString() ?? spec.InputFeatures.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return (spec.Build(seed, InitScheme.PyTorchDefault, ctx), $"{Path.GetFileName(choice)} ({input} -> {spec.Layers.Count} layers -> {spec.OutputFeatures})");
            }
        }
    }

    private static void CheckFits(ModelSpec spec, Dataset train, string name)
    {
        if (spec.InputFeatures != train.FeatureCount)
            throw new InvalidDataException($"{name}: the model takes {spec.InputFeatures} values per sample, the data has {train.FeatureCount}");
        if (spec.OutputFeatures != train.Classes)
            throw new InvalidDataException($"{name}: the model outputs {spec.OutputFeatures} values, the data has {train.Classes} classes");
    }
}
