#!/usr/bin/env bash
# `hpc neuro simulate` against Brian2 2.5 (Debian python3-brian, cython and numpy code generation)
# on the recurrent random LIF network, 1 s simulated at dt = 0.1 ms, sizes 1,000/p=0.02,
# 10,000/p=0.01, 50,000/p=0.002, alternating peer and Hpc run by run so both meet the same load.
#   bash bench/neuro_vs_brian2.sh [--rounds N] [--numpy] [--out FILE]
#     --rounds N  alternation rounds (default 3); Brian2-cython, Hpc 1 thread, Hpc 2 threads per size
#     --numpy     also Brian2-numpy, once per size in the first round (slow: ~20 s for 50,000)
#     --out FILE  JSON lines (default build/bench/neuro/<UTC timestamp>.jsonl); a summary is printed
# Environment: HPC  the hpc binary (default artifacts/hpc from ./build.sh build)
# Both sides report wall and CPU seconds of the simulation alone (setup and Brian2's code
# generation excluded); on a shared machine CPU time is the steadier figure.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
ROUNDS=3 NUMPY=0 OUT=""
while (($#)); do
  case "$1" in
    --rounds) ROUNDS=${2:?}; shift ;;
    --numpy) NUMPY=1 ;;
    --out) OUT=${2:?}; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "bench/neuro_vs_brian2.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
HPC=${HPC:-$ROOT/artifacts/hpc}
[[ -x $HPC ]] || { echo "bench/neuro_vs_brian2.sh: no hpc binary at $HPC (./build.sh build, or set HPC)" >&2; exit 1; }
if ! /usr/bin/python3 -c 'import brian2' 2>/dev/null; then
  if [[ $(id -u) -ne 0 ]]; then echo "bench/neuro_vs_brian2.sh: the peer needs python3-brian: sudo apt-get install -y python3-brian" >&2; exit 1; fi
  apt-get install -y -q python3-brian >/dev/null
fi
OUT=${OUT:-$ROOT/build/bench/neuro/$(date -u +%Y%m%d-%H%M%S).jsonl}
mkdir -p "$(dirname "$OUT")"
: > "$OUT"
SIZES=("1000 0.02" "10000 0.01" "50000 0.002")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

hpc_run() { # neurons p threads
  local out
  out=$(cd "$WORK" && "$HPC" neuro simulate --neurons "$1" --p "$2" --seconds 1 --threads "$3" --raster none)
  local wall cpu rate upd ev
  wall=$(sed -n 's/^wall time: \([0-9.]*\) s.*/\1/p' <<<"$out")
  cpu=$(sed -n 's/^cpu time: \([0-9.]*\) s.*/\1/p' <<<"$out")
  rate=$(sed -n 's/^mean rate: \([0-9.]*\) Hz.*/\1/p' <<<"$out")
  upd=$(sed -n 's/^neuron updates: \([0-9.E+]*\) .*/\1/p' <<<"$out")
  ev=$(sed -n 's/^synaptic events: \([0-9.E+]*\) .*/\1/p' <<<"$out")
  printf '{"peer": "hpc-%st", "neurons": %s, "p": %s, "seconds": 1.0, "wall_per_sim_s": %s, "cpu_per_sim_s": %s, "mean_rate_hz": %s, "neuron_updates_per_s": %s, "synaptic_events_per_s": %s}\n' \
    "$3" "$1" "$2" "$wall" "$cpu" "$rate" "$upd" "$ev"
}

for ((r = 1; r <= ROUNDS; r++)); do
  for size in "${SIZES[@]}"; do
    set -- $size
    echo "round $r: $1 neurons, p = $2" >&2
    (cd "$WORK" && /usr/bin/python3 "$ROOT/bench/peers/brian2_network.py" --target cython --neurons "$1" --p "$2" 2>/dev/null) >> "$OUT"
    hpc_run "$1" "$2" 1 >> "$OUT"
    hpc_run "$1" "$2" 2 >> "$OUT"
    if ((NUMPY && r == 1)); then
      (cd "$WORK" && /usr/bin/python3 "$ROOT/bench/peers/brian2_network.py" --target numpy --neurons "$1" --p "$2" 2>/dev/null) >> "$OUT"
    fi
  done
done

/usr/bin/python3 - "$OUT" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def med(peer, n, key):
    v = [r[key] for r in rows if r["peer"] == peer and r["neurons"] == n]
    return statistics.median(v) if v else None
print(f"results: {sys.argv[1]}")
print("| neurons | p | peer | wall s / sim s | cpu s / sim s | rate Hz | cpu ratio to brian2-cython | wall ratio |")
print("|---:|---:|---|---:|---:|---:|---:|---:|")
for n in sorted({r["neurons"] for r in rows}):
    p = next(r["p"] for r in rows if r["neurons"] == n)
    bc, bw = med("brian2-cython", n, "cpu_per_sim_s"), med("brian2-cython", n, "wall_per_sim_s")
    for peer in ("brian2-numpy", "brian2-cython", "hpc-1t", "hpc-2t"):
        c, w, hz = med(peer, n, "cpu_per_sim_s"), med(peer, n, "wall_per_sim_s"), med(peer, n, "mean_rate_hz")
        if c is None: continue
        print(f"| {n} | {p} | {peer} | {w:.4f} | {c:.4f} | {hz:.2f} | {bc / c:.1f}x | {bw / w:.1f}x |")
PY
