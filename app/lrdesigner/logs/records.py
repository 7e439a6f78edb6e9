"""TFRecord framing of TensorBoard event files: `uint64 length | crc | data | crc`, CRC-32C masked.

Checksums are verified for every record. The compiled module `_native` frames a buffer in one
pass where it was built; otherwise the numpy framing below does. Many short records of one
length (the scalars of a long run) are checked vectorized rather than one call per record, which
is what makes a million records fast; other records (graphs, images, small groups) take one
`google_crc32c` call each.
Records of equal length
usually differ only in a few bytes (wall time, step, value); CRC-32C is affine in the message,
so each record's CRC is the CRC of a representative record combined with the contributions of
the bytes where it differs. Records whose result disagrees with the stored CRC are checked
again byte by byte with `google_crc32c` before anything is called corrupt.
"""

from __future__ import annotations

import struct
import sys
import threading
from array import array

import google_crc32c
import numpy as np

from .errors import LogError

try:  # compiled framing and decoding (setup.py builds it where a C compiler is available)
    from . import _native as native
except ImportError:
    native = None

# Files larger than this read with numpy (several times slower than the compiled reader on them)
# get a note, once per process, on how to have the compiled one.
LARGE_FILE = 50 << 20
_suggested = False


def reader() -> str:
    """Which event-file reader is in use: "compiled" (lrdesigner.logs._native) or "numpy"."""
    return "numpy" if native is None else "compiled"


def _suggest_compiled(path: str) -> None:
    """Say once per process, on stderr, how to get the compiled reader."""
    global _suggested
    if _suggested:
        return
    _suggested = True
    print(
        f"lrdesigner: note: {path} is a large event file and is being read with numpy, several times "
        "slower than the compiled reader, which was not built when lrdesigner was installed (no C "
        "compiler then). To have it: install a C compiler (gcc or clang; on Windows the Visual Studio "
        "Build Tools), then reinstall lrdesigner without pip's cached build (pip install "
        "--force-reinstall --no-deps --no-cache-dir lrdesigner, or pip install -e . in a checkout). "
        "lrdesigner --version says which reader is in use.",
        file=sys.stderr,
    )


_Q = struct.Struct("<Q")
_I = struct.Struct("<I")
_MASK_DELTA = 0xA282EAD8
_SAMPLE = 512  # records compared with the representative to find the varying byte columns
# Below this many records of one length, or above this length, one C call per record is faster
# than the vectorized combination.
_MIN_GROUP = 4096
_MAX_VECTOR_LENGTH = 256
_PREDICT = 1 << 16  # records predicted at a time
_SMALL = 256  # fewer records than this: checked one by one without numpy's fixed costs


def _table() -> np.ndarray:
    poly = 0x82F63B78
    t = np.arange(256, dtype=np.uint32)
    for _ in range(8):
        t = np.where(t & 1, (t >> 1) ^ poly, t >> 1).astype(np.uint32)
    return t


_TABLE = _table()


def mask(crc: int) -> int:
    """TensorFlow's mask of a CRC-32C."""
    return (((crc >> 15) | (crc << 17)) + _MASK_DELTA) & 0xFFFFFFFF


def unaligned(buf, dtype: str) -> np.ndarray:
    """A view of `buf` where element i is the `dtype` value stored at byte offset i."""
    size = np.dtype(dtype).itemsize
    count = max(len(buf) - size + 1, 0)
    return np.ndarray(shape=(count,), dtype=dtype, buffer=buf, strides=(1,))


_SHIFTED = [_TABLE]  # _SHIFTED[d]: the table after d more message bytes (grown on demand)
_SHIFTED_LOCK = threading.Lock()


def _position_tables(length: int, columns: np.ndarray) -> np.ndarray:
    """For each byte column j of a `length`-byte message: the CRC contribution of a byte
    difference d at j (256 entries per column)."""
    need = length - 1 - int(columns.min())
    with _SHIFTED_LOCK:
        while len(_SHIFTED) <= need:
            t = _SHIFTED[-1]
            _SHIFTED.append(_TABLE[t & 0xFF] ^ (t >> 8))
    return np.stack([_SHIFTED[length - 1 - int(j)] for j in columns])


def _masked(crc: np.ndarray) -> np.ndarray:
    c = crc.astype(np.uint64)
    return (((c >> 15) | (c << 17)) + _MASK_DELTA) & 0xFFFFFFFF


def _each_crc(buf: bytes, starts: np.ndarray, length: int, stored: np.ndarray) -> np.ndarray:
    """Mask of records whose CRC matches `stored`, one `google_crc32c` call per record."""
    value = google_crc32c.value
    crc = np.fromiter((value(buf[s : s + length]) for s in starts.tolist()), np.uint64, len(starts))
    return _masked(crc) == stored


