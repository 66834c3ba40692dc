"""A typed client for the hub's API v1, over httpx, sync and async.

Theory of operation. Every operation is written once, as a ``Call``: the request to send and the
model that reads a success. ``HubClient`` and ``AsyncHubClient`` only send Calls, so the two
cannot drift apart. An answer of 400 or more raises ``HubProblem`` with the RFC 9457 body
parsed (its status, type and the fields it names). The one exception is ``create_order``'s 422
rejection, a business answer: it comes back as an ``OrderRejected`` result, not an error.

Creating POSTs take an ``idempotency_key``; a retry must pass the same one (the hub then replays
its first answer, and ``Created.replayed`` is true). Pass ``correlation_id`` to thread a request
into an existing trace; the hub answers with one either way.

    with HubClient("http://127.0.0.1:8000") as hub:
        placed = hub.create_order(order, idempotency_key=str(uuid.uuid4()))
        if isinstance(placed.body, OrderPublic):
            hub.cancel_order(placed.body.order_id, reason="customer changed their mind")

Used by the CLI, the contract tests and the load tests; it imports nothing of the service.
"""

from reference.client.aio import AsyncHubClient
from reference.client.calls import Call, Calls, Created, HubProblem, OrderRejected
from reference.client.sync import HubClient

__all__ = [
    "AsyncHubClient",
    "Call",
    "Calls",
    "Created",
    "HubClient",
    "HubProblem",
    "OrderRejected",
]
