#!/bin/sh
# Image build: copies into OUT a runtime tree with only the production dependencies of the given
# services (no jest, TypeScript, tests or benchmarks), laid out like the repository, so that
# `node services/<name>/dist/main.js` runs from OUT. Run from the built repository root, after
# `pnpm install` (which filled the store this offline install reads) and the build.
#   sh infra/image/prune.sh /runtime producer embedder reducer indexer recommender cli
# `pnpm prune --prod` is no replacement: without a TTY it aborts, and with CI=true it empties every
# workspace package's node_modules.
set -eu
out="$1"
shift
filters=""
for service in "$@"; do filters="$filters --filter @lookalike/$service..."; done
find . -name node_modules -type d -prune -exec rm -rf {} +
# shellcheck disable=SC2086
CI=true pnpm install --frozen-lockfile --prod --offline $filters
mkdir -p "$out"
cp -a package.json pnpm-workspace.yaml node_modules "$out/"
for dir in packages/* services/*; do
  [ -f "$dir/package.json" ] || continue
  mkdir -p "$out/$dir"
  cp -a "$dir/package.json" "$out/$dir/"
  for part in dist node_modules; do
    if [ -e "$dir/$part" ]; then cp -a "$dir/$part" "$out/$dir/"; fi
  done
done
mkdir -p "$out/infra"
cp -a infra/image "$out/infra/"
# ONNX Runtime ships binaries for every platform: keep linux/x64's.
for ort in "$out"/node_modules/.pnpm/onnxruntime-node@*/node_modules/onnxruntime-node/bin/napi-v6; do
  [ -d "$ort" ] || continue
  find "$ort" -mindepth 1 -maxdepth 1 ! -name linux -exec rm -rf {} +
  find "$ort/linux" -mindepth 1 -maxdepth 1 ! -name x64 -exec rm -rf {} +
done