def _group_crcs(buf: bytes, arr: np.ndarray, starts: np.ndarray, length: int, stored: np.ndarray) -> np.ndarray:
    """Mask of records (all `length` bytes long) whose CRC matches `stored`."""
    rep = int(starts[0])
    rep_bytes = arr[rep : rep + length]
    raw = google_crc32c.value(buf[rep : rep + length])
    pick = starts[np.unique(np.linspace(0, len(starts) - 1, min(_SAMPLE, len(starts))).astype(np.int64))]
    varying = np.flatnonzero((arr[pick[:, None] + np.arange(length)] != rep_bytes).any(axis=0))
    if len(varying) * length > len(starts):  # the position tables would cost more than the records
        return _each_crc(buf, starts, length, stored)
    if length < 8 or len(varying) > length // 2:  # little in common: table-driven CRC of every record
        crc = np.full(len(starts), 0xFFFFFFFF, dtype=np.uint32)
        for j in range(length):
            crc = _TABLE[(crc ^ arr[starts + j]) & 0xFF] ^ (crc >> 8)
        crc ^= np.uint32(0xFFFFFFFF)
        recheck = np.zeros(len(starts), dtype=bool)
    else:
        crc = np.full(len(starts), raw, dtype=np.uint32)
        for t, j in zip(_position_tables(length, varying), varying):
            crc ^= t[arr[starts + j] ^ rep_bytes[j]]
        # Every other byte must equal the representative's, 8 at a time; records where one
        # does not are checked exactly below.
        constant = np.ones(length, dtype=bool)
        constant[varying] = False
        u64 = unaligned(buf, "<u8")
        recheck = np.zeros(len(starts), dtype=bool)
        for k in range(0, length, 8):
            k = min(k, length - 8)
            bits = np.frombuffer(np.where(constant[k : k + 8], 0xFF, 0).astype(np.uint8).tobytes(), "<u8")[0]
            if bits:
                recheck |= ((u64[starts + k] ^ u64[rep + k]) & bits) != 0
    ok = (_masked(crc) == stored) & ~recheck
    for i in np.flatnonzero(~ok):  # differs where the sample did not: check exactly
        s = int(starts[i])
        ok[i] = mask(google_crc32c.value(buf[s : s + length])) == int(stored[i])
    return ok


def _period(lens) -> int:
    """The smallest m <= 8 with which the last 16 lengths repeat, or 0."""
    tail = lens[-16:]
    for m in range(1, 9):
        if all(tail[i] == tail[i - m] for i in range(m, 16)):
            return m
    return 0


