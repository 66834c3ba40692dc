"""What a study found, in words: each variant's differences from the baseline that chance does not
explain (the paired difference's 95% interval excludes 0), in the units people read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reports.units import Scale, number, scale_for

if TYPE_CHECKING:
    from scenarios.results import Estimate, Kpi, StudyResult, VariantSummary

SHOWN = 6  # differences named per variant; the table has the rest


def question(study: StudyResult) -> tuple[str, list[str]]:
    """The question the scenario says it asks, and the KPIs it says answer it (from the resolved
    scenario the study recorded; empty for a study that states none)."""
    scenario = study.provenance.get("scenario") or {}
    return str(scenario.get("question") or ""), list(scenario.get("answered_by") or [])


def answer(study: StudyResult, variant: VariantSummary, catalog: list[Kpi]) -> list[str]:
    """``findings`` among the KPIs that answer the scenario's question, in the order it lists."""
    _, answered_by = question(study)
    by_name = {k.name: k for k in catalog}
    chosen = [by_name[name] for name in answered_by if name in by_name]
    return findings(study, variant, chosen, ordered=True)


def findings(
    study: StudyResult, variant: VariantSummary, catalog: list[Kpi], ordered: bool = False
) -> list[str]:
    """Sentences for the KPIs where ``variant`` differs: largest relative change first, or in
    ``catalog``'s order when ``ordered``."""
    base = study.variants[0]
    found = []
    for kpi in catalog:
        d = variant.differences.get(kpi.name)
        b = base.kpis.get(kpi.name)
        if d is None or b is None or not d.excludes_zero():
            continue
        relative = abs(d.mean) / max(abs(b.mean), 1e-12) if b.available else 0.0
        found.append((0.0 if ordered else -relative, len(found), sentence(kpi, d, b)))
    return [text for *_, text in sorted(found)]


def sentence(kpi: Kpi, d: Estimate, base: Estimate) -> str:
    """E.g. "duplicate orders 285 more (264 to 305 orders; baseline 0), worse"."""
    scale = scale_for(kpi.unit, [d.mean])
    up = d.mean > 0
    if scale.points:
        how, unit = ("higher" if up else "lower"), "points"
        said = f"{number(abs(scale(d.mean)))} percentage points {how}"
    elif kpi.unit == "s":
        how, unit = ("longer" if up else "shorter"), scale.label
        said = f"{number(abs(scale(d.mean)))} {unit} {how}"
    else:
        how, unit = ("more" if up else "fewer"), scale.label
        said = f"{number(abs(scale(d.mean)))} {unit} {how}".replace("  ", " ")
    verdict = ""
    if kpi.better in ("lower", "higher"):
        verdict = ", better" if (kpi.better == "higher") == up else ", worse"
    interval = f"{_signed(scale, d.low)} to {_signed(scale, d.high)} {unit}"
    baseline = _baseline(scale_for(kpi.unit, [base.mean]), base)
    return f"{kpi.name.replace('_', ' ')} {said} ({interval}; baseline {baseline}){verdict}"


def _signed(scale: Scale, value: float) -> str:
    shown = scale(value)
    return ("+" if shown > 0 else "") + number(shown)


def _baseline(scale: Scale, base: Estimate) -> str:
    unit = "%" if scale.points else f" {scale.label}"
    return f"{number(scale(base.mean))}{unit}".rstrip()
