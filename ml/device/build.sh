#!/bin/bash
# Builds what ml/device/jobs.sh carries to a machine without node/npm:
# data/device/{node.xz, ffmpeg.xz, bundle/{train,gen-corpus}.mjs + tfjs wasm binaries}.
set -e
mkdir -p data/device/bundle
for f in scripts/train.ts ml/device/gen-corpus.ts; do
  npx esbuild "$f" --bundle --platform=node --format=esm --target=node20 \
    --outfile="data/device/bundle/$(basename "$f" .ts).mjs" --banner:js="$(cat ml/device/esbuild-banner.js)" \
    --external:@tensorflow/tfjs-node --external:@tensorflow/tfjs-node-gpu --log-level=warning
done
cp node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm data/device/bundle/
[ -f data/device/node.xz ] || xz -T2 -6 -c "$(readlink -f "$(which node)")" > data/device/node.xz
[ -f data/device/ffmpeg.xz ] || xz -T2 -6 -c node_modules/@ffmpeg-installer/linux-x64/ffmpeg > data/device/ffmpeg.xz
du -sh data/device
