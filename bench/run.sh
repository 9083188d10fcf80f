#!/usr/bin/env bash
# Runs Hpc's benchmarks and their peers, then writes a markdown summary (bench/README.md).
#   bash bench/run.sh [--quick] [--suites LIST] [--out DIR]
#     --quick        smoke run: few iterations, small shapes; numbers are NOT meaningful
#     --suites LIST  comma-separated subset of: peak,overhead,sgemm,mlp,conv,lenet,latency,breakdown,torch,dnnl,
#                    interleaved,torchsharp,onnxruntime (default: all of them; the last two are skipped, with a
#                    message, when their setup fails)
#     --out DIR      results directory (default build/bench/results/<UTC timestamp>)
# Environment: HPC_NATIVE_DIR  folder holding libhpcnn.so (default build/native/native, which
#              `./build.sh build` creates; built here into build/bench/native when missing).
# `./build.sh bench [args]` builds everything, then calls this script with the same args.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export PYTHONDONTWRITEBYTECODE=1  # no __pycache__ beside the peer scripts

QUICK=0
SUITES=peak,overhead,sgemm,mlp,conv,lenet,latency,breakdown,torch,dnnl,interleaved,torchsharp,onnxruntime
OUT=""
while (($#)); do
  case "$1" in
    --quick) QUICK=1 ;;
    --suites) SUITES=${2:?--suites needs a list}; shift ;;
    --out) OUT=${2:?--out needs a directory}; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "bench/run.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
want() { [[ ",$SUITES," == *",$1,"* ]]; }
log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
QFLAG=(); ((QUICK)) && QFLAG=(--quick)

