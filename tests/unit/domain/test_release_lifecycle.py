"""Every (state, message) pair of a release's lifecycle, against a golden copy of its diagram."""

from __future__ import annotations

import itertools

import pytest

from reference.domain.errors import IllegalTransition
from reference.domain.lifecycle import (
    RELEASE_DONE,
    RELEASE_LIFECYCLE,
    ReleaseMsg,
    ReleaseState,
    release_edges,
    release_transition,
)

# The diagram as the design states it, written out by hand: planned -> released (rated) ->
# acknowledged (a WMS that confirms later) -> shipped or nothing shipped -> invoiced.
GOLDEN = {
    ("planned", "rate"): "released",
    ("planned", "cancel"): "cancelled",
    ("released", "acknowledge"): "acknowledged",
    ("released", "ship"): "shipped",
    ("released", "ship_nothing"): "nothing_shipped",
    ("acknowledged", "ship"): "shipped",
    ("acknowledged", "ship_nothing"): "nothing_shipped",
    ("shipped", "invoice"): "invoiced",
}

PAIRS = list(itertools.product(ReleaseState, ReleaseMsg))


@pytest.mark.parametrize(("state", "message"), PAIRS, ids=[f"{s}-{m}" for s, m in PAIRS])
def test_every_pair_lands_where_the_diagram_says_or_raises_the_typed_error(state, message):
    expected = GOLDEN.get((state.value, message.value))
    if expected is not None:
        assert release_transition(state, message).value == expected
    else:
        with pytest.raises(IllegalTransition) as error:
            release_transition(state, message)
        assert (error.value.lifecycle, error.value.state, error.value.message) == (
            "release",
            state.value,
            message.value,
        )


def test_the_walk_covers_every_pair():
    assert len(PAIRS) == 7 * 6


def test_a_released_release_can_no_longer_be_cancelled():
    with pytest.raises(
        IllegalTransition, match="release cannot handle 'cancel' in state 'released'"
    ):
        release_transition(ReleaseState.RELEASED, ReleaseMsg.CANCEL)


def test_every_state_is_reachable_from_planned():
    reached, frontier = {ReleaseState.PLANNED}, [ReleaseState.PLANNED]
    while frontier:
        for target in RELEASE_LIFECYCLE.get(frontier.pop(), {}).values():
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(ReleaseState)


def test_the_warehouse_is_done_exactly_when_no_ship_message_is_legal_any_more():
    for state in ReleaseState:
        row = RELEASE_LIFECYCLE.get(state, {})
        may_still_ship = ReleaseMsg.SHIP in row or ReleaseMsg.RATE in row
        assert (state in RELEASE_DONE) == (
            not may_still_ship and state is not ReleaseState.CANCELLED
        )


def test_edges_list_each_golden_transition_once():
    assert {(s.value, m.value): t.value for s, m, t in release_edges()} == GOLDEN
