#!/usr/bin/env bash
# The fast test tier: a plain `dotnet test CharRnnCode.sln -c Release`, with RUN_SLOW_TESTS unset so that the slow
# tier's .NET tests ([SlowFact]/[SlowTheory]: 2x256 models, package installs, dotnet pack) show as skipped. Needs
# only the .NET SDK: no setup, no installs, no training beyond the shared tiny model. Extra arguments go to
# dotnet test (e.g. --filter). tests/run-all.sh runs both tiers, Slurm and the VS Code extension included.
set -euo pipefail
cd "$(dirname "$0")/.."
exec env -u RUN_SLOW_TESTS dotnet test CharRnnCode.sln --configuration Release "$@"
