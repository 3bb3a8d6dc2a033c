#!/usr/bin/env bash
# Publishes charrnn-server for one .NET runtime identifier into the extension's server/ folder, so that
# the .vsix built next carries it: self-contained (no .NET runtime needed on the user's machine), with
# the default model (charrnn-default.ckpt, served when no checkpoint is set) beside it.
#   bash scripts/bundle-server.sh [RID]     RID: linux-x64, linux-arm64, win-x64, osx-x64 or osx-arm64;
#                                           default: this machine's.
# The host's own binary is run with --version; another platform's is checked by its executable format
# (magic bytes), since it cannot run here. Libraries that the server never loads are left out to keep
# the .vsix smaller. Does not package: scripts/package-vsix.sh calls this, then vsce, once per platform.
# CHARRNN_PUBLISH_NO_RESTORE=1 skips the restore (package-vsix.sh restores every platform once first).
set -euo pipefail
cd "$(dirname "$0")/.."
EXTENSION=$(pwd)
ROOT=$(cd .. && pwd)
OUT="$EXTENSION/server"

host_rid() {
  local os arch
  case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=osx ;;
    MINGW* | MSYS* | CYGWIN*) os=win ;;
    *) echo "error: no .NET runtime identifier for the OS $(uname -s); pass one: bundle-server.sh linux-x64" >&2; exit 2 ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "error: no .NET runtime identifier for the CPU $(uname -m); pass one: bundle-server.sh linux-x64" >&2; exit 2 ;;
  esac
  echo "$os-$arch"
}

# The executable format a RID's binary must have, in the words binary_format prints.
expected_format() {
  case "$1" in
    linux-x64) echo "ELF x86-64" ;;
    linux-arm64) echo "ELF aarch64" ;;
    win-x64) echo "PE32+ x86-64" ;;
    osx-x64) echo "Mach-O x86_64" ;;
    osx-arm64) echo "Mach-O arm64" ;;
    *) echo "error: unsupported runtime identifier '$1'; use linux-x64, linux-arm64, win-x64, osx-x64 or osx-arm64" >&2; exit 2 ;;
  esac
}

# Lowercase hex of COUNT bytes of FILE from OFFSET, in file order.
hex_at() { od -An -tx1 -v -j "$2" -N "$3" "$1" | tr -d ' \n'; }

# The executable format of a 64-bit ELF, PE32+ or Mach-O file, read from its headers; "unknown" otherwise.
binary_format() {
  local file=$1 head
  head=$(hex_at "$file" 0 20)
  case "$head" in
    7f454c4602*) # ELF, 64-bit; e_machine (little-endian) at byte 18
      case "${head:36:4}" in 3e00) echo "ELF x86-64" ;; b700) echo "ELF aarch64" ;; *) echo unknown ;; esac ;;
    cffaedfe*) # Mach-O 64-bit, little-endian; cputype at byte 4
      case "${head:8:8}" in 07000001) echo "Mach-O x86_64" ;; 0c000001) echo "Mach-O arm64" ;; *) echo unknown ;; esac ;;
    4d5a*) # MZ stub; the PE header's offset (e_lfanew, little-endian) is at byte 0x3c
      local lfanew_hex pe
      lfanew_hex=$(hex_at "$file" 60 4)
      pe=$(hex_at "$file" $((16#${lfanew_hex:6:2}${lfanew_hex:4:2}${lfanew_hex:2:2}${lfanew_hex:0:2})) 26)
      # "PE\0\0", machine 0x8664 (AMD64), and the optional header's magic 0x20b (PE32+) at +24
      if [ "${pe:0:12}" = 504500006486 ] && [ "${pe:48:4}" = 0b02 ]; then echo "PE32+ x86-64"; else echo unknown; fi ;;
    *) echo unknown ;;
  esac
}

RID=${1:-$(host_rid)}
WANTED_FORMAT=$(expected_format "$RID")
EXE=charrnn-server
[[ $RID == win-* ]] && EXE=charrnn-server.exe

STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
RESTORE_ARGS=()
[ "${CHARRNN_PUBLISH_NO_RESTORE:-}" = 1 ] && RESTORE_ARGS=(--no-restore)
# No ReadyToRun and no trimming: both would make the bundle larger or break Roslyn's reflection. For
# osx-*, the SDK signs the apphost ad hoc itself, also on Linux (no codesign tool needed; an unsigned
# arm64 binary would not start on macOS); -p:_EnableMacOSCodeSign=false would skip that signature.
# (${a[@]+"${a[@]}"}: an empty array is "unbound" to bash 3's set -u, and macOS ships bash 3.)
# EditorBundle: the server as the editor runs it, without the typing replay (the benchmarks' Roslyn completion service).
# No XML documentation in the bundle; the style rules, which the solution's own build checks and some of which need
# it (unused imports), are left to that build.
dotnet publish "$ROOT/server/CharRnnCode.Server" -c Release -r "$RID" --self-contained true ${RESTORE_ARGS[@]+"${RESTORE_ARGS[@]}"} \
  -p:DebugType=none -p:EditorBundle=true -p:GenerateDocumentationFile=false -p:EnforceCodeStyleInBuild=false -o "$STAGE" --nologo -v quiet

# Loaded by nothing in the server: the .NET runtime's debugger, tracing and alternative-GC libraries
# (loaded only when a debugger attaches, LTTng tracing is switched on, or another GC is configured),
# under each OS's file names.
UNUSED=('*mscordaccore*' '*mscordbi*' libcoreclrtraceptprovider '*clrgc*')
removed=0
for name in "${UNUSED[@]}"; do
  # shellcheck disable=SC2231 # the names are globs on purpose
  for lib in "$STAGE"/$name.so "$STAGE"/$name.dylib "$STAGE"/$name.dll; do
    [ -f "$lib" ] || continue
    removed=$((removed + $(wc -c < "$lib"))); rm -f "$lib"
  done
done

[ -f "$STAGE/$EXE" ] || { echo "error: dotnet publish made no $EXE in $STAGE" >&2; exit 1; }
format=$(binary_format "$STAGE/$EXE")
[ "$format" = "$WANTED_FORMAT" ] || { echo "error: the published $EXE for $RID is '$format', not '$WANTED_FORMAT'" >&2; exit 1; }
if [ "$RID" = "$(host_rid 2>/dev/null || true)" ]; then
  "$STAGE/$EXE" --version >/dev/null || { echo "error: the published $EXE does not run" >&2; exit 1; }
  version=$("$STAGE/$EXE" --version)
else
  version="$EXE ($format)"
fi
[ -f "$STAGE/charrnn-default.ckpt" ] || { echo "error: dotnet publish left out the default model charrnn-default.ckpt (server/CharRnnCode.Server/DefaultModel/)" >&2; exit 1; }
rm -rf "$OUT"
mv "$STAGE" "$OUT"
trap - EXIT
chmod 755 "$OUT"
echo "bundled $version for $RID into $OUT: $(du -sh "$OUT" | cut -f1) ($((removed / 1048576)) MiB of unused native libraries left out)"
