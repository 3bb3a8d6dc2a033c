#!/usr/bin/env bash
# Runs every test of CharRnnCode on a fresh machine: the .NET suites, then the VS Code extension's
# unit and end-to-end tests. Installs what a fresh machine lacks (idempotent). Ends with one line
# "N passed, N failed" and exits non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
LOGS=$(mktemp -d)
passed=0; failed=0; status=0

echo "== .NET test suites"
dotnet --version >/dev/null || { echo "error: the .NET SDK 10 is required (https://dot.net)"; exit 2; }
if ! dotnet test CharRnnCode.sln --configuration Release --logger "console;verbosity=normal" \
      --logger trx --results-directory "$LOGS/trx" 2>&1 | tee "$LOGS/dotnet.log"; then status=1; fi
# One TRX file per test assembly; its Counters element holds the totals.
read -r p f < <(cat "$LOGS"/trx/*.trx 2>/dev/null | grep -oE '<Counters [^>]*' \
  | sed -E 's/.* passed="([0-9]+)" failed="([0-9]+)".*/\1 \2/' \
  | awk '{p+=$1; f+=$2} END {print p+0, f+0}')
passed=$((passed + p)); failed=$((failed + f))
if [ "$p" -eq 0 ]; then echo "error: no .NET test ran"; status=1; fi

echo "== Slurm sweep test"
# A real Slurm on localhost (installed when missing): a sweep's job array, a requeued task, the report.
if ! tests/sweep-slurm.sh 2>&1 | tee "$LOGS/slurm.log"; then status=1; fi
read -r p f < <(grep -E '^SWEEP-SLURM: [0-9]+ passed, [0-9]+ failed' "$LOGS/slurm.log" \
  | sed -E 's/SWEEP-SLURM: ([0-9]+) passed, ([0-9]+) failed/\1 \2/' | awk '{p+=$1; f+=$2} END {print p+0, f+0}')
passed=$((passed + p)); failed=$((failed + f))
if [ "$p" -eq 0 ]; then echo "error: no Slurm sweep test ran"; status=1; fi

if [ -x vscode-extension/test.sh ]; then
  echo "== VS Code extension tests"
  if ! vscode-extension/test.sh 2>&1 | tee "$LOGS/extension.log"; then status=1; fi
  # The extension's runners print "EXTENSION-TESTS: N passed, N failed".
  read -r p f < <(grep -E '^EXTENSION-TESTS: [0-9]+ passed, [0-9]+ failed' "$LOGS/extension.log" \
    | sed -E 's/EXTENSION-TESTS: ([0-9]+) passed, ([0-9]+) failed/\1 \2/' \
    | awk '{p+=$1; f+=$2} END {print p+0, f+0}')
  passed=$((passed + p)); failed=$((failed + f))
  if [ "$p" -eq 0 ]; then echo "error: no extension test ran"; status=1; fi
fi

if [ "$failed" -gt 0 ]; then status=1; fi
echo "$passed passed, $failed failed"
exit $status
