"""A second version of an event beside the first: each consumer reads the versions it knows.

OrderAccepted v2 (made up for this test; the hub emits v1) carries the order value as money, an
amount with its currency, instead of v1's two loose fields: a retype and a removal, so it cannot
replace v1 in place. During the move the producer publishes both versions of each fact.
"""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ConfigDict, ValidationError
from small_distributor import order

from reference.domain.event_schemas import (
    EVENT_SCHEMAS,
    CurrencyCode,
    DecimalText,
    EventData,
    OrderAccepted,
    UnknownEventSchema,
)
from reference.domain.events import Event, EventType
from reference.hub import PlaceOrder


class OrderValue(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    amount: DecimalText
    currency: CurrencyCode


class OrderAcceptedV2(EventData):
    value: OrderValue


def as_v2(event: Event) -> Event:
    """What a producer that has moved publishes beside v1 for the same fact."""
    money = {"amount": event.data["value"], "currency": event.data["currency"]}
    return event._replace(id=f"{event.id}/v2", schema_version="2", data={"value": money})


V1_CONSUMER = EVENT_SCHEMAS
V2_CONSUMER = EVENT_SCHEMAS.with_version(EventType.ORDER_ACCEPTED, "2", OrderAcceptedV2)


@pytest.fixture
def accepted(driver_for) -> Event:
    driver = driver_for({("DC-ATL", "BREAKER-20A"): 10})
    driver.send(PlaceOrder(order(("BREAKER-20A", 4)), "SO-1", "corr-SO-1"))
    return next(e for e in driver.events if e.type is EventType.ORDER_ACCEPTED)


def test_the_hub_still_emits_order_accepted_v1(accepted):
    assert accepted.to_cloudevent()["schemaversion"] == "1"
    assert set(accepted.data) == {"value", "currency", "tax", "tax_rate"}


def test_a_consumer_that_has_not_moved_reads_v1_and_refuses_v2_by_its_version(accepted):
    read = V1_CONSUMER.read(accepted.to_cloudevent())
    assert isinstance(read.data, OrderAccepted)
    assert (read.data.value, read.data.currency) == ("35.80", "USD")
    with pytest.raises(UnknownEventSchema, match=r"OrderAccepted version '2'; versions known: 1$"):
        V1_CONSUMER.read(as_v2(accepted).to_cloudevent())


def test_a_consumer_that_has_moved_reads_each_version_by_its_own_schema(accepted):
    old = V2_CONSUMER.read(accepted.to_cloudevent())
    new = V2_CONSUMER.read(as_v2(accepted).to_cloudevent())
    assert isinstance(old.data, OrderAccepted)
    assert isinstance(new.data, OrderAcceptedV2)
    assert new.data.value == OrderValue(amount=old.data.value, currency=old.data.currency)
    assert V2_CONSUMER.versions(EventType.ORDER_ACCEPTED) == ["1", "2"]
    assert V1_CONSUMER.versions(EventType.ORDER_ACCEPTED) == ["1"]


def test_an_event_is_read_by_the_version_it_claims_not_by_the_shape_it_has(accepted):
    claims_v2 = accepted._replace(schema_version="2")  # v1 data under a v2 label
    with pytest.raises(ValidationError, match=r"data\.value"):
        V2_CONSUMER.read(claims_v2.to_cloudevent())


def test_a_field_a_version_does_not_name_is_ignored_by_its_readers(accepted):
    grown = accepted._replace(data={**accepted.data, "lines": 1})
    assert V1_CONSUMER.read(grown.to_cloudevent()).data == OrderAccepted(
        value="35.80", currency="USD", tax="2.86", tax_rate="0.08"
    )


def test_each_version_has_its_own_published_schema():
    v1 = V2_CONSUMER.envelope_schema(EventType.ORDER_ACCEPTED, "1")
    v2 = V2_CONSUMER.envelope_schema(EventType.ORDER_ACCEPTED, "2")
    assert v1 == EVENT_SCHEMAS.envelope_schema(EventType.ORDER_ACCEPTED, "1")
    assert v2["properties"]["schemaversion"] == {"const": "2", "type": "string"}
    assert v2["$defs"]["OrderAcceptedV2"]["properties"]["value"] == {"$ref": "#/$defs/OrderValue"}
