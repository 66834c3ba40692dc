"""How stock news reaches the hub in a run: movement events through the inventory feed, and
snapshots that land late.

Theory of operation:

- Every movement a node makes goes through the ``inventory_feed`` behaviour
  (``simulators.behavior.feeds.EventFeed``): lost, delivered once, or delivered twice, each copy
  after its own delay, so movements of one SKU can arrive out of order. Each node draws from its
  own stream, ``inventory_feed:<node>``, so the feed's draws shift no other system's.
- A copy is a ``RecordMovement`` with the same ``movement_id``. The hub core does not dedupe
  movements by id (``Hub._movement`` applies what it is given), so a duplicate counts twice and a
  lost movement never counts, until a snapshot corrects the drift: what reconciliation is for.
- A snapshot is counted at ``t`` and reaches the hub at ``t + snapshot_latency`` (a draw from
  ``inventory_snapshot:<node>``). It is counted as of the last movement event the hub has
  received (a watermark): movements still in flight at ``t`` are left out, since the hub is
  about to apply them. A lost movement is never in flight, so the snapshot carries it; a
  duplicate is unknown to the WMS, so the snapshot removes the second count. The core sets its
  on-hand to the count on arrival, so a movement the hub applies between ``t`` and the arrival is
  overwritten by the older count: stale truth, corrected only by the next snapshot.
"""

from __future__ import annotations

from collections.abc import Callable

import simpy

from reference.domain.model import InventoryMovement, InventorySnapshot, MovementKind, SnapshotLine
from reference.hub import ReconcileSnapshot, RecordMovement
from reference.hub.effects import Message
from simulators.behavior.defaults import INVENTORY_FEED
from simulators.behavior.profile import BehaviorSpec
from simulators.behavior.streams import spawn_stream

FEED = INVENTORY_FEED

Key = tuple[str, str]


class InventoryFeed:
    """The nodes' movements and snapshots on their way to the hub, as ``submit``-ted messages."""

    def __init__(
        self,
        env: simpy.Environment,
        behaviour: BehaviorSpec,
        nodes: tuple[str, ...],
        seed: int,
        submit: Callable[[Message], None],
    ) -> None:
        self.env, self.submit = env, submit
        self.feed = behaviour.feed()
        self.snapshot_latency = behaviour.snapshot_latency.build()
        self.rngs = {n: spawn_stream(seed, f"{FEED}:{n}") for n in nodes}
        self.snapshot_rngs = {n: spawn_stream(seed, f"inventory_snapshot:{n}") for n in nodes}
        self.in_flight: dict[Key, int] = {}  # on-hand change the hub has yet to hear of
        self.sent = 0
        self.lost = 0
        self.duplicated = 0

    def movement(self, node: str, kind: MovementKind, sku: str, quantity: int, delta: int) -> None:
        """A movement of ``delta`` on hand at ``node``, reported to the hub as ``quantity``."""
        self.sent += 1
        env = self.env
        times = self.feed.deliveries(env.now, self.rngs[node])
        if not times:
            self.lost += 1
            return
        key = (node, sku)
        self.in_flight[key] = self.in_flight.get(key, 0) + delta
        movement = InventoryMovement.model_construct(
            movement_id=f"MV-{node}-{self.sent}",
            node_id=node,
            sku=sku,
            kind=kind,
            quantity=quantity,
        )
        message = RecordMovement(movement)
        env.timeout(times[0] - env.now).callbacks.append(
            lambda _e: self._first(key, delta, message)
        )
        if len(times) > 1:
            self.duplicated += 1
            env.timeout(times[1] - env.now).callbacks.append(lambda _e: self.submit(message))

    def _first(self, key: Key, delta: int, message: RecordMovement) -> None:
        self.in_flight[key] -= delta
        self.submit(message)

    def unconfirmed(self, node: str, lines: list[dict[str, object]], sign: int) -> None:
        """Released units a file-drop WMS picked and the hub has not read yet (``sign`` +1), or
        now has (-1): the hub takes them off its books when it reads the file."""
        in_flight = self.in_flight
        for line in lines:
            key = (node, str(line["sku"]))
            in_flight[key] = in_flight.get(key, 0) + sign * int(line["quantity"])  # type: ignore[call-overload]

    def snapshot(self, node: str, on_hand: dict[str, int]) -> None:
        """Count ``node``'s ``on_hand`` now, as of the hub's watermark; it lands after the
        snapshot latency."""
        env, in_flight = self.env, self.in_flight
        lines = [
            SnapshotLine.model_construct(sku=sku, on_hand=qty - in_flight.get((node, sku), 0))
            for sku, qty in on_hand.items()
        ]
        snapshot = InventorySnapshot.model_construct(
            snapshot_id=f"SNAP-{node}-{int(env.now)}", node_id=node, lines=lines
        )
        message = ReconcileSnapshot(snapshot)
        delay = self.snapshot_latency.sample(self.snapshot_rngs[node])
        if delay <= 0.0:
            self.submit(message)
        else:
            env.timeout(delay).callbacks.append(lambda _e: self.submit(message))
