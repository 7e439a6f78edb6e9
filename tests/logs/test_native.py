"""The compiled event-file reader (`lrdesigner.logs._native`) against numpy's and protobuf's: the
same records framed, the same checksum errors, and every decoded scalar equal to what protobuf
parses, on real files, on crafted and mutated events and on tags crafted to collide in a
fixed-seed hash table; and which reader is in use, said by --version and, for large files read
with numpy, once on stderr."""

import glob
import os
import struct
from datetime import timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lrdesigner.logs import LogError, events_fast, records
from lrdesigner.logs.events import _tag_summary
from lrdesigner.logs.records import encode

needs_native = pytest.mark.skipif(
    records.native is None,
    reason="the compiled event reader was not built here (no C compiler when installing)",
)
FIELDS = (
    "ok",
    "other",
    "record",
    "wall",
    "step",
    "value",
    "tag_start",
    "tag_len",
    "meta_start",
    "meta_len",
    "simple",
)


def both(monkeypatch, fn):
    """fn() with the compiled reader, then with numpy's."""
    native = records.native
    first = fn()
    with monkeypatch.context() as m:
        m.setattr(records, "native", None)
        second = fn()
    assert records.native is native
    return first, second


def assert_same_decoding(monkeypatch, buf, starts, lengths):
    compiled, vectorized = both(monkeypatch, lambda: events_fast.decode(buf, starts, lengths))
    for name in FIELDS:
        a, b = getattr(compiled, name), getattr(vectorized, name)
        assert a.dtype == b.dtype and a.shape == b.shape, name
        assert np.array_equal(a, b, equal_nan=True), f"{name}: {a} != {b}"
    tags = [bytes(buf[s : s + n]) for s, n in zip(compiled.tag_start.tolist(), compiled.tag_len.tolist())]
    assert [compiled.tags[i] for i in compiled.tag_id] == tags
    assert compiled.tags == list(dict.fromkeys(tags))  # each once, in order of appearance
    # Grouped by tag: the stable sort by tag, and per tag what numpy's grouping finds.
    perm, bounds, first_meta, n_simple = compiled.groups
    perm = np.frombuffer(perm, dtype=np.int64)
    assert np.array_equal(perm, np.argsort(compiled.tag_id, kind="stable"))
    sizes = [tags.count(tag) for tag in compiled.tags]
    assert _tag_summary(vectorized, perm, sizes) == (bounds, first_meta, n_simple)
    return compiled


def protobuf_scalars(payload: bytes):
    """(wall, step, [(tag, value)]) of an event as protobuf reads it (numeric rank-0 values only)."""
    from tensorboard.compat.proto import event_pb2
    from tensorboard.util import tensor_util

    ev = event_pb2.Event.FromString(payload)
    out = []
    for v in ev.summary.value:
        if v.HasField("simple_value"):
            out.append((v.tag.encode(), v.simple_value))
        elif v.HasField("tensor"):
            arr = tensor_util.make_ndarray(v.tensor)
            if arr.dtype.kind in "fiu" and arr.size == 1 and arr.ndim == 0:
                out.append((v.tag.encode(), float(arr.reshape(-1)[0])))
    return ev.wall_time, ev.step, out


REAL = os.environ.get("LRDESIGNER_REAL_LOGS")


@needs_native
@pytest.mark.skipif(not REAL or not os.path.isdir(REAL), reason="LRDESIGNER_REAL_LOGS not set")
def test_every_real_event_file_frames_and_decodes_alike(monkeypatch):
    files = sorted(glob.glob(os.path.join(REAL, "**", "*tfevents*"), recursive=True))
    checked = 0
    for path in files:
        with open(path, "rb") as f:
            buf = f.read()
        if buf.startswith(b"version https://git-lfs"):
            continue
        (s1, n1, end1), (s2, n2, end2) = both(monkeypatch, lambda buf=buf, path=path: records.frame(buf, path))
        assert np.array_equal(s1, s2) and np.array_equal(n1, n2) and end1 == end2, path
        dec = assert_same_decoding(monkeypatch, buf, s1, n1)
        for i in np.flatnonzero(dec.ok)[:50].tolist():  # the first decoded events: as protobuf reads them
            wall, step, values = protobuf_scalars(buf[s1[i] : s1[i] + n1[i]])
            mine = np.flatnonzero(dec.record == i)
            assert [
                (bytes(buf[dec.tag_start[j] : dec.tag_start[j] + dec.tag_len[j]]), dec.value[j]) for j in mine
            ] == [(t, v) for t, v in values], path
            assert all(dec.step[j] == step and dec.wall[j] == wall for j in mine)
        checked += 1
    assert checked >= 40


