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
    from crossdock.compose import demo_estate
    from simulators.systems.estate import example_order

    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    number = f"PO-{stamp}-{uuid.uuid4().hex[:6].upper()}"
    return example_order(demo_estate(seed), number, lines=lines)


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
