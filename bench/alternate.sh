#!/usr/bin/env bash
# Hpc against a peer on a noisy machine: runs the two sides in turn, ROUNDS times, and compares
# the best each side reached. The 2-vCPU machines this project is measured on swing by +-30%
# within minutes (the same binary, run twice in a row, has differed by that much), so one run of
# each side can put them in different phases; alternating and keeping each side's best round
# compares them at their quietest.
#   bash bench/alternate.sh [ROUNDS] [OUT] [PEER]
#     defaults: 3, build/bench/results/alternate-<UTC time>, torch
#     PEER torch: the MLP and LeNet models against PyTorch (run.sh --suites torch,latency)
#     PEER dnnl:  the convolutions against oneDNN 2.6 (run.sh --suites conv,dnnl)
#     PEER torchsharp, onnxruntime, or a comma list of torch,torchsharp,onnxruntime: those peers and
#                 Hpc's --latency, every model they share (a TorchSharp or ONNX Runtime round whose
#                 setup failed says so, and the table lacks that peer)
# Needs what bench/run.sh needs for those suites (it builds Hpc.Bench when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
ROUNDS=${1:-3}
OUT=${2:-$ROOT/build/bench/results/alternate-$(date -u +%Y%m%d-%H%M%S)}
PEER=${3:-torch}
case "$PEER" in
  dnnl) SUITES=conv,dnnl ;;
  *)
    for p in ${PEER//,/ }; do
      [[ $p == torch || $p == torchsharp || $p == onnxruntime ]] \
        || { echo "alternate.sh: PEER must be dnnl or a list of torch,torchsharp,onnxruntime, not '$PEER'" >&2; exit 2; }
    done
    SUITES=$PEER,latency ;;
esac
mkdir -p "$OUT"
for r in $(seq 1 "$ROUNDS"); do
  echo "==> round $r of $ROUNDS" >&2
  bash "$ROOT/bench/run.sh" --suites "$SUITES" --out "$OUT/round$r" >"$OUT/round$r.log" 2>&1 \
    || { cat "$OUT/round$r.log" >&2; exit 1; }
done
if [[ "$PEER" == dnnl ]]; then
/usr/bin/python3 - "$OUT" "$ROUNDS" <<'EOF'
import os, sys
out, rounds = sys.argv[1], int(sys.argv[2])
# Rows of the convolution table in run.sh's summary:
# | shape | op | threads | Hpc Scalar | Hpc Avx2 | % of peak | oneDNN best (impl) | oneDNN gemm | ...
best = {}
for r in range(1, rounds + 1):
    in_table = False
    for line in open(os.path.join(out, f"round{r}", "summary.md")):
        if line.startswith("## Convolution GFLOP/s"):
            in_table = True
            continue
        if in_table and line.startswith("## "):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not in_table or len(cells) < 8 or not cells[2].isdigit():
            continue
        key = (cells[0], cells[1], int(cells[2]))
        h, d = best.setdefault(key, ([], []))
        h.append(float(cells[4]))
        d.append(float(cells[6].split()[0]))
print(f"# Hpc vs oneDNN's best implementation, best GFLOP/s of {rounds} alternating rounds ({out})\n")
print("| shape | op | threads | Hpc best GFLOP/s | oneDNN best GFLOP/s | Hpc / oneDNN | per round (Hpc; oneDNN) |")
print("|---|---|---:|---:|---:|---:|---|")
for key in sorted(best):
    h, d = best[key]
    rounds_txt = ", ".join(f"{x:.1f}" for x in h) + "; " + ", ".join(f"{x:.1f}" for x in d)
    print(f"| {key[0]} | {key[1]} | {key[2]} | {max(h):.1f} | {max(d):.1f} | {max(h) / max(d):.2f} | {rounds_txt} |")
EOF
exit 0
fi
if [[ "$PEER" != torch ]]; then
/usr/bin/python3 - "$OUT" "$ROUNDS" "$ROOT/bench" <<'EOF'
import glob, json, os, sys
out, rounds = sys.argv[1], int(sys.argv[2])
sys.path.insert(0, sys.argv[3])
import peer_table
rows = []
for r in range(1, rounds + 1):
    for f in glob.glob(os.path.join(out, f"round{r}", "*.jsonl")):
        rows += [json.loads(l) for l in open(f) if l.strip().startswith("{") and '"model"' in l]
    for f in glob.glob(os.path.join(out, f"round{r}", "*.skipped")):
        print(f"round {r}: suite {os.path.basename(f)[:-8]} skipped ({open(f).read().strip()})")
print(f"# Hpc vs its peers, best median of {rounds} alternating rounds ({out})\n")
print("\n".join(peer_table.table(rows)))
print("\n| issue | target | measured (best rounds) | verdict |\n|---:|---|---|---|")
for issue, what, figure, ok in peer_table.targets(rows):
    print(f"| {issue} | {what} | {figure} | {'MET' if ok else 'MISSED'} |")
EOF
exit 0
fi
/usr/bin/python3 - "$OUT" "$ROUNDS" <<'EOF'
import json, sys, glob, os
out, rounds = sys.argv[1], int(sys.argv[2])
best = {}
for r in range(1, rounds + 1):
    for f in glob.glob(os.path.join(out, f"round{r}", "*.jsonl")):
        for line in open(f):
            line = line.strip()
            if not line.startswith("{"):
                continue
            d = json.loads(line)
            if "model" not in d:
                continue
            key = (d["model"], d["bench"], d["batch"], d["threads"], d["peer"])
            best.setdefault(key, []).append(d["median_ms"])
print(f"# Hpc vs PyTorch, best median of {rounds} alternating rounds ({out})\n")
print("| model | bench | batch | threads | Hpc best median ms | PyTorch best median ms | PyTorch / Hpc | medians per round (Hpc; PyTorch) |")
print("|---|---|---:|---:|---:|---:|---:|---|")
for key in sorted({k[:4] for k in best}):
    h, p = best.get(key + ("hpc",)), best.get(key + ("pytorch",))
    if not h or not p:
        continue
    rounds_txt = ", ".join(f"{x:.4g}" for x in h) + "; " + ", ".join(f"{x:.4g}" for x in p)
    print(f"| {key[0]} | {key[1]} | {key[2]} | {key[3]} | {min(h):.4g} | {min(p):.4g} | {min(p) / min(h):.2f} | {rounds_txt} |")
EOF