def _value(draw):
    from tensorboard.compat.proto import summary_pb2, tensor_pb2, tensor_shape_pb2

    tag = draw(st.sampled_from(["loss", "lr", "val/loss", "épsilon", "a" * 40, ""]))
    value = summary_pb2.Summary.Value(tag=tag)
    kind = draw(
        st.sampled_from(
            [
                "simple",
                "f32",
                "f32val",
                "f64",
                "f64val",
                "i32",
                "i64",
                "half",
                "bf16",
                "string",
                "shaped",
                "vector",
                "image",
                "histo",
            ]
        )
    )
    x = draw(st.floats(allow_nan=True, allow_infinity=True, width=32))
    if kind == "simple":
        value.simple_value = x
    elif kind == "image":
        value.image.height, value.image.encoded_image_string = 2, b"png"
    elif kind == "histo":
        value.histo.min, value.histo.bucket.extend([1.0, 2.0])
    else:
        dtype, content = {
            "f32": (1, struct.pack("<f", x)),
            "f64": (2, struct.pack("<d", x)),
            "i32": (3, struct.pack("<i", draw(st.integers(-(2**31), 2**31 - 1)))),
            "i64": (9, struct.pack("<q", draw(st.integers(-(2**63), 2**63 - 1)))),
            "half": (
                19,
                np.float32(x).astype(np.float16).tobytes() if abs(x) < 65504 or x != x else b"\x00\x7c",
            ),
            "bf16": (14, struct.pack("<f", x)[2:]),
            "shaped": (1, struct.pack("<f", x)),
            "vector": (1, struct.pack("<ff", x, x)),
        }.get(kind, (1, b""))
        tensor = tensor_pb2.TensorProto(dtype=dtype)
        if kind == "f32val":
            tensor.float_val.append(x)
        elif kind == "f64val":
            tensor.dtype = 2
            tensor.double_val.append(x)
        elif kind == "string":
            tensor.dtype = 7
            tensor.string_val.append(b"text")
        else:
            tensor.tensor_content = content
        if kind in ("shaped", "vector"):
            size = 1 if kind == "shaped" else 2
            tensor.tensor_shape.CopyFrom(tensor_shape_pb2.TensorShapeProto(dim=[{"size": size}]))
        value.tensor.CopyFrom(tensor)
    if draw(st.booleans()):
        value.metadata.plugin_data.plugin_name = draw(st.sampled_from(["scalars", "text", "images"]))
    return value


@st.composite
def events(draw):
    """Serialized events of the layouts writers produce, and of others."""
    from tensorboard.compat.proto import event_pb2, summary_pb2

    out = []
    for _ in range(draw(st.integers(1, 12))):
        ev = event_pb2.Event(wall_time=draw(st.sampled_from([0.0, 1.7e9, -1.5, float("nan")])))
        ev.step = draw(st.one_of(st.integers(0, 300), st.integers(-(2**63), 2**63 - 1)))
        what = draw(st.sampled_from(["summary", "summary", "summary", "file_version", "graph", "empty"]))
        if what == "file_version":
            ev.file_version = "brain.Event:2"
        elif what == "graph":
            ev.graph_def = b"\x0a\x03abc"
        elif what == "summary":
            ev.summary.CopyFrom(
                summary_pb2.Summary(value=[_value(draw) for _ in range(draw(st.integers(0, 4)))])
            )
        out.append(ev.SerializeToString())
    return out


edits = st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255), st.booleans()), max_size=3)


@needs_native
@given(payloads=events(), edits=edits)
@settings(
    max_examples=400, deadline=timedelta(seconds=5), suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_crafted_and_mutated_events_decode_alike_and_as_protobuf_reads_them(monkeypatch, payloads, edits):
    payloads = list(payloads)
    for pos, byte, cut in edits:  # damage inside a record (its checksum recomputed: framing holds)
        k = pos % len(payloads)
        data = bytearray(payloads[k])
        if data:
            i = pos % len(data)
            if cut:
                del data[i:]
            else:
                data[i] = byte
        payloads[k] = bytes(data)
    buf = b"".join(encode(p) for p in payloads)
    starts, lengths, end = records.frame(buf, "crafted")
    assert end == len(buf) and len(starts) == len(payloads)
    dec = assert_same_decoding(monkeypatch, buf, starts, lengths)
    from google.protobuf.message import DecodeError

    for i in np.flatnonzero(dec.ok).tolist():  # what both decoded is what protobuf reads
        try:
            wall, step, values = protobuf_scalars(payloads[i])
        except (DecodeError, ValueError, TypeError):
            continue  # a damaged record protobuf refuses
        mine = np.flatnonzero(dec.record == i)
        got = [(bytes(buf[dec.tag_start[j] : dec.tag_start[j] + dec.tag_len[j]]), dec.value[j]) for j in mine]
        assert len(got) == len(values)
        for (tag, v), (ref_tag, ref) in zip(got, values):
            assert tag == ref_tag and (v == ref or (np.isnan(v) and np.isnan(ref)))
        assert all(dec.step[j] == step for j in mine)
        assert all(dec.wall[j] == wall or (np.isnan(wall) and np.isnan(dec.wall[j])) for j in mine)


def _file():
    from tensorboard.compat.proto import event_pb2, summary_pb2

    out = [encode(event_pb2.Event(wall_time=1.0, file_version="brain.Event:2").SerializeToString())]
    for step in range(20):
        s = summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag="loss", simple_value=step / 7)])
        out.append(encode(event_pb2.Event(wall_time=2.0, step=step, summary=s).SerializeToString()))
    return b"".join(out)


