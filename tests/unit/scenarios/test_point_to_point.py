"""Point-to-point order capture: each channel's interface into the ERP, traced in virtual time."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import simpy

from reference.domain.model import Channel, Order
from reference.hub import PlaceOrder
from scenarios.building import build_hub
from scenarios.pointtopoint import Intake, dead_letter_queue, duplicate_check, next_up
from scenarios.spec import ScenarioSpec, SpecError, apply_overrides, load_spec
from scenarios.wiring import Wiring
from simulators.behavior.faults import Window
from simulators.behavior.webhook import WebhookSender
from simulators.systems.demand import ChannelOrder
from simulators.systems.estate import build_estate, example_order

H = 3600.0
OUTAGE = {"faults": [{"system": "erp", "kind": "outage", "start": "11h", "end": "11h45m"}]}
QUIET = {"channels.storefront.failure_rate": 0.0, "channels.storefront.duplicate_rate": 0.0}


class Trace:
    """What the intake tells measures and hands the ERP, with the virtual time of each."""

    def __init__(self, env: simpy.Environment) -> None:
        self.env = env
        self.log: list[tuple[Any, ...]] = []

    def placed(self, order_id: str, at: float, channel: str, duplicate: bool) -> None:
        self.log.append(("placed", order_id, duplicate))

    def lost(self, at: float, resend: bool = False) -> None:
        self.log.append(("lost", at))

    def submit(self, message: PlaceOrder) -> None:
        self.log.append(("erp", message.order_id, self.env.now))

    def at(self, when: float, message: PlaceOrder) -> None:
        timeout = self.env.timeout(when - self.env.now)
        timeout.callbacks.append(lambda _e: self.submit(message))


def point_to_point(overrides: dict[str, Any]) -> ScenarioSpec:
    spec = load_spec("point-to-point-vs-hub").variant("point-to-point")
    return apply_overrides(spec, overrides)


@pytest.fixture(scope="module")
def order() -> Order:
    spec = load_spec("point-to-point-vs-hub")
    return Order.model_validate(example_order(build_estate(spec.seed, skus=40), "PO-TEAK-BENCH"))


def run(spec: ScenarioSpec, placed: list[ChannelOrder]) -> list[tuple[Any, ...]]:
    env = simpy.Environment()
    trace = Trace(env)
    intake = Intake(env, spec, Wiring(spec, 7), 7, trace, trace.submit, trace.at)  # type: ignore[arg-type]

    def customers():  # type: ignore[no-untyped-def]
        for p in placed:
            yield env.timeout(p.placed_at - env.now)
            intake.route(p, f"SO-{p.number:07d}")

    env.process(customers())
    env.run(until=24 * H)
    return trace.log


def test_a_web_order_placed_during_an_erp_outage_is_lost_after_its_webhook_retries(order):
    spec = point_to_point({**OUTAGE, **QUIET})
    log = run(
        spec,
        [ChannelOrder(1, 10 * H, Channel.WEB, order), ChannelOrder(2, 11 * H, Channel.WEB, order)],
    )
    assert log == [
        ("placed", "SO-0000001", False),
        ("erp", "SO-0000001", 10 * H),
        ("lost", 11 * H),
    ]


def test_a_webhook_that_outlasts_the_outage_reaches_the_erp_on_a_retry(order):
    spec = point_to_point({**OUTAGE, **QUIET})
    # attempts at +0, +1, +3, +7 and +15 s; the ERP is back 10 s after the order was placed
    placed_at = 11.75 * H - 10.0
    assert run(spec, [ChannelOrder(1, placed_at, Channel.WEB, order)]) == [
        ("placed", "SO-0000001", False),
        ("erp", "SO-0000001", placed_at + 15.0),
    ]


def test_a_redelivered_webhook_is_a_second_sales_order_in_the_erp(order):
    spec = point_to_point({**QUIET, "channels.storefront.duplicate_rate": 1.0})
    assert run(spec, [ChannelOrder(1, 10 * H, Channel.WEB, order)]) == [
        ("placed", "SO-0000001", False),
        ("erp", "SO-0000001", 10 * H),
        ("placed", "SO-0000001-1", True),
        ("erp", "SO-0000001-1", 10 * H + 1.0),
    ]


def test_a_resent_order_number_reaches_the_erp_as_a_duplicate(order):
    spec = point_to_point(QUIET)
    log = run(spec, [ChannelOrder(5, 10 * H, Channel.WEB, order, resend=True)])
    assert log == [("placed", "SO-0000005", True), ("erp", "SO-0000005", 10 * H)]


def test_an_edi_file_waits_for_the_first_pick_up_after_the_outage(order):
    spec = point_to_point(OUTAGE)  # edi_850 is a file picked up every 30 minutes
    log = run(spec, [ChannelOrder(1, 11 * H + 600, Channel.EDI, order)])
    # the 11:30 pick-up finds the ERP down; the file is read at 12:00, and nothing is lost
    assert log == [("placed", "SO-0000001", False), ("erp", "SO-0000001", 12 * H)]


def test_a_sales_rep_keys_the_order_in_when_the_erp_is_back(order):
    spec = point_to_point(OUTAGE)
    log = run(spec, [ChannelOrder(1, 11 * H + 60, Channel.SALES_REP, order)])
    assert log == [("placed", "SO-0000001", False), ("erp", "SO-0000001", 11.75 * H)]


def test_a_synchronous_order_call_refused_by_a_down_erp_is_lost(order):
    spec = point_to_point({**OUTAGE, "topology.flows.marketplace_orders.pattern": "sync_api"})
    log = run(
        spec,
        [
            ChannelOrder(1, 11 * H, Channel.MARKETPLACE, order),
            ChannelOrder(2, 12 * H, Channel.MARKETPLACE, order),
        ],
    )
    assert log == [("lost", 11 * H), ("placed", "SO-0000002", False), ("erp", "SO-0000002", 12 * H)]


def test_the_erp_is_back_at_the_end_of_the_last_overlapping_outage():
    windows = [Window(100.0, 200.0), Window(150.0, 300.0), Window(400.0, 500.0)]
    assert next_up(windows, 120.0) == 300.0
    assert next_up(windows, 300.0) == 300.0
    assert next_up(windows, 50.0) == 50.0


def test_a_receiver_that_is_never_down_sees_the_webhooks_a_hub_sees():
    sender = WebhookSender(duplicate_rate=0.3, max_attempts=5, backoff=1.0, failure_rate=0.4)
    plain, watched = np.random.default_rng(11), np.random.default_rng(11)
    for k in range(200):
        assert sender.deliveries(k * 60.0, plain) == sender.deliveries(
            k * 60.0, watched, lambda _t: False
        )


def test_a_point_to_point_estate_has_no_duplicate_check_and_no_dead_letter_queue():
    base = load_spec("point-to-point-vs-hub")
    hub, p2p = base.variant("canonical-hub"), base.variant("point-to-point")
    assert duplicate_check(hub) and dead_letter_queue(hub)
    assert not duplicate_check(p2p) and not dead_letter_queue(p2p)
    estate = build_estate(p2p.seed, skus=40)
    assert build_hub(hub, estate, 1).config.check_duplicates
    assert not build_hub(p2p, estate, 1).config.check_duplicates


def test_a_point_to_point_channel_that_sends_its_orders_elsewhere_than_the_erp_is_refused():
    spec = load_spec("point-to-point-vs-hub").variant("point-to-point")
    with pytest.raises(SpecError) as refused:
        apply_overrides(spec, {"topology.flows.web_orders.target": "wms"})
    text = str(refused.value)
    assert "topology.flows[0].target" in text or "web_orders" in text, text
    assert "'wms'" in text and "'erp'" in text, text
