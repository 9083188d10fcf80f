using System.Text;
using Hpc.BindGen;

// Usage: BindGen <header.h> <output.g.cs> [--check]
// Without --check the output is (re)written when it differs; with --check nothing is written and
// the exit code is 1 when the file on disk is not what a fresh generation gives.
var check = args.Contains("--check");
var paths = args.Where(a => a != "--check").ToArray();
if (paths.Length != 2 || paths.Any(p => p.StartsWith("--")))
{
    Console.Error.WriteLine("usage: BindGen <header.h> <output.g.cs> [--check]");
    return 2;
}
var (header, output) = (paths[0], paths[1]);

string generated;
try
{
    generated = Generator.Generate(header);
}
catch (BindGenException e)
{
    Console.Error.WriteLine($"BindGen: {e.Message}");
    return 1;
}

var current = File.Exists(output) ? File.ReadAllText(output) : null;
if (check)
{
    if (current == generated)
    {
        Console.WriteLine($"BindGen: {output} is up to date");
        return 0;
    }
    Console.Error.WriteLine(current is null
        ? $"BindGen: {output} does not exist; run ./build.sh gen"
        : $"BindGen: {output} differs from a fresh generation from {header}; run ./build.sh gen\n  (- on disk, + fresh)");
    if (current is not null)
        foreach (var line in LineDiff.Summarize(current, generated)) Console.Error.WriteLine("  " + line);
    return 1;
}

if (current == generated)
{
    Console.WriteLine($"BindGen: {output} unchanged");
    return 0;
}
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
File.WriteAllText(output, generated, new UTF8Encoding(false));
Console.WriteLine($"BindGen: wrote {output}");
return 0;
