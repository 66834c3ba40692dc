"""The scenario spec: one YAML document, validated by pydantic, that a study runs.

Theory of operation:

- Every model forbids unknown keys, so a typo is an error that names its path and the nearest
  field (``hub.idempotent: no such field here (got False); did you mean 'idempotency'?``).
- Durations are seconds, or a string with a unit, in every duration field of the spec, flows'
  ``every`` and the behaviour profiles under ``systems:`` included: ``"90s"``, ``"15m"``,
  ``"2h"``, ``"1d"`` (``simulators.behavior.durations``).
- Rules of the whole scenario (the systems and faults the run knows, one system of record per
  data domain) live in ``scenarios.checks``; ``validate`` runs them on the base and on every
  variant, and every command loads through it, so every command refuses the same scenarios.
- ``variants`` are named overrides of the base spec. An override is a **dotted path** to one value
  and the value that replaces it: ``{"hub.idempotency": false}``. A path segment after a list picks
  an item by its ``name`` (``topology.flows.inventory_sync.pattern``) or by its index
  (``demand.spikes.0.factor``). A missing key of a mapping is created (``systems.erp.workers``);
  a missing key of a model is an error naming the path. The overridden document is validated
  again as a whole, so a variant can never hold a spec that the base could not.
- A variant that turns a batch or file flow into an ``event`` or ``sync_api`` flow drops the
  flow's ``every`` with it; setting ``every`` on such a flow is an error, never a quiet no-op.
- ``seed`` and ``replications`` belong to the study, not to a variant: overriding or sweeping them
  is an error that points to ``--seed`` and ``--replications``.
- ``load_spec`` raises ``SpecError`` whose message lists one line per problem, with the file and
  line it was written on: ``peak.yaml:41: demand.spikes[0].factor: Input should be greater than 0
  (got -2)``.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from pydantic import Field, ValidationError, model_validator

from scenarios import checks, yamlsource
from scenarios.durations import Duration, Positive
from scenarios.kpis import CATALOG
from scenarios.overrides import STUDY_WIDE, NoSuchItem, set_path, unschedule
from scenarios.problems import Loc, Problem, SpecError, did_you_mean, from_validation
from scenarios.sections import (
    ChannelsSpec,
    DemandSpec,
    Fault,
    HubPolicy,
    InventoryPolicy,
    PaymentsSpec,
    _Spec,
)
from scenarios.topology import TopologySpec
from simulators.behavior.profile import BehaviorSpec

__all__ = ["Duration", "Positive", "ScenarioSpec", "SpecError", "apply_overrides", "load_spec"]

LIBRARY = Path(__file__).parent / "library"


class Variant(_Spec):
    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.=+:-]*$")
    description: str = ""
    overrides: dict[str, Any] = {}


class ScenarioSpec(_Spec):
    name: str = Field(min_length=1)
    description: str = ""
    question: str = ""
    """What the study exists to answer, in one sentence ending in '?'."""
    answered_by: list[str] = []
    """The KPIs that answer ``question``; the report's summary leads with them."""
    topology: TopologySpec
    hub: HubPolicy = HubPolicy()
    demand: DemandSpec = DemandSpec()
    inventory: InventoryPolicy = InventoryPolicy()
    systems: dict[str, BehaviorSpec] = {}
    """Behaviour per system, by the name the hub calls it: erp, tms, finance, crm, bi,
    ``wms`` (every node) or ``wms:<node>``."""
    channels: ChannelsSpec = ChannelsSpec()
    faults: list[Fault] = []
    payments: PaymentsSpec | None = None
    """Customer payments and credit memos after invoicing, measured as days sales outstanding
    and unapplied cash; absent (the default), the run ends with the order day and those KPIs
    are n/a."""
    warm_up: Duration = 0.0
    horizon: Positive = 86400.0
    drain: Duration = 12 * 3600.0
    sample_every: Positive = 300.0
    replications: int = Field(default=5, ge=1, le=10_000)
    seed: int = Field(default=7, ge=0)
    variants: list[Variant] = []

    @model_validator(mode="before")
    @classmethod
    def _orders_follow_ownership(cls, data: Any) -> Any:
        """The system of record for ``orders`` and ``hub.order_ownership`` say one thing. Set,
        the option moves ``orders`` to the owns of the first system of its kind; unset, it is
        read from the topology (a hub that owns orders is hub-owned mode, else the ERP)."""
        if not isinstance(data, dict) or not isinstance(data.get("topology"), dict):
            return data
        systems = data["topology"].get("systems")
        hub = data.get("hub", {})
        if not isinstance(systems, list) or not all(isinstance(x, dict) for x in systems):
            return data
        if not isinstance(hub, dict):
            return data
        owner = next((x for x in systems if "orders" in (x.get("owns") or ())), None)
        wanted = hub.get("order_ownership")
        if wanted is None:
            wanted = "hub" if owner is not None and owner.get("kind") == "hub" else "erp"
            return {**data, "hub": {**hub, "order_ownership": wanted}}
        target = next((x for x in systems if x.get("kind") == wanted), None)
        if target is None or target is owner:
            return data  # nothing of that kind to own it: checks.py says so
        moved = []
        for system in systems:
            owns = [d for d in (system.get("owns") or ()) if d != "orders"]
            if system is target:
                owns = ["orders", *owns]
            moved.append({**system, "owns": owns} if "owns" in system or owns else system)
        topology = {**data["topology"], "systems": moved}
        return {**data, "topology": topology}

    @model_validator(mode="after")
    def _variant_names_unique(self) -> ScenarioSpec:
        names = [v.name for v in self.variants]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"variant names must be unique; repeated: {', '.join(dupes)}")
        return self

    def variant_names(self) -> list[str]:
        return [v.name for v in self.variants] or ["baseline"]

    def variant(self, name: str) -> ScenarioSpec:
        """The spec of one variant: the base with that variant's overrides applied."""
        if not self.variants and name == "baseline":
            return self
        for i, v in enumerate(self.variants):
            if v.name == name:
                return apply_overrides(
                    self, v.overrides, where=f"variants[{v.name}]", loc=("variants", i, "overrides")
                )
        raise SpecError([unknown_variant(self, name)])

    def only(self, names: list[str]) -> ScenarioSpec:
        """This spec with only the named variants, in the scenario's order (``--variant``)."""
        wrong = [unknown_variant(self, n) for n in names if n not in self.variant_names()]
        if wrong:
            raise SpecError(wrong)
        if not self.variants:
            return self
        return self.model_copy(update={"variants": [v for v in self.variants if v.name in names]})


