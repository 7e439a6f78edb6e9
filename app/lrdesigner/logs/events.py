"""TensorBoard event files: every scalar of every tag, as TensorBoard's loaders see them.

Reads in chunks (bounded memory), verifies every record's checksums, decodes the common scalar
layout in one pass (compiled, or vectorized with numpy: `events_fast`) and everything else with
tensorboard's protobuf definitions.
Restarts are handled as TensorBoard's data server (`tensorboard_data_server`, the reader behind
`tensorboard --logdir`) handles them: within a series, a point at step s drops the earlier points
at steps >= s (a resumed run overwrites the steps it repeats; of a repeated step the later point
stays). `SessionLog.START` records drop nothing: the data server ignores them (the legacy Python
`EventAccumulator` purges at them instead).
A truncated last record is not an error: everything complete is read and the offset kept, so
a follower can continue there. A record whose checksum fails raises LogError with its offset.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from . import records
from .errors import LFS_POINTER, LogError, check_not_lfs_pointer
from .events_fast import decode
from .records import frame, unaligned
from .series import LogRun, Series

CHUNK = 4 << 20  # bytes per read: bounds the memory beyond the resulting arrays
SMALL = 300  # numpy decoding: fewer records than this are parsed one by one (measured crossover)
_DTYPES = {
    1: np.float32,
    2: np.float64,
    3: np.int32,
    4: np.uint8,
    5: np.int16,
    6: np.int8,
    9: np.int64,
    17: np.uint16,
    22: np.uint32,
    23: np.uint64,
    10: np.bool_,
    19: np.float16,
}


def is_event_file(name: str) -> bool:
    return "tfevents" in os.path.basename(name)


@dataclass(slots=True)
class _Points:
    order: list = field(default_factory=list)
    steps: list = field(default_factory=list)
    values: list = field(default_factory=list)
    walls: list = field(default_factory=list)


@dataclass
class EventState:
    """What has been read from a run's event files so far (kept by followers)."""

    offsets: dict[str, int] = field(default_factory=dict)  # per file: bytes consumed
    plugins: dict[str, str] = field(default_factory=dict)  # per tag: plugin name
    points: dict[str, _Points] = field(default_factory=dict)
    records: int = 0  # records read, over all files: the order of the next one
    file_records: dict[str, int] = field(default_factory=dict)  # per file: records read from it


_FLOAT32, _FLOAT64 = struct.Struct("<f"), struct.Struct("<d")


def _tensor_value(tensor) -> float | None:
    """The value of a rank-0 TensorProto, or None when it is not a numeric scalar."""
    if tensor.tensor_shape.dim and any(d.size != 1 for d in tensor.tensor_shape.dim):
        return None
    dt = tensor.dtype
    content = tensor.tensor_content
    if dt == 1:  # float32, what tf.summary.scalar writes: without numpy's per-call costs
        if len(content) >= 4:
            return _FLOAT32.unpack_from(content)[0]
        if tensor.float_val:
            return tensor.float_val[0]
    elif dt == 2:
        if len(content) >= 8:
            return _FLOAT64.unpack_from(content)[0]
        if tensor.double_val:
            return tensor.double_val[0]
    if dt == 14:  # bfloat16
        if tensor.tensor_content:
            raw = np.frombuffer(tensor.tensor_content[:2], "<u2").astype(np.uint32) << 16
        elif tensor.half_val:
            raw = np.array([tensor.half_val[0]], np.uint32) << 16
        else:
            return None
        return float(raw.view(np.float32)[0])
    np_dtype = _DTYPES.get(dt)
    if np_dtype is None:
        return None
    if tensor.tensor_content:
        width = np.dtype(np_dtype).itemsize
        return float(np.frombuffer(tensor.tensor_content[:width], np.dtype(np_dtype).newbyteorder("<"))[0])
    for vals in (
        tensor.float_val,
        tensor.double_val,
        tensor.int_val,
        tensor.int64_val,
        tensor.bool_val,
        tensor.uint32_val,
        tensor.uint64_val,
    ):
        if len(vals):
            return float(vals[0])
    if dt == 19 and tensor.half_val:
        return float(np.array([tensor.half_val[0]], np.uint16).view(np.float16)[0])
    return None


