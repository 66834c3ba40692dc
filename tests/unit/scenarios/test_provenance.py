"""A study records where it came from, refuses a record that would not rerun exactly, and a
reused output folder keeps nothing stale."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from scenarios.outputs import MANIFEST, write_outputs
from scenarios.provenance import describe, load, read_study, resolved
from scenarios.results import StudyResult
from scenarios.spec import LIBRARY, SpecError, load_spec, scaled, validate


def study_document(spec_name: str = "order-sourcing") -> dict:
    spec = load_spec(spec_name)
    record = describe(
        spec, version="0.1.0", command="crossdock simulate order-sourcing", seed=11, replications=3
    )
    return {"scenario": spec.name, "runs": [], "kpi_catalog": [], "provenance": record}


@pytest.mark.parametrize("path", sorted(LIBRARY.glob("*.yaml")), ids=lambda p: p.stem)
def test_the_resolved_scenario_validates_back_to_itself(path: Path) -> None:
    spec = load_spec(path)
    assert resolved(validate(resolved(spec))) == resolved(spec)


def test_the_hash_is_sha256_of_the_resolved_scenario_as_compact_json() -> None:
    record = study_document()["provenance"]
    text = json.dumps(record["scenario"], separators=(",", ":"), ensure_ascii=False)
    assert record["scenario_sha256"] == hashlib.sha256(text.encode()).hexdigest()
    assert record["scenario"]["hub"]["retry"]["max_attempts"] == 6  # a default, filled in
    # mappings keep the order written: the run draws channels in that order
    assert list(record["scenario"]["demand"]["channel_mix"]) == [
        "web",
        "marketplace",
        "edi",
        "sales_rep",
    ]


def test_a_study_json_reads_back_as_the_study_it_recorded(tmp_path: Path) -> None:
    path = tmp_path / "study.json"
    path.write_text(json.dumps(study_document(), indent=1), encoding="utf-8")
    spec, recorded = load(path)
    assert recorded is not None
    assert (recorded.seed, recorded.replications, recorded.scale) == (11, 3, 1.0)
    assert spec == load_spec("order-sourcing")


def test_an_edited_study_is_refused_rather_than_rerun_inexactly() -> None:
    document = study_document()
    document["provenance"]["scenario"]["hub"]["sourcing"] = "fewest_nodes"
    with pytest.raises(SpecError, match="does not match its scenario_sha256: it was edited"):
        read_study(document, "study.json")


def test_a_study_without_a_record_is_refused_by_name() -> None:
    old = {"scenario": "order-sourcing", "runs": [], "kpi_catalog": []}
    with pytest.raises(SpecError, match="provenance: no scenario, scenario_sha256, seed"):
        read_study(old, "study.json")


def test_scale_shrinks_orders_per_day_only() -> None:
    spec = load_spec("peak-season")
    half = scaled(spec, 0.25)
    assert half.demand.orders_per_day == spec.demand.orders_per_day / 4
    assert half.model_copy(update={"demand": spec.demand}) == spec
    assert scaled(spec, 1.0) is spec


def test_a_reused_out_folder_loses_what_crossdock_wrote_and_keeps_the_rest(
    tmp_path: Path,
) -> None:
    empty = StudyResult("order-sourcing", "", 7, 1, [], [], [])
    (tmp_path / "notes.md").write_text("why we ran this", encoding="utf-8")
    (tmp_path / "charts").mkdir()
    (tmp_path / "charts" / "sweep.png").write_bytes(b"stale")
    (tmp_path / "report.html").write_text("stale", encoding="utf-8")
    (tmp_path / MANIFEST).write_text("charts/sweep.png\nreport.html\n", encoding="utf-8")
    write_outputs(empty, tmp_path)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.*")) == [
        ".crossdock-outputs",
        "notes.md",
        "runs.csv",
        "series.csv",
        "study.json",
    ]
    assert (tmp_path / MANIFEST).read_text().splitlines() == [
        "runs.csv",
        "series.csv",
        "study.json",
    ]


def test_a_folder_from_before_the_manifest_loses_the_files_crossdock_names(
    tmp_path: Path,
) -> None:
    empty = StudyResult("order-sourcing", "", 7, 1, [], [], [])
    for name in ("study.json", "report.html", "notes.md"):
        (tmp_path / name).write_text("old", encoding="utf-8")
    write_outputs(empty, tmp_path)
    assert not (tmp_path / "report.html").exists()
    assert (tmp_path / "notes.md").read_text() == "old"


def test_a_mapping_written_in_another_order_is_another_scenario(tmp_path: Path) -> None:
    spec = load_spec("order-sourcing")
    document = resolved(spec)
    document["demand"]["channel_mix"] = dict(reversed(document["demand"]["channel_mix"].items()))
    reordered = validate(document)
    record = describe(reordered, version="0.1.0", command="", seed=7, replications=1)
    assert (
        record["scenario_sha256"]
        != describe(spec, version="0.1.0", command="", seed=7, replications=1)["scenario_sha256"]
    )
    path = tmp_path / "study.json"
    path.write_text(json.dumps({"runs": [], "kpi_catalog": [], "provenance": record}))
    again, _ = load(path)
    assert list(again.demand.channel_mix) == ["sales_rep", "edi", "marketplace", "web"]
