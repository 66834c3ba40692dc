"""The inventory feed in virtual time: what the hub is handed, and when."""

from __future__ import annotations

import simpy

from reference.domain.model import MovementKind
from reference.hub import ReconcileSnapshot, RecordMovement
from reference.hub.effects import Message
from scenarios.feeds import InventoryFeed
from simulators.behavior import BehaviorSpec, FixedSpec

NODE = "DC-ATL"
SKU = "PIPE-ELBOW-22MM"


Trace = list[tuple[object, ...]]


def fed(behaviour: BehaviorSpec) -> tuple[simpy.Environment, InventoryFeed, Trace]:
    env = simpy.Environment()
    trace: Trace = []

    def submit(message: Message) -> None:
        if isinstance(message, RecordMovement):
            move = message.movement
            trace.append(("moved", move.movement_id, move.quantity, env.now))
        elif isinstance(message, ReconcileSnapshot):
            counts = {line.sku: line.on_hand for line in message.snapshot.lines}
            trace.append(("counted", counts, env.now))

    return env, InventoryFeed(env, behaviour, (NODE,), 21, submit), trace


def test_a_movement_reaches_the_hub_after_the_feed_latency() -> None:
    env, feed, trace = fed(BehaviorSpec(latency=FixedSpec(seconds=2.0)))
    env.timeout(10).callbacks.append(
        lambda _e: feed.movement(NODE, MovementKind.RECEIPT, SKU, 40, 40)
    )
    env.run(until=100)
    assert trace == [("moved", f"MV-{NODE}-1", 40, 12.0)]


def test_a_repeated_movement_reaches_the_hub_twice_under_one_id() -> None:
    env, feed, trace = fed(BehaviorSpec(latency=FixedSpec(seconds=2.0), duplicate_rate=1.0))
    feed.movement(NODE, MovementKind.RECEIPT, SKU, 40, 40)
    env.run(until=100)
    assert trace == [("moved", f"MV-{NODE}-1", 40, 2.0), ("moved", f"MV-{NODE}-1", 40, 2.0)]
    assert feed.duplicated == 1


def test_a_lost_movement_never_arrives_so_the_next_snapshot_carries_it() -> None:
    env, feed, trace = fed(BehaviorSpec(latency=FixedSpec(seconds=2.0), loss_rate=1.0))
    feed.movement(NODE, MovementKind.RECEIPT, SKU, 40, 40)
    env.run(until=5)
    feed.snapshot(NODE, {SKU: 140})
    assert trace == [("counted", {SKU: 140}, 5.0)]
    assert feed.lost == 1


def test_a_snapshot_leaves_out_movements_still_in_flight_and_lands_after_its_latency() -> None:
    env, feed, trace = fed(
        BehaviorSpec(latency=FixedSpec(seconds=30.0), snapshot_latency=FixedSpec(seconds=600.0))
    )
    feed.movement(NODE, MovementKind.RECEIPT, SKU, 40, 40)  # lands at 30
    env.timeout(10).callbacks.append(lambda _e: feed.snapshot(NODE, {SKU: 140}))
    env.run(until=1000)
    # counted at 10, when the receipt was still on its way: the hub is about to apply it
    assert trace == [("moved", f"MV-{NODE}-1", 40, 30.0), ("counted", {SKU: 100}, 610.0)]
