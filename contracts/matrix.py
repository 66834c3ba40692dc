"""The verification matrix: one row per consumer-provider pair, and can-i-deploy read from it."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class PairResult:
    """One pact verified against its provider: which interactions ran, which failed and why."""

    consumer: str
    provider: str
    kind: str  # "http" or "message"
    interactions: int
    failures: tuple[str, ...] = field(default=())  # each names its interaction

    @property
    def passed(self) -> bool:
        return not self.failures and self.interactions > 0


@dataclass(frozen=True)
class Matrix:
    pairs: tuple[PairResult, ...]

    @property
    def passed(self) -> bool:
        return bool(self.pairs) and all(p.passed for p in self.pairs)

    def involving(self, participant: str) -> tuple[PairResult, ...]:
        return tuple(p for p in self.pairs if participant in (p.consumer, p.provider))

    def can_deploy(self, participant: str) -> bool:
        """A participant may deploy when it is in the matrix and every pair it is in passed."""
        pairs = self.involving(participant)
        return bool(pairs) and all(p.passed for p in pairs)

    def to_json(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "pairs": [{**asdict(p), "passed": p.passed} for p in self.pairs],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Matrix:
        return cls(
            tuple(
                PairResult(
                    p["consumer"],
                    p["provider"],
                    p["kind"],
                    int(p["interactions"]),
                    tuple(p["failures"]),
                )
                for p in data["pairs"]
            )
        )

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), indent=2) + "\n")

    @classmethod
    def load(cls, path: Path) -> Matrix:
        return cls.from_json(json.loads(path.read_text()))
