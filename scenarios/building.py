"""What a what-if run is built from: the hub as the scenario configures it, the systems behind
their behaviours, and the garbage collector tuned for a run's churn."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from reference.hub import Hub, HubConfig, HubState, RetryPolicy
from scenarios.pointtopoint import duplicate_check
from scenarios.spec import ScenarioSpec
from scenarios.wiring import Wiring
from simulators.behavior.streams import spawn_stream
from simulators.systems.endpoint import SimulatedSystem
from simulators.systems.erp import Erp
from simulators.systems.estate import Estate
from simulators.systems.finance import Finance
from simulators.systems.tms import Tms
from simulators.systems.wms import Wms

UNITS_PER_LINE = 3.86  # mean of geometric(0.35) + uniform{0, 1, 2}


def build_hub(spec: ScenarioSpec, estate: Estate, seed: int) -> Hub:
    """The hub core as the scenario configures it, holding the estate's opening stock."""
    inventory = estate.opening_stock(spec.inventory.safety_stock)
    retry = spec.hub.retry
    config = HubConfig(
        nodes=estate.nodes,
        seed=seed,
        retry=RetryPolicy(retry.base, max(retry.cap, retry.base), retry.max_attempts),
        check_duplicates=duplicate_check(spec),
        sourcing=spec.hub.sourcing,
        order_ownership=spec.hub.order_ownership,
    )
    return Hub(config, HubState(inventory=inventory))


def build_systems(
    wiring: Wiring, seed: int, erp: Erp, finance: Finance, wms: dict[str, Wms]
) -> dict[str, SimulatedSystem]:
    """Every system the hub calls, each behind the scenario's behaviour for it, with its own
    stream from the run seed."""
    models: dict[str, object] = {"erp": erp, "tms": Tms(), "finance": finance}
    models.update({f"wms:{n}": w for n, w in wms.items()})
    return {
        name: SimulatedSystem(
            name,
            model,  # type: ignore[arg-type]
            wiring.behavior(name).build(),
            spawn_stream(seed, f"system:{name}"),
        )
        for name, model in models.items()
    }


@contextmanager
def rare_collections() -> Iterator[None]:
    """Let the cyclic garbage collector run rarely while a run churns through small objects.

    A run allocates millions of short-lived events, messages and effects that reference counting
    frees at once; only the collector's generation scans over the long-lived estate cost time
    (about a sixth of a run with the default thresholds). What exists before the run is frozen
    out of those scans, and the young generation is collected every 50,000 allocations instead of
    700. Memory stays flat: the bench checks it.
    """
    thresholds = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
