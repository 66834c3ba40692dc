"""Small studies from the library, shrunk so the whole what-if suite stays fast."""

from __future__ import annotations

from typing import Any

from scenarios.results import StudyResult
from scenarios.runner import run_study
from scenarios.spec import ScenarioSpec, Variant, apply_overrides, load_spec


def shrunk(
    name: str,
    overrides: dict[str, Any],
    variants: list[Variant] | None = None,
) -> ScenarioSpec:
    """A library scenario with ``overrides`` on its base and, if given, other variants."""
    base = load_spec(name)
    spec = apply_overrides(base, overrides)
    return spec.model_copy(update={"variants": variants if variants is not None else base.variants})


def study(spec: ScenarioSpec, replications: int, workers: int = 2) -> StudyResult:
    return run_study(spec, replications=replications, workers=workers)


def kpi(result: StudyResult, variant: str, name: str):  # type: ignore[no-untyped-def]
    return next(v for v in result.variants if v.name == variant).kpis[name]
