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
