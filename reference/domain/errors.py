"""The domain's errors, one small class per concept, turned into HTTP only at the edge.

DomainError
 ├── IllegalTransition      a lifecycle table has no entry for (state, message)
 ├── InvalidMoney           an amount or currency that money cannot be
 ├── UnbalancedJournal      debits and credits of a journal differ
 └── IdempotencyConflict    (reserved for the service: key reused, request in flight)
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error the pure core raises on purpose."""


class IllegalTransition(DomainError):
    """A lifecycle was asked to handle a message its table does not allow in its current state."""

    def __init__(self, lifecycle: str, state: str, message: str) -> None:
        super().__init__(f"{lifecycle} cannot handle {message!r} in state {state!r}")
        self.lifecycle = lifecycle
        self.state = state
        self.message = message


class InvalidMoney(DomainError):
    """Money with an amount or currency that cannot be right."""


class UnbalancedJournal(DomainError):
    """A journal whose debits and credits differ; it must never be posted."""

    def __init__(self, journal_id: str, debits: object, credits: object) -> None:
        super().__init__(
            f"journal {journal_id!r} does not balance: debits {debits} != credits {credits}"
        )
        self.journal_id = journal_id
