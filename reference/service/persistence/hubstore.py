"""One message, one transaction: load what it touches, let the core decide, write it all back.

Theory of operation. ``HubStore.transaction(message)`` is the work of one writing transaction
(the runtime runs it, then calls ``committed``), which

1. locks and loads what the message touches (reference/hub/touches.py: the saga it is about,
   the customer's open exposure, the stock positions and event streams the decision may change;
   PostgreSQL: ``SELECT ... FOR UPDATE``, stock rows in sorted (node, sku) order, so two
   transactions never wait on each other in a cycle; SQLite: the whole transaction holds the
   write lock from ``BEGIN IMMEDIATE``);
2. builds a small HubState holding just those and calls ``Hub.decide``;
3. carries the decision out through the durable ports (reference/service/persistence/rows.py:
   events into the outbox, effects into pending_effects or dead_letters), writes back what
   changed, deletes the effect row the message answers, and commits.

Given a system that answers at once (``answer``: the in-process systems at zero latency), a
call to it needs no row: its reply is drawn in step 3 and decided in the same transaction, on
the same loaded state (loading what the reply touches beyond it), and so on down the chain, the
calls answered in the order they were made. A crash loses all of it or none.

Nothing correct depends on process memory: a process that dies between two messages leaves rows
from which any process continues. The core touching a stock position or exposure it was not
given is a bug in step 1, and raises instead of writing a guess.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import Connection

from reference.domain.availability import Inventory, StockPosition
from reference.domain.events import EventType
from reference.hub import (
    CallSystem,
    ConfirmShipment,
    Decision,
    Hub,
    HubConfig,
    HubState,
    Message,
    SystemReplied,
)
from reference.hub.interpreter import carry_out
from reference.hub.state import OrderSaga
from reference.hub.touches import order_of, touches
from reference.service.persistence import statements as sql
from reference.service.persistence.codec import dump_saga, load_saga
from reference.service.persistence.database import Database
from reference.service.persistence.driver import execute
from reference.service.persistence.rows import Claim, Claimed, RowPorts
from reference.service.timebase import core_time, unix_time, wall

log = logging.getLogger("crossdock.service.hub")
# A system that answers at once: the reply to a call, drawn and given now (see ports.py)
Answer = Callable[[CallSystem, float], Message]
AT_ONCE_LIMIT = 64  # messages decided in one transaction; a longer chain goes on after commit
POSITION_FIELDS = ("on_hand", "allocated", "quarantined", "safety_stock", "in_transit")
NEW_POSITION_FIELDS = tuple(f"new_{f}" for f in POSITION_FIELDS)


class Alongside(Protocol):
    """Work that commits, or rolls back, with one message's decision."""

    def before(self, conn: Connection) -> Message | None:
        """Write what must precede the decision; return the message to decide, or None."""

    def after(self, conn: Connection, applied: Applied) -> None:
        """Write what follows from the decision, before commit."""


@dataclass
class Applied:
    """What one message led to, as committed, and the effects this process leased to perform."""

    decision: Decision
    sagas: dict[str, dict[str, Any]] = field(default_factory=dict)
    claimed: list[Claimed] = field(default_factory=list)
    published: int = 0  # events into the outbox: the relay has work
    unclaimed: int = 0  # effect rows nobody leased: the worker has work


