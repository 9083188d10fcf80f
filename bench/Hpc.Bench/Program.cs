using BenchmarkDotNet.Running;
using Hpc.Bench;

// Usage (bench/README.md):
//   Hpc.Bench [--quick] [BenchmarkDotNet args, e.g. --filter '*SgemmBench*' --artifacts DIR]
//   Hpc.Bench --latency [--quick] [--threads 1 2] [--isa NAME]    per-call median/p99, JSON lines
//   Hpc.Bench --session [--quick] [--isa NAME] [--rounds N]       InferenceSession batch-1 median/p99 (1, 2 threads; 8 callers)
//   Hpc.Bench --breakdown [--model mlp|lenet] [--threads N] [--isa NAME] [--quick]   per-layer step time
//   Hpc.Bench --nlm-step [--threads 1 2] [--steps N]             language-model step, median ms, JSON lines
var rest = new List<string>(args);
bool quick = rest.Remove("--quick");
BenchConfig.Quick = quick;
if (rest.Remove("--latency")) return LatencyMode.Run(quick, [.. rest]);
if (rest.Remove("--breakdown")) return Breakdown.Run(quick, [.. rest]);
if (rest.Remove("--session")) return SessionLatency.Run(quick, [.. rest]);
if (rest.Remove("--nlm-step")) return NlmStep.Run([.. rest]);

// Without a filter BenchmarkDotNet asks interactively which suite to run; run.sh and users who
// just want everything should not hang on a prompt.
string[] selectors = ["--filter", "-f", "--list", "--info", "--help", "-h", "--version", "--allCategories", "--anyCategories"];
if (!rest.Any(a => selectors.Contains(a, StringComparer.OrdinalIgnoreCase))) rest.InsertRange(0, ["--filter", "*"]);

var summaries = BenchmarkSwitcher.FromAssembly(typeof(BenchConfig).Assembly).Run([.. rest], BenchConfig.Create(quick)).ToList();
bool failed = summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
return failed ? 1 : 0;