_PLUGINS: dict[bytes, str] = {}  # SummaryMetadata bytes -> plugin name (most tags share a few)


def _plugin(meta_bytes: bytes) -> str:
    name = _PLUGINS.get(meta_bytes)
    if name is None:
        from tensorboard.compat.proto import summary_pb2

        name = summary_pb2.SummaryMetadata.FromString(meta_bytes).plugin_data.plugin_name
        if len(_PLUGINS) < 4096:
            _PLUGINS[meta_bytes] = name
    return name


_MIX = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F), np.uint64(0x165667B19E3779F9))


def _group_by_tag(buf: bytes, arr: np.ndarray, starts: np.ndarray, lengths: np.ndarray):
    """(tag, indices in order) for each distinct tag among the values.

    Values are grouped by a hash of (length, first 8 bytes, last 8 bytes), then every member of
    a group is checked against the group's first value word by word; if any differs (another
    tag with the same hash), the exact byte-matrix grouping is used instead."""
    u64 = unaligned(buf, "<u8")
    short = lengths < 8
    first = _at(u64, starts)
    first = np.where(short, first & ((np.uint64(1) << (8 * lengths.astype(np.uint64))) - np.uint64(1)), first)
    last = np.where(short, np.uint64(0), _at(u64, starts + lengths - 8))
    with np.errstate(over="ignore"):
        h = first * _MIX[0] ^ last * _MIX[1] ^ lengths.astype(np.uint64) * _MIX[2]
    _, first_idx, inverse = np.unique(h, return_index=True, return_inverse=True)
    inverse = inverse.ravel()
    rep = first_idx[inverse]
    same = (lengths == lengths[rep]) & (first == first[rep]) & (last == last[rep])
    for k in range(8, int(lengths.max(initial=0)) - 8, 8):  # the words in between, for long tags
        long = lengths > k + 8
        same &= ~long | (_at(u64, starts + k) == _at(u64, starts[rep] + k))
    if not same.all():
        yield from _group_by_tag_exactly(buf, arr, starts, lengths)
        return
    yield from _groups(buf, starts, lengths, first_idx, inverse)


def _at(view: np.ndarray, index: np.ndarray) -> np.ndarray:
    return view[np.clip(index, 0, len(view) - 1)]


def _group_by_tag_exactly(buf: bytes, arr: np.ndarray, starts: np.ndarray, lengths: np.ndarray):
    width = int(lengths.max())
    if width:
        cols = np.arange(width)
        mat = arr[np.minimum(starts[:, None] + cols, len(arr) - 1)]
        mat[cols >= lengths[:, None]] = 0
    else:
        mat = np.zeros((len(starts), 0), np.uint8)
    mat = np.concatenate([mat, lengths.astype("<u4").view(np.uint8).reshape(-1, 4)], axis=1)
    keys = np.ascontiguousarray(mat).view(np.dtype((np.void, mat.shape[1]))).ravel()
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    yield from _groups(buf, starts, lengths, first, inverse.ravel())


def _groups(buf: bytes, starts: np.ndarray, lengths: np.ndarray, first: np.ndarray, inverse: np.ndarray):
    order = np.argsort(inverse, kind="stable")
    bounds = np.searchsorted(inverse[order], np.arange(len(first) + 1))
    for k in np.argsort(first):  # tags in the order they first appear
        rep = int(first[k])
        yield (
            _text(buf[int(starts[rep]) : int(starts[rep]) + int(lengths[rep])]),
            order[bounds[k] : bounds[k + 1]],
        )


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "replace")


def _read_chunk(path: str, buf: bytes, base: int, state: EventState) -> int:
    """Decode the complete records of `buf` into `state`; returns the bytes consumed."""
    starts, lengths, consumed = frame(buf, path, base)
    if not len(starts):
        return consumed
    state.file_records[path] = state.file_records.get(path, 0) + len(starts)
    _read_records(path, buf, base, starts, lengths, state)
    return consumed


