"""Identifiers the service mints: unique, and in the order they were made.

A random id (uuid4) puts each new row's index entry on a random page of the B-tree, so every
commit dirtied a page per order in each index on such an id (orders, the outbox's subjects,
event ids and correlation ids, calls), and SQLite wrote each of them to the WAL. An id that
starts with the time lands beside the one before, on a page the last commit already wrote:
the reason UUIDv7 exists.
"""

from __future__ import annotations

import secrets
import time

MILLIS = 11  # hex digits of milliseconds since 1970: enough until the year 2527


def time_ordered(width: int) -> str:
    """``width`` upper-case hex digits: the current millisecond, then random ones."""
    random_digits = width - MILLIS
    if random_digits < 8:
        raise ValueError(f"width {width} leaves {random_digits} random digits; at least 8")
    rand = secrets.randbits(4 * random_digits)
    return f"{time.time_ns() // 1_000_000:0{MILLIS}X}{rand:0{random_digits}X}"
