using System.Globalization;
using Hpc.Nn;

namespace Hpc.Cli.Commands;

/// <summary>The training-recipe part of `hpc train`'s settings; the defaults reproduce the plain recipe exactly.</summary>
internal sealed record TrainRecipe(
    string Activation = "relu",
    string Optimizer = "sgd",
    string LrSchedule = "none",
    float WeightDecay = 0f,
    float L1 = 0f,
    float Dropout = 0f,
    string Init = "pytorch",
    int EarlyStopping = 0,
    float ClipNorm = 0f,
    bool Diagnostics = false,
    bool Augment = false,
    float ValidationSplit = 0f)
{
    /// <summary>The held-out fraction actually used: early stopping needs one, 0.1 unless given.</summary>
    public float EffectiveValidationSplit => ValidationSplit > 0 ? ValidationSplit : EarlyStopping > 0 ? 0.1f : 0f;

    /// <summary>
    /// The --model choice with this recipe's activation, dropout and initialisation: for the MLP they
    /// shape the network (the defaults build exactly the preset); the other models have their own
    /// layers, so asking to change those is a usage error rather than silently ignored.
    /// </summary>
    public (Sequential Model, string Description) BuildModel(string choice, Dataset train, ulong seed, Context ctx)
    {
        if (choice.Trim().Equals("mlp", StringComparison.OrdinalIgnoreCase))
        {
            int[] sizes = [train.FeatureCount, .. Models.DefaultMlpSizes[1..^1], train.Classes];
            return (Models.Mlp(sizes, Activation, Init, Dropout, seed, ctx), $"MLP {string.Join('-', sizes)} ({Display(Activation)})");
        }
        if (Activation != "relu" || Dropout > 0 || Init != "pytorch")
            throw new UsageException($"--activation, --dropout and --init shape the mlp model only; --model {choice} defines its own layers");
        return ModelChoice.Build(choice, train, seed, ctx);
    }

    public Optimizer BuildOptimizer(Sequential model, float lr, float momentum, Context ctx)
    {
        var opt = Optimizers.Create(Optimizer, model.Parameters(), lr, momentum, new Penalties(WeightDecay, L1), ctx);
        return ClipNorm > 0 ? new ClippedOptimizer(opt, maxNorm: ClipNorm) : opt;
    }

    /// <summary>The optimizer part of the banner; the defaults print exactly the original "SGD lr 0.05 momentum 0.9".</summary>
    public string Describe(float lr, float momentum)
    {
        var inv = CultureInfo.InvariantCulture;
        string head = Optimizer switch
        {
            "sgd" => string.Create(inv, $"SGD lr {lr} momentum {momentum}"),
            "adam" or "adamw" => string.Create(inv, $"{Display(Optimizer)} lr {lr}"),
            _ => string.Create(inv, $"{Display(Optimizer)} lr {lr} momentum {momentum}"),
        };
        var parts = new List<string> { head };
        if (LrSchedule != "none") parts.Add($"{LrSchedule} schedule");
        if (WeightDecay > 0) parts.Add(string.Create(inv, $"weight decay {WeightDecay}"));
        if (L1 > 0) parts.Add(string.Create(inv, $"L1 {L1}"));
        if (Dropout > 0) parts.Add(string.Create(inv, $"dropout {Dropout}"));
        if (Init != "pytorch") parts.Add($"init {Init}");
        if (ClipNorm > 0) parts.Add(string.Create(inv, $"clip-norm {ClipNorm}"));
        if (EarlyStopping > 0) parts.Add($"early stopping (patience {EarlyStopping})");
        if (Augment) parts.Add("augmented");
        return string.Join(", ", parts);
    }

    private static string Display(string name) => name switch
    {
        "relu" => "ReLU",
        "leaky-relu" => "leaky ReLU",
        "prelu" => "PReLU",
        "momentum" => "SGD+momentum",
        "ema-momentum" => "SGD+EMA momentum",
        "nesterov" => "Nesterov",
        "rmsprop" => "RMSProp",
        "adam" => "Adam",
        "adamw" => "AdamW",
        _ => name,
    };
}