def _read_records(path: str, buf: bytes, base: int, starts: np.ndarray, lengths: np.ndarray, state) -> None:
    """Decode framed records into `state`."""
    order = state.records + np.arange(len(starts), dtype=np.int64)
    state.records += len(starts)
    if records.native is None and len(starts) < SMALL:  # numpy's fixed costs outweigh the records
        _read_slow(path, buf, base, starts, lengths, order, state)
        return
    dec = decode(buf, starts, lengths)
    if len(dec.record):
        if dec.groups is not None:
            perm, bounds, first_meta, n_simple = dec.groups
            tags = [_text(raw) for raw in dec.tags]
            perm = np.frombuffer(perm, dtype=np.int64) if len(tags) > 1 else None
        else:
            groups = list(_group_by_tag(buf, np.frombuffer(buf, dtype=np.uint8), dec.tag_start, dec.tag_len))
            tags, perm = [tag for tag, _ in groups], np.concatenate([sel for _, sel in groups])
            bounds, first_meta, n_simple = _tag_summary(dec, perm, [len(sel) for _, sel in groups])
        _add_points(buf, dec, order, tags, perm, (bounds, first_meta, n_simple), state)
    slow = np.flatnonzero(~dec.ok & ~dec.other)
    if len(slow):
        _read_slow(path, buf, base, starts[slow], lengths[slow], order[slow], state)


def _tag_summary(dec, perm: np.ndarray, sizes: list[int]) -> tuple[list, list, list]:
    """(bounds, first_meta, n_simple) of values grouped by tag, as the compiled decoder gives them."""
    bounds = np.cumsum([0] + sizes)
    firsts = bounds[:-1]
    with_meta = np.flatnonzero(dec.meta_start[perm] >= 0)  # each tag's first value with metadata
    first_meta = [-1] * len(sizes)
    if len(with_meta):
        found = with_meta[np.minimum(np.searchsorted(with_meta, firsts), len(with_meta) - 1)]
        first_meta = np.where((firsts <= found) & (found < bounds[1:]), found, -1).tolist()
    n_simple = np.add.reduceat(dec.simple[perm], firsts, dtype=np.int64).tolist()
    return bounds.tolist(), first_meta, n_simple


def _add_points(buf: bytes, dec, order: np.ndarray, tags: list[str], perm, summary, state) -> None:
    """Add the decoded values to `state`: tag k's are `perm[bounds[k]:bounds[k + 1]]` (all of
    them, in order, when `perm` is None); `summary` = (bounds, first_meta, n_simple)."""
    take = (lambda a: a) if perm is None else (lambda a: a[perm])
    orders, steps, values, walls = order[take(dec.record)], take(dec.step), take(dec.value), take(dec.wall)
    original = (lambda i: i) if perm is None else (lambda i: int(perm[i]))  # index into dec's arrays
    bounds, first_meta, n_simple = summary
    plugins = state.plugins
    for k, tag in enumerate(tags):
        lo, hi = bounds[k], bounds[k + 1]
        if tag not in plugins:
            if first_meta[k] >= 0:
                m = original(first_meta[k])
                ms = int(dec.meta_start[m])
                plugins[tag] = _plugin(buf[ms : ms + int(dec.meta_len[m])])
            elif dec.simple[original(lo)]:
                plugins[tag] = "scalars"
        if plugins.get(tag) != "scalars" and n_simple[k] < hi - lo:
            simple = dec.simple[lo:hi] if perm is None else dec.simple[perm[lo:hi]]
            sel = lo + np.flatnonzero(simple)  # tensors of another plugin (text, hparams ...)
            if not len(sel):
                continue
        else:
            sel = slice(lo, hi)
        pts = state.points.get(tag)
        if pts is None:
            pts = state.points[tag] = _Points()
        pts.order.append(orders[sel])
        pts.steps.append(steps[sel])
        pts.values.append(values[sel])
        pts.walls.append(walls[sel])


