#!/usr/bin/env bash
# Fuzz the compiled event-file reader's framing and decoding under AddressSanitizer and
# UndefinedBehaviorSanitizer: builds fuzz_native.c (which compiles app/lrdesigner/logs/_native.c
# without Python) with the system's C compiler and runs it for SECONDS (default 60) with a fixed
# seed, on the event files under LRDESIGNER_REAL_LOGS when it is set and on generated ones.
# Fails on any sanitizer report or broken invariant.
#
# usage: tests/fuzz/run.sh OUTDIR [SECONDS]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:?usage: tests/fuzz/run.sh OUTDIR [SECONDS]}
SECONDS_TO_RUN=${2:-60}
SEED=20240601
mkdir -p "$OUT"

CC=${CC:-}
if [ -z "$CC" ]; then
    for c in gcc clang cc; do
        if command -v "$c" >/dev/null; then
            CC=$c
            break
        fi
    done
fi
if [ -z "$CC" ]; then
    echo "no C compiler (gcc, clang or cc) on PATH" >&2
    exit 1
fi
echo "compiler: $("$CC" --version | head -n 1)"
"$CC" -std=gnu11 -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all \
    -Wall -Wextra -o "$OUT/fuzz_native" "$HERE/fuzz_native.c" -lm

FILES=()
if [ -n "${LRDESIGNER_REAL_LOGS:-}" ] && [ -d "$LRDESIGNER_REAL_LOGS" ]; then
    while IFS= read -r -d '' f; do
        FILES+=("$f")
    done < <(find "$LRDESIGNER_REAL_LOGS" -type f -name '*tfevents*' -print0 | sort -z)
    echo "seeds: ${#FILES[@]} event files under LRDESIGNER_REAL_LOGS, and generated ones"
else
    echo "seeds: generated event files (LRDESIGNER_REAL_LOGS is not set)"
fi

# Halt at the first report, whatever kind; leaks are reports too.
export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:abort_on_error=0:print_summary=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:print_summary=1
status=0
(cd "$OUT" && ./fuzz_native "$SECONDS_TO_RUN" "$SEED" "${FILES[@]}") 2>"$OUT/stderr.txt" || status=$?
if [ "$status" -ne 0 ] || grep -qE "Sanitizer|runtime error|fuzz_native:" "$OUT/stderr.txt"; then
    cat "$OUT/stderr.txt" >&2
    echo "FAILED: a sanitizer report or a broken invariant (exit $status); the input is in $OUT/fuzz-failure.bin" >&2
    exit 1
fi
echo "no sanitizer report"
