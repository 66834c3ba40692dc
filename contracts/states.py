"""Provider states, named once: consumer tests say ``given(STATE, **params)`` and the provider's
handlers (contracts/provider_states.py) are keyed by the same constants.

A state handler sets the data up through the provider's own API and answers the values the
pact's ``fromProviderState`` generators name (``${order_id}``, ``${cursor}``, ...).
"""

from __future__ import annotations

# -- the hub (API v1) ----------------------------------------------------------------------------
ORDER_PLACED = "an order was placed"  # -> order_id, correlation_id
ORDER_NOT_RELEASED = "an order no warehouse holds yet"  # -> order_id
ORDER_PLACED_WITH_KEY = "an order was placed with this Idempotency-Key"  # idempotency_key, order
ORDER_IN_FLIGHT = "an order with this Idempotency-Key is still being validated"  # same params
ORDERS_BEYOND_ONE_PAGE = "more orders than fit on one page"  # limit -> cursor
SKU_STOCKED = "the SKU is stocked"  # sku, node_id
ORDER_RELEASED = "an order was released to a warehouse"  # sku, quantity -> order_id, node_id
ORDER_INVOICED = "an order was shipped and invoiced"  # -> invoice_id, order_id

# -- the systems (`crossdock systems serve`) -----------------------------------------------------
ERP_HAS_INVOICES = "ERP has posted more invoices than fit on one page"  # limit -> cursor
WMS_HAS_STOCK = "the WMS node holds more SKUs than fit on one page"  # node, limit -> cursor
