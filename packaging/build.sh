#!/usr/bin/env bash
# Build the desktop bundle: dist/lrdesigner/ (one folder; run dist/lrdesigner/lrdesigner) and the
# download archive dist/lrdesigner-VERSION-linux-ARCH.tar.xz. Prints both sizes and the largest parts.
# Needs the app's dependencies and PyInstaller (pip install -e '.[bundle]') in the python3 on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=$(PYTHONPATH=app python3 -c "import lrdesigner; print(lrdesigner.__version__)")
ARCHIVE="dist/lrdesigner-$VERSION-linux-$(uname -m).tar.xz"

python3 -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/lrdesigner.spec
# The interpreter's debug symbols (14 MB). Only these: stripping every library, as PyInstaller's
# strip option does, breaks the patched wheels' libraries (numpy's OpenBLAS).
if command -v strip > /dev/null; then
    find dist/lrdesigner/_internal -maxdepth 1 -name 'libpython*' -exec strip --strip-debug {} +
    find dist/lrdesigner/_internal/python3.* -name '*.so' -exec strip --strip-debug {} +
fi
# Links PyInstaller made to libraries the spec left out.
find dist/lrdesigner -xtype l -delete
rm -f "$ARCHIVE"
tar -C dist -cf - lrdesigner | xz -T0 -6 > "$ARCHIVE"

size() { awk '{ printf "%.1f MB (%.1f MiB)", $1 / 1e6, $1 / 1048576 }'; }
echo "bundle:  dist/lrdesigner  $(du -sb --apparent-size dist/lrdesigner | cut -f1 | size) unpacked"
echo "archive: $ARCHIVE  $(stat -c %s "$ARCHIVE" | size)"
echo "largest parts (MiB):"
(cd dist/lrdesigner/_internal && du -sm -- * | sort -rn | head -12)
