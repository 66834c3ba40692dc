"""The OpenAPI tells the truth, and /docs and /redoc work on a machine with no internet.

Against a real server process: the documents and pages it serves, and what it answers.
"""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from service_harness import Service, order_body

pytestmark = pytest.mark.xdist_group("service")
CREATING = ("createOrder", "postInventoryMovement", "postInventorySnapshot", "confirmShipment")


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> Iterator[httpx.Client]:  # type: ignore[no-untyped-def]
    where = tmp_path_factory.mktemp("openapi")
    with (
        Service(f"sqlite:///{where / 'crossdock.db'}", where) as service,
        httpx.Client(base_url=service.url, timeout=30) as http,
    ):
        yield http


@pytest.fixture(scope="module")
def operations(client: httpx.Client) -> dict[str, dict[str, Any]]:
    document = client.get("/openapi.json").raise_for_status().json()
    return {
        op["operationId"]: op for methods in document["paths"].values() for op in methods.values()
    }


class Assets(HTMLParser):
    """Every script src and link href of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"script": "src", "link": "href"}.get(tag)
        self.urls += [v for k, v in attrs if k == wanted and v]


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_docs_pages_load_every_asset_from_the_service_itself(
    client: httpx.Client, page: str
) -> None:
    response = client.get(page)
    assert response.status_code == 200
    parser = Assets()
    parser.feed(response.text)
    assert len(parser.urls) >= 2, parser.urls  # the UI's script, and its stylesheet or icon
    for url in parser.urls:
        absolute = urljoin(str(client.base_url) + page, url)
        assert urlsplit(absolute).netloc == urlsplit(str(client.base_url)).netloc, url
        assert client.get(absolute).status_code == 200, absolute
    assert "/openapi.json" in response.text


def test_idempotency_key_is_required_where_it_is_enforced(
    client: httpx.Client, operations: dict[str, dict[str, Any]]
) -> None:
    for operation_id in CREATING:
        (key,) = [p for p in operations[operation_id]["parameters"] if p["in"] == "header"]
        assert (key["name"], key["required"]) == ("Idempotency-Key", True), operation_id
        assert "400" in operations[operation_id]["responses"]
    missing = client.post("/v1/inventory/movements", json={"not": "a movement"})
    assert missing.status_code == 400, "a missing key is refused before the body is read"
    assert missing.json()["errors"] == [{"field": "Idempotency-Key", "message": "required"}]


def test_no_operation_advertises_auth_that_nothing_enforces(
    operations: dict[str, dict[str, Any]],
) -> None:
    for operation_id, operation in operations.items():
        headers = {
            p["name"].lower() for p in operation.get("parameters", []) if p["in"] == "header"
        }
        assert not headers & {"authorization", "x-tenant"}, operation_id
        assert "401" not in operation["responses"], operation_id


def test_health_probes_answer_without_any_principal(client: httpx.Client) -> None:
    assert client.get("/healthz").json() == {"status": "ok", "detail": {}}
    assert client.get("/readyz").status_code == 200


def test_an_empty_currency_is_outside_the_schema_and_refused(
    client: httpx.Client, operations: dict[str, dict[str, Any]]
) -> None:
    document = client.get("/openapi.json").json()
    currency = document["components"]["schemas"]["Order"]["properties"]["currency"]
    assert currency["pattern"] == "^[A-Z]{3}$"
    body = dict(order_body("PO-OPENAPI-1"), currency="")
    response = client.post("/v1/orders", json=body, headers={"Idempotency-Key": "oa-1"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["currency"]


def test_a_price_is_a_decimal_string_on_the_wire(client: httpx.Client) -> None:
    body = order_body("PO-OPENAPI-2")
    body["lines"][0]["unit_price"] = float(body["lines"][0]["unit_price"])
    response = client.post("/v1/orders", json=body, headers={"Idempotency-Key": "oa-2"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["lines.0.unit_price"]


def test_the_documented_order_example_is_accepted(
    client: httpx.Client, operations: dict[str, dict[str, Any]]
) -> None:
    content = operations["createOrder"]["requestBody"]["content"]["application/json"]
    example = content["examples"]["demo"]["value"]
    response = client.post("/v1/orders", json=example, headers={"Idempotency-Key": "oa-3"})
    assert response.status_code == 201, response.text


def test_method_not_allowed_names_every_method_of_the_path(client: httpx.Client) -> None:
    response = client.request("DELETE", "/v1/orders")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, POST"


def test_links_lead_from_a_new_order_and_a_stock_movement(
    operations: dict[str, dict[str, Any]],
) -> None:
    order_links = operations["createOrder"]["responses"]["201"]["links"]
    assert {name: link["operationId"] for name, link in order_links.items()} == {
        "GetOrder": "getOrder",
        "CancelOrder": "cancelOrder",
    }
    assert order_links["GetOrder"]["parameters"] == {"order_id": "$response.body#/order_id"}
    movement_links = operations["postInventoryMovement"]["responses"]["201"]["links"]
    assert movement_links["GetAvailability"] == {
        "operationId": "getAvailability",
        "parameters": {"sku": "$response.body#/sku"},
        "description": "What the moved SKU now has to sell",
    }
