#!/usr/bin/env bash
# The GPU check: embeds the fixture images (the sample generator's H&M-shaped garment photos) on the
# GPU backend and on CPU, compares the vectors (cosine ≥ 0.999 for every image), and prints images/s at
# batch 64 and 256, model only and end to end with decoding, plus what it found (driver, CUDA,
# execution provider). Exit 0 when the GPU embedded and matched CPU; 1 when they differ; 2 when no GPU
# backend could run (what was missing is printed).
#
#   bash scripts/gpu-check.sh                      # after `bash scripts/setup.sh` (or in the lookalike-gpu image)
#   GPU_CHECK_BACKEND=tensorflow bash scripts/gpu-check.sh   # tfjs-node-gpu instead of ONNX Runtime CUDA
#   GPU_CHECK_IMAGES=512 GPU_CHECK_OUT=/tmp/gpu-check.json bash scripts/gpu-check.sh
#   GPU_CHECK_DRY_RUN_ON_CPU=1 bash scripts/gpu-check.sh   # the GPU half on CPU: tests this script, passes nothing
#
# ONNX Runtime's CUDA 12 provider is not part of the npm package: the GPU image installs it at build
# time. Elsewhere this script installs it (ONNXRUNTIME_NODE_INSTALL=cuda12 with onnxruntime-node's own
# install script, which downloads it from NuGet) when GPU_CHECK_INSTALL_PROVIDER=1 and the internet is
# reachable, and says so when it cannot.
set -uo pipefail
cd "$(dirname "$0")/.."

echo "== machine"
if command -v nvidia-smi >/dev/null 2>&1; then
  nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv,noheader 2>&1 | sed 's/^/gpu      /'
  nvidia-smi 2>/dev/null | grep -o 'CUDA Version: [0-9.]*' | sed 's/^/driver   /'
else
  echo "gpu      none: nvidia-smi not found"
fi
for lib in libcudart.so.12 libcublas.so.12 libcudnn.so.9 libcudart.so.11.0 libcudnn.so.8; do
  where="$(ldconfig -p 2>/dev/null | grep -m1 " $lib " | sed 's/.*=> //')"
  printf 'library  %-18s %s\n' "$lib" "${where:-not found}"
done

ort="$(readlink -f packages/vision/node_modules/onnxruntime-node 2>/dev/null || true)"
provider="$ort/bin/napi-v6/linux/x64/libonnxruntime_providers_cuda.so"
if [ -n "$ort" ] && [ ! -f "$provider" ] && [ "${GPU_CHECK_INSTALL_PROVIDER:-0}" = "1" ]; then
  echo "== installing the CUDA 12 execution provider of onnxruntime-node"
  ONNXRUNTIME_NODE_INSTALL=cuda12 timeout 300 node "$ort/script/install.js" 2>&1 | tail -5 || true
fi
if [ -n "$ort" ] && [ -f "$provider" ]; then
  echo "provider onnxruntime-node CUDA provider installed: $provider"
  ldd "$provider" 2>/dev/null | grep 'not found' | sed 's/^/missing /'
else
  echo "provider onnxruntime-node CUDA provider not installed (GPU_CHECK_INSTALL_PROVIDER=1 installs it where the internet is reachable)"
fi

for dist in packages/vision/dist/index.js packages/sample-data/dist/index.js; do
  if [ ! -f "$dist" ]; then
    echo "not built: $dist (run bash scripts/setup.sh && pnpm build)" >&2
    exit 2
  fi
done
exec node scripts/gpu-check.mjs
