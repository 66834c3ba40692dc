"""The hub's provider states for message pacts: what must happen in the real core to publish a fact.

Each state is a small story run from scratch through the real hub core (``reference.hub``) and the
simulated systems (``simulators.systems``), driven by the SimPy shell (``simulators.sim``) with
fixed latencies, so a story publishes the same events every time. The estate is the same few
lines a reader can hold in their head; stock, and the shelf a warehouse really has, vary by story.

A message pact names a state and the event it expects from it (``given(state, event="...")``);
``events_for`` runs the story and returns everything the hub published, in order. Nothing is
kept between runs: each call builds a fresh hub, fresh systems and a fresh clock.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

import numpy as np
import simpy

from reference.domain.events import Event
from reference.domain.model import (
    Address,
    InventoryMovement,
    InventorySnapshot,
    MovementKind,
    Order,
    OrderLine,
)
from reference.hub import (
    CancelOrder,
    CreditReason,
    Hub,
    HubConfig,
    HubState,
    IssueCreditMemo,
    Message,
    PlaceOrder,
    ReconcileSnapshot,
    RecordMovement,
)
from simulators.behavior.faults import Window
from simulators.behavior.profile import BehaviorSpec
from simulators.sim import sim_world
from simulators.systems.endpoint import simulated_systems
from simulators.systems.estate import Customer, Estate

SEED = 20260101
NODES = ("DC-ATL", "DC-DFW")
ATL, DFW = NODES
PIPE, BREAKER, VALVE = "PIPE-COPPER-15MM", "BREAKER-20A", "VALVE-BALL-22MM"
PRICES = {PIPE: Decimal("12.40"), BREAKER: Decimal("8.95"), VALVE: Decimal("21.30")}
ACME = Customer(
    "ACME-PLUMBING", "Acme Plumbing Supply", "GA", Decimal(100_000), Decimal("0.08"), Decimal(0)
)
ORDER_ID, CORRELATION = "ORD-000101", "corr-000101"
# Every system answers in 50 ms (BehaviorSpec's fixed default): a story's timeline is exact.
ERP_DOWN = {"erp": BehaviorSpec(outages=[Window(0.0, 3600.0)])}

Stock = Mapping[str, Mapping[str, int]]  # node -> sku -> units


def contract_estate(stock: Stock) -> Estate:
    """One customer buying three SKUs at contract prices, from two warehouses."""
    skus = list(PRICES)
    return Estate(
        seed=SEED,
        skus=skus,
        list_prices=dict(PRICES),
        popularity=np.full(len(skus), 1 / len(skus)),
        customers=[ACME],
        contract_prices={(ACME.customer_id, sku): price for sku, price in PRICES.items()},
        restricted={},
        nodes=NODES,
        stock={node: dict(stock.get(node, {})) for node in NODES},
    )


class Story:
    """The hub core and its systems on one SimPy clock; ``shelf`` is what the WMS really holds
    when it differs from the hub's books (``stock``)."""

    def __init__(
        self,
        stock: Stock,
        shelf: Stock | None = None,
        behaviors: Mapping[str, BehaviorSpec] | None = None,
    ) -> None:
        estate = contract_estate(stock)
        self.events: list[Event] = []
        self.env = simpy.Environment()
        self.hub = Hub(
            HubConfig(nodes=estate.nodes, seed=SEED), HubState(inventory=estate.opening_stock())
        )
        self.models = (estate if shelf is None else contract_estate(shelf)).systems(0.0)
        systems = simulated_systems(self.models, dict(behaviors or {}), SEED)  # type: ignore[arg-type]
        self.driver, _ = sim_world(self.env, self.hub, systems, self.events.append)

    def at(self, when: float, message: Message) -> Story:
        self.env.timeout(when).callbacks.append(lambda _: self.driver.submit(message))
        return self

    def run(self) -> list[Event]:
        self.env.run()
        return self.events


def order(*lines: tuple[str, int], price: Mapping[str, Decimal] = PRICES) -> PlaceOrder:
    placed = Order(
        order_number="PO-4471",
        customer_id=ACME.customer_id,
        currency="USD",
        ship_to=Address(
            name="Receiving",
            line1="1 Dock Way",
            city="Atlanta",
            region=ACME.region,
            postal_code="30301",
            country="US",
        ),
        lines=[
            OrderLine(line_no=n, sku=sku, quantity=qty, unit_price=price[sku])
            for n, (sku, qty) in enumerate(lines, start=1)
        ],
    )
    return PlaceOrder(placed, ORDER_ID, CORRELATION)


