"""Sourcing an accepted order: its lines split over nodes; what no node holds is backordered."""

from __future__ import annotations

from reference.domain.events import EventType as E
from reference.domain.lifecycle import Msg
from reference.hub.effects import Decision
from reference.hub.orders.backorders import wait
from reference.hub.state import HubConfig, HubState, OrderSaga, Release


def allocate(
    state: HubState, config: HubConfig, saga: OrderSaga, decision: Decision, now: float
) -> None:
    """Fill each line from one node when one can take it all, else across nodes in order
    (the preference order, or for ``fewest_nodes`` sourcing the order's own: see HubConfig).
    Nothing goes to a warehouse yet: ``calls.rate_releases`` starts that."""
    inventory = state.inventory
    lines = saga.lines.values()
    nodes = list(config.nodes)
    if config.sourcing == "fewest_nodes":
        whole_lines = {
            node: sum(inventory.available(node, line.sku) >= line.ordered for line in lines)
            for node in nodes
        }
        nodes.sort(key=lambda node: -whole_lines[node])  # stable: ties keep the preference
    for line in lines:
        line.move(Msg.ACCEPT)
        wanted = line.ordered
        whole = next((n for n in nodes if inventory.available(n, line.sku) >= wanted), None)
        plan = [whole] if whole is not None else nodes
        for node in plan:
            if wanted == 0:
                break
            granted = inventory.allocate(node, line.sku, wanted)
            if granted:
                wanted -= granted
                line.allocated[node] = granted
                saga.releases.setdefault(node, Release(node, {})).lines[line.line_no] = granted
                decision.events.append(
                    saga.event(
                        E.LINE_ALLOCATED,
                        now,
                        line_no=line.line_no,
                        sku=line.sku,
                        node=node,
                        quantity=granted,
                    )
                )
        if wanted:
            line.backordered = wanted
            saga.was_backordered = True
            decision.events.append(
                saga.event(
                    E.LINE_BACKORDERED,
                    now,
                    line_no=line.line_no,
                    sku=line.sku,
                    quantity=wanted,
                    cause="no_stock",
                )
            )
            wait(state, config, saga, line, decision, now)
        line.move(Msg.ALLOCATE if line.allocated else Msg.BACKORDER)
    saga.advance(Msg.ALLOCATE if saga.releases else Msg.BACKORDER, now, decision.events)
    if len(saga.releases) > 1:
        saga.was_split = True
        decision.events.append(saga.event(E.ORDER_SPLIT, now, nodes=sorted(saga.releases)))
