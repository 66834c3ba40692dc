"""The SimPy shell: the hub core and the system models in virtual time."""

from simulators.sim.shell import SimShell

__all__ = ["SimShell"]
