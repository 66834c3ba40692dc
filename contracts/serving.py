"""Serving a real ASGI app on 127.0.0.1 from a background thread, for provider verification.

uvicorn binds port 0, so no two verifications (or xdist workers) race for a port; the URL is
read back from the bound socket once the server has started (and, with ``lifespan="on"``, once
the app's startup has finished: uvicorn only reports ``started`` after it).
"""

from __future__ import annotations

import threading
import time
from types import TracebackType
from typing import Any, Literal

import uvicorn

HOST = "127.0.0.1"


class Served:
    """``with Served(app) as served: served.url`` — the app answers on loopback inside the block."""

    def __init__(
        self, app: Any, *, name: str, lifespan: Literal["on", "off"] = "on", timeout: float = 30.0
    ) -> None:
        config = uvicorn.Config(
            app,
            host=HOST,
            port=0,
            log_level="warning",
            access_log=False,
            ws="none",
            lifespan=lifespan,
            timeout_graceful_shutdown=2,
        )
        self.app = app
        self.name = name
        self.timeout = timeout
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name=f"serve-{name}", daemon=True)
        self.url = ""

    def __enter__(self) -> Served:
        self.thread.start()
        deadline = time.monotonic() + self.timeout
        while not self.server.started:
            if not self.thread.is_alive():
                raise RuntimeError(f"{self.name} exited before it started serving")
            if time.monotonic() > deadline:
                self.server.should_exit = True
                raise RuntimeError(f"{self.name} did not start within {self.timeout} s")
            time.sleep(0.01)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://{HOST}:{port}"
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
        if self.thread.is_alive():  # a handler outlived the graceful timeout
            self.server.force_exit = True
            self.thread.join(timeout=5)
