"""The scenario spec: one YAML document, validated by pydantic, that a study runs.

Theory of operation:

- Every model forbids unknown keys, so a typo is an error that names its path.
- Durations are seconds, or a string with a unit: ``"90s"``, ``"15m"``, ``"2h"``, ``"1d"``.
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
- ``load_spec`` raises ``SpecError`` whose message lists one line per problem:
  ``demand.spikes[0].factor: Input should be greater than 0 (got -2)``.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from reference.hub.state import Sourcing
from scenarios.topology import UNSCHEDULED, TopologySpec
from simulators.behavior.profile import BehaviorSpec
from simulators.behavior.webhook import WebhookDelivery

LIBRARY = Path(__file__).parent / "library"
CHANNEL_NAMES = ("web", "marketplace", "edi", "sales_rep")
_UNITS = {"s": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0, "d": 86400.0}


def _duration(value: Any) -> Any:
    if isinstance(value, str):
        parts = re.findall(r"(\d+(?:\.\d*)?)\s*(min|s|m|h|d)", value)
        rebuilt = "".join(f"{n}{u}" for n, u in parts)
        if not parts or rebuilt != re.sub(r"\s+", "", value):
            raise ValueError(
                f"a duration is seconds or a number with a unit s, m, h or d "
                f"(like '15m' or '1h30m'), not {value!r}"
            )
        return sum(float(n) * _UNITS[u] for n, u in parts)
    return value


Duration = Annotated[float, BeforeValidator(_duration), Field(ge=0, allow_inf_nan=False)]
Positive = Annotated[float, BeforeValidator(_duration), Field(gt=0, allow_inf_nan=False)]
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
        for v in self.variants:
            if v.name == name:
                return apply_overrides(self, v.overrides, where=f"variants[{v.name}]")
        raise SpecError([f"variant: no variant {name!r}; known: {', '.join(self.variant_names())}"])


class SpecError(ValueError):
    """A scenario that cannot be run; ``problems`` holds one line per bad value."""

    def __init__(self, problems: list[str], source: str = "") -> None:
        self.problems = problems
        head = f"{source}: " if source else ""
        super().__init__(head + "invalid scenario\n  " + "\n  ".join(problems))


def format_errors(error: ValidationError, prefix: str = "") -> list[str]:
    """One line per error: ``path: message (got value)``."""
    lines = []
    for item in error.errors():
        path = prefix
        for part in item["loc"]:
            if isinstance(part, int):
                path += f"[{part}]"
            else:
                path += ("." if path else "") + str(part)
        got = item.get("input")
        shown = (
            "" if isinstance(got, dict | list) or item["type"] == "missing" else f" (got {got!r})"
        )
        message = item["msg"].removeprefix("Value error, ")
        lines.append(f"{path or '<root>'}: {message}{shown}")
    return lines


def parse_spec(document: Any, source: str = "") -> ScenarioSpec:
    if not isinstance(document, dict):
        raise SpecError(
            [f"<root>: a scenario is a mapping of keys, not {type(document).__name__}"], source
        )
    try:
        spec = ScenarioSpec.model_validate(document)
    except ValidationError as exc:
        raise SpecError(format_errors(exc), source) from None
    problems: list[str] = []
    for v in spec.variants:  # every variant must be runnable before anything runs
        try:
            spec.variant(v.name)
        except SpecError as exc:
            problems += exc.problems
    if problems:
        raise SpecError(problems, source)
    return spec


def resolve(scenario: str | Path) -> Path:
    """A YAML file, or the name of one in scenarios/library (peak-season or peak_season)."""
    given = Path(scenario)
    if given.is_file():
        return given
    named = LIBRARY / f"{str(scenario).replace('_', '-')}.yaml"
    if given.suffix == "" and named.is_file():
        return named
    known = ", ".join(sorted(p.stem for p in LIBRARY.glob("*.yaml")))
    raise SpecError(
        [f"scenario: {str(scenario)!r} is neither a file nor a library scenario (library: {known})"]
    )


def load_spec(scenario: str | Path) -> ScenarioSpec:
    path = resolve(scenario)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SpecError([f"<yaml>: {exc}"], str(path)) from None
    return parse_spec(document, str(path))


STUDY_WIDE = {
    "seed": "the seed is the study's, shared by every variant; give --seed to change it",
    "replications": "replications are the study's, the same for every variant; "
    "give --replications to change them",
}
"""Paths a variant or a sweep cannot set: the study, not a variant, owns them."""


def apply_overrides(spec: ScenarioSpec, overrides: dict[str, Any], where: str = "") -> ScenarioSpec:
    """A new spec with each dotted path set to its value (see the module docstring)."""
    document = spec.model_dump(mode="json", exclude={"variants"})
    problems = [
        f"{where}.overrides[{path}]: {STUDY_WIDE[path]}" for path in overrides if path in STUDY_WIDE
    ]
    for path, value in overrides.items():
        try:
            _set(document, path, copy.deepcopy(value))
        except KeyError as exc:
            problems.append(f"{where}.overrides[{path}]: {exc.args[0]}")
    if problems:
        raise SpecError(problems)
    _unschedule(document, overrides)
    try:
        return ScenarioSpec.model_validate(document)
    except ValidationError as exc:
        lines = format_errors(exc)
        raise SpecError(
            [f"{where} (overrides {sorted(overrides)}): {line}" for line in lines]
        ) from None


def _unschedule(document: dict[str, Any], overrides: dict[str, Any]) -> None:
    """A flow turned into events or calls loses its schedule, unless the same overrides set one
    (then validation says why that is wrong). Flows are matched by index, whichever way the
    paths name them: ``flows.0.every`` and ``flows.inventory_sync.pattern`` are one flow."""
    flows = document["topology"]["flows"]
    patterns: dict[int, Any] = {}
    scheduled: set[int] = set()
    for path, value in overrides.items():
        parts = path.split(".")
        if len(parts) != 4 or parts[:2] != ["topology", "flows"]:
            continue
        index = _list_index(flows, parts[2], ".".join(parts[:3]))
        if parts[3] == "pattern":
            patterns[index] = value
        elif parts[3] == "every":
            scheduled.add(index)
    for index, pattern in patterns.items():
        if pattern in UNSCHEDULED and index not in scheduled:
            flows[index]["every"] = None


def _set(document: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    node: Any = document
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        here = ".".join(parts[: depth + 1])
        if isinstance(node, list):
            index = _list_index(node, part, here)
            if last:
                node[index] = value
                return
            node = node[index]
        elif isinstance(node, dict):
            if last:
                node[part] = value
                return
            if part not in node or node[part] is None:
                node[part] = {}
            node = node[part]
        else:
            raise KeyError(f"{here}: cannot descend into {node!r}")


def _list_index(items: list[Any], part: str, here: str) -> int:
    if part.isdigit():
        index = int(part)
        if index < len(items):
            return index
        raise KeyError(f"{here}: index {index} is past the end ({len(items)} items)")
    for index, item in enumerate(items):
        if isinstance(item, dict) and item.get("name") == part:
            return index
    names = [str(i.get("name")) for i in items if isinstance(i, dict)]
    raise KeyError(f"{here}: no item named {part!r}; names: {', '.join(names)}")
