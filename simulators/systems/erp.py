"""ERP: system of record for customers, contract prices, credit, sales orders and invoices."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from reference.domain.ledger import invoice_amounts
from reference.hub.protocol import Operation
from simulators.systems.base import Rejected, unsupported


@dataclass(frozen=True, slots=True)
class CustomerRecord:
    customer_id: str
    credit_limit: Decimal
    tax_rate: Decimal
    blocked: bool = False
    currency: str = "USD"  # the currency of the customer's contract prices
    entity: str = "US01"  # the legal entity that sells to the customer and books its invoices


@dataclass(slots=True)
class Erp:
    """``idempotent=False`` is the legacy ERP: a repeated create_sales_order makes a duplicate.

    ``period`` is the posting period invoices are dated in now. Tax is the ERP's: check_order
    quotes the customer's rate at capture, post_invoice computes it at the rate of that day, so
    changing ``customers`` between the two is a rate that changed in between."""

    customers: dict[str, CustomerRecord]
    contract_prices: dict[tuple[str, str], Decimal]
    restricted: dict[str, frozenset[str]] = field(default_factory=dict)  # sku -> regions
    idempotent: bool = True
    name: str = "erp"
    period: str = "2026-01"
    sales_orders: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    invoices: dict[str, dict[str, Any]] = field(default_factory=dict)
    cancelled: set[str] = field(default_factory=set)
    credit_memos: dict[str, dict[str, Any]] = field(default_factory=dict)

    def handle(self, operation: str, payload: Mapping[str, Any]) -> dict[str, Any]:
        if operation == Operation.CHECK_ORDER:
            return self._check(payload)
        if operation == Operation.CREATE_SALES_ORDER:
            return self._create(payload)
        if operation == Operation.CANCEL_SALES_ORDER:
            return self._cancel(payload)
        if operation == Operation.POST_INVOICE:
            return self._post_invoice(payload)
        raise unsupported(self.name, operation)

    def _check(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        customer = self.customers.get(str(payload["customer_id"]))
        if customer is None:
            return {"customer_known": False}
        region = str(payload["region"])
        prices = {}
        for sku in payload["skus"]:
            price = self.contract_prices.get((customer.customer_id, sku))
            if price is not None:
                prices[sku] = str(price)
        return {
            "customer_known": True,
            "blocked": customer.blocked,
            "credit_limit": str(customer.credit_limit),
            "tax_rate": str(customer.tax_rate),
            "currency": customer.currency,
            "prices": prices,
            "restricted": sorted(
                s for s in payload["skus"] if region in self.restricted.get(s, ())
            ),
        }

    def _create(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        order_id = str(payload["order_id"])
        customer = self.customers.get(str(payload["customer_id"]))
        if order_id not in self.sales_orders and (customer is None or customer.blocked):
            # put on hold between the hub's check and the sales order: the ERP refuses it
            raise Rejected(
                self.name,
                "create_sales_order",
                f"customer {payload['customer_id']} is on credit hold",
            )
        copies = self.sales_orders.setdefault(order_id, [])
        if not copies or not self.idempotent:
            copies.append(dict(payload))
        return {"erp_order": f"ERP-{order_id}", "copies": len(copies)}

    def _cancel(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        """Cancelling is idempotent; the ERP's copies are kept, marked cancelled."""
        order_id = str(payload["order_id"])
        self.cancelled.add(order_id)
        return {"erp_order": f"ERP-{order_id}", "status": "cancelled"}

    def _post_invoice(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        shipment_id = str(payload["shipment_id"])
        invoice_id = f"INV-{shipment_id}"
        if invoice_id in self.invoices:  # posting is idempotent per shipment
            return self.invoices[invoice_id]
        customer = self.customers.get(str(payload["customer_id"]))
        if customer is None:
            raise Rejected(self.name, "post_invoice", f"unknown customer {payload['customer_id']}")
        currency = str(payload["currency"])
        net = sum(
            (Decimal(ln["unit_price"]) * int(ln["quantity"]) for ln in payload["lines"]),
            Decimal(0),
        )
        net, tax, total = invoice_amounts(net, customer.tax_rate, currency)
        invoice = {
            "invoice_id": invoice_id,
            "order_id": str(payload["order_id"]),
            "shipment_id": shipment_id,
            "customer_id": customer.customer_id,
            "currency": currency,
            "lines": [dict(ln) for ln in payload["lines"]],
            "net": str(net),
            "tax": str(tax),
            "total": str(total),
            "entity": customer.entity,
            "period": self.period,
        }
        self.invoices[invoice_id] = invoice
        return invoice

    def credit_short_receipt(self, invoice_id: str, line_no: int, missing: int) -> dict[str, Any]:
        """The customer received ``missing`` units fewer of an invoiced line than the invoice
        bills: a short-shipment credit memo for them at the line's price, with tax at the
        customer's rate, as ``post_invoice`` computed it. One memo per invoice and line."""
        invoice = self.invoices[invoice_id]
        line = next(ln for ln in invoice["lines"] if int(ln["line_no"]) == line_no)
        if not 0 < missing <= int(line["quantity"]):
            raise ValueError(
                f"missing(={missing}) must be between 1 and the {line['quantity']} units "
                f"invoiced on line {line_no} of {invoice_id}"
            )
        memo_id = f"CM-{invoice_id}-{line_no}"
        if memo_id in self.credit_memos:
            return self.credit_memos[memo_id]
        customer = self.customers[str(invoice["customer_id"])]
        currency = str(invoice["currency"])
        net = Decimal(line["unit_price"]) * missing
        _, _, amount = invoice_amounts(net, customer.tax_rate, currency)
        memo = {
            "credit_memo_id": memo_id,
            "invoice_id": invoice_id,
            "order_id": str(invoice["order_id"]),
            "amount": str(min(amount, Decimal(invoice["total"]))),
            "currency": currency,
        }
        self.credit_memos[memo_id] = memo
        return memo
