"""The systems server's own API: pagination, correlation ids, problems, and its CLI."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import httpx
import pytest

from reference.hub import CallSystem, FailureKind, SystemReplied
from reference.service.http_systems import HttpSystems, SystemsHttpError, system_path
from simulators.behavior.latency import FixedSpec
from simulators.behavior.profile import BehaviorSpec

from .support import free_port

pytestmark = pytest.mark.xdist_group("http_systems")

CROSSDOCK = str(Path(sys.executable).with_name("crossdock"))


def invoice_call(n: int, customer: str) -> CallSystem:
    shipment = f"SH-SO-{n:07d}-DC-ATL"
    return CallSystem(
        f"SO-{n:07d}:post_invoice:erp:{shipment}",
        "erp",
        "post_invoice",
        {
            "order_id": f"SO-{n:07d}",
            "shipment_id": shipment,
            "customer_id": customer,
            "currency": "USD",
            "lines": [{"line_no": 1, "sku": "PLB-1000", "quantity": 2, "unit_price": "31.20"}],
        },
        f"SO-{n:07d}",
        f"corr-{n}",
    )


def test_paging_walks_every_invoice_exactly_once(serve_systems, estate):
    url = serve_systems()
    customer = estate.customers[0].customer_id

    async def run():
        async with HttpSystems(url) as port:
            answers = await asyncio.gather(
                *(port.call(invoice_call(n, customer), 0.0) for n in range(1, 12))
            )
            return answers, await port.fetch_all("/erp/invoices", {"limit": 4})

    answers, invoices = asyncio.run(run())
    first_page = httpx.get(f"{url}/erp/invoices", params={"limit": 4})
    assert all(isinstance(a, SystemReplied) for a in answers)
    ids = [invoice["invoice_id"] for invoice in invoices]
    assert sorted(ids) == sorted(f"INV-SH-SO-{n:07d}-DC-ATL" for n in range(1, 12))
    assert len(ids) == len(set(ids)) == 11
    body = first_page.json()
    assert len(body["data"]) == 4
    assert body["next"] == f"/erp/invoices?cursor={body['next_cursor']}&limit=4"
    assert first_page.headers["Link"] == f'<{body["next"]}>; rel="next"'


def test_paging_walks_a_nodes_stock_in_sku_order(serve_systems, estate):
    url = serve_systems({"wms": BehaviorSpec(latency=FixedSpec(seconds=0.0), page_size=25)})

    async def run():
        async with HttpSystems(url) as port:
            return await port.fetch_all("/wms/DC-DFW/stock", {"limit": 200})

    lines = asyncio.run(run())
    assert [line["sku"] for line in lines] == sorted(estate.stock["DC-DFW"])
    assert {line["sku"]: line["on_hand"] for line in lines} == estate.stock["DC-DFW"]


def test_a_cursor_from_elsewhere_is_a_400_problem(serve_systems):
    url = serve_systems()
    answer = httpx.get(f"{url}/erp/invoices", params={"cursor": "bm90LW1pbmU"})
    assert answer.status_code == 400
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["field"] == "cursor"


def test_a_cursor_that_is_not_even_ascii_is_the_same_400_problem(serve_systems):
    url = serve_systems()
    # It was a 500: base64 refuses non-ASCII text with a ValueError.
    answer = httpx.get(f"{url}/erp/invoices", params={"cursor": "Vª9ö"})
    assert answer.status_code == 400
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["field"] == "cursor"


def test_a_failed_page_raises_with_its_kind(serve_systems):
    url = serve_systems(
        {"erp": BehaviorSpec(latency=FixedSpec(seconds=0.0), outages=[{"start": 0, "end": 3600}])}
    )

    async def run():
        async with HttpSystems(url) as port:
            await port.fetch_all("/erp/invoices")

    with pytest.raises(SystemsHttpError) as failed:
        asyncio.run(run())
    assert failed.value.kind is FailureKind.UNAVAILABLE


def test_the_correlation_id_and_idempotency_key_round_trip(serve_systems, estate):
    url = serve_systems()
    seen: list[tuple[str, str, str]] = []

    async def record(session, context, sent: aiohttp.TraceRequestEndParams) -> None:  # type: ignore[no-untyped-def]
        seen.append(
            (
                sent.headers["X-Correlation-ID"],
                sent.headers["Idempotency-Key"],
                sent.response.headers["X-Correlation-ID"],
            )
        )

    trace = aiohttp.TraceConfig()
    trace.on_request_end.append(record)

    async def run():
        async with HttpSystems(url, trace_configs=[trace]) as port:
            return await port.call(invoice_call(7, estate.customers[0].customer_id), 0.0)

    assert isinstance(asyncio.run(run()), SystemReplied)
    assert seen == [("corr-7", "SO-0000007:post_invoice:erp:SH-SO-0000007-DC-ATL", "corr-7")]
    anonymous = httpx.post(f"{url}/tms/rate", json={"units": 3})
    assert anonymous.headers["X-Correlation-ID"].startswith("corr-")


def test_an_unknown_system_or_node_is_a_404_naming_the_known_ones(serve_systems):
    url = serve_systems()
    answer = httpx.post(f"{url}{system_path('wms:DC-XYZ', 'release')}", json={})
    assert answer.status_code == 404
    assert "wms:DC-ATL" in answer.json()["detail"]


def test_a_wms_node_is_a_path_segment():
    assert system_path("wms:DC-ATL", "release") == "/wms/DC-ATL/release"
    assert system_path("erp", "check_order") == "/erp/check_order"


def test_crossdock_systems_serve_serves_until_stopped():
    port = free_port()
    command = [
        CROSSDOCK,
        "systems",
        "serve",
        "--port",
        str(port),
        "--seed",
        "11",
        "--log-level",
        "warning",
    ]
    health = None
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as server:
        try:
            deadline = time.monotonic() + 20
            while health is None and time.monotonic() < deadline and server.poll() is None:
                try:
                    health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1.0).json()
                except httpx.TransportError:
                    time.sleep(0.1)
        finally:
            server.terminate()
            output, _ = server.communicate(timeout=10)
    assert health is not None, f"crossdock systems serve did not answer:\n{output}"
    assert health["seed"] == 11
    assert "wms:DC-RNO" in health["systems"]
    assert f"http://127.0.0.1:{port}" in output
