"""Every event the hub emits matches the published schema of its (type, schemaversion).

The events come from the real core: a seeded scenario day (with an ERP outage, so calls are
dead-lettered), plus the small distributor for the facts a day rarely produces (a stock count the
WMS disagrees with, an order with nothing to ship). The schemas are the JSON Schemas consumers get,
checked by an independent validator, so a field the hub adds, drops or retypes fails here.
"""

from __future__ import annotations

from collections import Counter

import jsonschema_rs
import pytest
from small_distributor import order

from reference.domain.event_schemas import EVENT_SCHEMAS
from reference.domain.events import Event, EventType
from reference.domain.model import InventoryMovement, InventorySnapshot, MovementKind, SnapshotLine
from reference.hub import PlaceOrder, ReconcileSnapshot, RecordMovement
from scenarios.spec import apply_overrides, load_spec
from scenarios.world import World

ATL, BREAKER = "DC-ATL", "BREAKER-20A"


class RecordingWorld(World):
    """The scenario world, keeping every event the hub published."""

    def __init__(self, *args: object) -> None:
        self.published: list[Event] = []
        super().__init__(*args)  # type: ignore[arg-type]

    def _on_event(self, event: Event) -> None:
        self.published.append(event)
        super()._on_event(event)


@pytest.fixture(scope="module")
def seeded_day() -> list[Event]:
    spec = apply_overrides(
        load_spec("erp-outage-at-peak"),
        {
            "demand.orders_per_day": 1500,
            "horizon": 6 * 3600,
            "drain": 6 * 3600,
            "faults": [{"system": "erp", "start": 3600, "end": 7200}],
            "hub.retry.max_attempts": 2,
        },
    )
    world = RecordingWorld(spec, "baseline", 0, 3)
    world.run()
    return world.published


@pytest.fixture
def rare_facts(driver_for) -> list[Event]:
    driver = driver_for({(ATL, BREAKER): 10})
    driver.send(PlaceOrder(order(("PIPE-COPPER-15MM", 2)), "SO-NOTHING", "corr-nothing"))
    driver.send(
        RecordMovement(
            InventoryMovement(
                movement_id="MV-Q1",
                node_id=ATL,
                sku=BREAKER,
                kind=MovementKind.QUARANTINE,
                quantity=2,
            )
        )
    )
    counted = [SnapshotLine(sku=BREAKER, on_hand=7)]
    driver.send(
        ReconcileSnapshot(InventorySnapshot(snapshot_id="CC-ATL-1", node_id=ATL, lines=counted))
    )
    return driver.events


def problems(events: list[Event]) -> list[str]:
    validators = {
        key: jsonschema_rs.validator_for(EVENT_SCHEMAS.envelope_schema(*key), validate_formats=True)
        for key in EVENT_SCHEMAS
    }
    found = []
    for event in events:
        validator = validators.get((event.type, event.schema_version))
        if validator is None:
            found.append(f"{event.id}: no schema for {event.type} v{event.schema_version}")
            continue
        cloudevent = event.to_cloudevent()
        found += [
            f"{event.id} ({event.type}): {e.message}" for e in validator.iter_errors(cloudevent)
        ]
    return found


# What a simulated day does not produce: nobody pays, credits or cancels in a what-if run, the
# ERP refuses no committed order and changes no tax rate, and a backorder waits longer than the
# day. The message pacts (bi, crm, finance, wms), the service's payment, credit memo and
# cancellation tests and the tax unit tests check these events against their schemas instead.
NOT_IN_A_DAY = {
    EventType.PAYMENT_APPLIED,
    EventType.ORDER_PAID,
    EventType.SALES_ORDER_REJECTED,
    EventType.ORDER_CANCEL_REQUESTED,
    EventType.ORDER_CANCELLED,
    EventType.BACKORDER_CANCELLED,
    EventType.CREDIT_MEMO_ISSUED,
    EventType.INVOICE_TAX_DIFFERED,
}


def test_every_event_of_a_seeded_day_matches_the_schema_of_its_type_and_version(
    seeded_day, rare_facts
):
    events = seeded_day + rare_facts
    assert len(seeded_day) > 1000
    assert problems(events) == []
    emitted = Counter(e.type for e in events)
    registered = {kind for kind, _ in EVENT_SCHEMAS}
    assert set(emitted) == registered - NOT_IN_A_DAY, "a schema no run exercises"
    assert {e.schema_version for e in events} == {"1"}


def test_the_hub_emits_today_what_every_registered_schema_describes(seeded_day, rare_facts):
    """Each type a day can produce appears at least once, so no schema above went unchecked."""
    emitted = {e.type for e in seeded_day + rare_facts}
    assert set(EventType) - emitted == NOT_IN_A_DAY


@pytest.mark.parametrize("spoil", ["drop a field", "add a field", "retype a field"])
def test_an_event_that_drifts_from_its_schema_is_caught(seeded_day, rare_facts, spoil):
    samples = {e.type: e for e in seeded_day + rare_facts}
    for event in samples.values():
        data = dict(event.data)
        first = next(iter(data))
        if spoil == "drop a field":
            del data[first]
        elif spoil == "add a field":
            data["promised_at"] = "2026-01-02"
        else:
            data[first] = [data[first]]
        drifted = problems([event._replace(data=data)])
        assert drifted, (event.type, spoil)
        assert all(p.startswith(f"{event.id} ({event.type})") for p in drifted)
