"""``crossdock example``: request bodies that work against the seeded demo data."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import typer

example_app = typer.Typer(
    help="Print example requests for the seeded demo data.", no_args_is_help=True
)


def example_order_body(seed: int, lines: int = 2) -> dict[str, object]:
    """A valid POST /v1/orders body for ``build_estate(seed)``: a customer in good standing,
    contract prices, SKUs with stock, and a new order number on every call."""
    from reference.service.systems import demo_estate

    estate = demo_estate(seed)
    customer = next(c for c in estate.customers if c.credit_limit >= 100_000)
    stocked = sorted(estate.skus, key=lambda s: -max(estate.stock[n][s] for n in estate.nodes))
    sellable = [s for s in stocked if customer.region not in estate.restricted.get(s, ())]
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    return {
        "order_number": f"PO-{stamp}-{uuid.uuid4().hex[:6].upper()}",
        "customer_id": customer.customer_id,
        "channel": "web",
        "currency": "USD",
        "ship_to": {
            "name": f"{customer.name} receiving",
            "line1": "1 Dock Way",
            "city": "Anytown",
            "region": customer.region,
            "postal_code": "00000",
            "country": "US",
        },
        "lines": [
            {
                "line_no": n,
                "sku": sku,
                "quantity": 1,
                "unit_price": str(estate.contract_prices[(customer.customer_id, sku)]),
            }
            for n, sku in enumerate(sellable[:lines], start=1)
        ],
    }


@example_app.command("order")
def order(
    seed: int = typer.Option(7, "--seed", "-s", min=0, help="The seed `crossdock serve` used."),
    lines: int = typer.Option(2, "--lines", min=1, max=50, help="Order lines."),
) -> None:
    """Print a valid POST /v1/orders body (a new order number each call).

    Try: crossdock example order | curl -s localhost:8000/v1/orders -H 'content-type:
    application/json' -H "Idempotency-Key: $(uuidgen)" -d @-
    """
    typer.echo(json.dumps(example_order_body(seed, lines), indent=2))


def register(app: typer.Typer) -> None:
    app.add_typer(example_app, name="example")
