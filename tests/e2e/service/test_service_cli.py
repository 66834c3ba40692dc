"""On a fresh checkout: `crossdock serve` serves /docs, and `crossdock example order` posts 201."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest
from service_harness import Service

pytestmark = pytest.mark.xdist_group("service")
CROSSDOCK = str(Path(sys.executable).parent / "crossdock")


def _example(cwd: Path) -> dict:  # type: ignore[type-arg]
    done = subprocess.run(
        [CROSSDOCK, "example", "order"], cwd=cwd, capture_output=True, check=True, timeout=60
    )
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_serve_with_defaults_shows_docs_and_takes_the_example_order(tmp_path: Path) -> None:
    # No --database-url: the embedded default, crossdock.db in the working directory.
    with (
        Service("", tmp_path, cwd=tmp_path, command=[CROSSDOCK]) as service,
        httpx.Client(base_url=service.url, timeout=30) as client,
    ):
        docs = client.get("/docs")
        assert docs.status_code == 200 and "swagger" in docs.text.lower()
        spec = client.get("/openapi.json").json()
        operations = {op["operationId"] for path in spec["paths"].values() for op in path.values()}
        assert {
            "createOrder",
            "getOrder",
            "listOrders",
            "cancelOrder",
            "getAvailability",
            "postInventoryMovement",
            "postInventorySnapshot",
            "confirmShipment",
            "getInvoice",
            "listEvents",
            "healthz",
            "readyz",
        } <= operations

        first, second = _example(tmp_path), _example(tmp_path)
        assert first["order_number"] != second["order_number"]
        for body in (first, second):
            response = client.post(
                "/v1/orders",
                json=body,
                headers={
                    "Idempotency-Key": str(uuid.uuid4()),
                    "X-Correlation-ID": "corr-cli-example",
                },
            )
            assert response.status_code == 201, response.text
            assert response.headers["X-Correlation-ID"] == "corr-cli-example"
            assert response.json()["state"] in ("allocated", "backordered")
    assert (tmp_path / "crossdock.db").exists()
    assert "[corr-cli-example] POST /v1/orders -> 201" in service.log_text()


def test_db_upgrade_brings_a_new_database_to_head(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    done = subprocess.run(
        [CROSSDOCK, "db", "upgrade", "--database-url", url],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "at head: True" in done.stdout