def unknown_variant(spec: ScenarioSpec, name: str) -> Problem:
    names = spec.variant_names()
    hint = did_you_mean(name, names)
    if not hint.startswith("known"):
        hint += f" (variants: {', '.join(names)})"
    return Problem(("variants",), "--variant", f"no such variant in {spec.name}", name, hint)


def validate(document: Any) -> ScenarioSpec:
    """The one validation every command runs: each field, the rules of the whole scenario
    (``scenarios.checks``), and then every variant as a whole spec of its own."""
    if not isinstance(document, dict):
        kind = type(document).__name__
        raise SpecError([Problem((), "<root>", f"a scenario is a mapping of keys, not {kind}")])
    try:
        spec = ScenarioSpec.model_validate(document)
    except ValidationError as exc:
        raise SpecError(from_validation(exc, ScenarioSpec)) from None
    problems = checks.problems(spec) + _answers(spec)
    for i, v in enumerate(spec.variants):  # every variant must be runnable before anything runs
        where, loc = f"variants[{v.name}]", ("variants", i, "overrides")
        try:
            apply_overrides(spec, v.overrides, where, loc, inherited=problems)
        except SpecError as exc:
            problems += exc.items
    if problems:
        raise SpecError(problems)
    return spec


def _answers(spec: ScenarioSpec) -> list[Problem]:
    """``answered_by`` names KPIs of the catalog, and a question comes with them."""
    known = [k.name for k in CATALOG]
    problems = [
        Problem(
            ("answered_by", i), f"answered_by[{i}]", "no such KPI", name, did_you_mean(name, known)
        )
        for i, name in enumerate(spec.answered_by)
        if name not in known
    ]
    if spec.answered_by and not spec.question.strip():
        problems.append(
            Problem(
                ("question",), "question", "answered_by names KPIs: say the question they answer"
            )
        )
    return problems


