#!/usr/bin/env bash
# Checks one platform's .vsix as a user would get it: it holds charrnn-server for that platform (the
# executable format read by `file`, not by the packaging scripts), the default model beside it, none
# of the libraries the server does not need (libtorch, Skia, HarfBuzz, libgit2: native and .NET
# parts), and it is at most 45 MB (MiB, as du -h and ls -lh count). Prints its size and each failed
# check; exits non-zero on any. Does not build the .vsix.
#   bash test/package/check-vsix.sh <file.vsix> <target>    target: linux-x64, linux-arm64, win32-x64,
#                                                           darwin-x64 or darwin-arm64
set -uo pipefail
VSIX=$1
TARGET=$2
MAX_BYTES=$((45 * 1024 * 1024))
problems=()

# What `file -b` says of each platform's executable, written out by hand.
case "$TARGET" in
  linux-x64) exe=charrnn-server; format='^ELF 64-bit LSB .*x86-64' ;;
  linux-arm64) exe=charrnn-server; format='^ELF 64-bit LSB .*ARM aarch64' ;;
  win32-x64) exe=charrnn-server.exe; format='^PE32\+ executable .*x86-64' ;;
  darwin-x64) exe=charrnn-server; format='^Mach-O 64-bit x86_64 executable' ;;
  darwin-arm64) exe=charrnn-server; format='^Mach-O 64-bit arm64 executable' ;;
  *) echo "error: unknown target '$TARGET'; use linux-x64, linux-arm64, win32-x64, darwin-x64 or darwin-arm64" >&2; exit 2 ;;
esac
[ -f "$VSIX" ] || { echo "FAIL $TARGET: no such file $VSIX"; exit 1; }

SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
unzip -Z1 "$VSIX" > "$SCRATCH/entries" || { echo "FAIL $TARGET: $VSIX is not a readable zip archive"; exit 1; }

if grep -qxF "extension/server/$exe" "$SCRATCH/entries"; then
  unzip -p "$VSIX" "extension/server/$exe" > "$SCRATCH/$exe"
  kind=$(file -b "$SCRATCH/$exe")
  [[ $kind =~ $format ]] || problems+=("extension/server/$exe is '$kind', not /$format/")
else
  problems+=("no extension/server/$exe")
fi
grep -qxF "extension/server/charrnn-default.ckpt" "$SCRATCH/entries" || problems+=("no extension/server/charrnn-default.ckpt")

# libtorch's libraries (libtorch*, torch_cpu.dll, c10), Skia and HarfBuzz (plotting), libgit2 (git2-*.dll on Windows).
unwanted=$(sed 's|.*/||' "$SCRATCH/entries" | grep -iE 'torch|^(lib)?c10\.|skia|harfbuzz|git2' | sort | tr '\n' ' ')
[ -z "$unwanted" ] || problems+=("libraries the server does not need: $unwanted")

bytes=$(($(wc -c < "$VSIX")))
[ "$bytes" -le "$MAX_BYTES" ] || problems+=("$bytes bytes, over the $MAX_BYTES allowed")

size="$(awk -v b="$bytes" 'BEGIN { printf "%.1f MiB", b / 1048576 }') ($bytes bytes)"
if [ ${#problems[@]} -eq 0 ]; then
  echo "ok $TARGET: $(basename "$VSIX"), $size, extension/server/$exe: $(sed -E 's/, (version|flags|for MS).*//' <<<"$kind")"
else
  echo "FAIL $TARGET: $(basename "$VSIX"), $size"
  for p in "${problems[@]}"; do echo "  - $p"; done
  exit 1
fi
