"""TensorBoard's Rust data server (`tensorboard_data_server`), run on a folder: the scalars
`tensorboard --logdir` shows, every point kept (`--samples-per-plugin scalars=all`)."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import time

import numpy as np


def server_binary() -> str | None:
    """The data server's executable, or None when tensorboard-data-server is not installed."""
    try:
        from tensorboard_data_server import server_binary as find
    except ImportError:
        return None
    path = find()
    return path if path and os.access(path, os.X_OK) else None


class DataServer:
    """`with DataServer(logdir) as s: s.scalars()` -> {run: {tag: (steps, values, wall_times)}}.

    `load_seconds` is the server's own "Finished load cycle" time (it loads once). By default the
    server checks a record's checksum only when the record does not parse; `checksum=True`
    checks every record, as lrdesigner does."""

    def __init__(self, logdir: str, binary: str | None = None, checksum: bool = False) -> None:
        self.logdir, self.binary, self.checksum = logdir, binary or server_binary(), checksum
        if self.binary is None:
            raise RuntimeError("tensorboard-data-server is not installed")
        self.load_seconds = float("nan")

    def __enter__(self) -> DataServer:
        import grpc
        from tensorboard.data.proto import data_provider_pb2_grpc

        self._tmp = tempfile.TemporaryDirectory()
        port_file = os.path.join(self._tmp.name, "port")
        self._proc = subprocess.Popen(
            [
                self.binary,
                "--logdir",
                self.logdir,
                "--port",
                "0",
                "--port-file",
                port_file,
                "--reload",
                "once",
                "--samples-per-plugin",
                "scalars=all",
                "--die-after-stdin",
                "-v",
            ]
            + (["--checksum"] if self.checksum else []),
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 120
        for line in self._proc.stderr:
            m = re.search(r"Finished load cycle \(([\d.]+)(ms|s|µs|us)\)", line)
            if m:
                scale = {"ms": 1e-3, "s": 1.0, "µs": 1e-6, "us": 1e-6}[m.group(2)]
                self.load_seconds = float(m.group(1)) * scale
                break
            if time.monotonic() > deadline:
                break
        with open(port_file) as f:
            port = int(f.read().strip())
        self._channel = grpc.insecure_channel(
            f"localhost:{port}", options=[("grpc.max_receive_message_length", -1)]
        )
        self._stub = data_provider_pb2_grpc.TensorBoardDataProviderStub(self._channel)
        return self

    def __exit__(self, *exc) -> None:
        self._channel.close()
        self._proc.stdin.close()
        try:
            self._proc.wait(10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._proc.stderr.close()
        self._tmp.cleanup()

    def scalars(self) -> dict[str, dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]]:
        from tensorboard.data.proto import data_provider_pb2 as pb

        req = pb.ReadScalarsRequest(experiment_id="")
        req.plugin_filter.plugin_name = "scalars"
        req.downsample.num_points = 2**62
        out: dict = {}
        for run in self._stub.ReadScalars(req).runs:
            tags = out.setdefault(run.run_name, {})
            for t in run.tags:
                d = t.data
                tags[t.tag_name] = (
                    np.array(d.step, np.int64),
                    np.array(d.value, np.float64),
                    np.array(d.wall_time, np.float64),
                )
        return out
