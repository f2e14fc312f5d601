#!/usr/bin/env bash
# Installs what the project needs and is missing, then the workspace. Idempotent; quick when all is there.
#   - Debian packages (as root): redis-server, libfaiss-dev, libopenblas-dev, build tools, chromium (browser tests)
#   - pnpm (the version pinned in package.json's packageManager)
#   - the workspace (pnpm install --frozen-lockfile; builds faiss-node against the system FAISS)
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "[setup] Node.js >= 20 is required (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi

APT_PACKAGES=(redis-server libfaiss-dev libopenblas-dev build-essential python3 chromium ${LOOKALIKE_EXTRA_APT:-})
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    log "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "[setup] missing system packages: ${missing[*]} (install them with your package manager, or run this as root on Debian)" >&2
    exit 1
  fi
fi

pnpm_version=$(node -p 'require("./package.json").packageManager.split("@")[1]')
if [ "$(pnpm --version 2>/dev/null || true)" != "$pnpm_version" ]; then
  log "installing pnpm@$pnpm_version"
  npm install -g --silent "pnpm@$pnpm_version"
fi

export TURBO_TELEMETRY_DISABLED=1
log "installing the workspace"
pnpm install --frozen-lockfile --reporter=append-only
log "ready"
