"""The integration estate as data: which systems exist and which flows connect them.

A scenario's ``topology:`` key is a :class:`TopologySpec`. Rules it enforces on load:

- every system and every flow has a unique name;
- a flow's ``source`` and ``target`` name declared systems;
- a batch or file flow says how often it runs (``every``, seconds); sync API and event flows don't.

Ownership (exactly one system of record per data domain) is checked by the analysis, not here,
because a partial estate under construction is still worth drawing.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SystemKind = Literal[
    "erp", "wms", "tms", "storefront", "marketplace", "edi_partner", "finance", "crm", "bi", "hub",
]
Pattern = Literal["sync_api", "event", "batch", "file"]

#: Data domains a system can be the system of record for, and a flow can carry.
DATA_DOMAINS = (
    "customers", "prices", "orders", "inventory", "shipments", "invoices", "payments", "journals",
)
DataDomain = Literal[
    "customers", "prices", "orders", "inventory", "shipments", "invoices", "payments", "journals",
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
    every: float | None = Field(default=None, gt=0.0)
    """Seconds between runs; required for batch and file flows."""
    critical: bool = False
    """On the synchronous order-capture path: the order waits for this call to answer."""

    @model_validator(mode="after")
    def _schedule_matches_pattern(self) -> Flow:
        if self.pattern in ("batch", "file") and self.every is None:
            raise ValueError(
                f"flow {self.name!r} is a {self.pattern} flow and needs `every` "
                "(seconds between runs, e.g. every: 900)"
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