def ships_complete() -> list[Event]:
    stock = {ATL: {PIPE: 40, BREAKER: 40}}
    return Story(stock).at(0, order((PIPE, 10), (BREAKER, 5))).run()


def credited_for_a_return() -> list[Event]:
    """Ships complete (ATL), then the ERP credits two of the ten pipes that came back."""
    stock = {ATL: {PIPE: 40, BREAKER: 40}}
    memo = IssueCreditMemo(
        ORDER_ID,
        "CM-000101-1",
        f"INV-SH-{ORDER_ID}-{ATL}",
        CreditReason.RETURN,
        Decimal("26.78"),
        "USD",
        CORRELATION,
    )
    return Story(stock).at(0, order((PIPE, 10), (BREAKER, 5))).at(3600, memo).run()


def price_differs() -> list[Event]:
    wrong = {**PRICES, BREAKER: Decimal("7.95")}
    return Story({ATL: {BREAKER: 40}}).at(0, order((BREAKER, 5), price=wrong)).run()


def splits() -> list[Event]:
    stock = {ATL: {PIPE: 40}, DFW: {VALVE: 12}}
    return Story(stock).at(0, order((PIPE, 10), (VALVE, 4))).run()


def backorders() -> list[Event]:
    return Story({ATL: {PIPE: 40}}).at(0, order((PIPE, 10), (BREAKER, 5))).run()


def short_picks() -> list[Event]:
    story = Story({ATL: {PIPE: 40}}, shelf={ATL: {PIPE: 6}})
    return story.at(0, order((PIPE, 10))).run()


def cancelled_by_customer() -> list[Event]:
    # ERP accepts at 0.05 s and the carrier rate that releases the order returns at 0.10 s:
    # a cancellation at 0.075 s finds the order accepted and not yet in a warehouse.
    story = Story({ATL: {PIPE: 40}}).at(0, order((PIPE, 10)))
    return story.at(0.075, CancelOrder(ORDER_ID, "customer request")).run()


def erp_exhausts_retries() -> list[Event]:
    return Story({ATL: {PIPE: 40}}, behaviors=ERP_DOWN).at(0, order((PIPE, 10))).run()


def receives_stock() -> list[Event]:
    receipt = InventoryMovement(
        movement_id="RCV-88213", node_id=ATL, sku=PIPE, kind=MovementKind.RECEIPT, quantity=24
    )
    return Story({ATL: {PIPE: 0}}).at(0, RecordMovement(receipt, CORRELATION)).run()


def count_differs() -> list[Event]:
    story = Story({ATL: {PIPE: 40, BREAKER: 12}}, shelf={ATL: {PIPE: 37, BREAKER: 12}})
    counted = story.models[f"wms:{ATL}"].handle("snapshot", {})  # type: ignore[attr-defined]
    snapshot = InventorySnapshot.model_validate(
        {"snapshot_id": "CC-2026-001", "node_id": ATL, "lines": counted["lines"]}
    )
    return story.at(0, ReconcileSnapshot(snapshot, CORRELATION)).run()


STATES: dict[str, Callable[[], list[Event]]] = {
    "an order is accepted and ships complete": ships_complete,
    "an invoice is credited for a return": credited_for_a_return,
    "an order's price differs from the contract price": price_differs,
    "an order needs two warehouses": splits,
    "a line is backordered for lack of stock": backorders,
    "a line is short picked": short_picks,
    "a customer cancels an order before it is released": cancelled_by_customer,
    "a call to ERP exhausts its retries": erp_exhausts_retries,
    "stock is received at a warehouse": receives_stock,
    "a warehouse count differs from the hub's books": count_differs,
}


class UnknownState(LookupError):
    def __str__(self) -> str:
        return f"the hub has no provider state {self.args[0]!r}; it knows: {sorted(STATES)}"


def events_for(state: str) -> list[Event]:
    """Run the story behind ``state`` from scratch; every event the hub published, in order."""
    story = STATES.get(state)
    if story is None:
        raise UnknownState(state)
    return story()
