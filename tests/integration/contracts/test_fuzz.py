"""``contracts.fuzz`` against a freshly started hub: Schemathesis 4, every check, every phase.

The hub's OpenAPI is the contract; a failure here is the service or its OpenAPI telling an
untruth. The run is bounded (10 cases per operation per phase, 150 stateful scenarios) and takes
about 40 s.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from service_harness import Service

from contracts.fuzz import Failure, fuzz, read_events

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("service")]

# Stated here, not read from the OpenAPI under test: what the hub serves and where it links to.
OPERATIONS = {
    "POST /v1/orders",
    "GET /v1/orders",
    "GET /v1/orders/{order_id}",
    "POST /v1/orders/{order_id}/cancel",
    "GET /v1/availability",
    "POST /v1/inventory/movements",
    "POST /v1/inventory/snapshots",
    "POST /v1/shipments",
    "POST /v1/payments",
    "POST /v1/credit-memos",
    "GET /v1/invoices/{invoice_id}",
    "GET /v1/events",
    "GET /healthz",
    "GET /readyz",
}
LINKS = {
    ("POST /v1/orders", "201", "GetOrder", "GET /v1/orders/{order_id}"),
    ("POST /v1/orders", "201", "CancelOrder", "POST /v1/orders/{order_id}/cancel"),
    ("POST /v1/inventory/movements", "201", "GetAvailability", "GET /v1/availability"),
}


@pytest.fixture(scope="module")
def hub(tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    where = tmp_path_factory.mktemp("fuzz")
    with Service(f"sqlite:///{where / 'crossdock.db'}", where) as service:
        yield service.url


def test_schemathesis_finds_nothing_and_follows_every_link(hub: str) -> None:
    result = fuzz(hub, max_examples=10)

    assert result.failures == [], "\n".join(str(f) for f in result.failures)
    assert result.errors == []
    assert result.exit_code == 0
    assert set(result.operations) == OPERATIONS
    assert set(result.operations_covered) == OPERATIONS
    declared = {(k.source, k.status, k.name, k.target) for k in result.links}
    assert declared == LINKS
    followed = {(k.source, k.status, k.name, k.target) for k in result.links_covered}
    assert followed == LINKS
    assert result.cases > 500


def test_a_failing_check_in_the_report_becomes_a_failure_with_a_repro() -> None:
    # One ScenarioFinished event as Schemathesis 4.32 writes it to its NDJSON report.
    request = {
        "method": "POST",
        "uri": "http://127.0.0.1:8000/v1/inventory/movements",
        "headers": {"Idempotency-Key": ["k-1"], "Content-Type": ["application/json"]},
        "body": {"$base64": "eyJxdWFudGl0eSI6IGZhbHNlfQ=="},  # {"quantity": false}
    }
    event = {
        "phase": "fuzzing",
        "recorder": {
            "cases": {"c1": {"value": {"method": "POST", "path": "/v1/inventory/movements"}}},
            "checks": {
                "c1": [
                    {"name": "not_a_server_error", "status": "success"},
                    {
                        "name": "negative_data_rejection",
                        "status": "failure",
                        "failure_info": {
                            "failure": {
                                "code": "ST201",
                                "title": "Schema-violating request accepted",
                                "operation": "POST /v1/inventory/movements",
                            }
                        },
                    },
                ]
            },
            "interactions": {"c1": {"request": request, "response": {"status_code": 201}}},
        },
    }

    result = read_events(
        [("ScenarioFinished", event)],
        url="http://127.0.0.1:8000",
        operations=["POST /v1/inventory/movements", "GET /healthz"],
        links=[],
    )

    assert result.failures == [
        Failure(
            operation="POST /v1/inventory/movements",
            check="negative_data_rejection",
            title="ST201 Schema-violating request accepted",
            status=201,
            repro="curl -X POST -H 'Idempotency-Key: k-1' -H 'Content-Type: application/json' "
            "-d '{\"quantity\": false}' http://127.0.0.1:8000/v1/inventory/movements",
        )
    ]
    assert result.operations_covered == ["POST /v1/inventory/movements"]
    assert not result.ok
