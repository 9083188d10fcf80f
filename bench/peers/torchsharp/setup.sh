#!/usr/bin/env bash
# Prepares the TorchSharp 0.107 peer (libtorch 2.10 CPU) on Debian 12; idempotent.
#   bash bench/peers/torchsharp/setup.sh [--check]
# libtorch 2.10's libtorch_cpu.so needs GLIBC_2.38 and GLIBCXX_3.4.32, newer than Debian 12's (2.36,
# 3.4.30). Nothing is installed into the system for that: Debian 13's libc6, libstdc++6 and
# libgcc-s1 are downloaded with apt-get against a private sources list (the trixie suite of the
# mirror /etc/apt already uses, read from there at run time) and private apt state and cache, and
# unpacked with dpkg -x into build/peers/trixie-root. The peer's apphost gets that tree's dynamic
# loader (patchelf --set-interpreter), and the launcher build/peers/bin/torchsharp-peer sets
# LD_LIBRARY_PATH for that one process only. --check: also run the peer's self-test (prints the
# libtorch version and one tiny forward), the check run.sh makes before the suite.
# Prints the launcher's path, build/peers/bin/torchsharp-peer, as its only line on stdout (arguments
# as the peer's: see bench/peers/torchsharp/Program.cs).
set -euo pipefail
cd "$(dirname "$0")/../../.."
ROOT=$(pwd)
PEERS=$ROOT/build/peers
TRIXIE=$PEERS/trixie-root
APT_DIR=$PEERS/trixie-apt
LIBDIR=$TRIXIE/usr/lib/x86_64-linux-gnu
LOADER=$LIBDIR/ld-linux-x86-64.so.2
PROJECT=$ROOT/bench/peers/torchsharp/TorchSharpPeer.csproj
APPHOST=$PEERS/artifacts/bin/TorchSharpPeer/release_linux-x64/torchsharp-peer
LAUNCHER=$PEERS/bin/torchsharp-peer
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'torchsharp/setup.sh: %s\n' "$*" >&2; exit 1; }

CHECK=0
[[ "${1:-}" == --check ]] && CHECK=1

command -v dotnet >/dev/null || die "the .NET SDK is required"
if ! command -v patchelf >/dev/null; then
  [[ $(id -u) -eq 0 ]] || die "patchelf is required: sudo apt-get install -y patchelf"
  log "installing patchelf (Debian 12)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q patchelf >/dev/null \
    || { DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q patchelf >/dev/null; }
fi

# ------------------------------------------------------------------ Debian 13 runtime libraries
# The mirror: the first non-security URI of the system's own apt sources (deb822 or one-line).
mirror_uri() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f $f ]] || continue
    awk '/^URIs:/ { for (i = 2; i <= NF; i++) print $i }' "$f"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f $f ]] || continue
    awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }' "$f"
  done
}

if [[ ! -f $TRIXIE/.complete ]]; then
  MIRROR=$(mirror_uri | grep -v -- '-security' | head -n1)
  [[ -n $MIRROR ]] || die "no Debian mirror found in /etc/apt/sources.list*"
  KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
  [[ -f $KEYRING ]] || die "$KEYRING missing (package debian-archive-keyring)"
  log "Debian 13 libc6, libstdc++6, libgcc-s1 -> build/peers/trixie-root (private apt state; nothing installed)"
  rm -rf "$APT_DIR" "$TRIXIE"
  mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial" "$APT_DIR/parts" "$APT_DIR/debs" "$TRIXIE"
  echo "deb [signed-by=$KEYRING] $MIRROR trixie main" >"$APT_DIR/sources.list"
  : >"$APT_DIR/status"
  APT_OPTS=(-o "Dir::Etc::SourceList=$APT_DIR/sources.list" -o "Dir::Etc::SourceParts=$APT_DIR/parts"
            -o "Dir::State::Lists=$APT_DIR/lists" -o "Dir::Cache=$APT_DIR/cache"
            -o "Dir::State::status=$APT_DIR/status" -o "APT::Architecture=amd64" -o "APT::Architectures=amd64"
            -o "Debug::NoLocking=1" -q)
  apt-get "${APT_OPTS[@]}" update >"$APT_DIR/update.log" 2>&1 || { cat "$APT_DIR/update.log" >&2; die "apt-get update (trixie, private) failed"; }
  (cd "$APT_DIR/debs" && apt-get "${APT_OPTS[@]}" download libc6 libstdc++6 libgcc-s1 >"$APT_DIR/download.log" 2>&1) \
    || { cat "$APT_DIR/download.log" >&2; die "apt-get download (trixie, private) failed"; }
  for deb in "$APT_DIR"/debs/*.deb; do dpkg -x "$deb" "$TRIXIE"; done
  [[ -x $LOADER && -f $LIBDIR/libstdc++.so.6 && -f $LIBDIR/libc.so.6 ]] || die "unpacked tree lacks the loader or libstdc++ ($LIBDIR)"
  ls "$APT_DIR"/debs/*.deb | xargs -n1 basename >"$TRIXIE/.complete"
fi

# ------------------------------------------------------------------ the peer program
log "TorchSharp peer (dotnet build, Release)"
mkdir -p "$PEERS/bin"
dotnet build "$PROJECT" -c Release --artifacts-path "$PEERS/artifacts" -v quiet -nologo >"$PEERS/torchsharp-build.log" 2>&1 \
  || { cat "$PEERS/torchsharp-build.log" >&2; die "dotnet build failed"; }
[[ -x $APPHOST ]] || die "no apphost at $APPHOST"
# The build rewrites the apphost, so the interpreter is set after every build.
[[ $(patchelf --print-interpreter "$APPHOST") == "$LOADER" ]] || patchelf --set-interpreter "$LOADER" "$APPHOST"

cat >"$LAUNCHER" <<EOF
#!/bin/sh
# Generated by bench/peers/torchsharp/setup.sh: the TorchSharp peer on Debian 13's C and C++
# runtime (build/peers/trixie-root), for this process only.
exec env LD_LIBRARY_PATH="$LIBDIR" "$APPHOST" "\$@"
EOF
chmod +x "$LAUNCHER"

if ((CHECK)); then
  log "TorchSharp peer self-test"
  "$LAUNCHER" --self-test >&2 || die "the peer's self-test failed (libtorch did not load or compute)"
fi
echo "$LAUNCHER"
