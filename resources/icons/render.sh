#!/usr/bin/env bash
# Render the PNG icons from lrdesigner.svg (needs rsvg-convert: apt-get install librsvg2-bin).
set -euo pipefail
cd "$(dirname "$0")"
for size in 16 24 32 48 64 128 256 512; do
    mkdir -p "hicolor/${size}x${size}/apps"
    rsvg-convert -w "$size" -h "$size" lrdesigner.svg -o "hicolor/${size}x${size}/apps/io.github.lrdesigner.LRDesigner.png"
done