def _read_small_files(files: list[str], state: EventState) -> bool:
    """Read a run's files in one pass when they are small together (their records decoded at
    once); False, with `state` untouched, when they are not. LogError when one cannot be read."""
    sizes = [os.path.getsize(f) for f in files]
    if sum(sizes) > CHUNK:
        return False
    data = []
    for f in files:
        try:
            with open(f, "rb") as fh:
                data.append(fh.read())
        except OSError as exc:
            raise LogError(f, f"cannot read: {exc.strerror or exc}") from None
        check_not_lfs_pointer(f, data[-1][: len(LFS_POINTER)])
    starts, lengths, base = [], [], 0
    for f, d in zip(files, data):
        st, ln, used = frame(d, f, 0)
        starts.append(st + base)
        lengths.append(ln)
        state.offsets[f] = used
        state.file_records[f] = len(st)
        base += len(d)
    st, ln = np.concatenate(starts), np.concatenate(lengths)
    if len(st):
        _read_records(files[0], b"".join(data), 0, st, ln, state)
    return True


def _read_slow(path, buf, base, starts, lengths, order, state: EventState) -> None:
    from google.protobuf.message import DecodeError
    from tensorboard.compat.proto import event_pb2

    found: dict[str, tuple[list, list, list, list]] = {}
    plugins, parse = state.plugins, event_pb2.Event.FromString
    for s, n, o in zip(starts.tolist(), lengths.tolist(), order.tolist()):
        try:
            ev = parse(buf[s : s + n])
        except DecodeError as exc:
            raise LogError(path, f"record is not an Event ({exc})", f"record at byte {base + s - 12}") from None
        if ev.WhichOneof("what") != "summary":
            continue
        step, wall = ev.step, ev.wall_time
        for v in ev.summary.value:
            tag = v.tag
            if tag not in plugins and v.HasField("metadata"):
                plugins[tag] = v.metadata.plugin_data.plugin_name
            which = v.WhichOneof("value")
            if which == "simple_value":
                plugins.setdefault(tag, "scalars")
                value = v.simple_value
            elif which == "tensor" and plugins.get(tag) == "scalars":
                value = _tensor_value(v.tensor)
                if value is None:
                    continue
            else:
                continue
            cols = found.get(tag)
            if cols is None:
                cols = found[tag] = ([], [], [], [])
            cols[0].append(o)
            cols[1].append(step)
            cols[2].append(value)
            cols[3].append(wall)
    for tag, (orders, steps, values, walls) in found.items():
        pts = state.points.setdefault(tag, _Points())
        pts.order.append(np.array(orders, np.int64))
        pts.steps.append(np.array(steps, np.int64))
        pts.values.append(np.array(values, np.float64))
        pts.walls.append(np.array(walls, np.float64))


def read_file(path: str, state: EventState, tick: Callable[[int], None] | None = None) -> None:
    """Read the new complete records of one event file into `state`; `tick(n)` after each n bytes."""
    offset = state.offsets.get(path, 0)
    try:
        with open(path, "rb") as f:
            if offset:
                f.seek(offset)
            size, pos = os.fstat(f.fileno()).st_size, offset
            leftover = b""
            while True:
                # What is left, plus a byte to see the end (no 4 MB buffer for a small file), or
                # a whole chunk (a large file, or one that grew since).
                want = size - pos + 1 if 0 <= size - pos < CHUNK else CHUNK
                chunk = f.read(want)
                pos += len(chunk)
                if not chunk:
                    break
                if offset == 0 and not leftover:
                    check_not_lfs_pointer(path, chunk)
                buf = leftover + chunk if leftover else chunk
                used = _read_chunk(path, buf, offset, state)
                offset += used
                leftover = buf[used:]
                if tick is not None:
                    tick(len(chunk))
                if len(chunk) < want:  # the end of the file (for now: a follower comes back)
                    break
                if len(leftover) > CHUNK:  # one record larger than a chunk: read more before framing
                    more = f.read(len(leftover))
                    pos += len(more)
                    if not more:
                        break
                    leftover += more
    except OSError as exc:
        raise LogError(path, f"cannot read: {exc.strerror or exc}") from None
    state.offsets[path] = offset