OUT=${OUT:-$ROOT/build/bench/results/$(date -u +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)  # absolute: BenchmarkDotNet runs from inside it
BIN=$ROOT/build/bench/bin
mkdir -p "$BIN"

# ---------------------------------------------------------------- peers' packages
# The peers come from Debian: PyTorch 1.13 (python3-torch, which also exports the ONNX Runtime peer's
# models) and oneDNN 2.6 (libdnnl-dev). Installed here when missing (as root; otherwise the command
# to run is printed and the script stops). TorchSharp and ONNX Runtime come from NuGet (below).
peer_pkgs=()
if { want torch || want onnxruntime; } && ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then peer_pkgs+=(python3-torch python3-numpy); fi
if { want dnnl || want interleaved; } && ! dpkg-query -W -f='${Status}' libdnnl-dev 2>/dev/null | grep -q 'install ok installed'; then
  peer_pkgs+=(libdnnl-dev)
fi
if ((${#peer_pkgs[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "bench/run.sh: the peers need ${peer_pkgs[*]}: sudo apt-get install -y ${peer_pkgs[*]}" >&2
    exit 1
  fi
  log "installing the peers' packages: ${peer_pkgs[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${peer_pkgs[@]}" >/dev/null
fi

# ---------------------------------------------------------------- build
NATIVE_DIR=${HPC_NATIVE_DIR:-$ROOT/build/native/native}
if [[ ! -f $NATIVE_DIR/libhpcnn.so ]]; then
  log "native library (CMake, Release) -> build/bench/native"
  cmake -S "$ROOT" -B "$ROOT/build/bench/native" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$ROOT/build/bench/native" --target hpcnn -j"$(nproc)" >/dev/null
  NATIVE_DIR=$ROOT/build/bench/native/native
fi

BENCH_DLL_DIR=$ROOT/build/bench/artifacts/bin/Hpc.Bench/release
if want peak || want overhead || want sgemm || want mlp || want conv || want lenet || want latency || want breakdown; then
  log "Hpc.Bench (Release, native from $NATIVE_DIR)"
  # --artifacts-path keeps these outputs apart from the solution's bin/obj folders.
  dotnet build "$ROOT/bench/Hpc.Bench/Hpc.Bench.csproj" -c Release --artifacts-path "$ROOT/build/bench/artifacts" \
    -p:HpcNativeDir="$NATIVE_DIR" -v quiet -nologo >"$OUT/dotnet-build.log" 2>&1 \
    || { cat "$OUT/dotnet-build.log" >&2; exit 1; }
fi
if want dnnl || want interleaved; then
  log "oneDNN peer (gcc)"
  gcc -O2 -std=c11 -Wall -Wextra -I"$ROOT/native/include" "$ROOT/bench/peers/dnnl_conv.c" -ldnnl -ldl -o "$BIN/dnnl_conv"
fi

# ---------------------------------------------------------------- machine and load
{
  echo "date (UTC): $(date -u '+%Y-%m-%d %H:%M:%S')"
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) logical CPUs, $(grep -m1 -o 'cpu MHz.*' /proc/cpuinfo | sed 's/\s*:\s*/ /'), $(grep -qw avx512f /proc/cpuinfo && echo 'AVX-512F' || echo 'no AVX-512'), $(grep -qw fma /proc/cpuinfo && echo 'AVX2+FMA')"
  lscpu | grep -E '^(L1d|L2|L3) cache' | sed 's/  */ /g'
  echo "kernel: $(uname -r); .NET: $(dotnet --version 2>/dev/null || echo n/a); python3-torch: $(/usr/bin/python3 -c 'import torch; print(torch.__version__)' 2>/dev/null || echo n/a)"
  echo "git: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo n/a)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (+ uncommitted changes)')"
  echo "quick: $QUICK"
  echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "busiest processes at start (top snapshot):"
  top -b -n 1 -o %CPU -w 120 | sed -n '7,12p' 
} >"$OUT/machine.txt"

# ---------------------------------------------------------------- peers
if want torch; then
  log "PyTorch peers (MLP, LeNet; 1 and 2 threads)"
  (cd "$ROOT/bench/peers" && /usr/bin/python3 torch_mlp.py "${QFLAG[@]}") | tee "$OUT/torch-mlp.jsonl"
  (cd "$ROOT/bench/peers" && /usr/bin/python3 torch_lenet.py "${QFLAG[@]}") | tee "$OUT/torch-lenet.jsonl"
  log "PyTorch peers (NLM, char LSTM, LSTM 64->128; 1 and 2 threads)"
  (cd "$ROOT/bench/peers" && /usr/bin/python3 torch_nlm.py "${QFLAG[@]}") | tee "$OUT/torch-nlm.jsonl"
  (cd "$ROOT/bench/peers" && /usr/bin/python3 torch_lstm.py "${QFLAG[@]}") | tee "$OUT/torch-lstm.jsonl"
fi
# The two NuGet peers are optional: a failed setup (no NuGet, no Debian 13 download) skips the suite
# and says so in the log and the summary, and the rest of the run goes on.
skip_suite() {  # NAME LOG
  log "SKIPPED suite $1: its setup failed (see $2)"
  echo "setup failed: see $2" >"$OUT/$1.skipped"
}
if want torchsharp; then
  log "TorchSharp peer (bench/peers/torchsharp/setup.sh: build, Debian 13 runtime, self-test)"
  if ts_peer=$(bash "$ROOT/bench/peers/torchsharp/setup.sh" --check 2>"$OUT/torchsharp-setup.log"); then
    log "TorchSharp peer (MLP, LeNet, NLM, char LSTM, LSTM 64->128; 1 and 2 threads)"
    "$ts_peer" "${QFLAG[@]}" | tee "$OUT/torchsharp.jsonl"
  else
    skip_suite torchsharp "$OUT/torchsharp-setup.log"
  fi
fi
if want onnxruntime; then
  log "ONNX Runtime peer (export with torch.onnx, dotnet build)"
  ORT_PEER=$ROOT/build/peers/artifacts/bin/OnnxRuntimePeer/release_linux-x64/onnxruntime-peer
  if /usr/bin/python3 "$ROOT/bench/peers/export_onnx.py" --out "$ROOT/build/peers/onnx" >"$OUT/onnxruntime-setup.log" 2>&1 \
     && dotnet build "$ROOT/bench/peers/onnxruntime/OnnxRuntimePeer.csproj" -c Release --artifacts-path "$ROOT/build/peers/artifacts" \
          -v quiet -nologo >>"$OUT/onnxruntime-setup.log" 2>&1; then
    log "ONNX Runtime peer (MLP, LeNet batch 1; intra-op threads 1 and 2; 8 callers on one session)"
    "$ORT_PEER" --onnx "$ROOT/build/peers/onnx" "${QFLAG[@]}" | tee "$OUT/onnxruntime.jsonl"
  else
    skip_suite onnxruntime "$OUT/onnxruntime-setup.log"
  fi
fi
if want dnnl; then
  for t in 1 2; do
    log "oneDNN conv peer, $t thread(s)"
    OMP_NUM_THREADS=$t OMP_PROC_BIND=false "$BIN/dnnl_conv" "${QFLAG[@]}" | tee "$OUT/dnnl-$t.jsonl"
  done
fi
if want interleaved; then
  # The same shapes with the two libraries called in turn inside one process: on a noisy machine
  # their ratio holds where separate runs' figures do not. OMP_WAIT_POLICY=passive: oneDNN's idle
  # OpenMP threads would otherwise spin through Hpc's calls (Hpc's own spin ~0.1 ms, then sleep).
  secs=3; ((QUICK)) && secs=0.3
  for t in 1 2; do
    log "Hpc and oneDNN interleaved, $t thread(s)"
    OMP_NUM_THREADS=$t OMP_PROC_BIND=false OMP_WAIT_POLICY=passive \
      "$BIN/dnnl_conv" --vs-hpc "$NATIVE_DIR/libhpcnn.so" "$secs" | tee "$OUT/interleaved-$t.jsonl"
  done
fi

# ---------------------------------------------------------------- Hpc
if want latency; then
  log "Hpc end-to-end latency (--latency)"
  # --callers 8: Hpc's side of the ONNX Runtime peer's "8 callers on one session" rows.
  callers=(); want onnxruntime && callers=(--callers 8)
  "$BENCH_DLL_DIR/Hpc.Bench" --latency "${QFLAG[@]}" "${callers[@]}" | tee "$OUT/hpc-latency.jsonl"
fi
if want breakdown; then
  log "Hpc per-layer step breakdown (--breakdown), 1 thread"
  for m in mlp lenet; do
    "$BENCH_DLL_DIR/Hpc.Bench" --breakdown --model "$m" --threads 1 "${QFLAG[@]}" | tee "$OUT/breakdown-$m.md"
  done
fi
filters=()
want peak && filters+=('*PeakFlops*')
want overhead && filters+=('*CallOverhead*')
want sgemm && filters+=('*SgemmBench*')
want mlp && filters+=('*MlpStep*' '*MlpInference*')
want conv && filters+=('*ConvBench*')
want lenet && filters+=('*LeNetStep*' '*LeNetInference*')
bdn_rc=0
if ((${#filters[@]})); then
  log "BenchmarkDotNet: ${filters[*]}"
  (cd "$OUT" && "$BENCH_DLL_DIR/Hpc.Bench" "${QFLAG[@]}" --filter "${filters[@]}" --artifacts "$OUT/bdn") \
    >"$OUT/bdn.log" 2>&1 || bdn_rc=$?
  grep -E '^\|' "$OUT/bdn.log" || true
  ((bdn_rc == 0)) || log "BenchmarkDotNet reported failures (exit $bdn_rc): see $OUT/bdn.log"
fi

{
  echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "busiest processes at end (top snapshot):"
  top -b -n 1 -o %CPU -w 120 | sed -n '7,12p'
} >>"$OUT/machine.txt"
python3 "$ROOT/bench/summarize.py" "$OUT" >"$OUT/summary.md"
log "summary: $OUT/summary.md"
cat "$OUT/summary.md"
exit "$bdn_rc"
