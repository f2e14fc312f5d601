#!/usr/bin/env bash
# The demo: installs what is missing, builds, generates the default H&M-shaped sample if absent,
# runs every service locally (its own Redis, local file storage under ./.lookalike), rebuilds the
# sample with recommendations and prints the summary. Extra arguments go to `lookalike demo`
# (e.g. --keep-running to keep the dashboard up, --port 8081).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export TURBO_TELEMETRY_DISABLED=1
pnpm exec turbo run build --output-logs=errors-only
exec node services/cli/dist/main.js demo "$@"
