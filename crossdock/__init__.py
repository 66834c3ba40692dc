"""crossdock: simulation and contract-testing harness with a reference integration hub."""

__version__ = "0.1.0"
