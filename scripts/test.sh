#!/usr/bin/env bash
# The test command: sets up what is missing, then typecheck + lint + every package's tests
# (integration tests start their own redis-server and s3rver on free loopback ports).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export TURBO_TELEMETRY_DISABLED=1
exec pnpm test
