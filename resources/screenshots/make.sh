#!/usr/bin/env bash
# Regenerates the README's screenshots from the app itself (run after the window changes):
#   bash resources/screenshots/make.sh
set -euo pipefail
cd "$(dirname "$0")"
export QT_QPA_PLATFORM=offscreen
SETTINGS=$(mktemp -d)
trap 'rm -rf "$SETTINGS"' EXIT
export XDG_CONFIG_HOME="$SETTINGS" HOME="$SETTINGS"  # the user's remembered view choices stay out
lrdesigner gui --screenshot editor.png --size 1280x800
lrdesigner gui --compare noam --compare keras.CosineDecay --compare torch.OneCycleLR \
    --screenshot compare.png --size 1280x800
lrdesigner gui --example --smooth 0.6 --screenshot logs.png --size 1280x800
lrdesigner gui --compare noam --compare hf.warmup_stable_decay --log-scale --dark \
    --screenshot dark-log.png --size 1280x800
