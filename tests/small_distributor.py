"""A small distributor that a reader can hold in their head, and a driver that runs the hub on it.

A plain module, not a conftest, so test modules can import it by name (pytest puts tests/ on the
path); tests/conftest.py wraps it in fixtures.
"""

from __future__ import annotations

from collections import deque
from decimal import Decimal

from reference.domain.availability import Inventory, StockPosition
from reference.domain.events import Event
from reference.domain.model import Address, Order, OrderLine
from reference.hub import (
    CallSystem,
    DeadLetter,
    FailureKind,
    Hub,
    HubConfig,
    HubState,
    Message,
    ScheduleTimer,
    SystemCallFailed,
    SystemReplied,
)
from reference.hub.interpreter import carry_out
from simulators.systems.base import Rejected
from simulators.systems.erp import CustomerRecord, Erp
from simulators.systems.wms import Wms

NODES = ("DC-ATL", "DC-DFW", "DC-RNO")
PRICES = {
    "PIPE-COPPER-15MM": Decimal("12.40"),
    "BREAKER-20A": Decimal("8.95"),
    "SOLVENT-CEMENT-CHM": Decimal("6.10"),
}


class InlinePorts:
    """Ports that answer every call at once from the pure models, queueing the answer; timers
    and dead letters are kept for the test to look at."""

    def __init__(self, systems: dict[str, object]) -> None:
        self.systems = systems
        self.answers: deque[Message] = deque()
        self.events: list[Event] = []
        self.dead_letters: list[DeadLetter] = []
        self.timers: list[ScheduleTimer] = []

    def publish(self, event: Event) -> None:
        self.events.append(event)

    def call(self, call: CallSystem) -> None:
        model = self.systems[call.system]
        try:
            body = model.handle(call.operation, call.payload)  # type: ignore[attr-defined]
            self.answers.append(SystemReplied(call, body))
        except Rejected as refused:
            self.answers.append(SystemCallFailed(call, FailureKind.REFUSED, None, refused.reason))

    def schedule(self, timer: ScheduleTimer) -> None:
        self.timers.append(timer)

    def dead_letter(self, letter: DeadLetter) -> None:
        self.dead_letters.append(letter)


class InlineDriver:
    """Drives the pure hub with the pure system models, answering every call at once, in order.

    Not a shell of the product: a test harness that makes sagas easy to follow step by step,
    built on the one interpreter (reference/hub/interpreter.py) like every world.
    """

    def __init__(self, hub: Hub, systems: dict[str, object]) -> None:
        self.hub = hub
        self.systems = systems
        self.ports = InlinePorts(systems)
        self.events = self.ports.events
        self.dead_letters = self.ports.dead_letters
        self.timers = self.ports.timers
        self.now = 0.0

    def send(self, message: Message) -> None:
        answers = self.ports.answers
        answers.append(message)
        while answers:
            carry_out(self.hub.decide(answers.popleft(), self.now), self.ports)

    def types(self, order_id: str) -> list[str]:
        return [e.type.value for e in self.events if e.subject == order_id]


def make_erp() -> Erp:
    return Erp(
        customers={
            "ACME-PLUMBING": CustomerRecord("ACME-PLUMBING", Decimal("100000"), Decimal("0.08")),
            "TINY-HARDWARE": CustomerRecord("TINY-HARDWARE", Decimal("50"), Decimal("0")),
            "HELD-CO": CustomerRecord("HELD-CO", Decimal("100000"), Decimal("0"), blocked=True),
        },
        contract_prices={
            (c, sku): price
            for c in ("ACME-PLUMBING", "TINY-HARDWARE", "HELD-CO")
            for sku, price in PRICES.items()
        },
        restricted={"SOLVENT-CEMENT-CHM": frozenset({"CA"})},
    )


def make_hub(stock: dict[tuple[str, str], int], **config: object) -> Hub:
    inventory = Inventory({key: StockPosition(on_hand=qty) for key, qty in stock.items()})
    return Hub(HubConfig(nodes=NODES, **config), HubState(inventory=inventory))  # type: ignore[arg-type]


def make_wms(stock: dict[tuple[str, str], int], short_pick_rate: float = 0.0, seed: int = 0):
    return {
        f"wms:{node}": Wms(
            node, {sku: q for (n, sku), q in stock.items() if n == node}, short_pick_rate, seed
        )
        for node in NODES
    }


def order(
    *lines: tuple[str, int],
    customer: str = "ACME-PLUMBING",
    number: str = "PO-1001",
    region: str = "GA",
    price: dict[str, Decimal] | None = None,
    currency: str = "USD",
) -> Order:
    prices = price or PRICES
    return Order(
        order_number=number,
        customer_id=customer,
        currency=currency,
        ship_to=Address(
            name="Receiving",
            line1="1 Dock Way",
            city="Atlanta",
            region=region,
            postal_code="30301",
            country="US",
        ),
        lines=[
            OrderLine(line_no=i, sku=sku, quantity=qty, unit_price=prices[sku])
            for i, (sku, qty) in enumerate(lines, start=1)
        ],
    )
