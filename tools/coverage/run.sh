#!/usr/bin/env bash
# Line coverage of both suites. C#: coverlet (coverlet.collector, a package of the test projects) over
# the xunit suites, Cobertura XML per suite. C: a --coverage build of native/ in build/coverage, CTest
# on every path this machine has, gcov per source file. Prints one figure per assembly / family and
# a total; reports land in build/coverage/.
# Usage: tools/coverage/run.sh [c|cs|all] (default all)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
BUILD=${HPC_BUILD_DIR:-$ROOT/build}
OUT=$BUILD/coverage
what=${1:-all}
mkdir -p "$OUT"

cs_coverage() {
  rm -rf "$OUT/cs"
  dotnet test "$ROOT/Hpc.sln" -c Release --no-build -p:HpcNativeDir="$BUILD/native/native" \
    --collect:"XPlat Code Coverage" --results-directory "$OUT/cs" -v quiet >"$OUT/cs-test.log" 2>&1 || true
  # One coverage.cobertura.xml per test project; each lists the assemblies it loaded (Hpc.Nn, hpc, ...).
  find "$OUT/cs" -name coverage.cobertura.xml | while read -r f; do
    suite=$(grep -o 'Hpc\.[A-Za-z.]*Tests' <<<"$(grep -m1 -o '<source>[^<]*' "$f")" || true)
    awk -v suite="$suite" -v file="$f" '
      match($0, /<package name="[^"]*" line-rate="[0-9.]*"/) {
        s = substr($0, RSTART, RLENGTH); split(s, q, "\"")
        printf "C# %-22s %6.1f%% of lines  (%s)\n", q[2], 100 * q[4], file
      }' "$f"
  done | sort -u | tee "$OUT/cs-summary.txt"
}

c_coverage() {
  local dir="$OUT/native"
  cmake -S "$ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS="--coverage" \
    -DCMAKE_EXE_LINKER_FLAGS="--coverage" -DCMAKE_SHARED_LINKER_FLAGS="--coverage" >/dev/null
  cmake --build "$dir" -j"$(nproc)" >/dev/null
  find "$dir" -name '*.gcda' -delete
  (cd "$dir" && ctest -j"$(nproc)" -E memcheck >"$OUT/c-ctest.log" 2>&1) || true
  # gcov -n: no .gcov files, just "File '...'" / "Lines executed:P% of N" pairs per source.
  (cd "$dir" && find . -name '*.gcda' -path '*hpcnn_objects*' | while read -r g; do gcov -n -o "$(dirname "$g")" "$g" 2>/dev/null; done) |
    awk -v root="$ROOT/native/src/" '
      /^File / { f = $2; gsub(/\x27/, "", f); keep = index(f, root) == 1 && f !~ /\.h$/; next }
      keep && /^Lines executed:/ {
        split($2, a, ":"); p = a[2]; sub(/%/, "", p); n = $4
        fam = substr(f, length(root) + 1); sub(/\/.*/, "", fam)
        hit[fam] += p * n / 100; tot[fam] += n; H += p * n / 100; T += n; keep = 0 }
      END {
        for (k in tot) printf "C  %-10s %6.1f%% of %5d lines\n", k, 100 * hit[k] / tot[k], tot[k]
        printf "C  %-10s %6.1f%% of %5d lines\n", "total", 100 * H / T, T }' | sort | tee "$OUT/c-summary.txt"
}

case "$what" in
  c) c_coverage ;;
  cs) cs_coverage ;;
  all) c_coverage; cs_coverage ;;
  *) echo "usage: tools/coverage/run.sh [c|cs|all]" >&2; exit 2 ;;
esac
