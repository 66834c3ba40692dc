"""Retry policy: exponential backoff with full jitter, Retry-After honoured, a bounded count.

Pure: the jitter is a hash of the call id, the attempt and the scenario seed, so the same run
retries at the same moments in either shell and no random generator lives in the core.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from reference.hub.protocol import RETRYABLE, FailureKind


def jitter(seed: int, call_id: str, attempt: int) -> float:
    """A uniform number in [0, 1) fixed by its inputs."""
    digest = hashlib.blake2b(f"{seed}|{call_id}|{attempt}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    base: float = 0.5
    cap: float = 60.0
    max_attempts: int = 6

    def __post_init__(self) -> None:
        if self.base <= 0:
            raise ValueError(f"base(={self.base}) must be > 0 seconds")
        if self.cap < self.base:
            raise ValueError(f"cap(={self.cap}) must be >= base(={self.base})")
        if self.max_attempts < 1:
            raise ValueError(f"max_attempts(={self.max_attempts}) must be >= 1")

    def delay(
        self, attempt: int, kind: FailureKind, retry_after: float | None, draw: float
    ) -> float | None:
        """Seconds to wait before attempt ``attempt + 1``, or None when it is time to give up.

        ``draw`` in [0, 1) scales the exponential ceiling (full jitter); a server's Retry-After
        is a floor, never shortened by jitter.
        """
        if kind not in RETRYABLE or attempt >= self.max_attempts:
            return None
        ceiling = min(self.cap, self.base * 2.0 ** (attempt - 1))
        wait = draw * ceiling
        if retry_after is not None:
            wait = max(wait, retry_after)
        return wait
