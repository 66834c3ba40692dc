"""The SimPy world: the hub core and the system models in virtual time."""

from simulators.sim.ports import SimPorts, feed, sim_driver, sim_world

__all__ = ["SimPorts", "feed", "sim_driver", "sim_world"]