def _purge(steps: np.ndarray) -> np.ndarray | None:
    """Mask of the points that survive restarts (those below every later point's step), or
    None when all do (steps rising throughout, the common case)."""
    if len(steps) < 2:
        return None
    if len(steps) < 64:  # without numpy's fixed costs
        listed = steps.tolist()
        if all(a < b for a, b in zip(listed, listed[1:])):
            return None
    elif (steps[1:] > steps[:-1]).all():
        return None
    keep = np.ones(len(steps), dtype=bool)
    later_min = np.minimum.accumulate(steps[::-1])[::-1]
    keep[:-1] = steps[:-1] < later_min[1:]
    return keep


def build_run(name: str, path: str, state: EventState, sources: str = "") -> LogRun:
    """The run's series from what `state` holds."""
    run = LogRun(name, path)
    for tag in sorted(state.points):
        pts = state.points[tag]
        if not pts.order:
            continue
        if len(pts.order) == 1:  # one chunk's points are in record order already
            steps, values, walls = pts.steps[0], pts.values[0], pts.walls[0]
        else:
            order = np.concatenate(pts.order)
            steps, values = np.concatenate(pts.steps), np.concatenate(pts.values)
            walls = np.concatenate(pts.walls)
            if not bool(np.all(order[1:] > order[:-1])):
                idx = np.argsort(order, kind="stable")
                order, steps, values, walls = order[idx], steps[idx], values[idx], walls[idx]
            pts.order, pts.steps, pts.values, pts.walls = [order], [steps], [values], [walls]
        keep = _purge(steps)
        if keep is not None:
            steps, values, walls = steps[keep], values[keep], walls[keep]
        run.add(Series(tag, name, steps, values, walls, "step", sources or path))
    return run


def event_files(folder: str) -> list[str]:
    """The event files directly in `folder`, in TensorBoard's order (by name)."""
    try:
        names = sorted(n for n in os.listdir(folder) if is_event_file(n))
    except OSError as exc:
        raise LogError(folder, f"cannot list: {exc.strerror or exc}") from None
    return [os.path.join(folder, n) for n in names if os.path.isfile(os.path.join(folder, n))]


def read_run(
    folder_or_file: str, name: str, tick: Callable[[int], None] | None = None, skip_bad: bool = False
) -> LogRun:
    """One run: a folder's event files (or one file). With `skip_bad`, a file that cannot be read
    is left out with a warning naming it (unless no file can be read)."""
    state = EventState()
    files = [folder_or_file] if os.path.isfile(folder_or_file) else event_files(folder_or_file)
    skipped: list[LogError] = []
    if len(files) > 1:
        batch = EventState()
        try:
            if _read_small_files(files, batch):
                state, files = batch, []
        except (LogError, OSError):
            pass  # read one by one below, which names the file and skips it when asked
        if not files and tick is not None:
            tick(sum(batch.offsets.values()))
    for f in files:
        try:
            read_file(f, state, tick)
        except LogError as exc:
            if not skip_bad:
                raise
            skipped.append(exc)
            _forget(state, f)
    if skipped and len(skipped) == len(files) and not state.records:
        raise skipped[0]
    run = build_run(name, folder_or_file, state)
    run.warnings.extend(f"skipped {exc}" for exc in skipped)
    return run


def _forget(state: EventState, path: str) -> None:
    """Drop what a file that turned out unreadable had added to `state` (its records are the
    last ones read)."""
    first = state.records - state.file_records.get(path, 0)
    for pts in state.points.values():
        for i, o in enumerate(pts.order):
            keep = o < first
            if not keep.all():
                pts.order[i], pts.steps[i] = o[keep], pts.steps[i][keep]
                pts.values[i], pts.walls[i] = pts.values[i][keep], pts.walls[i][keep]
    state.offsets.pop(path, None)
