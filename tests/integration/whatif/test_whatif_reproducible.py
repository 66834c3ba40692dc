"""Same seed, same study, bit for bit, whichever executor ran it; another seed, another study."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from scenarios.outputs import study_json
from scenarios.runner import plan, run_study
from scenarios.spec import Variant
from scenarios.world import World

from .support import shrunk

CROSSDOCK = str(Path(sys.executable).with_name("crossdock"))
SMALL = {
    "demand.orders_per_day": 3000,
    "warm_up": "30m",
    "horizon": "3h",
    "drain": "2h",
    "demand.spikes": [{"factor": 4, "start": "1h", "end": "2h"}],
}


def small_spec():  # type: ignore[no-untyped-def]
    return shrunk(
        "integration-patterns",
        SMALL,
        variants=[
            Variant(name="events-idempotent"),
            Variant(
                name="inventory-batch-60m",
                overrides={
                    "topology.flows.inventory_sync.pattern": "batch",
                    "topology.flows.inventory_sync.every": 3600,
                },
            ),
        ],
    )


def test_the_same_seed_gives_the_same_study_in_processes_or_in_one() -> None:
    spec = small_spec()
    parallel = run_study(spec, replications=2, seed=3, workers=2)
    serial = run_study(spec, replications=2, seed=3, executor="serial")
    again = study_json(parallel, wall_clock=False)
    assert again == study_json(serial, wall_clock=False)
    other = run_study(spec, replications=2, seed=4, executor="serial")
    assert study_json(other, wall_clock=False) != again
    # replications differ from each other, variants of one replication share its seed
    seeds = {(r.variant, r.replication): r.seed for r in parallel.runs}
    assert seeds[("events-idempotent", 0)] == seeds[("inventory-batch-60m", 0)]
    assert seeds[("events-idempotent", 0)] != seeds[("events-idempotent", 1)]


def test_replications_share_the_study_estate_and_differ_in_what_happens() -> None:
    def world(job):  # type: ignore[no-untyped-def]
        return World(job.spec, job.variant, job.replication, job.seed)

    jobs = plan(small_spec(), replications=2, seed=3)
    first, second = (world(j) for j in jobs if j.variant == "events-idempotent")
    assert (first.estate.stock, first.estate.customers) == (
        second.estate.stock,
        second.estate.customers,
    )
    assert first.run().kpis != second.run().kpis
    other = world(plan(small_spec(), replications=1, seed=4)[0])
    assert other.estate.customers != first.estate.customers


def test_simulate_writes_runs_series_study_and_report(tmp_path: Path) -> None:
    scenario = tmp_path / "small.yaml"
    spec = small_spec()
    scenario.write_text(json.dumps(spec.model_dump(mode="json")))  # JSON is YAML
    done = subprocess.run(
        [
            CROSSDOCK,
            "simulate",
            str(scenario),
            "--replications",
            "2",
            "--seed",
            "3",
            "--out",
            str(tmp_path / "out"),
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    table = json.loads(done.stdout)
    assert set(table) == {"events-idempotent", "inventory-batch-60m"}
    oversells = table["inventory-batch-60m"]["oversells"]
    assert oversells["low"] <= oversells["mean"] <= oversells["high"]
    out = tmp_path / "out"
    runs = (out / "runs.csv").read_text().splitlines()
    assert len(runs) == 1 + 4 and "oversells" in runs[0]
    series = (out / "series.csv").read_text()
    for name in ("backlog", "message_age", "dead_letter_depth", "ats_hub", "ats_truth"):
        assert f",{name}," in series
    assert (out / "report.html").is_file()
    written = json.loads((out / "study.json").read_text())
    direct = json.loads(study_json(run_study(spec, replications=2, seed=3, executor="serial")))
    assert written.pop("provenance")["seed"] == 3  # only the CLI records where a study came from
    assert direct.pop("provenance") == {}
    for run in written["runs"] + direct["runs"]:
        run.pop("wall_seconds")
    assert written == direct


def test_a_bad_scenario_exits_2_naming_the_path(tmp_path: Path) -> None:
    scenario = tmp_path / "bad.yaml"
    document = small_spec().model_dump(mode="json")
    document["demand"]["spikes"] = [{"factor": -2, "start": 0, "end": 60}]
    scenario.write_text(json.dumps(document))
    done = subprocess.run(
        [CROSSDOCK, "simulate", str(scenario)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2
    assert "demand.spikes[0].factor: Input should be greater than 0 (got -2)" in done.stderr
