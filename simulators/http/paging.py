"""Cursor pagination for the list endpoints: opaque cursors, bounded pages, a ``next`` link.

Theory of operation. A cursor names a position, not a page number, so a walk sees every item
exactly once while the system keeps writing:

- ERP invoices only ever get appended (posting is idempotent per shipment), so their position is
  an offset into insertion order; new invoices show up at the end of a walk, never in its middle.
- A WMS's stock is keyed by SKU, so its position is the last SKU returned (keyset pagination).

Cursors are base64url text so that clients pass them back rather than build them.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class BadCursor(ValueError):
    """A cursor this server did not issue, or one for another list."""

    def __init__(self, cursor: str, expected: str) -> None:
        super().__init__(
            f"cursor {cursor!r} was not issued by this server for this list (want an {expected!r} "
            "cursor); pass back the previous page's next_cursor, or omit it to start over"
        )


def encode_cursor(kind: str, position: str) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{position}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str, kind: str) -> str:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except ValueError:  # not base64 (binascii.Error), not ASCII, or not UTF-8 inside: not ours
        raise BadCursor(cursor, kind) from None
    prefix, _, position = text.partition(":")
    if prefix != kind or not position:
        raise BadCursor(cursor, kind)
    return position


def offset_page(
    items: Sequence[Any], cursor: str | None, limit: int
) -> tuple[list[Any], str | None]:
    """One page of an append-only sequence, and the cursor of the next page (None at the end)."""
    start = 0
    if cursor:
        position = decode_cursor(cursor, "offset")
        if not position.isdigit():
            raise BadCursor(cursor, "offset")
        start = int(position)
    page = list(items[start : start + limit])
    end = start + len(page)
    return page, (encode_cursor("offset", str(end)) if end < len(items) else None)


def keyset_page(
    keys: Sequence[str], cursor: str | None, limit: int
) -> tuple[list[str], str | None]:
    """One page of sorted ``keys`` after the cursor's key, and the cursor of the next page."""
    after = decode_cursor(cursor, "after") if cursor else None
    remaining = [key for key in keys if after is None or key > after]
    page = remaining[:limit]
    more = len(remaining) > limit
    return page, (encode_cursor("after", page[-1]) if more and page else None)


def page_body(path: str, data: list[Any], limit: int, next_cursor: str | None) -> dict[str, Any]:
    """``{"data", "limit", "next_cursor", "next"}``; ``next`` is the next page's relative URL."""
    following = None
    if next_cursor:
        following = f"{path}?{urlencode({'cursor': next_cursor, 'limit': limit})}"
    return {"data": data, "limit": limit, "next_cursor": next_cursor, "next": following}
