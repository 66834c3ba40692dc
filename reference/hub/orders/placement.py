"""Placing an order: the duplicate rule, ERP's check, and accepting or rejecting it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from reference.domain.events import EventType as E
from reference.domain.lifecycle import Msg
from reference.domain.model import Order
from reference.domain.money import quantize
from reference.hub import rejection
from reference.hub.effects import Decision
from reference.hub.orders.calls import call, rate_releases
from reference.hub.orders.closing import finish_if_done
from reference.hub.orders.sourcing import allocate
from reference.hub.protocol import Operation
from reference.hub.rejection import Rejection
from reference.hub.state import HubConfig, HubState, LineRecord, OrderSaga


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
        backorders=order.backorders,
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
        return _reject(saga, decision, now, [rejection.duplicate(order.order_number, duplicate_of)])
    state.order_numbers[key] = order_id
    skus = sorted({ln.sku for ln in order.lines})
    decision.effects.append(
        call(
            saga,
            "erp",
            Operation.CHECK_ORDER,
            {"customer_id": order.customer_id, "region": saga.region, "skus": skus},
        )
    )
    return decision


def _reject(saga: OrderSaga, decision: Decision, now: float, reasons: list[Rejection]) -> Decision:
    saga.reasons = reasons
    saga.move(Msg.REJECT)
    for line in saga.lines.values():
        line.move(Msg.REJECT)
    decision.events.append(
        saga.event(E.ORDER_REJECTED, now, reasons=[reason.text() for reason in reasons])
    )
    return decision


def _validation_errors(
    state: HubState, config: HubConfig, saga: OrderSaga, erp: dict[str, Any]
) -> list[Rejection]:
    if not erp.get("customer_known"):
        return [rejection.unknown_customer(saga.customer_id)]
    if erp.get("blocked"):
        return [rejection.credit_hold(saga.customer_id)]
    if erp.get("tax_rate") is None:  # tax is computed at capture: no rate, no order
        return [rejection.no_tax_context(saga.region)]
    reasons: list[Rejection] = []
    contract_currency = erp.get("currency")  # the price list's; an ERP that omits it: unchecked
    if contract_currency is not None and contract_currency != saga.currency:
        # a price in another currency is not the contract price: the order is refused whole
        return [rejection.currency_mismatch(saga.currency, str(contract_currency))]
    prices: dict[str, str] = erp.get("prices", {})
    restricted = set(erp.get("restricted", ()))
    for index, line in enumerate(saga.lines.values()):
        contract = prices.get(line.sku)
        if contract is None:
            reasons.append(rejection.not_sold(index, line.sku))
        elif Decimal(contract) != line.unit_price:
            reasons.append(rejection.price_mismatch(index, line.unit_price, contract))
        if line.sku in restricted:
            reasons.append(rejection.ship_to_restricted(index, line.sku, saga.region))
    if config.check_credit and not reasons:
        limit = Decimal(erp["credit_limit"])
        open_value = state.exposure.get(saga.customer_id, Decimal(0))
        if open_value + saga.value() > limit:
            reasons.append(rejection.credit_limit(saga.value(), limit - open_value))
    return reasons


def checked(
    state: HubState, config: HubConfig, saga: OrderSaga, erp: dict[str, Any], now: float
) -> Decision:
    """ERP answered check_order: reject with every reason found, or accept and source."""
    decision = Decision()
    reasons = _validation_errors(state, config, saga, erp)
    if reasons:
        return _reject(saga, decision, now, reasons)
    saga.move(Msg.ACCEPT)
    state.exposure[saga.customer_id] = (
        state.exposure.get(saga.customer_id, Decimal(0)) + saga.value()
    )
    saga.tax_rate = Decimal(str(erp["tax_rate"]))
    decision.events.append(
        saga.event(
            E.ORDER_ACCEPTED,
            now,
            value=str(saga.value()),
            currency=saga.currency,
            tax=str(quantize(saga.value() * saga.tax_rate, saga.currency)),
            tax_rate=str(saga.tax_rate),
        )
    )
    decision.effects.append(
        call(
            saga,
            "erp",
            Operation.CREATE_SALES_ORDER,
            {
                "order_id": saga.order_id,
                "order_number": saga.order_number,
                "customer_id": saga.customer_id,
                "value": str(saga.value()),
            },
        )
    )
    allocate(state, config, saga, decision, now)
    if config.order_ownership == "erp":
        return decision  # nothing goes to a warehouse before the ERP commits the sales order
    rate_releases(saga, decision)
    if not saga.releases:
        finish_if_done(state, config, saga, decision, now)
    return decision
