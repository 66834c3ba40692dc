"""The order process manager as pure decisions.

Theory of operation. One saga per order walks:

    PlaceOrder -> duplicate check -> ERP check_order (customer, contract price, credit, ship-to)
      -> reject, or accept and split lines over nodes by availability (the rest is backordered)
      -> per node: TMS rate -> WMS release -> shipment confirmation (a short pick ships less and
         backorders the rest, it never overwrites what was ordered) -> ERP post_invoice
      -> when every release has shipped and every shipment is invoiced: cancel what is still
         backordered (ship-and-cancel) and close.

Every step records events on the saga and returns effects; a reply to a call the saga is no
longer waiting for is ignored, so systems may answer twice.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from reference.domain.events import EventType as E
from reference.domain.lifecycle import Msg, State
from reference.domain.model import Order
from reference.hub.effects import CallSystem, CancelOrder, Decision
from reference.hub.state import HubConfig, HubState, LineRecord, OrderSaga, Release


class CancellationRefused(Exception):
    """The order has gone to a warehouse; it can no longer be cancelled in the hub."""


def _call(
    saga: OrderSaga, system: str, operation: str, payload: dict[str, Any], about: str = ""
) -> CallSystem:
    """A call the saga now waits for; ``about`` tells apart calls of one kind (node, shipment)."""
    call_id = f"{saga.order_id}:{operation}:{system}" + (f":{about}" if about else "")
    saga.pending_calls.add(call_id)
    return CallSystem(call_id, system, operation, payload, saga.order_id, saga.correlation_id)


def place(
    state: HubState, config: HubConfig, order: Order, order_id: str, correlation: str, now: float
) -> Decision:
    decision = Decision()
    if order_id in state.orders:
        return decision  # the same command twice: the first one already decided
    saga = OrderSaga(
        order_id=order_id,
        order_number=order.order_number,
        customer_id=order.customer_id,
        channel=order.channel.value,
        currency=order.currency,
        region=order.ship_to.region,
        correlation_id=correlation,
        received_at=now,
        lines={
            ln.line_no: LineRecord(ln.line_no, ln.sku, ln.quantity, ln.unit_price)
            for ln in order.lines
        },
    )
    state.orders[order_id] = saga
    decision.events.append(
        saga.event(
            E.ORDER_RECEIVED,
            now,
            order_number=order.order_number,
            customer_id=order.customer_id,
            channel=saga.channel,
            lines=len(saga.lines),
        )
    )
    key = (order.customer_id, order.order_number)
    duplicate_of = state.order_numbers.get(key) if config.check_duplicates else None
    if duplicate_of is not None:
        return _reject(
            saga,
            decision,
            now,
            [f"order_number: {order.order_number!r} duplicates order {duplicate_of}"],
        )
    state.order_numbers[key] = order_id
    skus = sorted({ln.sku for ln in order.lines})
    decision.effects.append(
        _call(
            saga,
            "erp",
            "check_order",
            {"customer_id": order.customer_id, "region": saga.region, "skus": skus},
        )
    )
    return decision


def _reject(saga: OrderSaga, decision: Decision, now: float, reasons: list[str]) -> Decision:
    saga.reasons = reasons
    saga.move(Msg.REJECT)
    for line in saga.lines.values():
        line.move(Msg.REJECT)
    decision.events.append(saga.event(E.ORDER_REJECTED, now, reasons=reasons))
    return decision


def _validation_errors(
    state: HubState, config: HubConfig, saga: OrderSaga, erp: dict[str, Any]
) -> list[str]:
    if not erp.get("customer_known"):
        return [f"customer_id: {saga.customer_id!r} is not a customer in ERP"]
    if erp.get("blocked"):
        return [f"customer_id: {saga.customer_id!r} is on credit hold in ERP"]
    reasons: list[str] = []
    prices: dict[str, str] = erp.get("prices", {})
    restricted = set(erp.get("restricted", ()))
    for index, line in enumerate(saga.lines.values()):
        contract = prices.get(line.sku)
        if contract is None:
            reasons.append(f"lines[{index}].sku: {line.sku!r} is not sold to this customer")
        elif Decimal(contract) != line.unit_price:
            reasons.append(
                f"lines[{index}].unit_price: {line.unit_price} differs from the "
                f"contract price {contract}"
            )
        if line.sku in restricted:
            reasons.append(
                f"lines[{index}].sku: {line.sku!r} may not ship to region {saga.region!r}"
            )
    if config.check_credit and not reasons:
        limit = Decimal(erp["credit_limit"])
        open_value = state.exposure.get(saga.customer_id, Decimal(0))
        if open_value + saga.value() > limit:
            reasons.append(
                f"credit: order value {saga.value()} exceeds the available credit "
                f"{limit - open_value}"
            )
    return reasons


def checked(
    state: HubState, config: HubConfig, saga: OrderSaga, erp: dict[str, Any], now: float
) -> Decision:
    decision = Decision()
    reasons = _validation_errors(state, config, saga, erp)
    if reasons:
        return _reject(saga, decision, now, reasons)
    saga.move(Msg.ACCEPT)
    state.exposure[saga.customer_id] = (
        state.exposure.get(saga.customer_id, Decimal(0)) + saga.value()
    )
    decision.events.append(
        saga.event(E.ORDER_ACCEPTED, now, value=str(saga.value()), currency=saga.currency)
    )
    decision.effects.append(
        _call(
            saga,
            "erp",
            "create_sales_order",
            {
                "order_id": saga.order_id,
                "order_number": saga.order_number,
                "customer_id": saga.customer_id,
                "value": str(saga.value()),
            },
        )
    )
    _allocate(state, config, saga, decision, now)
    if not saga.releases:
        _finish_if_done(state, saga, decision, now)
    return decision


def _allocate(
    state: HubState, config: HubConfig, saga: OrderSaga, decision: Decision, now: float
) -> None:
    """Fill each line from one node when one can take it all, else across nodes in order
    (the preference order, or for ``fewest_nodes`` sourcing the order's own: see HubConfig)."""
    inventory = state.inventory
    lines = saga.lines.values()
    nodes = list(config.nodes)
    if config.sourcing == "fewest_nodes":
        whole_lines = {
            node: sum(inventory.available(node, line.sku) >= line.ordered for line in lines)
            for node in nodes
        }
        nodes.sort(key=lambda node: -whole_lines[node])  # stable: ties keep the preference
    for line in lines:
        line.move(Msg.ACCEPT)
        wanted = line.ordered
        whole = next((n for n in nodes if inventory.available(n, line.sku) >= wanted), None)
        plan = [whole] if whole is not None else nodes
        for node in plan:
            if wanted == 0:
                break
            granted = inventory.allocate(node, line.sku, wanted)
            if granted:
                wanted -= granted
                line.allocated[node] = granted
                saga.releases.setdefault(node, Release(node, {})).lines[line.line_no] = granted
                decision.events.append(
                    saga.event(
                        E.LINE_ALLOCATED,
                        now,
                        line_no=line.line_no,
                        sku=line.sku,
                        node=node,
                        quantity=granted,
                    )
                )
        if wanted:
            line.backordered = wanted
            saga.was_backordered = True
            decision.events.append(
                saga.event(
                    E.LINE_BACKORDERED,
                    now,
                    line_no=line.line_no,
                    sku=line.sku,
                    quantity=wanted,
                    cause="no_stock",
                )
            )
        line.move(Msg.ALLOCATE if line.allocated else Msg.BACKORDER)
    saga.move(Msg.ALLOCATE if saga.releases else Msg.BACKORDER)
    if len(saga.releases) > 1:
        saga.was_split = True
        decision.events.append(saga.event(E.ORDER_SPLIT, now, nodes=sorted(saga.releases)))
    for node, release in saga.releases.items():
        units = sum(release.lines.values())
        decision.effects.append(
            _call(
                saga,
                "tms",
                "rate",
                {
                    "order_id": saga.order_id,
                    "node": node,
                    "region": saga.region,
                    "units": units,
                },
                about=node,
            )
        )


def rated(saga: OrderSaga, node: str, body: dict[str, Any], now: float) -> Decision:
    release = saga.releases[node]
    release.carrier = str(body["carrier"])
    lines = [
        {"line_no": no, "sku": saga.lines[no].sku, "quantity": qty}
        for no, qty in sorted(release.lines.items())
    ]
    decision = Decision(
        events=[
            saga.event(E.ORDER_RELEASED, now, node=node, carrier=release.carrier, lines=len(lines))
        ]
    )
    decision.effects.append(
        _call(
            saga,
            f"wms:{node}",
            "release",
            {
                "order_id": saga.order_id,
                "node": node,
                "carrier": release.carrier,
                "lines": lines,
            },
        )
    )
    return decision


def shipment_wait(saga: OrderSaga, node: str) -> str:
    """The marker a saga keeps while a WMS that acknowledged a release has yet to ship it."""
    return f"{saga.order_id}:shipment:{node}"


def shipped(
    state: HubState, saga: OrderSaga, node: str, body: dict[str, Any], now: float
) -> Decision:
    """A WMS confirmed what it shipped; less than released is a short pick."""
    decision = Decision()
    release = saga.releases[node]
    release.shipped = True
    confirmed = {int(ln["line_no"]): int(ln["quantity"]) for ln in body["lines"]}
    invoice_lines = []
    total = 0
    for line_no, released in sorted(release.lines.items()):
        line = saga.lines[line_no]
        qty = min(confirmed.get(line_no, 0), released)
        short = released - qty
        del line.allocated[node]
        state.inventory.ship(node, line.sku, qty)
        line.shipped += qty
        total += qty
        if qty:
            invoice_lines.append(
                {
                    "line_no": line_no,
                    "sku": line.sku,
                    "quantity": qty,
                    "unit_price": str(line.unit_price),
                }
            )
        if short:
            # The units were not on the shelf: release the allocation, correct on hand, backorder.
            state.inventory.release(node, line.sku, short)
            state.inventory.adjust(node, line.sku, -short)
            line.backordered += short
            saga.was_backordered = True
            decision.events.append(
                saga.event(
                    E.LINE_SHORT_PICKED, now, line_no=line_no, sku=line.sku, node=node, short=short
                )
            )
            decision.events.append(
                saga.event(
                    E.LINE_BACKORDERED,
                    now,
                    line_no=line_no,
                    sku=line.sku,
                    quantity=short,
                    cause="short_pick",
                )
            )
        if line.shipped == line.ordered:
            line.move(Msg.SHIP)
        elif qty:
            line.move(Msg.SHIP_PARTIAL)
        elif line.shipped == 0 and not line.allocated:
            line.move(Msg.BACKORDER)
    open_releases = any(not r.shipped for r in saga.releases.values())
    if total:
        saga.shipments += 1
        shipment_id = str(body["shipment_id"])
        decision.events.append(
            saga.event(
                E.SHIPMENT_CONFIRMED,
                now,
                node=node,
                shipment_id=shipment_id,
                units=total,
                carrier=release.carrier,
            )
        )
        saga.move(Msg.SHIP if saga.fully_shipped() else Msg.SHIP_PARTIAL)
        decision.events.append(saga.event(E.INVOICE_REQUESTED, now, shipment_id=shipment_id))
        decision.effects.append(
            _call(
                saga,
                "erp",
                "post_invoice",
                {
                    "order_id": saga.order_id,
                    "shipment_id": shipment_id,
                    "customer_id": saga.customer_id,
                    "currency": saga.currency,
                    "lines": invoice_lines,
                },
                about=shipment_id,
            )
        )
    elif saga.units_shipped() == 0 and not open_releases:
        saga.move(Msg.BACKORDER)
    _finish_if_done(state, saga, decision, now)
    return decision


def invoiced(state: HubState, saga: OrderSaga, body: dict[str, Any], now: float) -> Decision:
    decision = Decision()
    invoice_id = str(body["invoice_id"])
    saga.invoices.append(invoice_id)
    saga.move(Msg.INVOICE)
    for item in body["lines"]:
        line = saga.lines[int(item["line_no"])]
        line.move(Msg.INVOICE)
    decision.events.append(
        saga.event(
            E.INVOICE_POSTED,
            now,
            invoice_id=invoice_id,
            shipment_id=str(body["shipment_id"]),
            net=str(body["net"]),
            tax=str(body["tax"]),
            total=str(body["total"]),
            currency=saga.currency,
        )
    )
    decision.effects.append(_call(saga, "finance", "record_invoice", dict(body), about=invoice_id))
    _finish_if_done(state, saga, decision, now)
    return decision


def _finish_if_done(state: HubState, saga: OrderSaga, decision: Decision, now: float) -> None:
    """Close once nothing is in a warehouse and every shipment is invoiced."""
    if any(not r.shipped for r in saga.releases.values()):
        return
    if len(saga.invoices) < saga.shipments:
        return
    cancelled_value = Decimal(0)
    for line in saga.lines.values():
        if line.backordered:
            decision.events.append(
                saga.event(
                    E.BACKORDER_CANCELLED,
                    now,
                    line_no=line.line_no,
                    sku=line.sku,
                    quantity=line.backordered,
                )
            )
            line.cancelled += line.backordered
            cancelled_value += line.unit_price * line.backordered
            line.backordered = 0
        line.move(Msg.CLOSE if line.shipped else Msg.CANCEL)
    _release_exposure(state, saga, cancelled_value)
    if saga.units_shipped():
        saga.move(Msg.CLOSE)
        decision.events.append(saga.event(E.ORDER_CLOSED, now, invoices=len(saga.invoices)))
    else:
        saga.move(Msg.CANCEL)
        decision.events.append(saga.event(E.ORDER_CANCELLED, now, reason="nothing to ship"))


def _release_exposure(state: HubState, saga: OrderSaga, amount: Decimal) -> None:
    if amount:
        state.exposure[saga.customer_id] = state.exposure.get(saga.customer_id, Decimal(0)) - amount


def cancel(state: HubState, saga: OrderSaga, command: CancelOrder, now: float) -> Decision:
    """Cancel an order that no warehouse holds yet; IllegalTransition past that point."""
    if saga.state not in (State.RECEIVED, State.ACCEPTED, State.ALLOCATED, State.BACKORDERED):
        saga.move(Msg.CANCEL)  # raises IllegalTransition naming the state
    released = [r.node for r in saga.releases.values() if r.carrier is not None]
    if released:
        raise CancellationRefused(
            f"order {saga.order_id} was released to WMS node {released[0]}; cancel it there"
        )
    was_accepted = saga.state is not State.RECEIVED
    saga.move(Msg.CANCEL)
    for line in saga.lines.values():
        for node, qty in line.allocated.items():
            state.inventory.release(node, line.sku, qty)
        line.allocated.clear()
        line.cancelled = line.ordered
        line.backordered = 0
        line.move(Msg.CANCEL)
    saga.releases.clear()
    saga.pending_calls.clear()
    if was_accepted:
        _release_exposure(state, saga, saga.value())
    return Decision(events=[saga.event(E.ORDER_CANCELLED, now, reason=command.reason)])
