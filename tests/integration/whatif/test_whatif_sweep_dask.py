"""`crossdock sweep` on a Dask cluster the test starts: a scheduler and two worker processes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from scenarios.spec import Variant

from .support import shrunk

CROSSDOCK = str(Path(sys.executable).with_name("crossdock"))
pytestmark = pytest.mark.xdist_group("dask")


def test_sweep_runs_its_grid_on_a_local_dask_cluster(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    spec = shrunk(
        "inventory-sync-patterns",
        {
            "demand.orders_per_day": 2000,
            "warm_up": 0,
            "horizon": "2h",
            "drain": "1h",
            "demand.spikes": [],
            "topology.flows.inventory_sync.pattern": "batch",
            "topology.flows.inventory_sync.every": 900,
        },
        variants=[Variant(name="base")],
    )
    scenario = tmp_path / "sweep.yaml"
    scenario.write_text(json.dumps(spec.model_dump(mode="json")))
    out = tmp_path / "out"
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        done = subprocess.run(
            [
                CROSSDOCK,
                "sweep",
                str(scenario),
                "--set",
                "topology.flows.inventory_sync.every=900,3600",
                "--replications",
                "2",
                "--executor",
                "dask",
                "--address",
                cluster.scheduler_address,
                "--out",
                str(out),
                "--json",
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        with distributed.Client(cluster.scheduler_address) as client:
            workers = client.scheduler_info()["workers"]
    assert len(workers) == 2
    table = json.loads(done.stdout)
    assert set(table) == {"every=900", "every=3600"}
    study = json.loads((out / "study.json").read_text())
    assert study["swept_path"] == "topology.flows.inventory_sync.every"
    assert study["swept_values"] == [900, 3600]
    assert study["variant_values"] == {"every=900": 900, "every=3600": 3600}
    assert len(study["runs"]) == 4
    assert (out / "report.html").is_file()
