#!/usr/bin/env bash
# The character language model's training step (Embedding 64 -> LSTM 256 -> Linear, 32 streams x
# 64 characters, Adam, clip 5) in Hpc and in PyTorch 1.13, in alternating rounds on a shared
# machine, and oneDNN's LSTM primitive against Hpc's LSTM layer in one process (dnnl_lstm).
#   bash bench/rnn_alternate.sh [ROUNDS] [OUT]      defaults: 3, build/bench/results/rnn-<UTC time>
# Needs ./build.sh build (the hpc CLI built, data/moby-dick fetched), python3-torch and libdnnl-dev
# (installed here when missing, as bench/run.sh does).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
ROUNDS=${1:-3}
OUT=${2:-$ROOT/build/bench/results/rnn-$(date -u +%Y%m%d-%H%M%S)}
NATIVE_DIR=${HPC_NATIVE_DIR:-$ROOT/build/native/native}
mkdir -p "$OUT"
pkgs=()
/usr/bin/python3 -c 'import torch' 2>/dev/null || pkgs+=(python3-torch)
dpkg-query -W -f='${Status}' libdnnl-dev 2>/dev/null | grep -q 'install ok installed' || pkgs+=(libdnnl-dev)
if ((${#pkgs[@]})); then apt-get install -y "${pkgs[@]}" >"$OUT/apt.log" 2>&1; fi
gcc -O2 -std=c11 -Wall -Wextra -I"$ROOT/native/include" "$ROOT/bench/peers/dnnl_lstm.c" -L"$NATIVE_DIR" \
  -Wl,-rpath,"$NATIVE_DIR" -lhpcnn -ldnnl -lm -o "$OUT/dnnl_lstm"
HPC=${HPC_CLI:-$ROOT/artifacts/hpc}
TEXT=$ROOT/data/moby-dick/data.txt
[[ -s "$TEXT" ]] || { echo "rnn_alternate: $TEXT missing: run ./build.sh data" >&2; exit 1; }
VOCAB=$(/usr/bin/python3 -c "import sys; print(len(set(open(sys.argv[1], encoding='utf-8').read())))" "$TEXT")
{ uname -a; grep -m1 'model name' /proc/cpuinfo; nproc; git -C "$ROOT" rev-parse HEAD; uptime; } >"$OUT/machine.txt"
for r in $(seq 1 "$ROUNDS"); do
  for t in 1 2; do
    echo "==> round $r, $t thread(s)" >&2
    (cd "$ROOT/bench/peers" && /usr/bin/python3 torch_lstm.py --threads "$t" --steps 15 --vocab "$VOCAB") >>"$OUT/torch.jsonl"
    "$HPC" train --model char-lstm --data "$TEXT" --steps 20 --eval-every 1000000 --threads "$t" >"$OUT/hpc-r$r-t$t.log"
    OMP_NUM_THREADS=$t OMP_PROC_BIND=false "$OUT/dnnl_lstm" 3 >>"$OUT/dnnl.jsonl"
  done
done
/usr/bin/python3 - "$OUT" <<'PY'
import glob, json, os, re, sys
out = sys.argv[1]
torch = [json.loads(l) for l in open(os.path.join(out, "torch.jsonl"))]
hpc = {}
for f in glob.glob(os.path.join(out, "hpc-r*-t*.log")):
    t = int(re.search(r"-t(\d+)\.log", f).group(1))
    m = re.search(r"\(([\d.]+) ms/step training\)", open(f).read())
    hpc.setdefault(t, []).append(float(m.group(1)))
print(f"# char model training step, best of alternating rounds ({out})\n")
print("| threads | Hpc best ms (mean of 20 steps) | PyTorch best ms (median of 15) | PyTorch / Hpc | Hpc rounds | PyTorch rounds |")
print("|---:|---:|---:|---:|---|---|")
for t in sorted(hpc):
    p = [r["median_ms"] for r in torch if r["bench"] == "char_step" and r["threads"] == t]
    print(f"| {t} | {min(hpc[t]):.1f} | {min(p):.1f} | {min(p) / min(hpc[t]):.2f} | {', '.join(f'{x:.0f}' for x in hpc[t])} | {', '.join(f'{x:.0f}' for x in p)} |")
print("\n# LSTM 64 -> 128, 35 steps, batch 32, forward + backward: PyTorch (alternating rounds) and oneDNN / Hpc (one process)\n")
print("| threads | PyTorch best ms | oneDNN best ms | Hpc best ms | PyTorch / Hpc | oneDNN / Hpc |")
print("|---:|---:|---:|---:|---:|---:|")
d = [json.loads(l) for l in open(os.path.join(out, "dnnl.jsonl"))]
for t in sorted({r["threads"] for r in d}):
    p = min(r["median_ms"] for r in torch if r["bench"] == "lstm_step" and r["threads"] == t)
    o = min(r["step_ms"] for r in d if r["peer"] == "onednn" and r["threads"] == t and r["shape"].startswith("lstm_"))
    h = min(r["step_ms"] for r in d if r["peer"] == "hpc" and r["threads"] == t and r["shape"].startswith("lstm_"))
    print(f"| {t} | {p:.1f} | {o:.1f} | {h:.1f} | {p / h:.2f} | {o / h:.2f} |")
print("\n# The char model's LSTM layer alone (64 -> 256, 64 steps, batch 32), oneDNN and Hpc in one process\n")
print("| threads | oneDNN best ms | Hpc best ms | oneDNN / Hpc | Hpc GFLOP/s |")
print("|---:|---:|---:|---:|---:|")
for t in sorted({r["threads"] for r in d}):
    o = min(r["step_ms"] for r in d if r["peer"] == "onednn" and r["threads"] == t and r["shape"].startswith("char_"))
    hs = [r for r in d if r["peer"] == "hpc" and r["threads"] == t and r["shape"].startswith("char_")]
    h = min(hs, key=lambda r: r["step_ms"])
    print(f"| {t} | {o:.1f} | {h['step_ms']:.1f} | {o / h['step_ms']:.2f} | {h['gflops']:.1f} |")
PY
