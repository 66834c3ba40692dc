"""Shipping and invoicing: rate, release, shipment confirmation (short picks), invoice."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from reference.domain.events import EventType as E
from reference.domain.lifecycle import Msg, ReleaseMsg, ReleaseState, State, transition
from reference.domain.money import quantize
from reference.hub.effects import Decision
from reference.hub.orders.backorders import wait
from reference.hub.orders.calls import call
from reference.hub.orders.closing import finish_if_done
from reference.hub.protocol import Operation, shipment_wait_id
from reference.hub.state import HubConfig, HubState, OrderSaga


def rated(saga: OrderSaga, key: str, body: dict[str, Any], now: float) -> Decision:
    """The TMS chose a carrier for a node's part (``key`` on the saga): release it to that
    node's WMS."""
    release = saga.releases[key]
    node = release.node
    release.move(ReleaseMsg.RATE)
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
    payload: dict[str, Any] = {
        "order_id": saga.order_id,
        "node": node,
        "carrier": release.carrier,
        "lines": lines,
    }
    if release.key is not None:  # a later release at the node: the WMS tells them apart
        payload["release"] = release.key
    decision.effects.append(
        call(saga, f"wms:{node}", Operation.RELEASE, payload, about=release.key or "")
    )
    return decision


def acknowledged(saga: OrderSaga, key: str) -> Decision:
    """The WMS took the release without saying what shipped: wait for its ConfirmShipment.

    A release already confirmed stays as it is: a release call whose first attempt timed out
    after the WMS did the work may be acknowledged after the shipment was confirmed."""
    release = saga.releases[key]
    if release.state is ReleaseState.RELEASED:
        release.move(ReleaseMsg.ACKNOWLEDGE)
    saga.pending_calls.add(shipment_wait_id(saga.order_id, key))
    return Decision()


def shipped(
    state: HubState,
    config: HubConfig,
    saga: OrderSaga,
    key: str,
    body: dict[str, Any],
    now: float,
) -> Decision:
    """A WMS confirmed what it shipped for the release ``key``; less than released is a short
    pick, and the short units are backordered: they wait for stock or a rule cancels them."""
    decision = Decision()
    release = saga.releases[key]
    node = release.node
    confirmed = {int(ln["line_no"]): int(ln["quantity"]) for ln in body["lines"]}
    shipping = {no: min(confirmed.get(no, 0), qty) for no, qty in sorted(release.lines.items())}
    total = sum(shipping.values())
    release.move(ReleaseMsg.SHIP if total else ReleaseMsg.SHIP_NOTHING)  # before any change
    invoice_lines = []
    for line_no, released in sorted(release.lines.items()):
        line = saga.lines[line_no]
        qty = shipping[line_no]
        short = released - qty
        left = line.allocated.get(node, 0) - released
        if left > 0:
            line.allocated[node] = left  # another release at this node still holds units
        else:
            line.allocated.pop(node, None)
        state.inventory.ship(node, line.sku, qty)
        line.shipped += qty
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
            wait(state, config, saga, line, decision, now)
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
        release.shipment_id = shipment_id
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
        saga.advance(Msg.SHIP if saga.fully_shipped() else Msg.SHIP_PARTIAL, now, decision.events)
        decision.events.append(saga.event(E.INVOICE_REQUESTED, now, shipment_id=shipment_id))
        decision.effects.append(
            call(
                saga,
                "erp",
                Operation.POST_INVOICE,
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
    elif saga.units_shipped() == 0 and not open_releases and saga.state is not State.BACKORDERED:
        saga.advance(Msg.BACKORDER, now, decision.events)
    finish_if_done(state, config, saga, decision, now)
    return decision


def invoiced(
    state: HubState, config: HubConfig, saga: OrderSaga, body: dict[str, Any], now: float
) -> Decision:
    """ERP posted a shipment's invoice: hand it to finance, and close if that was the last."""
    decision = Decision()
    invoice_id = str(body["invoice_id"])
    shipment_id = str(body["shipment_id"])
    saga.invoices.append(invoice_id)
    # the invoice is now owed: its lines move from open order value to it, and its tax joins
    total, net = Decimal(str(body["total"])), Decimal(str(body["net"]))
    saga.invoice_totals[invoice_id] = total
    state.exposure[saga.customer_id] = state.exposure.get(saga.customer_id, Decimal(0)) + (
        total - net
    )
    transition("order", saga.state, Msg.INVOICE)  # IllegalTransition before any change
    for release in saga.releases.values():
        if release.shipment_id == shipment_id:  # None on a release stored before it had one
            release.move(ReleaseMsg.INVOICE)
    for item in body["lines"]:
        line = saga.lines[int(item["line_no"])]
        line.move(Msg.INVOICE)
    posted: dict[str, object] = {
        "invoice_id": invoice_id,
        "shipment_id": shipment_id,
        "net": str(body["net"]),
        "tax": str(body["tax"]),
        "total": str(body["total"]),
        "currency": saga.currency,
    }
    # Tax is the ERP's, quoted at capture and computed again at invoicing: a rate that changed
    # in between is a difference every consumer sees, on the invoice and as its own event.
    quoted = None if saga.tax_rate is None else quantize(net * saga.tax_rate, saga.currency)
    if quoted is not None:
        posted["tax_at_capture"] = str(quoted)
    decision.events.append(saga.event(E.INVOICE_POSTED, now, **posted))
    tax = Decimal(str(body["tax"]))
    if quoted is not None and tax != quoted:
        decision.events.append(
            saga.event(
                E.INVOICE_TAX_DIFFERED,
                now,
                invoice_id=invoice_id,
                tax=str(tax),
                tax_at_capture=str(quoted),
                difference=str(tax - quoted),
            )
        )
    saga.advance(Msg.INVOICE, now, decision.events)  # OrderInvoiced follows InvoicePosted
    decision.effects.append(
        call(saga, "finance", Operation.RECORD_INVOICE, dict(body), about=invoice_id)
    )
    finish_if_done(state, config, saga, decision, now)
    return decision
