#!/usr/bin/env bash
# Smoke test of the built bundle, run as a user would: every step must succeed.
# Usage: packaging/smoke.sh [BUNDLE_EXECUTABLE]   (default dist/lrdesigner/lrdesigner)
set -euo pipefail
cd "$(dirname "$0")/.."
APP=${1:-dist/lrdesigner/lrdesigner}
APP=$(realpath "$APP")
RES=$(dirname "$APP")/_internal/lrdesigner/_resources
OUT=$(mktemp -d "${TMPDIR:-/tmp}/lrdesigner-smoke.XXXXXX")
trap 'rm -rf "$OUT"' EXIT
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
step() { echo "--- $*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

step "--version"
"$APP" --version | tee "$OUT/version"
grep -Eq '^lrdesigner [0-9]' "$OUT/version" || fail "unexpected --version output"

step "gui --screenshot (1024x640)"
"$APP" gui "$RES/examples/designs/warmup-cosine.json" --screenshot "$OUT/window.png" --size 1024x640
python3 - "$OUT/window.png" 1024 640 <<'PY' || fail "screenshot is not a PNG of the requested size"
import struct, sys
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", "not a PNG"
w, h = struct.unpack(">II", data[16:24])
assert (w, h) == (int(sys.argv[2]), int(sys.argv[3])), f"{w}x{h}"
print(f"PNG {w}x{h}, {len(data)} bytes")
PY

step "preset noam -o"
"$APP" preset noam --set warmup_steps=8000 -o "$OUT/noam.json"
grep -q '"format": "lrdesigner.design"' "$OUT/noam.json" || fail "preset wrote no design file"
"$APP" check "$OUT/noam.json"

step "export --target keras"
"$APP" export "$OUT/noam.json" --target keras --class-name NoamSchedule -o "$OUT/noam_schedule.py"
grep -q "class NoamSchedule" "$OUT/noam_schedule.py" || fail "no schedule class in the Keras export"
python3 -m py_compile "$OUT/noam_schedule.py" || fail "the Keras export does not compile"

step "export --target json"
"$APP" export "$OUT/noam.json" --target json -o "$OUT/noam-export.json"
python3 -c "import json, sys; json.load(open(sys.argv[1]))" "$OUT/noam-export.json" \
    || fail "the JSON export is not JSON"

step "logs on the bundled example run"
"$APP" logs "$RES/examples/transformer-sort/logs" --list | tee "$OUT/logs-list"
grep -q "batch_learning_rate  6000 points" "$OUT/logs-list" || fail "example log series missing"
"$APP" logs "$RES/examples/transformer-sort/logs" --run train --tag batch_loss --smooth 0.6 > "$OUT/smoothed.csv"
[ "$(wc -l < "$OUT/smoothed.csv")" -eq 6001 ] || fail "smoothed series has the wrong length"
if python3 -c "import lrdesigner.cli" 2> /dev/null; then
    python3 -m lrdesigner.cli logs "$RES/examples/transformer-sort/logs" --run train --tag batch_loss \
        --smooth 0.6 > "$OUT/smoothed-pip.csv"
    cmp "$OUT/smoothed.csv" "$OUT/smoothed-pip.csv" || fail "the bundle smooths differently from the installed app"
    echo "smoothing identical to the installed app's"
fi

step "the compiled event-file reader"
if python3 -c "import lrdesigner.logs._native" 2> /dev/null; then
    find "$(dirname "$APP")" -name "_native*" -path "*lrdesigner/logs/*" | grep -q . \
        || fail "the installed app has the compiled event reader, the bundle does not"
    echo "bundled: $(find "$(dirname "$APP")" -name "_native*" -path "*lrdesigner/logs/*" | head -1)"
else
    echo "skipped: the installed app was built without it (no C compiler), so is the bundle"
fi

step "gui --state"
if "$APP" gui --help | grep -q -- "--state"; then
    # The example workspace when the bundle has one, else an example design.
    WS=$(grep -rl '"lrdesigner.workspace"' "$RES/examples" 2> /dev/null | head -1 || true)
    if [ -z "$WS" ]; then
        WS="$RES/examples/designs/noam-transformer-base.json"
        echo "no example workspace in this version: opening $(basename "$WS")"
    fi
    "$APP" gui "$WS" --state "$OUT/state.json" --screenshot "$OUT/state.png" --size 900x600
    python3 - "$OUT/state.json" <<'PY' || fail "gui --state wrote no usable state"
import json, sys
state = json.load(open(sys.argv[1]))
assert state["format"] == "lrdesigner.state", state.get("format")
assert state["layers"] and state["knots"], "nothing on screen"
print(f"state: {state['title']!r}, {len(state['layers'])} layer(s), {len(state['knots'])} knots")
PY
else
    echo "skipped: this version has no gui --state"
fi

echo "smoke test passed: $APP"
