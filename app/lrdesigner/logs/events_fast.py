"""Vectorized decoding of the common scalar event layout, over all records of a buffer at once.

An event written by `tf.summary.scalar`, TF1's `simple_value` or PyTorch's writer is
`Event{wall_time, step, summary{value{tag, simple_value | tensor{dtype, shape, content|*_val},
metadata}...}}`, one value or several (TF1's merged summaries). This walks those protobuf fields
for every record, then for every value, in lockstep with numpy; the compiled module `_native`
gives the same results in one pass per record where it was built. Records holding no summary (file
version, graphs, session logs) are marked as such; values that cannot be scalars (images,
histograms, audio, tensors of more than 8 bytes or of strings) are left out; records with any
other layout (unusual dtypes, shaped one-element tensors) go to the protobuf path in `events.py`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from . import records
from .records import unaligned

# Field keys of Event's `what` members other than `summary` (fields 3, 4, 6, 7, 8, 9).
_NOT_SUMMARY = np.array([0x1A, 0x22, 0x32, 0x3A, 0x42, 0x4A], np.uint8)
_MAX_VALUES = 4096  # values per summary decoded here; a record with more takes the protobuf path
# TensorFlow dtype codes with a fixed-width tensor_content this path decodes.
DT_FLOAT, DT_DOUBLE, DT_INT32, DT_BFLOAT16, DT_INT64, DT_HALF = 1, 2, 3, 14, 9, 19
_CONTENT = {
    DT_FLOAT: ("<f4", 4),
    DT_DOUBLE: ("<f8", 8),
    DT_INT32: ("<i4", 4),
    DT_INT64: ("<i8", 8),
    DT_HALF: ("<f2", 2),
    DT_BFLOAT16: ("bf16", 2),
}


@dataclass
class Decoded:
    """Per record: `ok` (decoded here) and `other` (no summary). Per value of the ok records:
    everything else, `record` being the index of the record holding it."""

    ok: np.ndarray
    other: np.ndarray
    record: np.ndarray
    wall: np.ndarray
    step: np.ndarray
    value: np.ndarray
    tag_start: np.ndarray
    tag_len: np.ndarray
    meta_start: np.ndarray  # -1 when the value carries no metadata
    meta_len: np.ndarray
    simple: np.ndarray  # the value was a simple_value (TF1 / PyTorch)
    tag_id: np.ndarray | None = None  # compiled decoding: each value's index into `tags`
    tags: list[bytes] | None = None  # compiled decoding: the distinct tags in order of appearance
    # Compiled decoding: the values grouped by tag, (perm, bounds, first_meta, n_simple): tag k's
    # values are perm[bounds[k]:bounds[k + 1]] (perm as int64 bytes), first_meta[k] the position
    # in perm of its first value with metadata (-1: none), n_simple[k] its simple_values.
    groups: tuple | None = None


class _Clamped:
    """Byte array whose out-of-range reads (only in malformed records) return the last byte."""

    def __init__(self, arr: np.ndarray) -> None:
        self.arr, self.last = arr, len(arr) - 1

    def __getitem__(self, index):
        return self.arr[np.minimum(index, self.last)]


def _at(view: np.ndarray, index: np.ndarray) -> np.ndarray:
    """view[index] with indices clamped into range (callers mask what is out of range)."""
    return view[np.minimum(index, len(view) - 1)]


def _varint(a: np.ndarray, pos: np.ndarray, ok: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Decode a varint at each position (where ok); returns (value, position after it)."""
    value = np.zeros(len(pos), dtype=np.uint64)
    cur = pos.copy()
    going = ok.copy()
    for k in range(10):
        if not going.any():
            break
        b = a[np.where(going, cur, 0)].astype(np.uint64)
        value |= np.where(going, (b & 0x7F) << np.uint64(7 * k), 0).astype(np.uint64)
        cur = np.where(going, cur + 1, cur)
        going &= (b & 0x80) != 0
    ok &= ~going
    return value, cur


