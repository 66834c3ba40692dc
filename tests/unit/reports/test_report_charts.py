"""Each chart function saves a PNG, and copes with a study that lacks some data."""

from __future__ import annotations

import numpy as np

from reports import charts
from scenarios.results import RunResult

PNG = b"\x89PNG\r\n\x1a\n"


def test_series_are_averaged_over_replications_sample_by_sample():
    runs = [
        RunResult("events", 0, 1, {}, series={"backlog": [(0.0, 2.0), (300.0, 4.0), (600.0, 9.0)]}),
        RunResult("events", 1, 2, {}, series={"backlog": [(0.0, 4.0), (300.0, 8.0)]}),
    ]
    t, y = charts.mean_series(runs, "backlog")

    assert t.tolist() == [0.0, 300.0]
    assert np.allclose(y, [3.0, 6.0])


def test_a_study_without_series_or_latencies_leaves_those_charts_out(study, tmp_path):
    bare = type(study)(
        scenario="bare",
        description="",
        seed=1,
        replications=3,
        variants=study.variants,
        runs=[RunResult(r.variant, r.replication, r.seed, r.kpis) for r in study.runs],
        kpi_catalog=study.kpi_catalog,
    )
    assert charts.series_chart(bare, "backlog", tmp_path / "backlog.png") is None
    assert charts.ats_chart(bare, tmp_path / "ats.png") is None
    assert charts.latency_chart(bare, tmp_path / "latency.png") is None
    assert list(tmp_path.glob("*.png")) == []
    assert charts.kpi_bars(bare, tmp_path / "kpis.png").read_bytes()[:8] == PNG  # KPIs remain


def test_the_lifecycle_diagram_is_drawn_from_the_transition_table(tmp_path):
    path = charts.lifecycle_chart(tmp_path / "lifecycle.png")

    assert path.read_bytes()[:8] == PNG


def test_systems_with_workers_get_a_chart_and_their_kpis_leave_the_kpi_grid(tmp_path, monkeypatch):
    from scenarios.kpis import CATALOG
    from scenarios.results import StudyResult, summarise_variants

    def erp(variant: str, replication: int, workers: bool) -> RunResult:
        kpis = {"oversells": 3.0 + replication}
        for name, value in (("wait_mean", 0.4), ("wait_p95", 1.6), ("queue_mean", 2.0)):
            kpis[f"{name}_erp"] = value + replication / 10 if workers else float("nan")
        kpis["utilisation_erp"] = 0.7 + replication / 100 if workers else float("nan")
        return RunResult(variant, replication, replication, kpis)

    def study(workers: bool) -> StudyResult:
        runs = [erp("one", r, workers) for r in range(3)] + [
            erp("two", r, workers) for r in range(3)
        ]
        variants = summarise_variants(runs, [("one", {}), ("two", {})], CATALOG)
        return StudyResult("erp", "", 1, 3, variants, runs, list(CATALOG))

    queued = study(workers=True)
    assert charts.systems_chart(queued, tmp_path / "systems.png").read_bytes()[:8] == PNG
    assert charts.systems_chart(study(workers=False), tmp_path / "none.png") is None
    drawn: list[str] = []

    def titles(fig, path, title):  # type: ignore[no-untyped-def]
        drawn.extend(ax.get_title() for ax in fig.axes if ax.get_visible())
        return path

    monkeypatch.setattr(charts, "_save", titles)
    charts.kpi_bars(queued, tmp_path / "kpis.png")
    assert drawn and not any("erp" in title for title in drawn), drawn
