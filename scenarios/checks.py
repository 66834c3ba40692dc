"""Rules of a whole scenario that no single field can check: the ones that used to pass silently.

- ``systems:`` keys and ``faults[].system`` name a system as the run calls it (``erp``, ``tms``,
  ``finance``, ``wms`` or ``wms:<node>``, ``edi``, and ``crm`` or ``bi`` when a flow feeds one);
  ``inventory_feed`` (how stock movements and snapshots reach the hub) takes ``systems:`` but no
  faults. A name the run never asks for would be ignored, so it is an error with a did-you-mean.
- Only the fields the run reads may be set: receivers of deliveries (``crm``, ``bi``, ``edi``)
  do not queue, so ``workers`` is an error there; ``inventory_feed`` reads only its feed fields
  (``latency``, ``loss_rate``, ``duplicate_rate``, ``snapshot_latency``), and only it reads the
  last three.
- Exactly one system of record per data domain that flows (the rule ``crossdock topology``
  enforces), checked here so that every command refuses the same estates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scenarios.pointtopoint import problems as point_to_point_problems
from scenarios.problems import Problem, did_you_mean, dotted
from scenarios.topology import owners
from simulators.behavior.defaults import INVENTORY_FEED
from simulators.behavior.profile import BehaviorSpec

if TYPE_CHECKING:
    from scenarios.spec import ScenarioSpec

FEED = INVENTORY_FEED
_DEFAULT = BehaviorSpec()
FEED_FIELDS = ("latency", "loss_rate", "duplicate_rate", "snapshot_latency")
RECEIVERS = ("crm", "bi", "edi")
_BY_KIND = {"edi_partner": "edi", "erp": "erp", "tms": "tms", "finance": "finance"}


def problems(spec: ScenarioSpec) -> list[Problem]:
    return (
        _behaviours(spec)
        + _faults(spec)
        + _ownership(spec)
        + _order_owner(spec)
        + point_to_point_problems(spec)
    )


def run_systems(spec: ScenarioSpec) -> list[str]:
    """The names ``systems:`` may use in this scenario, as the run calls its systems."""
    from scenarios.wiring import DEFAULT_BEHAVIORS, SINKS, Wiring

    kinds = {s.name: s.kind for s in spec.topology.systems}
    fed = {kinds[f.target] for f in spec.topology.flows}
    names = [n for n in DEFAULT_BEHAVIORS if n not in SINKS or n == "finance" or n in fed]
    return names + [f"wms:{node}" for node in Wiring(spec, spec.seed).nodes]


def _behaviours(spec: ScenarioSpec) -> list[Problem]:
    known = run_systems(spec)
    found = []
    for name, behaviour in spec.systems.items():
        loc = ("systems", name)
        if name not in known:
            found.append(
                Problem(
                    loc, dotted(loc), "no such system in this run", name, _hint(spec, name, known)
                )
            )
            continue
        kind = name.split(":", 1)[0]
        # set to something other than the default: a variant's or a study's spec is dumped
        # whole, every field written out, and its defaults must not read as settings
        set_fields = sorted(
            f for f in behaviour.model_fields_set if getattr(behaviour, f) != getattr(_DEFAULT, f)
        )
        if kind in RECEIVERS and "workers" in set_fields:
            found.append(
                Problem(
                    (*loc, "workers"),
                    dotted((*loc, "workers")),
                    f"{name} receives deliveries and does not queue, so workers "
                    "would be ignored; workers applies to erp, tms, finance and wms",
                    behaviour.workers,
                )
            )
        if kind == FEED:
            for field in (f for f in set_fields if f not in FEED_FIELDS):
                found.append(
                    Problem(
                        (*loc, field),
                        dotted((*loc, field)),
                        f"{FEED} is a feed, not a system: only {', '.join(FEED_FIELDS)} are read",
                        getattr(behaviour, field),
                    )
                )
        else:
            for field in (f for f in set_fields if f in FEED_FIELDS[1:]):
                found.append(
                    Problem(
                        (*loc, field),
                        dotted((*loc, field)),
                        f"only {FEED} reads {field}; {name} would ignore it",
                        getattr(behaviour, field),
                    )
                )
    return found


def _faults(spec: ScenarioSpec) -> list[Problem]:
    known = [n for n in run_systems(spec) if n != FEED]
    found = []
    for index, fault in enumerate(spec.faults):
        loc = ("faults", index, "system")
        if fault.system == FEED:
            found.append(
                Problem(
                    loc,
                    dotted(loc),
                    f"{FEED} is a feed, not a system: it takes no faults (set its loss_rate or "
                    "duplicate_rate, or fault the wms instead)",
                    fault.system,
                )
            )
        elif fault.system not in known:
            found.append(
                Problem(
                    loc,
                    dotted(loc),
                    "no such system in this run",
                    fault.system,
                    _hint(spec, fault.system, known),
                )
            )
    return found


def _hint(spec: ScenarioSpec, name: str, known: list[str]) -> str:
    """A did-you-mean; for a topology name, the name the run knows that system by."""
    for system in spec.topology.systems:
        if system.name != name:
            continue
        if system.kind == "wms":
            called = f"wms:{system.node}" if system.node else "wms"
        else:
            called = _BY_KIND.get(system.kind, system.kind)
        if called in known:
            return f"the topology's {name!r} is called {called!r} here"
        if system.kind in ("storefront", "marketplace"):
            return f"a channel's webhook delivery is set under channels.{system.kind}"
        return f"{name!r} is a {system.kind} the run does not model; known: {', '.join(known)}"
    return did_you_mean(name, known)


def _ownership(spec: ScenarioSpec) -> list[Problem]:
    systems = spec.topology.systems
    index = {s.name: i for i, s in enumerate(systems)}
    found = []
    for domain, names in owners(spec.topology).items():
        if len(names) > 1:
            first = names[0]
            for extra in names[1:]:
                loc = ("topology", "systems", index[extra], "owns")
                found.append(
                    Problem(
                        loc,
                        dotted(loc),
                        f"{extra!r} claims {domain!r}, which {first!r} already owns "
                        f"(topology.systems[{index[first]}]); exactly one system is the system of "
                        "record of a data domain",
                        list(systems[index[extra]].owns),
                    )
                )
        elif not names:
            flow = next(i for i, f in enumerate(spec.topology.flows) if f.data == domain)
            loc = ("topology", "flows", flow, "data")
            found.append(
                Problem(
                    loc,
                    dotted(loc),
                    f"no system owns {domain!r}, which flows here; add it to the owns of its "
                    "system of record",
                    domain,
                )
            )
    return found


def _order_owner(spec: ScenarioSpec) -> list[Problem]:
    """The system of record for orders follows ``hub.order_ownership``: with ``erp`` the
    topology's owner of ``orders`` is the ERP, with ``hub`` the hub."""
    wanted = spec.hub.order_ownership
    systems = spec.topology.systems
    owner = next(((i, s) for i, s in enumerate(systems) if "orders" in s.owns), None)
    if owner is None or owner[1].kind == wanted:
        return []
    index, system = owner
    should = [s.name for s in systems if s.kind == wanted]
    loc = ("topology", "systems", index, "owns")
    return [
        Problem(
            loc,
            dotted(loc),
            f"{system.name!r} owns 'orders', but hub.order_ownership is {wanted!r}: the "
            f"system of record for orders is the {wanted}"
            + (f" ({should[0]!r})" if should else "")
            + "; move 'orders' to its owns, or set hub.order_ownership",
            list(system.owns),
        )
    ]
