"""The simulated systems served over real HTTP, for contract and load runs.

The same pure models (simulators/systems) behind the same behaviour profiles (simulators/behavior)
as the SimPy and in-process shells, but answering real requests in real time. Start it with
``crossdock systems serve`` or mount ``create_systems_app(...)`` yourself.
"""

from simulators.http.app import create_systems_app
from simulators.http.paging import DEFAULT_LIMIT, MAX_LIMIT

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "create_systems_app"]
