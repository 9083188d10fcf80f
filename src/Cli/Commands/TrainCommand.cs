using System.CommandLine;

namespace Hpc.Cli.Commands;

/// <summary>`hpc train`: the options and their defaults (the PyTorch-comparable MNIST MLP recipe).</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var epochs = new Option<int>("--epochs", "-e")
        {
            Description = "Passes over the training set",
            DefaultValueFactory = _ => 10,
            HelpName = "n",
        }.InRange(1, 100_000);
        var batchSize = new Option<int>("--batch-size", "-b")
        {
            Description = "Samples per SGD step",
            DefaultValueFactory = _ => 64,
            HelpName = "n",
        }.InRange(1, 1 << 20);
        var lr = new Option<float>("--lr")
        {
            Description = "Learning rate",
            DefaultValueFactory = _ => 0.05f,
            HelpName = "rate",
        }.Above(0f);
        var momentum = new Option<float>("--momentum")
        {
            Description = "SGD momentum (0 = plain SGD)",
            DefaultValueFactory = _ => 0.9f,
            HelpName = "beta",
        }.InHalfOpen(0f, 1f);
        var seed = new Option<ulong>("--seed")
        {
            Description = "Seed of weight initialisation and shuffling (same seed and ISA: same result)",
            DefaultValueFactory = _ => 42UL,
            HelpName = "n",
        };
        var data = new Option<string?>("--data")
        {
            Description = $"Directory with MNIST IDX files (.gz too); default {DataLocator.DefaultRelative} in the current directory, else beside hpc",
            HelpName = "dir",
        };
        var model = new Option<string>("--model", "-m")
        {
            Description = ModelChoice.Help,
            DefaultValueFactory = _ => "mlp",
            HelpName = "mlp|lenet|nlm|maxent|char-lstm|path",
        };
        var plotEmbedding = new Option<string?>("--plot-embedding")
        {
            Description = "With --model nlm: write the 2-D PCA projection of the word embedding to this .svg file",
            HelpName = "file.svg",
        };
        var common = new CommonOptions();
        var recipe = new RecipeOptions();
        var outputs = new RunOutputOptions();
        var charLm = new CharLmOptions();

        var command = new Command("train", "Train a model (default: the MLP 784-256-128-10, ReLU; --model lenet or a spec file) with SGD and momentum on MNIST and report accuracy per epoch")
        {
            epochs, batchSize, lr, momentum, seed, data, model, plotEmbedding,
        };
        common.AddTo(command);
        recipe.AddTo(command);
        outputs.AddTo(command);
        charLm.AddTo(command);
        command.SetAction(result =>
        {
            string choice = result.GetValue(model)!.Trim().ToLowerInvariant();
            // The text models have recipes of their own: their defaults apply where the option was not given.
            T Pick<T>(Option<T> option, T textDefault) => result.GetResult(option) is { Implicit: false } ? result.GetValue(option)! : textDefault;
            var runOutputs = outputs.Read(result);
            if (choice is "nlm" or "maxent" or "char-lstm" && runOutputs != new RunOutputs())
                throw new UsageException($"--save, --resume, --metrics and --plot are not available for --model {choice} yet");
            if (choice == "char-lstm")
                return CharLmRunner.Run(new CharLmRunner.Settings(
            Steps: result.GetValue(charLm.Steps),
            // The MNIST defaults do not carry over: 32 streams and Adam 2e-3 unless given.
            Streams: result.GetResult(batchSize) is { Implicit: false } ? result.GetValue(batchSize) : 32,
            SeqLen: result.GetValue(charLm.SeqLen),
            Embed: result.GetValue(charLm.Embed),
            Hidden: result.GetValue(charLm.Hidden),
            LearningRate: result.GetResult(lr) is { Implicit: false } ? result.GetValue(lr) : 2e-3f,
            ClipNorm: result.GetValue(charLm.Clip),
            EvalEvery: result.GetValue(charLm.EvalEvery),
            Generate: result.GetValue(charLm.Generate),
            Prime: result.GetValue(charLm.Prime)!,
            Temperature: result.GetValue(charLm.Temperature),
            Seed: result.GetValue(seed),
            Threads: result.GetValue(common.Threads),
            Isa: result.GetValue(common.Isa),
            Data: result.GetValue(data)));
            if (choice == "nlm")
                return LanguageModelRunner.Run(new TrainSettings(
                    Epochs: Pick(epochs, LanguageModelRunner.DefaultEpochs),
                    BatchSize: Pick(batchSize, LanguageModelRunner.DefaultBatch),
                    LearningRate: Pick(lr, LanguageModelRunner.DefaultLearningRate),
                    Momentum: Pick(momentum, LanguageModelRunner.DefaultMomentum),
                    Seed: result.GetValue(seed),
                    Threads: result.GetValue(common.Threads),
                    Isa: result.GetValue(common.Isa),
                    DataDir: result.GetValue(data),
                    Model: choice), result.GetValue(plotEmbedding));
            if (choice == "maxent")
            {
                if (result.GetValue(plotEmbedding) is not null) throw new UsageException("--plot-embedding needs --model nlm");
                return MaxEntRunner.Run(new TrainSettings(
                    Epochs: Pick(epochs, MaxEntRunner.DefaultEpochs),
                    BatchSize: Pick(batchSize, MaxEntRunner.DefaultBatch),
                    LearningRate: Pick(lr, MaxEntRunner.DefaultLearningRate),
                    Momentum: 0f,
                    Seed: result.GetValue(seed),
                    Threads: result.GetValue(common.Threads),
                    Isa: result.GetValue(common.Isa),
                    DataDir: result.GetValue(data),
                    Model: choice), Pick(recipe.WeightDecay, MaxEntRunner.DefaultWeightDecay));
            }
            if (result.GetValue(plotEmbedding) is not null)
                throw new UsageException("--plot-embedding needs --model nlm");
            return TrainRunner.Run(new TrainSettings(
                Epochs: result.GetValue(epochs),
                BatchSize: result.GetValue(batchSize),
                LearningRate: result.GetValue(lr),
                Momentum: result.GetValue(momentum),
                Seed: result.GetValue(seed),
                Threads: result.GetValue(common.Threads),
                Isa: result.GetValue(common.Isa),
                DataDir: result.GetValue(data),
                Model: result.GetValue(model)!,
                Recipe: recipe.Read(result),
                Outputs: runOutputs));
        });
        return command;
    }

    private static bool IsCharLm(string model) => model.Trim().Equals("char-lstm", StringComparison.OrdinalIgnoreCase);
}
