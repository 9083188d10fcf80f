using System.CommandLine;

namespace Hpc.Cli.Commands;

/// <summary>The `hpc train --model char-lstm` options (the character language model on a text).</summary>
internal sealed class CharLmOptions
{
    public Option<int> Steps { get; } = new Option<int>("--steps")
    {
        Description = "char-lstm: training steps (one chunk of every stream each)",
        DefaultValueFactory = _ => 3000,
        HelpName = "n",
    }.InRange(1, 100_000_000);

    public Option<int> SeqLen { get; } = new Option<int>("--seq-len")
    {
        Description = "char-lstm: characters per chunk of truncated backpropagation through time",
        DefaultValueFactory = _ => 64,
        HelpName = "n",
    }.InRange(1, 100_000);

    public Option<int> Hidden { get; } = new Option<int>("--hidden")
    {
        Description = "char-lstm: LSTM hidden units",
        DefaultValueFactory = _ => 256,
        HelpName = "n",
    }.InRange(1, 65_536);

    public Option<int> Embed { get; } = new Option<int>("--embed")
    {
        Description = "char-lstm: embedding size",
        DefaultValueFactory = _ => 64,
        HelpName = "n",
    }.InRange(1, 65_536);

    public Option<float> Clip { get; } = new Option<float>("--clip-norm")
    {
        Description = "char-lstm: clip the gradients to this global norm",
        DefaultValueFactory = _ => 5f,
        HelpName = "norm",
    }.Above(0f);

    public Option<int> EvalEvery { get; } = new Option<int>("--eval-every")
    {
        Description = "char-lstm: report validation bits per character every n steps (and at the end)",
        DefaultValueFactory = _ => 500,
        HelpName = "n",
    }.InRange(1, 100_000_000);

    public Option<int> Generate { get; } = new Option<int>("--generate")
    {
        Description = "char-lstm: after training, sample this many characters",
        DefaultValueFactory = _ => 0,
        HelpName = "n",
    }.InRange(0, 1_000_000);

    public Option<string> Prime { get; } = new Option<string>("--prime")
    {
        Description = "char-lstm: text the samples start from",
        DefaultValueFactory = _ => "Call me",
        HelpName = "text",
    };

    public Option<float> Temperature { get; } = new Option<float>("--temperature")
    {
        Description = "char-lstm: sampling temperature (lower = more conservative)",
        DefaultValueFactory = _ => 0.8f,
        HelpName = "t",
    }.Above(0f);

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Steps, SeqLen, Hidden, Embed, Clip, EvalEvery, Generate, Prime, Temperature })
            command.Options.Add(o);
    }
}
