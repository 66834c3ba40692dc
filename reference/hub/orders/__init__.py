"""The order process manager as pure decisions, one module per job.

Theory of operation. One saga per order walks:

    PlaceOrder -> duplicate check -> ERP check_order (customer, contract price, credit, ship-to)
      -> reject, or accept and split lines over nodes by availability (the rest is backordered)
      -> ERP create_sales_order: committed (SalesOrderCommitted) or refused (ERP_REJECTED);
         with order_ownership="hub" the hub goes on at once and only tells the ERP
      -> per node: TMS rate -> WMS release -> shipment confirmation (a short pick ships less and
         backorders the rest, it never overwrites what was ordered) -> ERP post_invoice
      -> what is backordered waits for stock and is released when it arrives (backorders.py)
      -> when every release has shipped, every shipment is invoiced and nothing waits: cancel
         what a stated rule does not let wait, naming the rule, and close.

    placement.py   placing an order, validating it against ERP's answer, accepting or rejecting
    sourcing.py    splitting the accepted lines over nodes; what no node holds is backordered
    shipping.py    rating, releasing, shipment confirmations (short picks) and invoices
    closing.py     closing a finished order, cancelling one no warehouse holds yet
    commitment.py  the ERP as system of record: commit before release, rejection, cancel first
    backorders.py  backorders wait for stock, are filled oldest first, cancelled only by a rule

Every step records events on the saga and returns effects; a reply to a call the saga is no
longer waiting for is ignored, so systems may answer twice. The order and its lines move by the
tables of reference/domain/lifecycle.py, each release by RELEASE_LIFECYCLE.
"""

from reference.hub.orders.backorders import fill
from reference.hub.orders.closing import CancellationRefused, expire
from reference.hub.orders.commitment import cancel_confirmed, committed, rejected, request_cancel
from reference.hub.orders.placement import checked, place
from reference.hub.orders.shipping import acknowledged, invoiced, rated, shipped

__all__ = [
    "CancellationRefused",
    "acknowledged",
    "cancel_confirmed",
    "checked",
    "committed",
    "expire",
    "fill",
    "invoiced",
    "place",
    "rated",
    "rejected",
    "request_cancel",
    "shipped",
]
