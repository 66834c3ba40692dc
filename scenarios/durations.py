"""Durations as a scenario writes them: one format everywhere (``simulators.behavior.durations``),
the behaviour profiles under ``systems:`` included."""

from simulators.behavior.durations import Duration, Instant, Positive, seconds

__all__ = ["Duration", "Instant", "Positive", "seconds"]