def _walk(buf: bytes) -> tuple[array, array, int]:
    """Record starts and data lengths of the complete records of `buf`, and the offset after the
    last. Each length leads to the next record; when the recent lengths repeat with a short
    period (records of a few tags in turn), the following records are predicted and checked
    thousands at a time, stopping at the first whose length differs from the prediction."""
    n = len(buf)
    heads, lens = array("q"), array("q")
    unpack = _Q.unpack_from
    u64 = unaligned(buf, "<u8")
    pos, limit, wait, batch, backoff = 0, n - 12, 16, 64, 64
    while pos <= limit:
        if wait <= 0:
            wait = backoff  # unless the prediction below holds: record by record for a while
            backoff = min(backoff * 2, 1 << 14)  # and longer each time it fails
            m = _period(lens)
            if m:
                pattern = np.array(lens[-m:], np.int64)
                reps = max(1, min(batch // m, (n - pos) // int(pattern.sum() + 16 * m) + 1))
                expected = np.tile(pattern, reps)
                ends = pos + np.cumsum(expected + 16)
                cand = ends - expected - 16
                good = (ends <= n) & (u64[np.minimum(cand, len(u64) - 1)] == expected)
                k = int(np.argmin(good)) if not good.all() else len(good)
                if k:
                    heads.frombytes(cand[:k].tobytes())
                    lens.frombytes(expected[:k].tobytes())
                    pos = int(ends[k - 1])
                if k == len(good):
                    batch, wait, backoff = min(batch * 4, _PREDICT), 0, 64
                else:
                    batch = 64
                continue
        length = unpack(buf, pos)[0]
        end = pos + length + 16
        if end > n:
            break
        heads.append(pos)
        lens.append(length)
        pos = end
        wait -= 1
    return heads, lens, pos


def frame(buf: bytes, path: str, base: int = 0) -> tuple[np.ndarray, np.ndarray, int]:
    """Split `buf` into records: (data offsets, data lengths, offset after the last complete
    record), checksums verified. A truncated last record is left for later (a writer may still
    be adding it); a checksum mismatch is corruption: LogError naming the record's byte offset
    in the file (`base` = the file offset of `buf`)."""
    if native is not None:
        heads, lens, pos, bad, problem = native.frame(bytes(buf))
        if problem == 1:
            raise _corrupt_length(path, base + bad)
        if problem == 2:
            raise _corrupt_data(path, base + bad)
        return np.frombuffer(heads, dtype=np.int64) + 12, np.frombuffer(lens, dtype=np.int64), pos
    if base + len(buf) > LARGE_FILE:
        _suggest_compiled(path)
    n = len(buf)
    heads, lens, pos = _walk(buf)
    if len(heads) < _SMALL:  # the first record that fails is the one named
        _check_each(buf, path, base, heads, lens)
    else:
        _check_vectorized(buf, path, base, heads, lens)
    if pos + 12 <= n and mask(google_crc32c.value(buf[pos : pos + 8])) != _I.unpack_from(buf, pos + 8)[0]:
        raise _corrupt_length(path, base + pos)
    head = np.frombuffer(heads, dtype=np.int64)
    return head + 12, np.frombuffer(lens, dtype=np.int64), pos


def _corrupt_length(path: str, at: int) -> LogError:
    """The error for a record at file offset `at` whose length's checksum fails."""
    return LogError(path, "corrupt record: the length's checksum does not match", f"byte {at}")


def _corrupt_data(path: str, at: int) -> LogError:
    """The error for a record at file offset `at` whose data's checksum fails."""
    return LogError(path, "corrupt record: the data's checksum does not match", f"record at byte {at}")


def _check_each(buf: bytes, path: str, base: int, heads, lens) -> None:
    """Both checksums of each record, one `google_crc32c` call each."""
    value, u32, delta = google_crc32c.value, _I.unpack_from, _MASK_DELTA
    for h, length in zip(heads, lens):
        crc = value(buf[h : h + 8])  # `mask` written out: this loop runs for every small file
        if (((crc >> 15) | (crc << 17)) + delta) & 0xFFFFFFFF != u32(buf, h + 8)[0]:
            raise _corrupt_length(path, base + h)
        d = h + 12
        crc = value(buf[d : d + length])
        if (((crc >> 15) | (crc << 17)) + delta) & 0xFFFFFFFF != u32(buf, d + length)[0]:
            raise _corrupt_data(path, base + h)


def _check_vectorized(buf: bytes, path: str, base: int, heads, lens) -> None:
    head = np.frombuffer(heads, dtype=np.int64)
    lengths = np.frombuffer(lens, dtype=np.int64)
    arr = np.frombuffer(buf, dtype=np.uint8)
    u32 = unaligned(buf, "<u4")
    data = head + 12
    uniq, inverse, counts = np.unique(lengths, return_inverse=True, return_counts=True)
    expected = np.array([mask(google_crc32c.value(_Q.pack(int(x)))) for x in uniq], np.uint32)
    bad_head = u32[head + 8] != expected[inverse]
    first_bad_head = int(np.argmax(bad_head)) if bad_head.any() else len(head)
    ok = np.ones(len(head), dtype=bool)
    stored = u32[data + lengths]
    vector = (counts >= _MIN_GROUP) & (uniq <= _MAX_VECTOR_LENGTH)
    for k in np.flatnonzero(vector):
        group = np.flatnonzero(inverse == k)
        ok[group] = _group_crcs(buf, arr, data[group], int(uniq[k]), stored[group])
    rest = np.flatnonzero(~vector[inverse])
    if len(rest):
        value = google_crc32c.value
        spans = zip(data[rest].tolist(), lengths[rest].tolist())
        crc = np.fromiter((value(buf[d : d + m]) for d, m in spans), np.uint64, len(rest))
        ok[rest] = _masked(crc) == stored[rest]
    first_bad = int(np.argmin(ok)) if not ok.all() else len(head)
    if first_bad_head < len(head) and first_bad_head <= first_bad:  # the first record that fails is named
        raise _corrupt_length(path, base + int(head[first_bad_head]))
    if first_bad < len(head):
        raise _corrupt_data(path, base + int(head[first_bad]))


def starts_with_record(head: bytes) -> bool:
    """Whether `head` starts with a TFRecord header whose length checksum holds."""
    if len(head) < 12:
        return False
    length, stored = struct.unpack_from("<QI", head)
    return length < 1 << 40 and mask(google_crc32c.value(head[:8])) == stored


def encode(data: bytes) -> bytes:
    """One record around `data` (for writing event files in tests)."""
    head = _Q.pack(len(data))
    return (
        head
        + struct.pack("<I", mask(google_crc32c.value(head)))
        + data
        + struct.pack("<I", mask(google_crc32c.value(data)))
    )
