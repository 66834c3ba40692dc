"""What a study leaves on disk: ``runs.csv`` (one row per run, a column per KPI), ``series.csv``
(variant, replication, series, t, value), ``study.json`` (the whole StudyResult) and the HTML
report. ``study_json`` is the one serialisation, so two studies compare bit for bit on its text.

A reused output folder keeps no stale file: before writing, ``write_outputs`` deletes the files
the previous study there wrote (listed in ``.crossdock-outputs``; for a folder written before
that list existed, the fixed names and charts/*.png), and nothing else, so a file of your own in
the folder survives, and a report.html or sweep chart is never left over from another study.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scenarios.kpis import KPI_NAMES
from scenarios.results import Estimate, StudyResult


def study_json(study: StudyResult, wall_clock: bool = True) -> str:
    """The study as JSON; ``wall_clock=False`` drops ``wall_seconds``, the one field a rerun of
    the same seed may change."""
    data = study.to_dict()
    if not wall_clock:
        for run in data["runs"]:
            run.pop("wall_seconds", None)
    # keys in the order the study holds them, not sorted: the recorded scenario's mappings keep
    # the order they were written in, which the run depends on (see scenarios.provenance)
    return json.dumps(_finite(data), indent=1)


MANIFEST = ".crossdock-outputs"
_FIXED = ("runs.csv", "series.csv", "study.json", "report.html")


def clear_previous(out_dir: Path) -> list[Path]:
    """Delete the files an earlier study wrote to ``out_dir`` (see the module docstring)."""
    manifest = out_dir / MANIFEST
    if manifest.is_file():
        names = manifest.read_text(encoding="utf-8").splitlines()
    elif (out_dir / "study.json").is_file():
        names = [*_FIXED, *(f"charts/{p.name}" for p in (out_dir / "charts").glob("*.png"))]
    else:
        names = []
    root = out_dir.resolve()
    removed = []
    for name in names:
        target = (out_dir / name).resolve()
        if name and target.is_relative_to(root) and target.is_file():
            target.unlink()
            removed.append(target)
    manifest.unlink(missing_ok=True)
    return removed


def _files(out_dir: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in out_dir.rglob("*") if p.is_file()}


def write_outputs(
    study: StudyResult, out_dir: Path, also: Callable[[Path], dict[str, Path]] | None = None
) -> dict[str, Path]:
    """runs.csv, series.csv and study.json; ``also(out_dir)`` writes more (the CLI passes the
    HTML report: scenarios write results, reports draw them) and names what it wrote."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    clear_previous(out_dir)
    before = _files(out_dir)
    paths = _write(study, out_dir)
    if also is not None:
        paths.update(also(out_dir))
    written = sorted(
        p.relative_to(out_dir).as_posix()
        for p, mtime in _files(out_dir).items()
        if before.get(p) != mtime
    )
    (out_dir / MANIFEST).write_text("".join(f"{name}\n" for name in written), encoding="utf-8")
    return paths


def _write(study: StudyResult, out_dir: Path) -> dict[str, Path]:
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
    return paths


def kpi_table(study: StudyResult) -> dict[str, dict[str, dict[str, Any]]]:
    """variant -> KPI -> {mean, low, high, method}, for ``--json``; every variant but the
    baseline adds ``difference``: the paired difference from the baseline, with
    ``significant`` when its interval excludes 0. n/a is null: no interval for one replication,
    no value at all for a KPI of a system the estate lacks (``absent`` says which)."""

    def row(e: Estimate) -> dict[str, Any]:
        shown = {"mean": e.mean, "low": e.low, "high": e.high, "method": e.method}
        if not e.available:
            shown = {"mean": None, "low": None, "high": None, "method": "none"}
        if e.absent:
            shown["absent"] = e.absent
        return _finite(shown)  # type: ignore[no-any-return]

    table: dict[str, dict[str, dict[str, Any]]] = {}
    for v in study.variants:
        table[v.name] = {}
        for k, e in v.kpis.items():
            table[v.name][k] = row(e)
            d = v.differences.get(k)
            if d is not None:
                table[v.name][k]["difference"] = {**row(d), "significant": d.excludes_zero()}
    return table


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value
