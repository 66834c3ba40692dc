"""A study reruns from its study.json exactly, --variant runs a subset of the same runs, and a
reused --out keeps nothing stale. Small scale: a three-hour day at a fraction of its demand."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from scenarios.spec import Variant

from .support import shrunk

CROSSDOCK = str(Path(sys.executable).with_name("crossdock"))
SMALL = {"demand.orders_per_day": 3000, "warm_up": "30m", "horizon": "3h", "drain": "2h"}


def crossdock(*args: str | Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([CROSSDOCK, *map(str, args)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done


def runs(out: Path) -> list[dict[str, str]]:
    """runs.csv without its one wall-clock column."""
    with (out / "runs.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        del row["wall_seconds"]
    return rows


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = shrunk(
        "integration-patterns",
        SMALL,
        variants=[
            Variant(name="events-idempotent"),
            Variant(name="no-idempotency", overrides={"hub.idempotency": False}),
            Variant(
                name="inventory-batch-60m",
                overrides={
                    "topology.flows.inventory_sync.pattern": "batch",
                    "topology.flows.inventory_sync.every": "1h",
                },
            ),
        ],
    )
    path = tmp_path_factory.mktemp("scenario") / "small.json"
    path.write_text(json.dumps(spec.model_dump(mode="json")))  # JSON is YAML
    return path


@pytest.fixture(scope="module")
def first(scenario: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("first")
    crossdock("simulate", scenario, "-r", "2", "-s", "3", "--scale", "0.5", "-o", out, "--json")
    return out


def test_a_study_json_reruns_the_study_exactly(first: Path, tmp_path: Path) -> None:
    recorded = json.loads((first / "study.json").read_text())["provenance"]
    assert (recorded["seed"], recorded["replications"], recorded["scale"]) == (3, 2, 0.5)
    assert recorded["command"].startswith("crossdock simulate ")
    assert recorded["scenario"]["demand"]["orders_per_day"] == 3000  # unscaled; scale beside it
    report = (first / "report.html").read_text()
    assert '<section id="provenance">' in report and recorded["scenario_sha256"] in report

    again = tmp_path / "again"
    crossdock("simulate", first / "study.json", "-o", again, "--json")
    assert runs(again) == runs(first)
    rerecorded = json.loads((again / "study.json").read_text())["provenance"]
    assert rerecorded["scenario_sha256"] == recorded["scenario_sha256"]


def test_another_seed_is_another_study(first: Path, tmp_path: Path) -> None:
    crossdock("simulate", first / "study.json", "-s", "4", "-o", tmp_path, "--json")
    assert runs(tmp_path) != runs(first)


def test_one_variant_gives_the_same_runs_as_in_the_whole_study(
    scenario: Path, first: Path, tmp_path: Path
) -> None:
    crossdock(
        "simulate", scenario, "-r", "2", "-s", "3", "--scale", "0.5", "--variant",
        "inventory-batch-60m", "-o", tmp_path, "--json", "--no-report",
    )  # fmt: skip
    assert runs(tmp_path) == [r for r in runs(first) if r["variant"] == "inventory-batch-60m"]
    recorded = json.loads((tmp_path / "study.json").read_text())["provenance"]
    assert recorded["variants"] == ["inventory-batch-60m"]


def test_a_reused_out_keeps_no_stale_report(first: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    crossdock("simulate", first / "study.json", "-o", out, "--json")
    assert (out / "report.html").is_file() and (out / "charts" / "kpis.png").is_file()
    (out / "notes.md").write_text("why we ran this")
    crossdock("simulate", first / "study.json", "-o", out, "--json", "--no-report")
    assert not (out / "report.html").exists()
    assert not list((out / "charts").glob("*.png"))
    assert (out / "notes.md").read_text() == "why we ran this"


def test_a_sweep_reruns_from_its_study_json_with_its_grid(scenario: Path, tmp_path: Path) -> None:
    swept = tmp_path / "sweep"
    crossdock(
        "sweep", scenario, "--set", "hub.idempotency=true,false", "-r", "1", "--scale", "0.3",
        "-o", swept, "--json",
    )  # fmt: skip
    again = tmp_path / "again"
    crossdock("simulate", swept / "study.json", "-o", again, "--json")
    assert [r["variant"] for r in runs(again)] == ["idempotency=true", "idempotency=false"]
    assert runs(again) == runs(swept)
    study = json.loads((again / "study.json").read_text())
    assert (study["swept_path"], study["swept_values"]) == ("hub.idempotency", [True, False])
    assert 'id="chart-sweep"' in (again / "report.html").read_text()
