#!/usr/bin/env bash
# Mutation testing. C: applies each line of c-mutations.txt to a copy of native/ (build/mutate/tree, so
# the work tree is never touched), one at a time, rebuilds the library and tests, and runs the named
# CTest entries: a mutation is killed when they fail. C#: Stryker.NET (the local dotnet tool in .config/dotnet-tools.json) over src/Nn's layers,
# losses, optimizers and training code, and over src/Cli, with the xunit suites.
# Usage: tools/mutate/run.sh [c|cs|all] (default all). Reports land in build/mutate/.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
OUT=${HPC_BUILD_DIR:-$ROOT/build}/mutate
what=${1:-all}
mkdir -p "$OUT"

c_mutations() {
  local list="$ROOT/tools/mutate/c-mutations.txt" report="$OUT/c-mutations.txt" killed=0 total=0 tree="$OUT/tree"
  rm -rf "$tree" && mkdir -p "$tree" && cp -r "$ROOT/CMakeLists.txt" "$ROOT/native" "$tree/"
  cmake -S "$tree" -B "$OUT/native" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$OUT/native" -j"$(nproc)" >/dev/null
  : >"$report"
  while IFS=$'\t' read -r file regex text repl why; do
    [[ -z "$file" || "$file" == \#* ]] && continue
    local src="$tree/native/src/$file" backup
    backup=$(mktemp)
    cp "$src" "$backup"
    if ! TEXT="$text" REPL="$repl" awk 'BEGIN { t = ENVIRON["TEXT"]; r = ENVIRON["REPL"]; done = 0 }
        { if (!done && (i = index($0, t)) > 0) { $0 = substr($0, 1, i - 1) r substr($0, i + length(t)); done = 1 } print }
        END { exit done ? 0 : 3 }' "$backup" >"$src"; then
      echo "NOT FOUND  $file: $why (the list is stale: '$text')" | tee -a "$report"
      cp "$backup" "$src"; rm -f "$backup"; continue
    fi
    total=$((total + 1))
    local verdict
    if ! cmake --build "$OUT/native" -j"$(nproc)" >"$OUT/last-build.log" 2>&1; then
      verdict="KILLED (does not build)"
    elif (cd "$OUT/native" && ctest -R "$regex" --timeout 600 >"$OUT/last-ctest.log" 2>&1); then
      verdict="SURVIVED"
    else
      verdict="KILLED"
    fi
    [[ $verdict == KILLED* ]] && killed=$((killed + 1))
    printf '%-24s %s: %s [%s]\n' "$verdict" "$file" "$why" "$regex" | tee -a "$report"
    cp "$backup" "$src"; rm -f "$backup"
  done <"$list"
  echo "C mutation score: $killed of $total killed" | tee -a "$report"
}

cs_mutations() {
  dotnet tool restore >/dev/null
  local native="${HPC_BUILD_DIR:-$ROOT/build}/native/native"
  # Stryker runs the test project against mutated copies of the project under test; the native library
  # is found through HpcNativeDir as in every build.
  (cd "$ROOT/tests/Hpc.Tests" && HpcNativeDir="$native" dotnet stryker --config-file "$ROOT/tools/mutate/stryker-nn.json" \
      --output "$OUT/stryker-nn") | tee "$OUT/stryker-nn.log"
  (cd "$ROOT/tests/Hpc.Cli.Tests" && HpcNativeDir="$native" dotnet stryker --config-file "$ROOT/tools/mutate/stryker-cli.json" \
      --output "$OUT/stryker-cli") | tee "$OUT/stryker-cli.log"
}

case "$what" in
  c) c_mutations ;;
  cs) cs_mutations ;;
  all) c_mutations; cs_mutations ;;
  *) echo "usage: tools/mutate/run.sh [c|cs|all]" >&2; exit 2 ;;
esac