class HubStore:
    """``clock`` is the core's: seconds since SERVICE_EPOCH, from the wall clock in the service
    and from a virtual loop in the twin (which then sees exactly the times SimPy computes).
    ``answer``, when given, answers calls at once inside the transaction that makes them."""

    def __init__(
        self,
        db: Database,
        config: HubConfig,
        on_commit: Callable[[Applied], None] | None = None,
        clock: Callable[[], float] = lambda: core_time(wall()),
        answer: Answer | None = None,
    ) -> None:
        self.db = db
        self.config = config
        self.on_commit = on_commit
        self.clock = clock
        self.answer = answer

    def transaction(
        self, message: Message, *, done_effect: int | None = None, claim: Claim | None = None
    ) -> Callable[[Connection], Applied]:
        """The work of one transaction deciding ``message``; whoever runs it calls
        ``committed`` with what it returned once it has committed."""
        return lambda conn: self._apply(conn, message, done_effect, claim)

    def transaction_alongside(
        self, alongside: Alongside, *, claim: Claim | None = None
    ) -> Callable[[Connection], Applied | None]:
        """The message ``alongside.before`` returns, decided in one transaction with whatever
        ``before`` and ``after`` write (an Idempotency-Key taken and its answer stored, say).
        ``before`` may return None: nothing is decided, and the work returns None."""

        def work(conn: Connection) -> Applied | None:
            message = alongside.before(conn)
            if message is None:
                return None
            applied = self._apply(conn, message, None, claim)
            alongside.after(conn, applied)
            return applied

        return work

    def committed(self, applied: Applied) -> None:
        if self.on_commit is not None:
            self.on_commit(applied)

    # -- the transaction ---------------------------------------------------------------------
    def _apply(
        self,
        conn: Connection,
        message: Message,
        done_effect: int | None,
        claim: Claim | None,
    ) -> Applied:
        now = self.clock()
        now_wall = unix_time(now)
        answer = self.answer
        loaded = _Loaded(conn, self.db.dialect == "postgresql", self.config)
        rows = RowPorts(conn, loaded.lock, now_wall, claim, at_once=answer is not None)
        decision = self._decide(conn, loaded, rows, message, now, now_wall)
        # Calls to systems that answer at once are answered here, oldest first, and their
        # answers decided in this same transaction: no row, no round trip, nothing to resume.
        decided = 1
        while rows.at_once:
            call = rows.at_once.popleft()
            if answer is None or decided >= AT_ONCE_LIMIT:
                rows.keep(call)  # a long chain goes on after commit, as any other call
                continue
            self._decide(conn, loaded, rows, answer(call, now), now, now_wall)
            decided += 1
        loaded.write_back(now_wall)
        rows.flush()
        applied = Applied(
            decision, claimed=rows.claimed, published=len(rows.events), unclaimed=rows.unclaimed
        )
        if done_effect is not None:
            execute(conn, sql.DELETE_EFFECT, {"key_id": done_effect})
        applied.sagas = {oid: dump_saga(s) for oid, s in loaded.state.orders.items()}
        return applied

    def _decide(
        self,
        conn: Connection,
        loaded: _Loaded,
        rows: RowPorts,
        message: Message,
        now: float,
        now_wall: float,
    ) -> Decision:
        loaded.load(message)
        decision = Hub(self.config, loaded.state).decide(message, now)
        carry_out(decision, rows)
        self._project(conn, message, decision, now_wall)
        return decision

    def _project(
        self, conn: Connection, message: Message, decision: Decision, now_wall: float
    ) -> None:
        """Read models the API serves: shipments and invoices, from the facts just decided."""
        for event in decision.events:
            if event.type is EventType.SHIPMENT_CONFIRMED:
                lines = _shipment_lines(message)
                execute(
                    conn,
                    sql.INSERT_SHIPMENT,
                    {
                        "shipment_id": event.data["shipment_id"],
                        "order_id": event.subject,
                        "node": event.data["node"],
                        "carrier": event.data.get("carrier"),
                        "units": int(event.data["units"]),
                        "lines": lines,
                        "created_at": now_wall,
                    },
                )
            elif event.type is EventType.INVOICE_POSTED and isinstance(message, SystemReplied):
                body = dict(message.body)
                execute(
                    conn,
                    sql.INSERT_INVOICE,
                    {
                        "invoice_id": event.data["invoice_id"],
                        "order_id": event.subject,
                        "shipment_id": event.data["shipment_id"],
                        "customer_id": body["customer_id"],
                        "body": body,
                        "created_at": now_wall,
                    },
                )


def _shipment_lines(message: Message) -> list[dict[str, Any]]:
    if isinstance(message, ConfirmShipment):
        return [
            {"line_no": int(ln["line_no"]), "quantity": int(ln["quantity"])} for ln in message.lines
        ]
    if isinstance(message, SystemReplied):
        return [
            {"line_no": int(ln["line_no"]), "quantity": int(ln["quantity"])}
            for ln in message.body.get("lines", ())
        ]
    return []