@needs_native
@pytest.mark.parametrize("where", ["length", "length crc", "data", "data crc"])
def test_a_damaged_record_gives_the_same_error(monkeypatch, where):
    buf = bytearray(_file())
    head = int(records.frame(bytes(buf), "f")[0][5]) - 12  # the sixth record
    length = struct.unpack_from("<Q", buf, head)[0]
    buf[head + {"length": 0, "length crc": 9, "data": 14, "data crc": 12 + length + 1}[where]] ^= 0x40
    compiled, vectorized = both(monkeypatch, lambda: _error(bytes(buf)))
    assert compiled == vectorized
    assert compiled.startswith("f.tfevents") and f"byte {head}" in compiled and "checksum" in compiled


def _error(buf):
    try:
        records.frame(buf, "f.tfevents")
    except LogError as exc:
        return str(exc)
    return "no error"


@needs_native
def test_truncated_tails_frame_alike(monkeypatch):
    buf = _file()
    for cut in range(len(buf) - 60, len(buf) + 1):
        (s1, n1, e1), (s2, n2, e2) = both(monkeypatch, lambda cut=cut: records.frame(buf[:cut], "f"))
        assert np.array_equal(s1, s2) and np.array_equal(n1, n2) and e1 == e2
        assert e1 <= cut and (e1 == cut or cut - e1 < 60)


@needs_native
def test_decode_refuses_records_outside_the_buffer():
    buf, key = _file(), bytes(16)
    with pytest.raises(ValueError, match="outside"):
        records.native.decode(buf, struct.pack("<q", len(buf) - 4), struct.pack("<q", 10), key)
    with pytest.raises(ValueError, match="outside"):
        records.native.decode(buf, struct.pack("<q", -1), struct.pack("<q", 10), key)
    with pytest.raises(ValueError, match="int64"):
        records.native.decode(buf, struct.pack("<q", 0), b"", key)
    with pytest.raises(ValueError, match="16 bytes"):
        records.native.decode(buf, struct.pack("<q", 0), struct.pack("<q", 10), b"short")


@needs_native
def test_the_tag_table_gives_the_same_results_under_any_key():
    buf = _file() + colliding_file(300)
    starts, lengths, _ = records.frame(buf, "f")
    starts, lengths = starts.tobytes(), lengths.tobytes()
    first = records.native.decode(buf, starts, lengths, bytes(16))
    for key in (b"\xff" * 16, os.urandom(16)):
        assert records.native.decode(buf, starts, lengths, key) == first


FNV_BASIS, FNV_PRIME = 1469598103934665603, 1099511628211  # as the table had them


def fnv1a(data: bytes, bits: int = 64) -> int:
    """64-bit FNV-1a of `data`, its low `bits` bits: the fixed-seed hash the tag table once used."""
    h = FNV_BASIS
    for b in data:
        h = ((h ^ b) * FNV_PRIME) & 0xFFFFFFFFFFFFFFFF
    return h & ((1 << bits) - 1)


def colliding_tags(n: int, bits: int = 20) -> list[bytes]:
    """`n` distinct tags whose FNV-1a hashes agree in their low `bits` bits, so that a fixed-seed
    FNV table of up to 2**bits slots puts them all in one probe chain.

    The low bits of FNV-1a's state depend only on the low bits before each byte, so two 3-byte
    blocks that take the same state to the same low bits are interchangeable: a birthday search
    finds such a pair per position, and choosing one of each pair at m positions gives 2**m tags."""
    mask = (1 << bits) - 1
    alphabet = b"abcdefghijklmnopqrstuvwxyz0123456789"

    def run(h: int, block: bytes) -> int:
        for b in block:
            h = ((h ^ b) * FNV_PRIME) & mask
        return h

    prefix = b"collide/"
    h, pairs = run(FNV_BASIS & mask, prefix), []
    while 1 << len(pairs) < n:
        seen: dict[int, bytes] = {}
        for a in alphabet:
            for b in alphabet:
                for c in alphabet:
                    block = bytes((a, b, c))
                    x = run(h, block)
                    if x in seen:
                        pairs.append((seen[x], block))
                        h = x
                        break
                    seen[x] = block
                else:
                    continue
                break
            else:
                continue
            break
    tags = [prefix]
    for first, second in pairs:
        tags = [t + first for t in tags] + [t + second for t in tags]
    return tags[:n]


