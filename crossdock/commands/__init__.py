"""Subcommands of the ``crossdock`` CLI; each module has ``register(app)``."""