class _Loaded:
    """The rows one transaction read, as a HubState, and how to write the changes back."""

    def __init__(self, conn: Connection, lock: bool, config: HubConfig) -> None:
        self.conn = conn
        self.lock = lock
        self.config = config
        self.state = HubState(inventory=Inventory())
        self.sagas_before: dict[str, dict[str, Any] | None] = {}
        self.numbers_before: set[tuple[str, str]] = set()
        self.numbers_checked: set[tuple[str, str]] = set()
        self.positions_before: dict[tuple[str, str], tuple[int, ...] | None] = {}
        self.exposure_before: dict[str, Decimal | None] = {}
        self.streams_before: dict[str, int | None] = {}
        self.waiting_before: set[tuple[str, str]] = set()
        self.queue_skus: set[str] = set()  # whole queues loaded
        self.placed_orders: set[str] = set()  # every place of these orders loaded

    def load(self, message: Message) -> None:
        """Add what ``message`` touches to what this transaction holds (loaded once each)."""
        order_id = order_of(message)
        saga = None
        if order_id is not None:
            if order_id in self.sagas_before:
                saga = self.state.orders.get(order_id)
            else:
                saga = self.saga(order_id)
        wanted = touches(message, saga, self.config)
        if wanted.order_number is not None:
            self.order_number(*wanted.order_number)
        if wanted.exposure is not None:
            self.exposure(wanted.exposure)
        self.queues(wanted.waiting)
        self.places(sorted(self.state.orders))
        self.positions(wanted.positions)
        self.streams(wanted.streams)

    def _select(self, query: Any, params: dict[str, Any]) -> Any:
        return execute(self.conn, sql.LOCKED[query] if self.lock else query, params)

    def saga(self, order_id: str) -> OrderSaga | None:
        row = self._select(sql.SAGA, {"order_id": order_id}).first()
        if row is None:
            self.sagas_before[order_id] = None
            self.placed_orders.add(order_id)  # an order with no row has no queue places either
            return None
        saga = load_saga(row.saga)
        self.state.orders[order_id] = saga
        self.sagas_before[order_id] = row.saga
        return saga

    def queues(self, skus: Iterable[str]) -> None:
        """The queues of orders waiting for ``skus``, and every saga in them, in order id order
        (so two transactions lock sagas in one order)."""
        wanted = sorted(set(skus) - self.queue_skus)
        if not wanted:
            return
        found = []
        for start in range(0, len(wanted), 500):
            found += list(self._select(sql.QUEUES, {"skus": wanted[start : start + 500]}))
        self.queue_skus.update(wanted)
        for row in found:
            self._place(row.sku, row.order_id, float(row.received_at))
        for order_id in sorted({row.order_id for row in found}):
            if order_id not in self.sagas_before:
                self.saga(order_id)

    def places(self, order_ids: list[str]) -> None:
        """Every queue place of these orders, so a decision about them may add or drop any."""
        wanted = [oid for oid in order_ids if oid not in self.placed_orders]
        if not wanted:
            return
        for row in self._select(sql.PLACES, {"order_ids": wanted}):
            self._place(row.sku, row.order_id, float(row.received_at))
        self.placed_orders.update(wanted)

    def _place(self, sku: str, order_id: str, received_at: float) -> None:
        self.state.waiting.setdefault(sku, {})[order_id] = received_at
        self.waiting_before.add((sku, order_id))

    def order_number(self, customer_id: str, number: str) -> None:
        if (customer_id, number) in self.numbers_checked:
            return
        self.numbers_checked.add((customer_id, number))
        row = execute(
            self.conn, sql.ORDER_NUMBER, {"customer_id": customer_id, "order_number": number}
        ).first()
        if row is not None:
            self.state.order_numbers[(customer_id, number)] = row.order_id
            self.numbers_before.add((customer_id, number))

    def exposure(self, customer_id: str) -> None:
        if customer_id in self.exposure_before:
            return
        row = self._select(sql.EXPOSURE, {"customer_id": customer_id}).first()
        value = Decimal(row.open_value) if row is not None else None
        self.exposure_before[customer_id] = value
        if value is not None:
            self.state.exposure[customer_id] = value

    def positions(self, keys: Iterable[tuple[str, str]]) -> None:
        wanted = sorted(set(keys) - self.positions_before.keys())
        if not wanted:
            return
        found: dict[tuple[str, str], Any] = {}
        for node in sorted({n for n, _ in wanted}):
            skus = [s for n, s in wanted if n == node]
            for start in range(0, len(skus), 500):
                chunk = {"node": node, "skus": skus[start : start + 500]}
                for row in self._select(sql.POSITIONS, chunk):
                    found[(row.node, row.sku)] = row
        positions = dict(self.state.inventory.items())
        for key in wanted:
            row = found.get(key)
            if row is None:
                self.positions_before[key] = None
                continue
            values = tuple(int(getattr(row, f)) for f in POSITION_FIELDS)
            self.positions_before[key] = values
            positions[key] = StockPosition(*values)
        self.state.inventory = Inventory(positions)

    def streams(self, subjects: Iterable[str]) -> None:
        for subject in sorted(set(subjects) - self.streams_before.keys()):
            row = self._select(sql.STREAM, {"subject": subject}).first()
            self.streams_before[subject] = row.count if row is not None else None
            if row is not None:
                self.state.stream_counts[subject] = row.count

    def write_back(self, now_wall: float) -> None:
        conn, state = self.conn, self.state
        for order_id, saga in state.orders.items():
            data = dump_saga(saga)
            before = self.sagas_before.get(order_id, None)
            if order_id not in self.sagas_before:
                raise RuntimeError(f"the core created saga {order_id} it was not asked about")
            if before is None:
                execute(
                    conn,
                    sql.INSERT_ORDER,
                    {
                        "order_id": order_id,
                        "customer_id": saga.customer_id,
                        "order_number": saga.order_number,
                        "channel": saga.channel,
                        "state": saga.state.value,
                        "correlation_id": saga.correlation_id,
                        "saga": data,
                        "created_at": now_wall,
                        "updated_at": now_wall,
                    },
                )
            elif before != data:
                execute(
                    conn,
                    sql.UPDATE_ORDER,
                    {
                        "key_order_id": order_id,
                        "new_state": saga.state.value,
                        "new_saga": data,
                        "now": now_wall,
                    },
                )
        for key, order_id in state.order_numbers.items():
            if key not in self.numbers_before:
                execute(
                    conn,
                    sql.INSERT_ORDER_NUMBER,
                    {"customer_id": key[0], "order_number": key[1], "order_id": order_id},
                )
        for key, position in state.inventory.items():
            if key not in self.positions_before:
                raise RuntimeError(f"the core touched stock position {key} it was not given")
            values = tuple(getattr(position, f) for f in POSITION_FIELDS)
            before_pos = self.positions_before[key]
            if before_pos is None:
                row = dict(zip(POSITION_FIELDS, values, strict=True))
                execute(conn, sql.INSERT_POSITION, {"node": key[0], "sku": key[1], **row})
            elif before_pos != values:
                row = dict(zip(NEW_POSITION_FIELDS, values, strict=True))
                execute(conn, sql.UPDATE_POSITION, {"key_node": key[0], "key_sku": key[1], **row})
        for customer_id, value in state.exposure.items():
            if customer_id not in self.exposure_before:
                raise RuntimeError(f"the core changed exposure of {customer_id} it was not given")
            before_value = self.exposure_before[customer_id]
            if before_value is None:
                execute(
                    conn,
                    sql.INSERT_EXPOSURE,
                    {"customer_id": customer_id, "open_value": str(value)},
                )
            elif before_value != value:
                execute(
                    conn,
                    sql.UPDATE_EXPOSURE,
                    {"key_customer_id": customer_id, "new_open_value": str(value)},
                )
        self._write_queues()
        for subject, count in state.stream_counts.items():
            before_count = self.streams_before.get(subject)
            if subject not in self.streams_before:
                raise RuntimeError(f"the core advanced stream {subject} it was not given")
            if before_count is None:
                execute(conn, sql.INSERT_STREAM, {"subject": subject, "count": count})
            elif before_count != count:
                execute(conn, sql.UPDATE_STREAM, {"key_subject": subject, "new_count": count})

    def _write_queues(self) -> None:
        waiting = self.state.waiting
        after = {(sku, oid) for sku, queue in waiting.items() for oid in queue}
        for sku, order_id in sorted(after - self.waiting_before):
            if sku not in self.queue_skus and order_id not in self.placed_orders:
                raise RuntimeError(f"the core queued {order_id} for {sku}, which it was not given")
            execute(
                self.conn,
                sql.INSERT_BACKORDER,
                {"sku": sku, "order_id": order_id, "received_at": waiting[sku][order_id]},
            )
        for sku, order_id in sorted(self.waiting_before - after):
            execute(self.conn, sql.DELETE_BACKORDER, {"key_sku": sku, "key_order_id": order_id})
