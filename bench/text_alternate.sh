#!/usr/bin/env bash
# The text models against their peers in alternating rounds on one machine (bench/README.md):
#   NLM training step, batch 100: Hpc.Bench --nlm-step against bench/peers/torch_nlm.py (1 and 2 threads);
#   MaxEnt on SpamAssassin: hpc train --model maxent (fit time, accuracy) against bench/peers/sklearn_maxent.py.
#   bash bench/text_alternate.sh [ROUNDS] [OUT]     defaults: 3, build/bench/results/text-<UTC time>
# Needs a built tree (./build.sh build), data/spam-assassin (./build.sh data), python3-torch and
# python3-sklearn (installed here when missing, as root).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
ROUNDS=${1:-3}
OUT=${2:-$ROOT/build/bench/results/text-$(date -u +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
if ! /usr/bin/python3 -c 'import torch, sklearn, scipy' 2>/dev/null; then
  [[ $(id -u) -eq 0 ]] || { echo "text_alternate.sh: needs python3-torch python3-sklearn: sudo apt-get install -y python3-torch python3-sklearn" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-torch python3-sklearn python3-numpy >/dev/null
fi
NATIVE=$ROOT/build/native/native
dotnet build "$ROOT/bench/Hpc.Bench" -c Release -p:HpcNativeDir="$NATIVE" -v quiet -nologo >/dev/null
dotnet build "$ROOT/src/Cli" -c Release -p:HpcNativeDir="$NATIVE" -v quiet -nologo >/dev/null
BENCH="$ROOT/bench/Hpc.Bench/bin/Release/net10.0/Hpc.Bench.dll"
HPC="$ROOT/src/Cli/bin/Release/net9.0/hpc.dll"
for r in $(seq 1 "$ROUNDS"); do
  echo "==> round $r of $ROUNDS" >&2
  LD_LIBRARY_PATH=$NATIVE dotnet "$BENCH" --nlm-step --threads 1 2 --steps 3000 >>"$OUT/nlm.jsonl"
  /usr/bin/python3 "$ROOT/bench/peers/torch_nlm.py" --threads 1 2 --steps 3000 >>"$OUT/nlm.jsonl"
  DOTNET_ROLL_FORWARD=Major dotnet "$HPC" train --model maxent --data "$ROOT/data/spam-assassin" --threads 1 \
    | grep -E '^(fit|test):' | sed "s/^/round $r hpc: /" >>"$OUT/maxent.txt"
  taskset -c 0 /usr/bin/python3 "$ROOT/bench/peers/sklearn_maxent.py" "$ROOT/data/spam-assassin" --C 1 \
    | sed "s/^/round $r sklearn: /" >>"$OUT/maxent.txt"
done
echo "== NLM step (best median of $ROUNDS rounds, ms)"
/usr/bin/python3 - "$OUT/nlm.jsonl" <<'PY'
import json, sys
best = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    key = (r["impl"].split()[0], r["threads"])
    best[key] = min(best.get(key, 1e9), r["median_ms"])
for t in sorted({k[1] for k in best}):
    h, p = best.get(("hpc", t)), best.get(("torch", t))
    print(f"threads {t}: hpc {h:.4f} ms, torch {p:.4f} ms, torch/hpc {p / h:.2f}x")
PY
echo "== MaxEnt (every round)"
cat "$OUT/maxent.txt"
echo "results in $OUT"
