"""The HTTP fakes on a scenario's clock: ``start`` at first, ``speedup`` times the wall clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from simulators.behavior.faults import ErrorRates, Window
from simulators.behavior.latency import FixedSpec
from simulators.behavior.profile import BehaviorSpec
from simulators.http import create_systems_app

from .conftest import SystemsServer
from .support import SEED

pytestmark = pytest.mark.xdist_group("http_systems")

HOUR = 3600.0
QUICK = FixedSpec(seconds=0.01)
CHECK = {"customer_id": "CUST-1001", "region": "GA", "skus": ["PLB-1000"]}
OUTAGE = {"erp": BehaviorSpec(latency=QUICK, outages=[Window(11 * HOUR, 11 * HOUR + 2700)])}


@pytest.fixture
def on_clock() -> Iterator[Callable[..., str]]:
    """``start(profiles, speedup=, start=) -> base URL`` of a fresh server on that clock."""
    servers: list[SystemsServer] = []

    def start(profiles: dict[str, BehaviorSpec], **clock: float) -> str:
        server = SystemsServer(create_systems_app(SEED, profiles, 0.0, **clock))
        server.start()
        servers.append(server)
        return server.url

    yield start
    for server in servers:
        server.stop()


def test_an_outage_at_eleven_is_on_when_the_clock_starts_inside_it(on_clock):
    url = on_clock(OUTAGE, speedup=60.0, start=11 * HOUR + 60)
    assert httpx.post(f"{url}/erp/check_order", json=CHECK).status_code == 503


def test_the_same_outage_is_still_ahead_when_the_clock_starts_at_ten(on_clock):
    url = on_clock(OUTAGE, speedup=60.0, start=10 * HOUR)
    assert httpx.post(f"{url}/erp/check_order", json=CHECK).status_code == 200


def test_retry_after_is_told_in_wall_seconds(on_clock):
    throttled = {
        "erp": BehaviorSpec(latency=QUICK, errors=ErrorRates(throttle=1.0, retry_after=120))
    }
    url = on_clock(throttled, speedup=60.0)
    answer = httpx.post(f"{url}/erp/check_order", json=CHECK)
    assert answer.status_code == 429
    assert answer.headers["Retry-After"] == "2"  # 120 scenario seconds at 60x


def test_a_half_hour_scenario_answer_comes_within_a_short_client_timeout(on_clock):
    """30 minutes of scenario time is 3 s at 600x: well inside 10 s, far outside it at 1x."""
    slow = {
        "wms": BehaviorSpec(
            latency=FixedSpec(seconds=1800.0), errors=ErrorRates(timeout_after=86_400)
        )
    }
    url = on_clock(slow, speedup=600.0)
    answer = httpx.get(f"{url}/wms/DC-ATL/stock", timeout=10.0)
    assert answer.status_code == 200


def test_healthz_tells_the_scenario_clock_and_its_speed(on_clock):
    health = httpx.get(f"{on_clock(OUTAGE, speedup=60.0, start=10 * HOUR)}/healthz").json()
    assert health["speedup"] == 60.0
    assert health["clock_s"] >= 10 * HOUR


def test_a_clock_that_does_not_run_is_refused():
    with pytest.raises(ValueError, match=r"speedup\(=0.0\) must be > 0"):
        create_systems_app(SEED, OUTAGE, 0.0, speedup=0.0)
