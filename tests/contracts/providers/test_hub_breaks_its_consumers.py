"""Breaking the real hub breaks the build: verification names the interaction, can-i-deploy says no.

Each test changes the hub app the way a careless commit would, through ``hub_app_hook`` (the app
is altered before it is served), and verifies the committed pacts of the hub's consumers.
"""

from __future__ import annotations

import json

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from typer.testing import CliRunner

from contracts.matrix import Matrix
from contracts.participants import HUB, WEB
from contracts.verification import PACT_DIR, verify_http
from crossdock.cli import app as cli

GET_ORDER = "a request for an order"
UNKNOWN_ORDER = "a request for an order that does not exist"


def is_get_order(request: Request) -> bool:
    path = request.url.path
    return request.method == "GET" and path.startswith("/v1/orders/") and path.count("/") == 3


def rename_order_id(app: FastAPI) -> None:
    """getOrder answers ``orderId`` where its consumers read ``order_id``."""

    @app.middleware("http")
    async def camel_case(request: Request, call_next):  # type: ignore[no-untyped-def]
        response = await call_next(request)
        if not is_get_order(request) or response.status_code != 200:
            return response
        body = json.loads(b"".join([chunk async for chunk in response.body_iterator]))
        body["orderId"] = body.pop("order_id")
        return JSONResponse(body)


def drop_not_found(app: FastAPI) -> None:
    """getOrder's documented 404 for an unknown order comes back as a 500."""

    @app.middleware("http")
    async def swallow(request: Request, call_next):  # type: ignore[no-untyped-def]
        response = await call_next(request)
        if is_get_order(request) and response.status_code == 404:
            return Response('{"detail": "internal error"}', 500, media_type="application/json")
        return response


def failures_of(matrix: Matrix, consumer: str) -> tuple[str, ...]:
    (pair,) = [p for p in matrix.pairs if (p.consumer, p.provider) == (consumer, HUB)]
    return pair.failures


def can_i_deploy(matrix: Matrix, tmp_path) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    saved = tmp_path / "matrix.json"
    matrix.save(saved)
    args = ["contracts", "can-i-deploy", "--participant", HUB, "--matrix", str(saved)]
    done = CliRunner().invoke(cli, args, terminal_width=400)
    return done.exit_code, " ".join(done.output.split())


@pytest.mark.slow
def test_a_renamed_field_in_get_order_fails_the_interaction_that_reads_it(tmp_path):
    matrix = Matrix(tuple(verify_http(PACT_DIR, hub_app_hook=rename_order_id, providers={HUB})))

    failures = failures_of(matrix, WEB)
    (broken,) = [f for f in failures if f.split(" - ", 1)[-1].startswith(f"{GET_ORDER}'")]
    assert "order_id" in broken
    assert not any(UNKNOWN_ORDER in f for f in failures)  # a 404 has no order_id to rename
    code, said = can_i_deploy(matrix, tmp_path)
    assert code == 1
    assert f"{WEB} -> {HUB} (http, 1 of 4 interactions failed)" in said


@pytest.mark.slow
def test_a_dropped_404_fails_the_interaction_that_expects_it(tmp_path):
    matrix = Matrix(tuple(verify_http(PACT_DIR, hub_app_hook=drop_not_found, providers={HUB})))

    failures = failures_of(matrix, WEB)
    assert len(failures) == 1
    assert UNKNOWN_ORDER in failures[0]
    assert "expected 404 but was 500" in failures[0]
    assert all(p.passed for p in matrix.pairs if p.consumer != WEB)
    code, said = can_i_deploy(matrix, tmp_path)
    assert (code, said.startswith(f"{HUB} may not deploy")) == (1, True)
