"""The scenario spec: one YAML document, validated by pydantic, that a study runs.

Theory of operation:

- Every model forbids unknown keys, so a typo is an error that names its path and the nearest
  field (``hub.idempotent: no such field here (got False); did you mean 'idempotency'?``).
- Durations are seconds, or a string with a unit, in every duration field of the spec, flows'
  ``every`` included: ``"90s"``, ``"15m"``, ``"2h"``, ``"1d"`` (``scenarios.durations``). The
  behaviour profiles under ``systems:`` (simulators.behavior) take seconds only; given ``"30m"``
  there, the error says the seconds to write.
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
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from reference.hub.state import OrderOwnership, Sourcing
from scenarios import checks, yamlsource
from scenarios.durations import Duration, Positive
from scenarios.overrides import STUDY_WIDE, NoSuchItem, set_path, unschedule
from scenarios.problems import Loc, Problem, SpecError, did_you_mean, from_validation
from scenarios.topology import TopologySpec
from simulators.behavior.profile import BehaviorSpec
from simulators.behavior.webhook import WebhookDelivery

__all__ = ["Duration", "Positive", "ScenarioSpec", "SpecError", "apply_overrides", "load_spec"]

LIBRARY = Path(__file__).parent / "library"
CHANNEL_NAMES = ("web", "marketplace", "edi", "sales_rep")
Rate = Annotated[float, Field(ge=0, le=1)]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RetrySpec(_Spec):
    base: Positive = 0.5
    cap: Positive = 60.0
    max_attempts: int = Field(default=6, ge=1)


class HubPolicy(_Spec):
    """How the hub behaves: the knobs an architect turns."""

    idempotency: bool = True
    """On: a repeated delivery under one idempotency key makes no new order, and a re-sent order
    number is rejected as a duplicate. Off: every delivery is a new order."""
    retry: RetrySpec = RetrySpec()
    dead_letters: bool = True
    """On: calls that exhaust their retries are parked and replayed every ``replay_every``.
    Off: they are dropped and their order is stuck."""
    replay_every: Positive = 900.0
    reconciliation_every: Positive | None = 3600.0
    """Snapshot reconciliation of event-fed inventory; batch-fed inventory is all snapshots."""
    sourcing: Sourcing = "first_fit"
    """Which node fills a line: ``first_fit`` or ``fewest_nodes`` (see ``HubConfig``)."""
    order_ownership: OrderOwnership = "erp"
    """Who is the system of record for commercial orders. ``erp``: the hub releases to a
    warehouse only after the ERP has committed the sales order, and cancels in the ERP first.
    ``hub``: the hub releases at once and only tells the ERP. The topology's owner of
    ``orders`` must be a system of that kind."""
    capture_sla: Positive = 30.0
    saga_retention: Positive = 3600.0
    """How long a finished order stays in the hub's working state (and its number in the
    duplicate index) before it is archived; memory stays bounded by orders in flight."""


class Spike(_Spec):
    factor: float = Field(gt=0, allow_inf_nan=False)
    start: Duration
    end: Duration

    @model_validator(mode="after")
    def _ordered(self) -> Spike:
        if not self.end > self.start:
            raise ValueError(f"end(={self.end}) must be after start(={self.start})")
        return self


class LargeOrder(_Spec):
    """One order placed at a fixed time, e.g. the 600-line web order."""

    at: Duration
    lines: int = Field(ge=1, le=10_000)
    channel: Literal["web", "marketplace", "edi", "sales_rep"] = "web"
    quantity: int = Field(default=2, ge=1)


class DemandSpec(_Spec):
    orders_per_day: float = Field(default=5000.0, gt=0, allow_inf_nan=False)
    hourly_profile: list[Annotated[float, Field(ge=0)]] | None = Field(
        default=None, min_length=24, max_length=24
    )
    """Relative arrival weights for each hour of the day; their mean is 1x ``orders_per_day``."""
    spikes: list[Spike] = []
    lines_per_order: float = Field(default=4.0, ge=1, allow_inf_nan=False)
    sku_skew: float = Field(default=1.05, ge=0, allow_inf_nan=False)
    channel_mix: dict[Literal["web", "marketplace", "edi", "sales_rep"], Rate] = {
        "web": 0.5,
        "marketplace": 0.2,
        "edi": 0.2,
        "sales_rep": 0.1,
    }
    stale_price_rate: Rate = 0.01
    unknown_customer_rate: Rate = 0.005
    resend_rate: Rate = 0.005
    large_orders: list[LargeOrder] = []

    @model_validator(mode="after")
    def _mix_positive(self) -> DemandSpec:
        if sum(self.channel_mix.values()) <= 0:
            raise ValueError(f"channel_mix(={self.channel_mix}) needs a share above 0")
        if self.hourly_profile is not None and sum(self.hourly_profile) <= 0:
            raise ValueError("hourly_profile needs at least one hour above 0")
        return self


class Replenishment(_Spec):
    review_every: Positive = 3600.0
    reorder_point: float = Field(default=0.3, ge=0, le=1)
    """Reorder when on hand falls below this fraction of the opening stock."""
    order_up_to: float = Field(default=1.0, gt=0, le=5)
    lead_time: Duration = 4 * 3600.0


class InventoryPolicy(_Spec):
    skus: int = Field(default=240, ge=1, le=100_000)
    customers: int = Field(default=60, ge=1)
    coverage: float = Field(default=0.9, gt=0, allow_inf_nan=False)
    """Opening stock as a share of the units expected to be ordered over the run."""
    safety_stock: int = Field(default=0, ge=0)
    short_pick_rate: Rate = 0.02
    other_channel_share: float = Field(default=0.2, ge=0, le=10)
    """Units sold by channels the hub does not see (counter sales, stores), as a share of hub
    demand; the WMS ships them and reports the movement."""
    returns_share: float = Field(default=0.02, ge=0, le=1)
    cycle_counts_per_day: float = Field(default=200.0, ge=0)
    replenishment: Replenishment | None = Replenishment()


class EdiPolicy(_Spec):
    """What a trading partner expects of us (X12 850 in; 855, 856, 810 out)."""

    ack_sla: Positive = 4 * 3600.0
    asn_sla: Positive = 3600.0
    invoice_sla: Positive = 86400.0
    chargeback_per_late_asn: float = Field(default=250.0, ge=0)


class ChannelsSpec(_Spec):
    storefront: WebhookDelivery = WebhookDelivery(duplicate_rate=0.02, failure_rate=0.01)
    marketplace: WebhookDelivery = WebhookDelivery(duplicate_rate=0.05, failure_rate=0.02)
    edi: EdiPolicy = EdiPolicy()


class Fault(_Spec):
    """An outage or a slowdown of one system; merged into its behaviour."""

    system: str
    kind: Literal["outage", "degradation"] = "outage"
    start: Duration
    end: Duration
    factor: float = Field(default=1.0, ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> Fault:
        if not self.end > self.start:
            raise ValueError(f"end(={self.end}) must be after start(={self.start})")
        return self


class Variant(_Spec):
    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.=+:-]*$")
    description: str = ""
    overrides: dict[str, Any] = {}


class ScenarioSpec(_Spec):
    name: str = Field(min_length=1)
    description: str = ""
    topology: TopologySpec
    hub: HubPolicy = HubPolicy()
    demand: DemandSpec = DemandSpec()
    inventory: InventoryPolicy = InventoryPolicy()
    systems: dict[str, BehaviorSpec] = {}
    """Behaviour per system, by the name the hub calls it: erp, tms, finance, crm, bi,
    ``wms`` (every node) or ``wms:<node>``."""
    channels: ChannelsSpec = ChannelsSpec()
    faults: list[Fault] = []
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
    problems = checks.problems(spec)
    for i, v in enumerate(spec.variants):  # every variant must be runnable before anything runs
        where, loc = f"variants[{v.name}]", ("variants", i, "overrides")
        try:
            apply_overrides(spec, v.overrides, where, loc, inherited=problems)
        except SpecError as exc:
            problems += exc.items
    if problems:
        raise SpecError(problems)
    return spec


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
