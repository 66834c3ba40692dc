"""How each behaviour of a system reaches the hub through HttpSystems: one attempt, one message."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from reference.hub import (
    CallSystem,
    FailureKind,
    Operation,
    SystemCallFailed,
    SystemReplied,
    call_id,
)
from reference.service.http_systems import HttpSystems, parse_retry_after
from simulators.behavior.faults import ErrorRates, Window
from simulators.behavior.latency import FixedSpec
from simulators.behavior.profile import BehaviorSpec

from .support import free_port

pytestmark = pytest.mark.xdist_group("http_systems")

QUICK = FixedSpec(seconds=0.01)
CHECK = CallSystem(
    call_id("SO-0000042", Operation.CHECK_ORDER, "erp"),
    "erp",
    Operation.CHECK_ORDER,
    {"customer_id": "CUST-1001", "region": "GA", "skus": ["PLB-1000"]},
    "SO-0000042",
    "corr-checkout-42",
)


def attempt(url: str, call: CallSystem = CHECK, timeout: float = 2.0) -> tuple[object, float]:
    """One call through the port: the message and the seconds it took."""

    async def run() -> tuple[object, float]:
        async with HttpSystems(url, timeout=timeout) as port:
            started = time.monotonic()
            message = await port.call(call, 0.0)
            return message, time.monotonic() - started

    return asyncio.run(run())


def test_a_healthy_erp_answers_with_its_contract_prices(serve_systems):
    message, _ = attempt(serve_systems())
    assert isinstance(message, SystemReplied)
    assert message.call == CHECK
    assert message.body["customer_known"] is True
    assert set(message.body["prices"]) == {"PLB-1000"}


def test_a_throttling_erp_gives_429_with_the_servers_retry_after(serve_systems):
    url = serve_systems(
        {"erp": BehaviorSpec(latency=QUICK, errors=ErrorRates(throttle=1.0, retry_after=2.5))}
    )
    raw = httpx.post(f"{url}/erp/check_order", json=dict(CHECK.payload))
    assert raw.status_code == 429
    assert raw.headers["content-type"] == "application/problem+json"
    assert raw.headers["Retry-After"] == "3"  # whole seconds, rounded up from 2.5

    message, _ = attempt(url)
    assert isinstance(message, SystemCallFailed)
    assert (message.kind, message.retry_after) == (
        FailureKind.THROTTLED,
        float(raw.headers["Retry-After"]),
    )


def test_a_rate_limited_erp_refuses_the_second_call_in_a_burst(serve_systems):
    url = serve_systems(
        {"erp": BehaviorSpec(latency=QUICK, rate_limit={"rate_per_s": 0.5, "burst": 1})}
    )
    first, _ = attempt(url)
    second, _ = attempt(url)
    assert isinstance(first, SystemReplied)
    assert isinstance(second, SystemCallFailed)
    assert second.kind is FailureKind.THROTTLED
    assert second.retry_after == 2.0  # the bucket refills one token in 2 s


def test_an_erp_in_an_outage_window_is_unavailable(serve_systems):
    url = serve_systems({"erp": BehaviorSpec(latency=QUICK, outages=[Window(0, 3600)])})
    message, _ = attempt(url)
    assert isinstance(message, SystemCallFailed)
    assert message.kind is FailureKind.UNAVAILABLE


def test_a_refused_connection_is_unavailable():
    message, _ = attempt(f"http://127.0.0.1:{free_port()}")
    assert isinstance(message, SystemCallFailed)
    assert message.kind is FailureKind.UNAVAILABLE


def test_an_erp_that_hangs_times_out_within_the_client_timeout(serve_systems):
    url = serve_systems(
        {"erp": BehaviorSpec(latency=QUICK, errors=ErrorRates(timeout=1.0, timeout_after=30))}
    )
    message, took = attempt(url, timeout=0.3)
    assert isinstance(message, SystemCallFailed)
    assert message.kind is FailureKind.TIMEOUT
    assert 0.3 <= took < 1.0


def test_an_erp_that_gives_up_first_answers_504_which_is_a_timeout(serve_systems):
    url = serve_systems(
        {"erp": BehaviorSpec(latency=QUICK, errors=ErrorRates(timeout=1.0, timeout_after=0.05))}
    )
    message, took = attempt(url, timeout=2.0)
    assert isinstance(message, SystemCallFailed)
    assert message.kind is FailureKind.TIMEOUT
    assert took < 1.0


def test_an_erp_failing_with_server_errors_gives_5xx(serve_systems):
    url = serve_systems({"erp": BehaviorSpec(latency=QUICK, errors=ErrorRates(server_error=1.0))})
    message, _ = attempt(url)
    assert isinstance(message, SystemCallFailed)
    assert message.kind is FailureKind.SERVER_ERROR


def test_an_invoice_for_an_unknown_customer_is_refused_with_the_reason(serve_systems):
    post = CallSystem(
        "SO-0000042:post_invoice:erp:SH-1",
        "erp",
        "post_invoice",
        {
            "order_id": "SO-0000042",
            "shipment_id": "SH-1",
            "customer_id": "CUST-0000",
            "currency": "USD",
            "lines": [],
        },
        "SO-0000042",
        "corr-checkout-42",
    )
    message, _ = attempt(serve_systems(), post)
    assert isinstance(message, SystemCallFailed)
    assert message.kind is FailureKind.REFUSED
    assert "unknown customer CUST-0000" in message.detail


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("3", 3.0),
        ("0.25", 0.25),
        ("-4", 0.0),
        ("soon", None),
        ("", None),
        ("Wed, 21 Oct 2015 07:28:20 GMT", 20.0),
    ],
)
def test_retry_after_is_read_as_seconds_or_an_http_date(header, seconds):
    now = 1445412480.0  # Wed, 21 Oct 2015 07:28:00 GMT
    assert parse_retry_after(header, now=now) == seconds
