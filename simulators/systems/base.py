"""What every simulated system is: a pure state model answering operations with JSON bodies."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol


class SystemModel(Protocol):
    """``handle`` answers one request at the moment the system processes it."""

    name: str

    def handle(self, operation: str, payload: Mapping[str, Any]) -> dict[str, Any]: ...


class Rejected(Exception):
    """The system refused the request as a client error (a 4xx): retrying will not help."""

    def __init__(self, system: str, operation: str, reason: str) -> None:
        super().__init__(f"{system}.{operation}: {reason}")
        self.system = system
        self.operation = operation
        self.reason = reason


def unsupported(system: str, operation: str) -> Rejected:
    return Rejected(system, operation, f"{system} has no operation {operation!r}")
