"""Every (state, message) pair of each lifecycle: legal ones land where the table says."""

from __future__ import annotations

import itertools

import pytest

from reference.domain.errors import IllegalTransition
from reference.domain.lifecycle import (
    LIFECYCLES,
    LINE_LIFECYCLE,
    ORDER_LIFECYCLE,
    Msg,
    State,
    edges,
    is_terminal,
    transition,
)

PAIRS = [
    (name, state, message)
    for name in LIFECYCLES
    for state, message in itertools.product(State, Msg)
]


@pytest.mark.parametrize(
    ("lifecycle", "state", "message"), PAIRS, ids=[f"{n}-{s.value}-{m.value}" for n, s, m in PAIRS]
)
def test_every_pair_is_legal_by_the_table_or_raises_the_typed_error(lifecycle, state, message):
    row = LIFECYCLES[lifecycle].get(state, {})
    if message in row:
        assert transition(lifecycle, state, message) is row[message]
    else:
        with pytest.raises(IllegalTransition) as error:
            transition(lifecycle, state, message)
        assert error.value.state == state.value
        assert error.value.message == message.value
        assert state.value in str(error.value) and message.value in str(error.value)


def test_the_walk_covers_all_pairs_of_both_tables():
    assert len(PAIRS) == 2 * len(State) * len(Msg) == 2 * 11 * 10


def test_terminal_states_accept_nothing():
    for name in LIFECYCLES:
        for state in (State.REJECTED, State.CLOSED, State.CANCELLED, State.ERP_REJECTED):
            assert is_terminal(name, state)
            with pytest.raises(IllegalTransition):
                transition(name, state, Msg.CANCEL)


def test_every_state_is_reachable_from_received():
    for table in (ORDER_LIFECYCLE, LINE_LIFECYCLE):
        reached, frontier = {State.RECEIVED}, [State.RECEIVED]
        while frontier:
            for target in table.get(frontier.pop(), {}).values():
                if target not in reached:
                    reached.add(target)
                    frontier.append(target)
        assert reached == set(State)


def test_a_shipped_order_can_no_longer_be_cancelled():
    with pytest.raises(IllegalTransition, match="cannot handle 'cancel' in state 'shipped'"):
        transition("order", State.SHIPPED, Msg.CANCEL)


def test_edges_list_each_legal_transition_once():
    listed = edges("order")
    assert len(listed) == sum(len(row) for row in ORDER_LIFECYCLE.values())
    assert (State.SHIPPED, Msg.INVOICE, State.INVOICED) in listed
