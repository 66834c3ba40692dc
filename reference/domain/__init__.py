"""The canonical domain: model, lifecycles, events, availability, ledger and idempotency rules.

Pure: no I/O, no clock, no randomness. Everything here can be called from any shell.
"""
