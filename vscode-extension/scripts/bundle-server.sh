#!/usr/bin/env bash
# Publishes charrnn-server for linux-x64 into the extension's server/ folder, so that the .vsix carries
# it: self-contained (no .NET runtime needed on the user's machine), with the default model
# (charrnn-default.ckpt, served when no checkpoint is set) beside it. libtorch ships libraries that the
# server never loads (test backends, Python bindings); they are left out of the bundle to keep the
# .vsix smaller. Does not package: `npm run package` calls this, then vsce.
set -euo pipefail
cd "$(dirname "$0")/.."
EXTENSION=$(pwd)
ROOT=$(cd .. && pwd)
OUT="$EXTENSION/server"
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT

dotnet publish "$ROOT/server/CharRnnCode.Server" -c Release -r linux-x64 --self-contained true \
  -p:DebugType=none -p:GenerateDocumentationFile=false -o "$STAGE" --nologo -v quiet

# Loaded by nothing in the server: libtorch's test and example backends and Python binding glue; the
# .NET runtime's debugger, tracing and alternative-GC libraries (loaded only when a debugger attaches,
# LTTng tracing is switched on, or another GC is configured).
UNUSED=(libbackend_with_compiler.so libjitbackend_test.so libtorchbind_test.so libtorch_python.so libshm.so
  libnnapi_backend.so libaoti_custom_ops.so
  libmscordaccore.so libmscordbi.so libcoreclrtraceptprovider.so libclrgc.so libclrgcexp.so)
removed=0
for lib in "${UNUSED[@]}"; do
  if [ -e "$STAGE/$lib" ]; then removed=$((removed + $(stat -c %s "$STAGE/$lib"))); rm -f "$STAGE/$lib"; fi
done

[ -x "$STAGE/charrnn-server" ] || { echo "error: dotnet publish made no charrnn-server in $STAGE" >&2; exit 1; }
"$STAGE/charrnn-server" --version >/dev/null || { echo "error: the published charrnn-server does not run" >&2; exit 1; }
[ -f "$STAGE/charrnn-default.ckpt" ] || { echo "error: dotnet publish left out the default model charrnn-default.ckpt (server/CharRnnCode.Server/DefaultModel/)" >&2; exit 1; }
rm -rf "$OUT"
mv "$STAGE" "$OUT"
trap - EXIT
chmod 755 "$OUT"
echo "bundled $("$OUT/charrnn-server" --version) into $OUT: $(du -sh "$OUT" | cut -f1) ($((removed / 1048576)) MiB of unused native libraries left out)"