def colliding_file(n: int) -> bytes:
    """An event file of `n` distinct colliding tags (`colliding_tags`), one point each."""
    from tensorboard.compat.proto import event_pb2, summary_pb2

    out = [encode(event_pb2.Event(wall_time=1.0, file_version="brain.Event:2").SerializeToString())]
    for step, tag in enumerate(colliding_tags(n)):
        s = summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag=tag.decode(), simple_value=step / 3)])
        out.append(encode(event_pb2.Event(wall_time=2.0, step=step, summary=s).SerializeToString()))
    return b"".join(out)


@needs_native
def test_tags_crafted_to_collide_decode_alike_and_as_protobuf_reads_them(monkeypatch):
    tags = colliding_tags(2048)
    assert len(set(tags)) == 2048 and len({fnv1a(t, 20) for t in tags}) == 1  # one chain for FNV
    buf = colliding_file(2048)
    starts, lengths, end = records.frame(buf, "crafted")
    dec = assert_same_decoding(monkeypatch, buf, starts, lengths)
    assert dec.tags == tags
    for i in range(1, len(starts)):
        wall, step, values = protobuf_scalars(buf[starts[i] : starts[i] + lengths[i]])
        assert [(dec.tags[dec.tag_id[i - 1]], float(dec.value[i - 1]))] == values and dec.step[i - 1] == step


@needs_native
def test_tags_crafted_to_collide_are_read_alike_by_both_readers(monkeypatch, tmp_path):
    from lrdesigner.logs import read

    (tmp_path / "events.out.tfevents.1.crafted").write_bytes(colliding_file(1024))

    def series():
        (run,) = read(str(tmp_path))
        return {tag: (s.steps.tolist(), s.values.tolist()) for tag, s in run.series.items()}

    compiled, vectorized = both(monkeypatch, series)
    assert compiled == vectorized and len(compiled) == 1024
    assert all(len(steps) == 1 for steps, _ in compiled.values())


@needs_native
def test_tags_crafted_to_collide_take_linear_time():
    """65,536 distinct tags in one FNV chain: about 5 s in the fixed-seed table (quadratic), a few
    milliseconds in a keyed one."""
    import time

    buf = colliding_file(1 << 16)
    starts, lengths, _ = records.frame(buf, "crafted")
    t = time.perf_counter()
    dec = events_fast.decode(buf, starts, lengths)
    assert time.perf_counter() - t < 1.0
    assert len(dec.tags) == 1 << 16


@needs_native
def test_crc32c_equals_google_crc32c():
    import google_crc32c

    rng = np.random.default_rng(0)
    for n in [0, 1, 7, 8, 9, 63, 64, 1000, 100_003]:
        data = rng.integers(0, 256, n, dtype=np.uint8).tobytes()
        assert records.native.crc32c(data) == google_crc32c.value(data)


def test_the_version_says_which_event_file_reader_is_in_use():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "lrdesigner.cli", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("lrdesigner ")
    assert any(f"(event-file reader: {name})" in out.stdout for name in ("compiled", "numpy"))
    assert records.reader() == ("numpy" if records.native is None else "compiled")


def test_a_large_file_read_with_numpy_says_once_how_to_get_the_compiled_reader(monkeypatch, tmp_path, capsys):
    from lrdesigner.logs import read

    monkeypatch.setattr(records, "_suggested", False)
    monkeypatch.setattr(records, "LARGE_FILE", 4096)
    small, large = tmp_path / "small", tmp_path / "large"
    small.mkdir()
    large.mkdir()
    (small / "events.out.tfevents.1.small").write_bytes(_file())
    (large / "events.out.tfevents.1.large").write_bytes(_file() * 8)
    assert len(_file()) < 4096 < 8 * len(_file())
    if records.native is not None:  # the compiled reader: nothing to say
        read(str(large))
        assert capsys.readouterr().err == ""
    monkeypatch.setattr(records, "native", None)
    read(str(small))
    assert capsys.readouterr().err == ""
    read(str(large))
    read(str(large))
    err = capsys.readouterr().err
    assert err.count("lrdesigner: note:") == 1
    assert "events.out.tfevents.1.large" in err and "C compiler" in err and "reinstall" in err