def parse_spec(
    document: Any, source: str = "", lines: dict[Loc, int] | None = None
) -> ScenarioSpec:
    """``validate``, with each problem placed at its file and line when they are known."""
    try:
        return validate(document)
    except SpecError as exc:
        raise exc.located(lines or {}, source) from None


def resolve(scenario: str | Path) -> Path:
    """A YAML file, or the name of one in scenarios/library (peak-season or peak_season)."""
    given = Path(scenario)
    if given.is_file():
        return given
    named = LIBRARY / f"{str(scenario).replace('_', '-')}.yaml"
    if given.suffix == "" and named.is_file():
        return named
    known = sorted(p.stem for p in LIBRARY.glob("*.yaml"))
    hint = did_you_mean(str(scenario).replace("_", "-"), known)
    raise SpecError(
        [
            Problem(
                (),
                "scenario",
                "neither a file nor a library scenario",
                str(scenario),
                hint + ("" if hint.startswith("known") else f" (library: {', '.join(known)})"),
            )
        ]
    )


def read_document(path: Path) -> tuple[Any, dict[Loc, int]]:
    """A YAML (or JSON) file as data, with the line of every key; SpecError if it won't parse."""
    try:
        return yamlsource.read(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        what = " ".join(str(getattr(exc, k, "") or "") for k in ("context", "problem")).strip()
        problem = Problem((), "<yaml>", what or str(exc), line=line)
        raise SpecError([problem], str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError([Problem((), "<file>", f"cannot read it: {exc}")], str(path)) from None


def load_spec(scenario: str | Path) -> ScenarioSpec:
    path = resolve(scenario)
    document, lines = read_document(path)
    return parse_spec(document, str(path), lines)


def scaled(spec: ScenarioSpec, factor: float) -> ScenarioSpec:
    """``spec`` with ``demand.orders_per_day`` times ``factor`` (0 < factor <= 1), for a quick
    look; the opening stock follows demand (``inventory.coverage``), so shortages stay alike."""
    if not 0 < factor <= 1:
        raise SpecError([Problem((), "--scale", "must be above 0 and at most 1", factor)])
    if factor == 1:
        return spec
    rate = spec.demand.orders_per_day * factor
    return apply_overrides(spec, {"demand.orders_per_day": rate}, where="--scale").model_copy(
        update={"variants": spec.variants}
    )


def apply_overrides(
    spec: ScenarioSpec,
    overrides: dict[str, Any],
    where: str = "",
    loc: Loc = (),
    inherited: list[Problem] | None = None,
) -> ScenarioSpec:
    """A new spec with each dotted path set to its value (see the module docstring).

    Problems name ``where`` (``variants[batch]``) and carry ``loc``, the location of the
    overrides in the document, so they point at the line of the override that caused them.
    ``inherited`` are the base's own problems: said once there, not again for each variant."""
    document = spec.model_dump(mode="json", exclude={"variants"})

    def named(key: str) -> str:
        return f"{where}.overrides[{key}]" if where else f"overrides[{key}]"

    problems = [
        Problem((*loc, key), named(key), STUDY_WIDE[key], value)
        for key, value in overrides.items()
        if key in STUDY_WIDE
    ]
    reached: dict[str, Loc] = {}
    for key, value in overrides.items():
        try:
            reached[key] = set_path(document, key, copy.deepcopy(value))
        except NoSuchItem as exc:
            problems.append(
                Problem((*loc, key), named(key), f"{exc.where}: {exc.message}", exc.value, exc.hint)
            )
    if problems:
        raise SpecError(problems)
    unschedule(document, overrides)
    try:
        changed = ScenarioSpec.model_validate(document)
    except ValidationError as exc:
        found = from_validation(exc, ScenarioSpec)
    else:
        found = checks.problems(changed)
    base = {(p.loc, p.message, repr(p.value)) for p in inherited or ()}
    found = [p for p in found if (p.loc, p.message, repr(p.value)) not in base]
    if not found:
        return changed

    def seen_from_overrides(problem: Problem) -> Problem:
        for key, target in reached.items():
            shorter = min(len(target), len(problem.loc))
            if target[:shorter] == problem.loc[:shorter]:
                return problem.under((*loc, key), named(key))
        return problem.under(loc, f"{where} (overrides {sorted(overrides)})")

    raise SpecError([seen_from_overrides(p) for p in found])
