"""The compiled event-file reader (`lrdesigner.logs._native`) against numpy's and protobuf's: the
same records framed, the same checksum errors, and every decoded scalar equal to what protobuf
parses, on real files and on crafted and mutated events."""

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

pytestmark = pytest.mark.skipif(
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


def test_truncated_tails_frame_alike(monkeypatch):
    buf = _file()
    for cut in range(len(buf) - 60, len(buf) + 1):
        (s1, n1, e1), (s2, n2, e2) = both(monkeypatch, lambda cut=cut: records.frame(buf[:cut], "f"))
        assert np.array_equal(s1, s2) and np.array_equal(n1, n2) and e1 == e2
        assert e1 <= cut and (e1 == cut or cut - e1 < 60)


def test_decode_refuses_records_outside_the_buffer():
    buf = _file()
    with pytest.raises(ValueError, match="outside"):
        records.native.decode(buf, np.array([len(buf) - 4], np.int64), np.array([10], np.int64))
    with pytest.raises(ValueError, match="outside"):
        records.native.decode(buf, np.array([-1], np.int64), np.array([10], np.int64))


def test_crc32c_equals_google_crc32c():
    import google_crc32c

    rng = np.random.default_rng(0)
    for n in [0, 1, 7, 8, 9, 63, 64, 1000, 100_003]:
        data = rng.integers(0, 256, n, dtype=np.uint8).tobytes()
        assert records.native.crc32c(data) == google_crc32c.value(data)