def _split_values(a, p: np.ndarray, ends: np.ndarray, ok: np.ndarray):
    """The `value` fields of each summary spanning [p, ends): (record index, start, end) per value,
    in record order.
    Records whose summary holds anything else, or too many values, lose `ok`."""
    recs, vstarts, vends = [], [], []
    idx = np.flatnonzero(ok & (p < ends))
    p = p[idx]
    for _ in range(_MAX_VALUES):
        if not len(idx):
            break
        e = ends[idx]
        good = a[p] == 0x0A
        size, body = _varint(a, p + 1, good)
        vend = body + size.astype(np.int64)
        good &= (body <= vend) & (vend <= e)
        ok[idx[~good]] = False
        idx, body, vend, e = idx[good], body[good], vend[good], e[good]
        recs.append(idx)
        vstarts.append(body)
        vends.append(vend)
        more = vend < e
        idx, p = idx[more], vend[more]
    ok[idx] = False
    if not recs:
        empty = np.zeros(0, np.int64)
        return empty, empty, empty
    recs = np.concatenate(recs)
    by_record = np.argsort(recs, kind="stable")  # each record's values together, in order
    return recs[by_record], np.concatenate(vstarts)[by_record], np.concatenate(vends)[by_record]


def decode(buf: bytes, starts: np.ndarray, lengths: np.ndarray) -> Decoded:
    if records.native is not None:
        return _decode_native(buf, starts, lengths)
    pad = buf
    a = _Clamped(np.frombuffer(buf, dtype=np.uint8))
    ends = starts + lengths
    ok = lengths > 12
    s = np.where(ok, starts, 0)
    ok &= a[s] == 0x09
    wall = _at(unaligned(pad, "<f8"), s + 1)
    p = s + 9
    has_step = ok & (a[p] == 0x10)
    step_ok = has_step.copy()
    step, after = _varint(a, p + 1, step_ok)
    ok &= ~has_step | (step_ok & (after <= ends))
    p = np.where(has_step, after, p)
    step = np.where(has_step, step, 0).astype(np.int64)
    # Another member of Event's `what` oneof (file version, graph, session log, run metadata,
    # meta graph): no summary in the record.
    other = ok & (p < ends) & np.isin(a[p], _NOT_SUMMARY)
    ok &= a[p] == 0x2A
    size, p = _varint(a, p + 1, ok)
    ok &= p + size.astype(np.int64) == ends  # the summary is the event's last field
    rec_ok = ok
    record, p, ends = _split_values(a, p, ends, rec_ok)
    n = len(record)
    ok = np.ones(n, dtype=bool)
    skip = np.zeros(n, dtype=bool)
    # Walk the Value's fields.
    tag_start = np.full(n, -1, np.int64)
    tag_len = np.zeros(n, np.int64)
    simple_at = np.full(n, -1, np.int64)
    tensor_start = np.full(n, -1, np.int64)
    tensor_end = np.full(n, -1, np.int64)
    meta_start = np.full(n, -1, np.int64)
    meta_len = np.zeros(n, np.int64)
    for _ in range(6):
        active = ok & (p < ends)
        if not active.any():
            break
        t = a[np.where(active, p, 0)]
        wire, field = t & 7, t >> 3
        ok &= ~active | ((t < 0x80) & ((wire == 2) | (wire == 5)))
        active &= ok
        is_len = active & (wire == 2)
        len_ok = is_len.copy()
        size, body = _varint(a, p + 1, len_ok)
        size = size.astype(np.int64)
        ok &= ~is_len | (len_ok & (size >= 0) & (body + size <= ends))
        is_fixed = active & (wire == 5)
        for f, start, length in ((1, tag_start, tag_len), (9, meta_start, meta_len)):
            sel = is_len & (field == f)
            start[sel] = body[sel]
            length[sel] = size[sel]
        sel = is_len & (field == 8)
        tensor_start[sel], tensor_end[sel] = body[sel], body[sel] + size[sel]
        sel = is_fixed & (field == 2)
        simple_at[sel] = p[sel] + 1
        skip |= is_len & ((field == 4) | (field == 5) | (field == 6))  # an image, histogram or audio
        ok &= ~is_len | (field == 1) | (field == 8) | (field == 9) | (field == 4) | (field == 5) | (field == 6)
        ok &= ~is_fixed | ((field == 2) & (p + 5 <= ends))
        p = np.where(is_len, body + size, np.where(is_fixed, p + 5, p))
    ok &= p >= ends  # more fields than a scalar's: not this layout
    ok &= tag_start >= 0
    simple = ok & ~skip & (simple_at >= 0)
    ok &= skip | (simple ^ (tensor_start >= 0))
    value = np.full(n, np.nan)
    f4 = unaligned(pad, "<f4")
    value[simple] = _at(f4, simple_at[simple])
    # Walk the TensorProto's fields: dtype, an empty shape (rank 0), content or one *_val.
    tens = ok & ~simple & ~skip
    shaped = np.zeros(n, dtype=bool)
    q = np.where(tens, tensor_start, 0)
    dtype = np.zeros(n, np.int64)
    val_at = np.full(n, -1, np.int64)
    val_len = np.zeros(n, np.int64)
    val_field = np.zeros(n, np.int64)
    for _ in range(5):
        active = tens & ok & ~skip & (q < tensor_end)
        if not active.any():
            break
        t = a[np.where(active, q, 0)]
        wire, field = t & 7, t >> 3
        is_var = active & (wire == 0)
        var_ok = is_var.copy()
        v, after_var = _varint(a, q + 1, var_ok)
        ok &= ~is_var | (var_ok & (after_var <= tensor_end))
        dtype = np.where(is_var & (field == 1), v.astype(np.int64), dtype)
        ok &= ~is_var | (field == 1) | (field == 3)  # dtype, version_number
        is_len = active & (wire == 2)
        len_ok = is_len.copy()
        size, body = _varint(a, q + 1, len_ok)
        size = size.astype(np.int64)
        ok &= ~is_len | (len_ok & (size >= 0) & (body + size <= tensor_end))
        ok &= ~is_len | (field == 2) | (field == 4) | (field == 5) | (field == 6) | (field == 8)
        shaped |= is_len & (field == 2) & (size > 0)
        # More than 8 bytes of content, or strings: not a numeric scalar (histograms, text ...).
        skip |= is_len & (((field == 4) & (size > 8)) | (field == 8))
        sel = is_len & ((field == 4) | (field == 5) | (field == 6))
        val_at[sel], val_len[sel], val_field[sel] = body[sel], size[sel], field[sel]
        is_f32 = active & (wire == 5)
        ok &= ~is_f32 | ((field == 5) & (q + 5 <= tensor_end))
        val_at[is_f32], val_len[is_f32], val_field[is_f32] = q[is_f32] + 1, 4, 5
        is_f64 = active & (wire == 1)
        ok &= ~is_f64 | ((field == 6) & (q + 9 <= tensor_end))
        val_at[is_f64], val_len[is_f64], val_field[is_f64] = q[is_f64] + 1, 8, 6
        ok &= ~active | is_var | is_len | is_f32 | is_f64
        q = np.where(
            is_var,
            after_var,
            np.where(is_len, body + size, np.where(is_f32, q + 5, np.where(is_f64, q + 9, q))),
        )
    ok &= ~(tens & ~skip & (q < tensor_end))  # more fields than a scalar's
    tens &= ok & ~skip & (val_at >= 0)
    ok &= simple | tens | skip
    ok &= ~(shaped & tens)  # a shaped tensor of one element: the protobuf path reads it
    for code, (kind, width) in _CONTENT.items():
        sel = (
            tens
            & (dtype == code)
            & (val_len == width)
            & (
                (val_field == 4)
                | ((val_field == 5) & (code == DT_FLOAT))
                | ((val_field == 6) & (code == DT_DOUBLE))
            )
        )
        if not sel.any():
            continue
        at = val_at[sel]
        if kind == "bf16":
            raw = _at(unaligned(pad, "<u2"), at).astype(np.uint32) << 16
            value[sel] = raw.view(np.float32)
        else:
            value[sel] = _at(unaligned(pad, kind), at)
        tens &= ~sel
    ok &= ~tens  # tensors left over: a layout this path does not decode
    rec_ok[record[~ok]] = False  # a record is decoded here only if all its values are
    keep = rec_ok[record] & ~skip  # values that are no scalars are left out
    record = record[keep]
    return Decoded(
        rec_ok,
        other,
        record,
        wall[record],
        step[record],
        value[keep],
        tag_start[keep],
        tag_len[keep],
        meta_start[keep],
        meta_len[keep],
        simple[keep],
    )


# The dtypes of the compiled decoder's arrays, in Decoded's field order.
_NATIVE_KINDS = (bool, bool, np.int64, np.float64, np.int64, np.float64) + (np.int64,) * 4 + (bool,)


def _decode_native(buf: bytes, starts: np.ndarray, lengths: np.ndarray) -> Decoded:
    """The same results from the compiled module, one pass per record."""
    starts = np.ascontiguousarray(starts, dtype=np.int64).tobytes()
    lengths = np.ascontiguousarray(lengths, dtype=np.int64).tobytes()
    # A new key for the tag table's hash on every call: the tags come from the file, and a file
    # crafted against a known hash would make the table quadratic.
    out = records.native.decode(bytes(buf), starts, lengths, os.urandom(16))
    arrays = [np.frombuffer(raw, dtype=kind) for raw, kind in zip(out, _NATIVE_KINDS)]
    return Decoded(*arrays, tag_id=np.frombuffer(out[11], dtype=np.int32), tags=out[12], groups=out[13])
