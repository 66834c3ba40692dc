"""The ids the service mints sort in the order they were made, and keep their published shape."""

from __future__ import annotations

import re
import time

import pytest

from reference.service.api.routes.orders import new_order_id
from reference.service.correlation import new_id
from reference.service.ids import time_ordered


def test_ids_made_a_millisecond_apart_sort_in_that_order() -> None:
    made = []
    for _ in range(5):
        made.append(time_ordered(20))
        time.sleep(0.002)
    assert made == sorted(made)
    assert len(set(made)) == len(made)


def test_ids_made_in_the_same_millisecond_differ() -> None:
    assert len({time_ordered(20) for _ in range(10_000)}) == 10_000


def test_order_and_correlation_ids_keep_their_shape() -> None:
    assert re.fullmatch(r"SO-[0-9A-F]{20}", new_order_id())  # as the pacts match it
    assert re.fullmatch(r"corr-[0-9a-f]{32}", new_id())


def test_a_width_with_too_few_random_digits_is_refused() -> None:
    with pytest.raises(ValueError, match="random digits"):
        time_ordered(12)
