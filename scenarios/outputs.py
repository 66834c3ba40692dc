"""What a study leaves on disk: ``runs.csv`` (one row per run, a column per KPI), ``series.csv``
(variant, replication, series, t, value), ``study.json`` (the whole StudyResult) and the HTML
report. ``study_json`` is the one serialisation, so two studies compare bit for bit on its text.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Any

from scenarios.kpis import KPI_NAMES
from scenarios.results import StudyResult
from scenarios.topology import TopologySpec


def study_json(study: StudyResult, wall_clock: bool = True) -> str:
    """The study as JSON; ``wall_clock=False`` drops ``wall_seconds``, the one field a rerun of
    the same seed may change."""
    data = study.to_dict()
    if not wall_clock:
        for run in data["runs"]:
            run.pop("wall_seconds", None)
    return json.dumps(_finite(data), sort_keys=True, indent=1)


def write_outputs(
    study: StudyResult, out_dir: Path, topology: TopologySpec | None = None, report: bool = True
) -> dict[str, Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        "runs": out_dir / "runs.csv",
        "series": out_dir / "series.csv",
        "study": out_dir / "study.json",
    }
    with paths["runs"].open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["variant", "replication", "seed", "wall_seconds", *KPI_NAMES])
        for run in study.runs:
            writer.writerow(
                [
                    run.variant,
                    run.replication,
                    run.seed,
                    f"{run.wall_seconds:.3f}",
                    *(repr(run.kpis.get(k, math.nan)) for k in KPI_NAMES),
                ]
            )
    with paths["series"].open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["variant", "replication", "series", "t", "value"])
        for run in study.runs:
            for name, points in run.series.items():
                for t, value in points:
                    writer.writerow([run.variant, run.replication, name, repr(t), repr(value)])
    paths["study"].write_text(study_json(study), encoding="utf-8")
    if report:
        from reports.html import write_report

        paths["report"] = write_report(study, out_dir, topology)
    return paths


def kpi_table(study: StudyResult) -> dict[str, dict[str, dict[str, float]]]:
    """variant -> KPI -> {mean, low, high}, for ``--json``."""
    return {
        v.name: {
            k: _finite({"mean": e.mean, "low": e.low, "high": e.high}) for k, e in v.kpis.items()
        }
        for v in study.variants
    }


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value
