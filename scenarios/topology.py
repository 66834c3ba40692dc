"""The integration estate as data: which systems exist and which flows connect them.

A scenario's ``topology:`` key is a :class:`TopologySpec`. Rules it enforces on load:

- every system and every flow has a unique name;
- a flow's ``source`` and ``target`` name declared systems;
- a batch or file flow says how often it runs (``every``, a duration like the rest of the spec:
  ``900`` or ``"15m"``); sync API and event flows don't, and saying it for one is an error rather
  than a setting quietly ignored.

Ownership (exactly one system of record per data domain) is a rule of the whole scenario: the
scenario spec checks it on load (``scenarios.checks``), so every command refuses the same estates,
and :func:`analyse` raises :class:`TopologyError` if handed one directly.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from scenarios.durations import Positive

if TYPE_CHECKING:
    import networkx as nx

SystemKind = Literal[
    "erp",
    "wms",
    "tms",
    "storefront",
    "marketplace",
    "edi_partner",
    "finance",
    "crm",
    "bi",
    "hub",
]
Pattern = Literal["sync_api", "event", "batch", "file"]
UNSCHEDULED = ("event", "sync_api")
"""Patterns that move data as it happens, so they take no ``every``."""


def _an(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


#: Data domains a system can be the system of record for, and a flow can carry.
DATA_DOMAINS = (
    "customers",
    "prices",
    "orders",
    "inventory",
    "shipments",
    "invoices",
    "payments",
    "journals",
)
DataDomain = Literal[
    "customers",
    "prices",
    "orders",
    "inventory",
    "shipments",
    "invoices",
    "payments",
    "journals",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SystemNode(_Frozen):
    """One system in the estate (an ERP, a WMS at one node, a storefront, the hub itself...)."""

    name: str = Field(min_length=1)
    kind: SystemKind
    variant: str | None = None
    node: str | None = None
    """The fulfilment node id this system serves (for a WMS)."""
    owns: list[DataDomain] = []
    """Data domains this system is the system of record for."""
    availability: float = Field(default=0.999, gt=0.0, le=1.0)


class Flow(_Frozen):
    """Data of one domain moving from one system to another by one pattern."""

    name: str = Field(min_length=1)
    source: str
    target: str
    data: DataDomain
    pattern: Pattern
    every: Positive | None = None
    """Time between runs (seconds, or ``"30m"``); required for batch and file flows."""
    critical: bool = False
    """On the synchronous order-capture path: the order waits for this call to answer."""

    @model_validator(mode="after")
    def _schedule_matches_pattern(self) -> Flow:
        if self.pattern in ("batch", "file") and self.every is None:
            raise ValueError(
                f"flow {self.name!r} is {_an(self.pattern)} flow and needs `every` "
                "(the time between runs, e.g. every: 15m)"
            )
        if self.pattern in UNSCHEDULED and self.every is not None:
            raise ValueError(
                f"flow {self.name!r} is {_an(self.pattern)} flow, so `every` ({self.every:g}) "
                "would be ignored; it applies only to batch and file flows (set pattern: "
                "batch, or drop every)"
            )
        if self.source == self.target:
            raise ValueError(f"flow {self.name!r} goes from {self.source!r} to itself")
        return self


class TopologySpec(_Frozen):
    """Systems and flows; ``style`` says whether flows go point to point or through a hub."""

    style: Literal["hub", "point_to_point"] = "hub"
    systems: list[SystemNode]
    flows: list[Flow]

    @model_validator(mode="after")
    def _names_resolve(self) -> TopologySpec:
        _unique("system", [s.name for s in self.systems])
        _unique("flow", [f.name for f in self.flows])
        declared = {s.name for s in self.systems}
        for flow in self.flows:
            for end in ("source", "target"):
                value = getattr(flow, end)
                if value not in declared:
                    raise ValueError(
                        f"flow {flow.name!r} has {end} {value!r}, which is not a declared system; "
                        f"declared: {', '.join(sorted(declared))}"
                    )
        return self

    def system(self, name: str) -> SystemNode:
        """The system called ``name`` (KeyError if undeclared)."""
        for s in self.systems:
            if s.name == name:
                return s
        raise KeyError(name)


def _unique(what: str, names: list[str]) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ValueError(f"{what} name {name!r} is declared more than once; names are unique")
        seen.add(name)


# --- analysis --------------------------------------------------------------------------------


class TopologyError(ValueError):
    """The estate breaks a rule the analysis needs: one system of record per data domain.

    ``conflicts`` maps each offending domain to the systems that own it (empty: nobody does).
    """

    def __init__(self, conflicts: dict[str, list[str]]) -> None:
        self.conflicts = conflicts
        problems = []
        for domain, owners in conflicts.items():
            if owners:
                problems.append(
                    f"data domain {domain!r} has {len(owners)} systems of record "
                    f"({', '.join(owners)}); exactly one system may own it"
                )
            else:
                problems.append(
                    f"data domain {domain!r} flows between systems but no system owns it; "
                    f"add {domain!r} to the `owns` of its system of record"
                )
        super().__init__("; ".join(problems))


@dataclass(frozen=True, slots=True)
class Cycle:
    """Data of one domain that comes back to a system it left (an update echo)."""

    data: str
    systems: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TopologyReport:
    """What :func:`analyse` finds. Interface counts ignore systems of kind ``hub``.

    - ``point_to_point_interfaces``: for each data domain, every (producer, consumer) pair of
      distinct systems is its own interface.
    - ``hub_interfaces``: each system connects to the hub once per direction it uses, one
      outbound adapter if it produces any domain and one inbound if it consumes any.
    - ``critical_path``: the systems touched by flows that are ``sync_api`` and ``critical``, in
      flow order; order capture waits on all of them, so ``critical_availability`` is the
      product of their availabilities (a serial chain).
    """

    style: str
    systems: int
    flows: int
    point_to_point_interfaces: int
    hub_interfaces: int
    interfaces_by_domain: dict[str, int]
    critical_path: tuple[str, ...]
    critical_flows: tuple[str, ...]
    critical_availability: float
    system_of_record: dict[str, str]
    cycles: tuple[Cycle, ...]

    @property
    def interfaces_saved(self) -> int:
        return self.point_to_point_interfaces - self.hub_interfaces

    @property
    def critical_downtime_hours_per_year(self) -> float:
        return (1.0 - self.critical_availability) * 365 * 24


#: simple_cycles can explode on dense estates; the report lists at most this many per domain.
MAX_CYCLES_PER_DOMAIN = 20


def graph(topology: TopologySpec) -> nx.MultiDiGraph:
    """Systems as nodes (attributes from SystemNode), one edge per flow keyed by flow name."""
    import networkx as nx

    g = nx.MultiDiGraph(style=topology.style)
    for s in topology.systems:
        g.add_node(s.name, **s.model_dump(exclude={"name"}))
    for f in topology.flows:
        g.add_edge(f.source, f.target, key=f.name, **f.model_dump(exclude={"source", "target"}))
    return g


def analyse(topology: TopologySpec) -> TopologyReport:
    """Interface counts, critical path and its availability, ownership and cycles.

    Raises TopologyError when a data domain has no system of record or more than one.
    """
    import networkx as nx

    hubs = {s.name for s in topology.systems if s.kind == "hub"}

    by_domain: dict[str, nx.DiGraph] = {}
    for f in topology.flows:
        by_domain.setdefault(f.data, nx.DiGraph()).add_edge(f.source, f.target)

    p2p: dict[str, int] = {}
    producers: set[str] = set()
    consumers: set[str] = set()
    for domain, dg in by_domain.items():
        sources = {n for n in dg if dg.out_degree(n) and n not in hubs}
        targets = {n for n in dg if dg.in_degree(n) and n not in hubs}
        p2p[domain] = sum(1 for p in sources for c in targets if p != c)
        producers |= sources
        consumers |= targets

    path = _critical_path(topology)
    return TopologyReport(
        style=topology.style,
        systems=len(topology.systems),
        flows=len(topology.flows),
        point_to_point_interfaces=sum(p2p.values()),
        hub_interfaces=len(producers) + len(consumers),
        interfaces_by_domain=dict(sorted(p2p.items())),
        critical_path=path,
        critical_flows=tuple(f.name for f in _critical(topology)),
        critical_availability=math.prod(topology.system(n).availability for n in path),
        system_of_record=_system_of_record(topology),
        cycles=tuple(
            Cycle(domain, tuple(cycle))
            for domain, dg in sorted(by_domain.items())
            for cycle in itertools.islice(nx.simple_cycles(dg), MAX_CYCLES_PER_DOMAIN)
        ),
    )


def _critical(topology: TopologySpec) -> list[Flow]:
    return [f for f in topology.flows if f.critical and f.pattern == "sync_api"]


def _critical_path(topology: TopologySpec) -> tuple[str, ...]:
    """Systems on the sync critical flows; a chain in path order when the flows form a DAG."""
    import networkx as nx

    dg = nx.DiGraph()
    for f in _critical(topology):
        dg.add_edge(f.source, f.target)
    if nx.is_directed_acyclic_graph(dg):
        return tuple(nx.lexicographical_topological_sort(dg))
    return tuple(dict.fromkeys(n for f in _critical(topology) for n in (f.source, f.target)))


def owners(topology: TopologySpec) -> dict[str, list[str]]:
    """Each data domain that flows or is owned -> the systems that own it, in declared order."""
    found: dict[str, list[str]] = {d: [] for d in sorted({f.data for f in topology.flows})}
    for s in topology.systems:
        for domain in s.owns:
            found.setdefault(domain, []).append(s.name)
    return found


def _system_of_record(topology: TopologySpec) -> dict[str, str]:
    owners_ = owners(topology)
    conflicts = {d: names for d, names in owners_.items() if len(names) != 1}
    if conflicts:
        raise TopologyError(conflicts)
    return {d: names[0] for d, names in sorted(owners_.items())}


# --- picture ---------------------------------------------------------------------------------
