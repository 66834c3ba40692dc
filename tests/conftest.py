"""Shared fixtures over the small distributor of tests/small_distributor.py."""

from __future__ import annotations

import pytest
from small_distributor import InlineDriver, make_erp, make_hub, make_wms

from simulators.systems.erp import Erp
from simulators.systems.finance import Finance
from simulators.systems.tms import Tms


@pytest.fixture
def erp() -> Erp:
    return make_erp()


@pytest.fixture
def driver_for(erp: Erp):
    def build(stock: dict[tuple[str, str], int], short_pick_rate: float = 0.0, **config: object):
        systems: dict[str, object] = {"erp": erp, "tms": Tms(), "finance": Finance()}
        systems.update(make_wms(stock, short_pick_rate))
        return InlineDriver(make_hub(stock, **config), systems)

    return build
