using System.CommandLine;
using Hpc.Nn;

namespace Hpc.Cli.Commands;

/// <summary>
/// The `hpc train` options of the training recipe: activation, optimizer, schedule,
/// penalties, dropout, initialisation, early stopping, clipping, augmentation, validation split,
/// diagnostics. Names are validated by the parser against the library's own lists.
/// </summary>
internal sealed class RecipeOptions
{
    public Option<string?> Activation { get; } = new Option<string?>("--activation")
    {
        Description = "Hidden-layer activation: " + string.Join('|', ActivationLayers.Names),
        DefaultValueFactory = _ => "relu",
        HelpName = "name",
    }.OneOf(ActivationLayers.Names);

    public Option<string?> Optimizer { get; } = new Option<string?>("--optimizer")
    {
        Description = "Update rule: " + string.Join('|', Optimizers.Names) + " (--momentum is the momentum/beta where one applies)",
        DefaultValueFactory = _ => "sgd",
        HelpName = "name",
    }.OneOf(Optimizers.Names);

    public Option<string?> LrSchedule { get; } = new Option<string?>("--lr-schedule")
    {
        Description = "Learning-rate schedule per epoch: none|step (halve every 10% of the epochs)|exp (x0.9 per epoch)|cosine (to 0)",
        DefaultValueFactory = _ => "none",
        HelpName = "name",
    }.OneOf("none", "step", "exp", "cosine");

    public Option<float> WeightDecay { get; } = new Option<float>("--weight-decay")
    {
        Description = "L2 penalty coefficient (gradient + wd * w; biases excluded)",
        DefaultValueFactory = _ => 0f,
        HelpName = "wd",
    }.InRange(0f, 1000f);

    public Option<float> L1 { get; } = new Option<float>("--l1")
    {
        Description = "L1 penalty coefficient (gradient + l1 * sign(w); biases excluded)",
        DefaultValueFactory = _ => 0f,
        HelpName = "l1",
    }.InRange(0f, 1000f);

    public Option<float> Dropout { get; } = new Option<float>("--dropout")
    {
        Description = "Inverted-dropout rate after each hidden activation (0 = none)",
        DefaultValueFactory = _ => 0f,
        HelpName = "rate",
    }.InHalfOpen(0f, 1f);

    public Option<string?> Init { get; } = new Option<string?>("--init")
    {
        Description = "Weight initialisation: " + string.Join('|', Models.InitNames) + " (normal = N(0, 0.01^2), uniform = U(-0.01, 0.01))",
        DefaultValueFactory = _ => "pytorch",
        HelpName = "scheme",
    }.OneOf(Models.InitNames);

    public Option<int> EarlyStopping { get; } = new Option<int>("--early-stopping")
    {
        Description = "Stop after this many epochs without a better validation loss and restore the best weights (0 = off; implies --validation-split 0.1 if none is given)",
        DefaultValueFactory = _ => 0,
        HelpName = "patience",
    }.InRange(0, 100_000);

    public Option<float> ClipNorm { get; } = new Option<float>("--clip-norm")
    {
        Description = "Clip the gradients' global L2 norm to this value before each step (0 = off)",
        DefaultValueFactory = _ => 0f,
        HelpName = "max",
    }.InRange(0f, 1e9f);

    public Option<bool> Diagnostics { get; } = new Option<bool>("--diagnostics")
    {
        Description = "Print per-layer activation statistics and gradient norms after every epoch",
    };

    public Option<bool> Augment { get; } = new Option<bool>("--augment")
    {
        Description = "Train on randomly shifted (+-2 px) and rotated (+-10 degrees) copies of the images, redrawn every epoch",
    };

    public Option<float> ValidationSplit { get; } = new Option<float>("--validation-split")
    {
        Description = "Hold out this fraction of the training set; per-epoch evaluation then uses it instead of the test set (0 = none)",
        DefaultValueFactory = _ => 0f,
        HelpName = "fraction",
    }.InHalfOpen(0f, 1f);

    public void AddTo(Command command)
    {
        command.Add(Activation);
        command.Add(Optimizer);
        command.Add(LrSchedule);
        command.Add(WeightDecay);
        command.Add(L1);
        command.Add(Dropout);
        command.Add(Init);
        command.Add(EarlyStopping);
        command.Add(ClipNorm);
        command.Add(Diagnostics);
        command.Add(Augment);
        command.Add(ValidationSplit);
    }

    public TrainRecipe Read(ParseResult r) => new(
        Activation: ActivationLayers.Canonical(r.GetValue(Activation) ?? "relu"),
        Optimizer: Optimizers.Canonical(r.GetValue(Optimizer) ?? "sgd"),
        LrSchedule: (r.GetValue(LrSchedule) ?? "none").ToLowerInvariant(),
        WeightDecay: r.GetValue(WeightDecay),
        L1: r.GetValue(L1),
        Dropout: r.GetValue(Dropout),
        Init: (r.GetValue(Init) ?? "pytorch").ToLowerInvariant(),
        EarlyStopping: r.GetValue(EarlyStopping),
        ClipNorm: r.GetValue(ClipNorm),
        Diagnostics: r.GetValue(Diagnostics),
        Augment: r.GetValue(Augment),
        ValidationSplit: r.GetValue(ValidationSplit));
}
