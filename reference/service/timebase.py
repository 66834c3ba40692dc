"""The service's clock for the core: seconds since SERVICE_EPOCH, so CloudEvents carry wall time.

``Event.to_cloudevent`` renders ``time`` as seconds after 2026-01-01T00:00:00Z; the service passes
the core ``now()`` on that scale, and stores wall times (unix seconds) in its rows.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

SERVICE_EPOCH = datetime(2026, 1, 1, tzinfo=UTC).timestamp()


def wall() -> float:
    """Unix seconds."""
    return time.time()


def core_time(unix: float) -> float:
    return unix - SERVICE_EPOCH


def unix_time(core: float) -> float:
    return core + SERVICE_EPOCH


def iso(unix: float) -> str:
    return datetime.fromtimestamp(unix, UTC).isoformat().replace("+00:00", "Z")
