"""The systems' default behaviours, in one table per time scale.

Keys are hub system names; ``"wms"`` is the behaviour of every WMS node without its own entry.

- ``VIRTUAL``: what-if runs in virtual time. A WMS answers a release with its shipment hours
  later, so its caller does not time out; EDI partners take minutes; the inventory feed loses
  and repeats a few movements, so the hub's stock drifts until a snapshot corrects it.
- ``REAL_TIME``: systems answering people, contract runs and load tests on the wall clock: the
  same shapes (lognormal, a long tail) at wall-clock-friendly scales.
- ``instant``: every system answers at once, so a benchmark measures the hub alone.

A scenario's ``systems`` entries and faults are merged over ``VIRTUAL`` (scenarios/wiring.py);
``crossdock serve`` and ``crossdock systems serve`` start from ``REAL_TIME``.
"""

from __future__ import annotations

from collections.abc import Mapping

from simulators.behavior.faults import ErrorRates
from simulators.behavior.latency import FixedSpec, LognormalSpec
from simulators.behavior.profile import BehaviorSpec

INVENTORY_FEED = "inventory_feed"  # how stock movements and snapshots reach the hub

VIRTUAL: dict[str, BehaviorSpec] = {
    "erp": BehaviorSpec(latency=LognormalSpec(median=0.25, p99=1.5)),
    "tms": BehaviorSpec(latency=LognormalSpec(median=0.08, p99=0.4)),
    "finance": BehaviorSpec(latency=LognormalSpec(median=0.1, p99=0.5)),
    "wms": BehaviorSpec(
        latency=LognormalSpec(median=1800.0, p99=14_400.0),
        errors=ErrorRates(timeout_after=86_400.0),
    ),
    "crm": BehaviorSpec(latency=LognormalSpec(median=0.3, p99=3.0)),
    "bi": BehaviorSpec(latency=LognormalSpec(median=0.5, p99=5.0)),
    "edi": BehaviorSpec(
        latency=LognormalSpec(median=30.0, p99=300.0), errors=ErrorRates(timeout_after=3600.0)
    ),
    # A WMS movement feed delivered at least once: seconds as a rule, a minute in its tail, one
    # movement in a hundred twice and one in five hundred never (simulators/behavior/feeds.py).
    # Snapshots land as they are counted: the core overwrites on-hand with a count as it
    # arrives, so a snapshot_latency undoes the hub's moves in between (scenarios/feeds.py).
    INVENTORY_FEED: BehaviorSpec(
        latency=LognormalSpec(median=2.0, p99=60.0), loss_rate=0.002, duplicate_rate=0.01
    ),
}

REAL_TIME: dict[str, BehaviorSpec] = {
    "erp": BehaviorSpec(latency=LognormalSpec(median=0.12, p99=0.8)),
    "tms": BehaviorSpec(latency=LognormalSpec(median=0.05, p99=0.3)),
    "finance": BehaviorSpec(latency=LognormalSpec(median=0.06, p99=0.4)),
    "wms": BehaviorSpec(latency=LognormalSpec(median=0.3, p99=2.0)),
}

INSTANT = BehaviorSpec(latency=FixedSpec(seconds=0.0))


def behavior_for(name: str, table: Mapping[str, BehaviorSpec]) -> BehaviorSpec:
    """System ``name``'s behaviour in ``table``: its own, else its kind's (``wms`` for
    ``wms:DC-ATL``), else a plain default."""
    if name in table:
        return table[name]
    kind = name.split(":", 1)[0]
    return table.get(kind, BehaviorSpec())


def instant(names: Mapping[str, object]) -> dict[str, BehaviorSpec]:
    """Every one of ``names`` answering at once."""
    return {name: INSTANT for name in names}
