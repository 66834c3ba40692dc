"""The time series mark what happened when: warm-up, spikes, outages (naming the variants that
have one) and the end of the horizon."""

from __future__ import annotations

from types import SimpleNamespace

from reports.timeline import Span, timeline
from scenarios.spec import load_spec


def test_an_outage_only_some_variants_have_names_them():
    spec = load_spec("erp-outage-at-peak")
    study = SimpleNamespace(variants=[SimpleNamespace(name=n) for n in spec.variant_names()])

    marks = timeline(study, spec)  # type: ignore[arg-type]

    # the scenario as written: 1 h warm-up, a 24 h horizon, demand x8 from 10:00 to 14:00 and a
    # 45-minute ERP outage at 11:00 that the no-outage variant removes
    assert (marks.warm_up, marks.horizon_end) == (3600.0, 25 * 3600.0)
    assert marks.spans == (
        Span("spike", "demand x8", 10 * 3600.0, 14 * 3600.0),
        Span("outage", "erp outage (outage-45m, outage-45m-no-dlq)", 11 * 3600.0, 11.75 * 3600.0),
    )
