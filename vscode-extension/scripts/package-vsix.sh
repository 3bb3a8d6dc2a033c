#!/usr/bin/env bash
# Builds one .vsix per platform, as VS Code's platform-specific extensions are published: each carries
# the self-contained charrnn-server for its platform (scripts/bundle-server.sh) and is packaged with
# `vsce package --target`. VS Code (and the Marketplace) install the one matching the user's machine.
#   bash scripts/package-vsix.sh [OUT_DIR]     default OUT_DIR: dist-vsix/ -> charrnn-code-<target>.vsix
# Expects dist/ built (npm run package builds it first). Does not test the archives: test.sh does.
set -euo pipefail
cd "$(dirname "$0")/.."
EXTENSION=$(pwd)
ROOT=$(cd .. && pwd)
OUT_DIR=${1:-$EXTENSION/dist-vsix}
mkdir -p "$OUT_DIR"
OUT_DIR=$(cd "$OUT_DIR" && pwd)
STARTED=$SECONDS

[ -f dist/extension.js ] || { echo "error: dist/extension.js is missing; build it first: node esbuild.mjs --production" >&2; exit 1; }

# VS Code target -> .NET runtime identifier. This machine's platform comes last, so that server/ is left
# holding a server that runs here (for running the extension from the source folder).
# (A function, not an associative array: macOS still ships bash 3.)
TARGETS=(linux-x64 linux-arm64 win32-x64 darwin-x64 darwin-arm64)
rid_of() {
  case "$1" in
    win32-*) echo "win-${1#win32-}" ;;
    darwin-*) echo "osx-${1#darwin-}" ;;
    *) echo "$1" ;;
  esac
}
HOST_TARGET=$(node -p 'process.platform + "-" + process.arch')
ordered=()
for target in "${TARGETS[@]}"; do [ "$target" = "$HOST_TARGET" ] || ordered+=("$target"); done
for target in "${TARGETS[@]}"; do [ "$target" = "$HOST_TARGET" ] && ordered+=("$target"); done

# One restore for every platform (runtime packs included), instead of one per publish. The quotes keep
# MSBuild from taking the list's ';' for the end of the switch. Runtime packs of frameworks that the
# server does not use (ASP.NET Core) are not downloaded.
rids=$(for target in "${TARGETS[@]}"; do printf '%s;' "$(rid_of "$target")"; done)
rids=${rids%;}
# EditorBundle as bundle-server.sh publishes: the restore must leave out what that build leaves out.
dotnet restore "$ROOT/server/CharRnnCode.Server" "-p:RuntimeIdentifiers=\"$rids\"" -p:SelfContained=true -p:EditorBundle=true \
  -p:DisableTransitiveFrameworkReferenceDownloads=true --nologo -v quiet

for target in "${ordered[@]}"; do
  rid=$(rid_of "$target")
  CHARRNN_PUBLISH_NO_RESTORE=1 bash scripts/bundle-server.sh "$rid"
  # The publish's build output for another platform is one more copy of its whole runtime, of no use here.
  [ "$target" = "$HOST_TARGET" ] || rm -rf "$ROOT"/server/CharRnnCode.Server/bin/Release/*/"$rid"
  vsix="$OUT_DIR/charrnn-code-$target.vsix"
  npx vsce package --no-dependencies --target "$target" -o "$vsix" >/dev/null
  bytes=$(wc -c < "$vsix")
  echo "packaged $vsix: $((bytes / 1048576)) MiB ($((bytes)) bytes)"
done
echo "packaged ${#ordered[@]} platforms in $((SECONDS - STARTED)) s"
