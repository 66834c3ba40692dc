"""Behaviour profiles for systems answering in real time.

The twin's WMS answers a release hours later, which suits virtual time but not a person with curl;
these defaults keep the shapes (lognormal, a long tail) at wall-clock-friendly scales.
"""

from __future__ import annotations

from simulators.behavior.latency import LognormalSpec
from simulators.behavior.profile import BehaviorSpec

# Keys are hub system names; "wms" is the profile of every WMS node without its own entry.
DEFAULT_PROFILES: dict[str, BehaviorSpec] = {
    "erp": BehaviorSpec(latency=LognormalSpec(median=0.12, p99=0.8)),
    "tms": BehaviorSpec(latency=LognormalSpec(median=0.05, p99=0.3)),
    "finance": BehaviorSpec(latency=LognormalSpec(median=0.06, p99=0.4)),
    "wms": BehaviorSpec(latency=LognormalSpec(median=0.3, p99=2.0)),
}


def profile_for(name: str, profiles: dict[str, BehaviorSpec]) -> BehaviorSpec:
    """The profile of system ``name``: its own, else the "wms" one for a node, else the default."""
    if name in profiles:
        return profiles[name]
    if name.startswith("wms:") and "wms" in profiles:
        return profiles["wms"]
    return BehaviorSpec()
