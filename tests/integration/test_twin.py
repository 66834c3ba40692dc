"""The twin: the what-if engine's path and the service's path, one seeded stream, one outcome."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from reference.hub import ScheduleTimer
from reference.hub.interpreter import Ports
from scenarios.spec import load_spec
from scenarios.twin import run_twin

pytestmark = pytest.mark.xdist_group("twin")
CROSSDOCK = [str(Path(sys.executable).with_name("crossdock"))]
KEYS = {"accepted", "rejected", "split", "partially_shipped", "backordered", "invoiced", "closed"}
KEYS |= {"events", "event_hash", "shipments", "invoices"}


def twin(*args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    done = subprocess.run(
        [*CROSSDOCK, "twin", *args, "--json"], capture_output=True, text=True, timeout=600
    )
    return done.returncode, json.loads(done.stdout)


@pytest.fixture(scope="module")
def seven() -> tuple[int, dict]:  # type: ignore[type-arg]
    return twin("--orders", "500", "--seed", "7")


def test_both_paths_agree_on_500_orders(seven) -> None:  # type: ignore[no-untyped-def]
    code, result = seven
    assert code == 0
    assert result["equal"] is True and result["first_difference"] is None
    assert set(result["whatif"]) == KEYS == set(result["service"])
    assert result["whatif"] == result["service"]


def test_the_stream_has_rejections_partial_shipments_backorders_and_invoices(seven) -> None:  # type: ignore[no-untyped-def]
    whatif = seven[1]["whatif"]
    assert whatif["partially_shipped"] > 0 and whatif["backordered"] > 0 and whatif["split"] > 0
    assert whatif["rejected"] > 0 and whatif["accepted"] + whatif["rejected"] == 500
    assert whatif["invoices"] == whatif["shipments"] > 0
    assert whatif["invoiced"] <= whatif["accepted"]


def test_another_seed_gives_another_hash_and_still_agrees(seven) -> None:  # type: ignore[no-untyped-def]
    code, other = twin("--orders", "500", "--seed", "8")
    assert code == 0 and other["equal"] is True
    assert other["whatif"]["event_hash"] != seven[1]["whatif"]["event_hash"]


@pytest.fixture(scope="module")
def faulty(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    """baseline-day with failing, throttled, slow and queueing systems and an ERP outage."""
    spec = yaml.safe_load(load_spec("baseline-day").model_dump_json())
    spec["name"] = "twin-faults"
    spec["systems"] = {
        "erp": {
            "errors": {"server_error": 0.08, "timeout": 0.03, "throttle": 0.03, "timeout_after": 2},
            "workers": 4,
        },
        "tms": {"errors": {"server_error": 0.05}},
        "finance": {"errors": {"server_error": 0.1}},
    }
    spec["hub"]["retry"]["max_attempts"] = 3
    spec["faults"] = [{"system": "erp", "kind": "outage", "start": 1200, "end": 2400}]
    path = tmp_path_factory.mktemp("twin") / "twin-faults.yaml"
    path.write_text(yaml.safe_dump(spec))
    return path


def test_both_paths_agree_through_retries_dead_letters_and_an_outage(faulty: Path) -> None:
    result = run_twin(load_spec(str(faulty)), 300, 7)
    assert result["equal"], result["first_difference"]
    events = result["whatif"]["events"]
    assert events == result["service"]["events"] > 0


class DropsTheFirstTimer:
    """A what-if adapter that loses one retry timer: the orders after it must differ."""

    def __init__(self, inner: Ports) -> None:
        self.inner, self.dropped = inner, False
        self.publish, self.call, self.dead_letter = inner.publish, inner.call, inner.dead_letter

    def schedule(self, timer: ScheduleTimer) -> None:
        if self.dropped:
            self.inner.schedule(timer)
        else:
            self.dropped = True


def test_an_adapter_that_drops_a_timer_is_caught_naming_the_first_order_that_differs(
    faulty: Path,
) -> None:
    result = run_twin(load_spec(str(faulty)), 300, 7, deviate=DropsTheFirstTimer)
    assert result["equal"] is False
    difference = result["first_difference"]
    assert difference["order_id"].startswith("SO-")
    assert difference["whatif"] != difference["service"]
    # the order whose retry was lost stops where the retry should have been
    assert len(difference["whatif"]) < len(difference["service"])


def test_a_bad_order_count_is_refused_by_name() -> None:
    done = subprocess.run([*CROSSDOCK, "twin", "--orders", "0"], capture_output=True, text=True)
    assert done.returncode == 2
    assert "--orders" in done.stderr
