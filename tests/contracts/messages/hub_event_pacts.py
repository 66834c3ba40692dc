"""What every consumer of the hub's events expects of a CloudEvent, and how its pact is kept.

A consumer's pact lists the messages it reads. Each body states shape, not values: the envelope
attributes a reader relies on (the schema version exactly, since a reader knows only the versions
it knows) and, in ``data``, only the fields that consumer's view names.

Pact files are committed under contracts/pacts. A consumer test writes its pact into its own temp
directory and asserts it equals the committed one, so tests running in parallel never write a file
another one reads. ``CROSSDOCK_UPDATE_PACTS=1`` rewrites the committed file instead (atomically).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from pact import Pact, match

import contracts
from contracts.participants import HUB
from reference.domain.events import SCHEMA_VERSION, SOURCE, EventType

PACT_DIR = Path(contracts.__file__).parent / "pacts"
UPDATE = "CROSSDOCK_UPDATE_PACTS"

RFC3339_UTC = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$"
DECIMAL = r"^-?\d+(\.\d+)?$"
ORDER = "ORD-7F3A2C"
POSITION = "DC-ATL/PIPE-COPPER-15MM"  # stock events are about a node's SKU: "<node>/<sku>"


def money(example: str) -> Any:
    """Money as a decimal string, never a JSON number."""
    return match.regex(example, regex=DECIMAL)


def hub_pact(consumer: str) -> Pact:
    return Pact(consumer, HUB).with_specification("V4")


def cloudevent(kind: EventType, subject: Any, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": match.like(f"{ORDER}/2"),
        "source": match.like(SOURCE),
        "type": kind.value,
        "subject": subject,
        "time": match.regex("2026-03-02T14:05:09.250000Z", regex=RFC3339_UTC),
        "datacontenttype": "application/json",
        "correlationid": match.like("corr-5d1e0b"),
        "schemaversion": SCHEMA_VERSION,
        "data": data,
    }


def expect(
    pact: Pact,
    description: str,
    *,
    given: str,
    kind: EventType,
    data: dict[str, Any],
    subject: Any = None,
) -> None:
    """The consumer reads ``kind`` published when ``given`` happens (about an order by default)."""
    about = subject if subject is not None else match.like(ORDER)
    (
        pact.upon_receiving(description, "Async")
        .given(given, event=kind.value)
        .with_body(cloudevent(kind, about, data), content_type="application/json")
        .with_metadata({"contentType": "application/json"})
    )


def stock_position() -> Any:
    return match.regex(POSITION, regex=r"^[^/]+/.+$")


def assert_committed(pact: Pact, scratch: Path) -> None:
    """The committed pact is the one this consumer test writes (or, with UPDATE set, becomes it)."""
    pact.write_file(scratch, overwrite=True)
    written = scratch / f"{pact.consumer}-{pact.provider}.json"
    committed = PACT_DIR / written.name
    if os.environ.get(UPDATE) == "1":
        partial = committed.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(written.read_bytes())
        partial.replace(committed)
    assert committed.exists(), f"no committed pact {committed.name}; run with {UPDATE}=1"
    assert json.loads(committed.read_text()) == json.loads(written.read_text()), (
        f"contracts/pacts/{committed.name} differs from what the {pact.consumer} consumer test "
        f"writes; run the consumer tests with {UPDATE}=1 and commit the pact"
    )
