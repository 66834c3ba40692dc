"""The hub's contract with TMS: a carrier and a price for one node's share of an order."""

from __future__ import annotations

import pytest
from pact import match
from systems_calls import JSON, MONEY, ORDER_ID, call, expect_call, send

from contracts.participants import HUB, TMS
from reference.hub import SystemReplied

CONSUMER, PROVIDER = HUB, TMS
pytestmark = pytest.mark.xdist_group("pact-hub-tms")


def test_tms_rates_a_release_with_a_carrier(recorder):
    pact = recorder.pact()
    outgoing = call(
        "tms",
        "rate",
        {"order_id": ORDER_ID, "node": "DC-ATL", "region": "NY", "units": 3},
        about="DC-ATL",
    )
    (
        expect_call(pact, "a release to rate", "/tms/rate", outgoing)
        .will_respond_with(200)
        .with_body(
            {
                "carrier": match.str("PARCELCO"),
                "service": match.str("ground"),
                "cost": match.regex("14.50", regex=MONEY),
            },
            content_type=JSON,
        )
    )
    with recorder.serve(pact) as url:
        reply = send(url, outgoing)

    assert isinstance(reply, SystemReplied)
    assert reply.body["carrier"] == "PARCELCO"  # the hub releases with this carrier
