"""An embedded hub for commands that need one running: ``crossdock serve`` in a child process.

``load`` and ``fuzz`` start one when no ``--host``/``--url`` is given: on 127.0.0.1, a free port
and a fresh SQLite file in a temporary folder, seeded with the demo estate. It is stopped, and
its folder removed, when the block ends; its log is kept in memory for an error message.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def embedded_hub(*args: str, timeout: float = 60.0) -> Iterator[str]:
    """Yield the base URL of a fresh hub; ``args`` are extra ``crossdock serve`` options."""
    with tempfile.TemporaryDirectory(prefix="crossdock-hub-") as where:
        port = free_port()
        log_path = Path(where) / "serve.log"
        argv = [sys.executable, "-m", "crossdock.cli", "serve", "--port", str(port)]
        argv += ["--database-url", f"sqlite:///{Path(where) / 'hub.db'}", "--log-level", "warning"]
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [*argv, *args],
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_ready(url, process, log_path, timeout)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)


def _wait_ready(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"the embedded hub exited with {process.returncode}:\n{log.read_text()[-2000:]}"
            )
        try:
            if httpx.get(url + "/readyz", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the embedded hub was not ready within {timeout:.0f} s")
