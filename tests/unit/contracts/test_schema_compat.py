"""The breaking-change comparator on a small orders API: one change at a time, each found where it
happened (the JSON path runs through the operation, not the shared component)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from contracts.compat import Kind, breaking, compare_event_schemas, compare_openapi
from reference.domain.event_schemas import EVENT_SCHEMAS, CurrencyCode, DecimalText, EventData
from reference.domain.events import EventType

JSON = "application/json"
POST = "$.paths['/v1/orders'].post"
GET = "$.paths['/v1/orders'].get"
BODY = f"{POST}.requestBody.content['{JSON}'].schema"
CREATED = f"{POST}.responses['201'].content['{JSON}'].schema"
PAGE_ITEM = f"{GET}.responses['200'].content['{JSON}'].schema.properties.data.items"
LIMIT = f"{GET}.parameters[?(@.in=='query' && @.name=='limit')]"


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def body(schema: dict[str, Any], description: str = "ok") -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": schema}}}


def orders_api() -> dict[str, Any]:
    nullable_text = {"anyOf": [{"type": "string"}, {"type": "null"}]}
    return {
        "openapi": "3.1.0",
        "info": {"title": "orders", "version": "1"},
        "paths": {
            "/v1/orders": {
                "get": {
                    "parameters": [
                        {"name": "state", "in": "query", "required": False, "schema": ref("State")},
                        {
                            "name": "limit",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "integer", "maximum": 200},
                        },
                    ],
                    "responses": {"200": body(ref("OrdersPage"))},
                },
                "post": {
                    "requestBody": {
                        "required": True,
                        "content": {JSON: {"schema": ref("OrderIn")}},
                    },
                    "responses": {"201": body(ref("OrderOut")), "422": body(ref("Problem"))},
                },
            }
        },
        "components": {
            "schemas": {
                "State": {"type": "string", "enum": ["accepted", "shipped", "closed"]},
                "Channel": {"type": "string", "enum": ["web", "edi"]},
                "OrderIn": {
                    "type": "object",
                    "properties": {
                        "order_number": {"type": "string", "maxLength": 64},
                        "quantity": {"type": "number", "minimum": 1},
                        "note": nullable_text,
                        "channel": ref("Channel"),
                    },
                    "required": ["order_number", "quantity"],
                },
                "OrderOut": {
                    "type": "object",
                    "properties": {
                        "order_id": {"type": "string"},
                        "state": ref("State"),
                        "value": {"type": "string"},
                    },
                    "required": ["order_id", "state", "value"],
                },
                "OrdersPage": {
                    "type": "object",
                    "properties": {
                        "data": {"type": "array", "items": ref("OrderOut")},
                        "next": nullable_text,
                    },
                    "required": ["data"],
                },
                "Problem": {"type": "object", "properties": {"title": {"type": "string"}}},
            }
        },
    }


def breaks(change) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """The breaking changes after ``change`` mutates a copy of the API, as (kind, path)."""
    old = orders_api()
    new = copy.deepcopy(old)
    change(new)
    return sorted((c.kind.value, c.path) for c in breaking(compare_openapi(old, new)))


def schemas(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["components"]["schemas"]


def test_the_same_document_has_no_changes():
    assert compare_openapi(orders_api(), orders_api()) == []


def test_a_removed_operation_breaks():
    def drop(doc):
        del doc["paths"]["/v1/orders"]["post"]

    assert breaks(drop) == [("operation-removed", POST)]


def test_a_removed_response_field_breaks_every_operation_that_returns_it():
    def drop(doc):
        del schemas(doc)["OrderOut"]["properties"]["value"]
        schemas(doc)["OrderOut"]["required"].remove("value")

    assert breaks(drop) == [
        ("field-removed", f"{PAGE_ITEM}.properties.value"),
        ("field-removed", f"{CREATED}.properties.value"),
    ]


def test_a_removed_request_field_breaks():
    def drop(doc):
        del schemas(doc)["OrderIn"]["properties"]["note"]

    assert breaks(drop) == [("field-removed", f"{BODY}.properties.note")]


def test_a_removed_enum_value_of_an_input_breaks():
    def drop(doc):
        schemas(doc)["Channel"]["enum"].remove("edi")

    assert breaks(drop) == [("enum-value-removed", f"{BODY}.properties.channel.enum")]


def test_a_new_required_request_property_breaks():
    def require(doc):
        schemas(doc)["OrderIn"]["properties"]["po_date"] = {"type": "string", "format": "date"}
        schemas(doc)["OrderIn"]["required"].append("po_date")

    assert breaks(require) == [("required-added", f"{BODY}.properties.po_date")]


def test_a_parameter_made_required_breaks():
    def require(doc):
        doc["paths"]["/v1/orders"]["get"]["parameters"][1]["required"] = True

    assert breaks(require) == [("required-added", LIMIT)]


def test_a_new_required_header_breaks():
    def require(doc):
        header = {"name": "Idempotency-Key", "in": "header", "required": True}
        doc["paths"]["/v1/orders"]["post"]["parameters"] = [
            {**header, "schema": {"type": "string"}}
        ]

    path = f"{POST}.parameters[?(@.in=='header' && @.name=='Idempotency-Key')]"
    assert breaks(require) == [("required-added", path)]


def test_a_number_input_narrowed_to_integer_breaks():
    def narrow(doc):
        schemas(doc)["OrderIn"]["properties"]["quantity"]["type"] = "integer"

    assert breaks(narrow) == [("type-narrowed", f"{BODY}.properties.quantity")]


def test_a_type_union_of_an_input_narrowed_breaks():
    def narrow(doc):
        schemas(doc)["OrderIn"]["properties"]["note"] = {"type": "string"}

    assert breaks(narrow) == [("type-narrowed", f"{BODY}.properties.note")]


@pytest.mark.parametrize(
    ("field", "keyword", "value"),
    [
        ("order_number", "maxLength", 32),
        ("order_number", "pattern", "^PO-[0-9]+$"),
        ("order_number", "format", "uuid"),
        ("quantity", "minimum", 2),
        ("quantity", "maximum", 1000),
    ],
)
def test_an_input_constraint_tightened_breaks(field, keyword, value):
    def tighten(doc):
        schemas(doc)["OrderIn"]["properties"][field][keyword] = value

    assert breaks(tighten) == [("type-narrowed", f"{BODY}.properties.{field}.{keyword}")]


def test_a_removed_status_code_breaks():
    def drop(doc):
        del doc["paths"]["/v1/orders"]["post"]["responses"]["422"]

    assert breaks(drop) == [("status-code-removed", f"{POST}.responses['422']")]


def test_an_output_that_may_now_be_null_breaks_its_readers():
    def widen(doc):
        schemas(doc)["OrderOut"]["properties"]["value"] = {
            "anyOf": [{"type": "string"}, {"type": "null"}]
        }

    assert breaks(widen) == [
        ("type-widened", f"{PAGE_ITEM}.properties.value"),
        ("type-widened", f"{CREATED}.properties.value"),
    ]


def test_an_output_field_no_longer_required_breaks_its_readers():
    def relax(doc):
        schemas(doc)["OrderOut"]["required"].remove("state")

    assert breaks(relax) == [
        ("required-dropped", f"{PAGE_ITEM}.properties.state"),
        ("required-dropped", f"{CREATED}.properties.state"),
    ]


def test_a_new_enum_value_breaks_readers_of_outputs_but_not_senders_of_inputs():
    def add(doc):
        schemas(doc)["State"]["enum"].append("cancelled")

    old, new = orders_api(), orders_api()
    add(new)
    verdicts = {(c.path, c.breaking) for c in compare_openapi(old, new)}
    assert verdicts == {
        (f"{GET}.parameters[?(@.in=='query' && @.name=='state')].schema.enum", False),
        (f"{PAGE_ITEM}.properties.state.enum", True),
        (f"{CREATED}.properties.state.enum", True),
    }


def test_additive_changes_pass_and_are_still_reported():
    def grow(doc):
        order_in = schemas(doc)["OrderIn"]["properties"]
        order_in["reference"] = {"type": "string"}  # new optional input
        order_in["order_number"]["maxLength"] = 128  # input accepts more
        order_in["quantity"]["minimum"] = 0
        schemas(doc)["OrderOut"]["properties"]["carrier"] = {"type": "string"}  # new output
        schemas(doc)["Channel"]["enum"].append("marketplace")  # input enum grows
        get = doc["paths"]["/v1/orders"]["get"]
        get["parameters"].append({"name": "customer", "in": "query", "schema": {"type": "string"}})
        get["responses"]["400"] = body(ref("Problem"))
        doc["paths"]["/v1/orders/{order_id}"] = {
            "get": {"responses": {"200": body(ref("OrderOut"))}}
        }

    old, new = orders_api(), orders_api()
    grow(new)
    changes = compare_openapi(old, new)
    assert breaking(changes) == []
    assert {c.kind for c in changes} == {
        Kind.FIELD_ADDED,
        Kind.TYPE_WIDENED,
        Kind.ENUM_VALUE_ADDED,
        Kind.STATUS_CODE_ADDED,
        Kind.OPERATION_ADDED,
    }
    assert len(changes) == 9  # two new properties in OrderOut's two uses


def test_a_recursive_schema_is_compared_without_looping():
    def tree(doc):
        schemas(doc)["Category"] = {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "children": {"type": "array", "items": ref("Category")},
                "parent": {"anyOf": [ref("Category"), {"type": "null"}]},
            },
        }
        doc["paths"]["/v1/categories"] = {"get": {"responses": {"200": body(ref("Category"))}}}

    old = orders_api()
    tree(old)
    new = copy.deepcopy(old)
    del schemas(new)["Category"]["properties"]["name"]
    found = [(c.kind.value, c.path) for c in compare_openapi(old, new)]
    root = f"$.paths['/v1/categories'].get.responses['200'].content['{JSON}'].schema"
    assert found == [("field-removed", f"{root}.properties.name")]


def test_an_event_version_published_beside_v1_leaves_v1_intact():
    class OrderAcceptedV2(EventData):
        amount: DecimalText
        currency: CurrencyCode

    v1 = {"OrderAccepted.v1.json": EVENT_SCHEMAS.envelope_schema(EventType.ORDER_ACCEPTED, "1")}
    moved = EVENT_SCHEMAS.with_version(EventType.ORDER_ACCEPTED, "2", OrderAcceptedV2)
    v2 = moved.envelope_schema(EventType.ORDER_ACCEPTED, "2")

    beside = compare_event_schemas(v1, {**v1, "OrderAccepted.v2.json": v2})
    assert [(c.kind, c.breaking) for c in beside] == [(Kind.SCHEMA_ADDED, False)]

    in_place = compare_event_schemas(v1, {"OrderAccepted.v1.json": v2})
    assert {(c.kind.value, c.path) for c in breaking(in_place)} == {
        ("field-removed", "$.properties.data.properties.value"),
        ("field-removed", "$.properties.data.properties.tax"),
        ("field-removed", "$.properties.data.properties.tax_rate"),
        ("enum-value-removed", "$.properties.schemaversion.const"),
        ("enum-value-added", "$.properties.schemaversion.const"),
    }


def test_a_withdrawn_event_version_breaks_its_readers():
    v1 = {"OrderAccepted.v1.json": EVENT_SCHEMAS.envelope_schema(EventType.ORDER_ACCEPTED, "1")}
    [change] = compare_event_schemas(v1, {})
    assert (change.kind, change.document, change.breaking) == (
        Kind.SCHEMA_REMOVED,
        "events/OrderAccepted.v1.json",
        True,
    )
