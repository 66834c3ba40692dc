"""The twin run through the real CLI: both shells, one seeded stream, the same business outcome."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

CROSSDOCK = [str(Path(sys.executable).with_name("crossdock"))]
KEYS = {
    "accepted",
    "rejected",
    "split",
    "partially_shipped",
    "backordered",
    "invoiced",
    "closed",
    "events",
    "event_hash",
}


def twin(*args: str) -> tuple[int, dict]:
    done = subprocess.run(
        [*CROSSDOCK, "twin", *args, "--json"], capture_output=True, text=True, timeout=300
    )
    return done.returncode, json.loads(done.stdout)


@pytest.fixture(scope="module")
def seven() -> tuple[int, dict]:
    return twin("--orders", "500", "--seed", "7")


def test_both_shells_agree_on_500_orders(seven):
    code, result = seven
    assert code == 0
    assert result["equal"] is True
    assert set(result["sim"]) >= KEYS and set(result["asyncio"]) >= KEYS
    assert {k: result["sim"][k] for k in KEYS} == {k: result["asyncio"][k] for k in KEYS}


def test_the_stream_has_partial_shipments_backorders_and_an_invoice_per_shipment(seven):
    sim = seven[1]["sim"]
    assert sim["partially_shipped"] > 0 and sim["backordered"] > 0 and sim["split"] > 0
    assert sim["rejected"] > 0 and sim["accepted"] + sim["rejected"] == 500
    assert sim["invoices"] == sim["shipments"] > 0
    assert sim["invoiced"] <= sim["closed"] <= sim["accepted"]


def test_another_seed_gives_another_hash(seven):
    code, other = twin("--orders", "500", "--seed", "8")
    assert code == 0 and other["equal"] is True
    assert other["sim"]["event_hash"] != seven[1]["sim"]["event_hash"]


def test_a_bad_order_count_is_refused_by_name():
    done = subprocess.run([*CROSSDOCK, "twin", "--orders", "0"], capture_output=True, text=True)
    assert done.returncode == 2
    assert "--orders" in done.stderr
