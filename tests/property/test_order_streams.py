"""Invariants of the hub over random order streams, stock and short picks, in the SimPy shell."""

from __future__ import annotations

from decimal import Decimal

import simpy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from small_distributor import NODES, PRICES, make_erp, make_hub, make_wms, order

from reference.domain.lifecycle import State
from reference.hub import Hub
from simulators.behavior.latency import ExponentialSpec
from simulators.behavior.profile import BehaviorSpec
from simulators.sim import feed, sim_world
from simulators.systems.demand import Arrival
from simulators.systems.endpoint import simulated_systems
from simulators.systems.finance import Finance
from simulators.systems.tms import Tms

SKUS = sorted(PRICES)
stock_st = st.dictionaries(
    st.tuples(st.sampled_from(NODES), st.sampled_from(SKUS)), st.integers(0, 30), max_size=9
)
line_st = st.tuples(st.sampled_from(SKUS), st.integers(1, 15))
orders_st = st.lists(
    st.lists(line_st, min_size=1, max_size=3, unique_by=lambda line: line[0]),
    min_size=1,
    max_size=20,
)


class CheckedHub(Hub):
    """The real hub, with its stock invariant checked after every single decision."""

    def decide(self, message, now):  # type: ignore[override]
        decision = super().decide(message, now)
        for key, p in self.state.inventory.items():
            assert p.on_hand - p.allocated - p.quarantined - p.safety_stock >= 0, key
            assert p.available_to_sell() >= 0
        for saga in self.state.orders.values():
            for line in saga.lines.values():
                assert 0 <= line.shipped <= line.ordered
        return decision


def run(stock, orders, short_pick_rate, seed):
    plain = make_hub(stock, seed=seed)
    hub = CheckedHub(plain.config, plain.state)
    finance = Finance()
    models = {
        "erp": make_erp(),
        "tms": Tms(),
        "finance": finance,
        **make_wms(stock, short_pick_rate, seed),
    }
    behavior = BehaviorSpec(latency=ExponentialSpec(mean=5.0))
    systems = simulated_systems(models, {}, seed, default=behavior)
    env = simpy.Environment()
    events = []
    driver, _ = sim_world(env, hub, systems, events.append)
    arrivals = [
        Arrival(
            float(i), f"SO-{i}", f"c-{i}", order(*lines, number=f"PO-{i}", customer="ACME-PLUMBING")
        )
        for i, lines in enumerate(orders)
    ]
    feed(env, driver, arrivals)
    env.run()
    return hub, finance, events


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stock_st, orders_st, st.floats(0.0, 0.6), st.integers(0, 2**32 - 1))
def test_stock_and_quantities_hold_at_every_step_and_every_order_ends(
    stock, orders, short_pick_rate, seed
):
    hub, finance, _ = run(stock, orders, short_pick_rate, seed)
    for saga in hub.state.orders.values():
        assert saga.state in (State.CLOSED, State.CANCELLED, State.REJECTED)
        if saga.state is State.CLOSED:
            for line in saga.lines.values():
                assert line.shipped + line.cancelled == line.ordered
            assert len(saga.invoices) == saga.shipments >= 1
    for journal in finance.journals.values():
        assert journal.is_balanced()
    assert sum(finance.trial_balance().values(), Decimal(0)) == 0
    for position in (p for _, p in hub.state.inventory.items()):
        assert position.allocated == 0  # nothing stays reserved once every order has ended


@settings(max_examples=15, deadline=None)
@given(stock_st, orders_st, st.floats(0.0, 0.6), st.integers(0, 2**32 - 1))
def test_the_same_seed_gives_the_same_event_list(stock, orders, short_pick_rate, seed):
    _, _, first = run(stock, orders, short_pick_rate, seed)
    _, _, second = run(stock, orders, short_pick_rate, seed)
    assert first == second
