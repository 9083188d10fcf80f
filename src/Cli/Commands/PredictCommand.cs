using System.CommandLine;
using System.Globalization;
using System.Text;
using Hpc.Cli.Inputs;
using Hpc.Nn;

namespace Hpc.Cli.Commands;

/// <summary>`hpc predict model.hpc INPUT...`: the class, its probability and the top-k of every sample, as text or JSON lines.</summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "Checkpoint written by 'hpc train --save'" };
        var inputs = new Argument<string[]>("input")
        {
            Description = "IDX image files, CSV files (one sample a row) or PNG/JPEG/BMP images",
            Arity = ArgumentArity.OneOrMore,
        };
        var top = new Option<int>("--top", "-k")
        {
            Description = "How many of the most probable classes to list",
            DefaultValueFactory = _ => 3,
            HelpName = "k",
        }.InRange(1, 1000);
        var json = new Option<bool>("--json") { Description = "One JSON object per sample instead of text" };
        var invert = new Option<bool>("--invert") { Description = "Images are dark digits on a light background (MNIST is light on dark)" };
        var common = new CommonOptions();
        var command = new Command("predict", "Classify samples with a saved model") { model, inputs, top, json, invert };
        common.AddTo(command);
        command.SetAction(r => Run(r.GetValue(model)!, r.GetValue(inputs)!, r.GetValue(top), r.GetValue(json), r.GetValue(invert),
            r.GetValue(common.Isa), r.GetValue(common.Threads)));
        return command;
    }

    private static int Run(string path, string[] inputs, int top, bool json, bool invert, string? isa, int threads)
    {
        // The ISA and thread choice follow the same rules as everywhere else (HPC_ISA, --isa).
        Isa chosen;
        using (var probe = ContextFactory.Open(isa, threads)) chosen = probe.Isa;
        using var session = InferenceSession.Load(path, new InferenceOptions { Isa = chosen, Threads = threads, MaxConcurrency = 1 });
        int k = Math.Min(top, session.OutputFeatures);
        var logits = new float[session.OutputFeatures];
        var probs = new double[session.OutputFeatures];
        var order = new int[session.OutputFeatures];
        var inv = CultureInfo.InvariantCulture;
        var output = new StringBuilder();
        foreach (string input in inputs)
            foreach (var sample in PredictionInputs.Read(input, session.InputFeatures, session.InputImage, invert))
            {
                session.Predict(sample.Values, logits);
                Softmax(logits, probs);
                for (int i = 0; i < order.Length; i++) order[i] = i;
                Array.Sort(order, (a, b) => probs[b].CompareTo(probs[a]) != 0 ? probs[b].CompareTo(probs[a]) : a.CompareTo(b));
                output.Clear();
                if (json)
                {
                    output.Append("{\"input\":\"").Append(JsonEscape(sample.Source)).Append("\",\"index\":").Append(sample.Index.ToString(inv))
                        .Append(",\"class\":").Append(order[0].ToString(inv)).Append(",\"probability\":").Append(probs[order[0]].ToString("R", inv)).Append(",\"top\":[");
                    for (int i = 0; i < k; i++)
                        output.Append(i == 0 ? "" : ",").Append("{\"class\":").Append(order[i].ToString(inv)).Append(",\"probability\":").Append(probs[order[i]].ToString("R", inv)).Append('}');
                    output.Append("]}");
                }
                else
                {
                    output.Append(sample.Source).Append(sample.Source.EndsWith(".png", StringComparison.OrdinalIgnoreCase) ? "" : $"#{sample.Index.ToString(inv)}")
                        .Append(string.Create(inv, $"  class {order[0]}  p {probs[order[0]]:F4}  top"));
                    for (int i = 0; i < k; i++) output.Append(string.Create(inv, $" {order[i]}:{probs[order[i]]:F4}"));
                }
                Console.WriteLine(output.ToString());
            }
        return 0;
    }

    private static void Softmax(ReadOnlySpan<float> logits, Span<double> probs)
    {
        double max = double.NegativeInfinity, sum = 0;
        foreach (float z in logits) max = Math.Max(max, z);
        for (int i = 0; i < logits.Length; i++) sum += probs[i] = Math.Exp(logits[i] - max);
        for (int i = 0; i < logits.Length; i++) probs[i] /= sum;
    }

    private static string JsonEscape(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (char c in s)
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                < ' ' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        return sb.ToString();
    }
}
