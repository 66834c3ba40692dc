"""Idempotency-Key rules (IETF draft-ietf-httpapi-idempotency-key-header) as pure functions.

A key names one attempt to create something. The first request with a key proceeds and leaves an
in-flight record; a retry with the same key and the same request replays the stored response; the
same key with another request is a mismatch (422); the same key while the first is still in flight
is a conflict (409); no key at all is a bad request (400).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

MAX_KEY_LENGTH = 255
# A key is printable ASCII (the draft's sf-string characters), 1 to 255 of them, with no space at
# either end: HTTP strips those, so a key that began or ended with one would arrive changed.
KEY_PATTERN = r"^[\x21-\x7E]([\x20-\x7E]{0,253}[\x21-\x7E])?$"


class Verdict(StrEnum):
    PROCEED = "proceed"
    REPLAY = "replay"
    MISMATCH = "mismatch"
    IN_FLIGHT = "in_flight"
    MISSING_KEY = "missing_key"
    INVALID_KEY = "invalid_key"


@dataclass(frozen=True, slots=True)
class IdempotencyRecord:
    key: str
    fingerprint: str
    completed: bool
    status_code: int | None = None
    body: str | None = None


def _canonical(value: Any) -> Any:
    if isinstance(value, Decimal):
        # 10.50 and 10.5 are the same price: normalise, but keep integers integral.
        normal = value.normalize()
        return format(normal, "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(_canonical(v) for v in value)
    return value


def fingerprint(request: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a request: key order and number spelling do not matter."""
    text = json.dumps(_canonical(request), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def judge(key: str | None, request_fingerprint: str, record: IdempotencyRecord | None) -> Verdict:
    """What to do with a creating request, given what is stored under its key."""
    if key is None or key == "":
        return Verdict.MISSING_KEY
    if re.fullmatch(KEY_PATTERN, key) is None:
        return Verdict.INVALID_KEY
    if record is None:
        return Verdict.PROCEED
    if record.fingerprint != request_fingerprint:
        return Verdict.MISMATCH
    if not record.completed:
        return Verdict.IN_FLIGHT
    return Verdict.REPLAY
