"""Seeded random streams: one independent numpy Generator per simulated system.

Theory of operation: a stream is derived from ``(seed, stable_hash(name))`` rather than from the
position of the name in a list, so adding or removing a system never changes the draws any other
system sees. ``keyed_uniform`` answers questions that must not depend on the order in which the
simulation asks them ("does line 3 of order 1042 short-pick?"): it hashes the seed and the keys.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from hashlib import blake2b
from itertools import chain

import numpy as np

__all__ = [
    "block_draws",
    "keyed_uniform",
    "spawn_stream",
    "spawn_streams",
    "stable_hash",
    "uniforms",
]

_TWO_64 = float(2**64)


def stable_hash(name: str) -> int:
    """The first 8 bytes of blake2b(name) as an unsigned int: stable across runs and machines."""
    return int.from_bytes(blake2b(name.encode(), digest_size=8).digest(), "big")


def _check_seed(seed: int) -> None:
    if seed < 0:
        raise ValueError(f"seed(={seed}) must be >= 0")


def spawn_stream(seed: int, name: str) -> np.random.Generator:
    """The PCG64 stream for one name; the same (seed, name) always gives the same draws."""
    _check_seed(seed)
    return np.random.default_rng(np.random.SeedSequence([seed, stable_hash(name)]))


def spawn_streams(seed: int, names: Sequence[str]) -> dict[str, np.random.Generator]:
    """One independent stream per name, keyed by name; the order of ``names`` does not matter."""
    _check_seed(seed)
    if len(set(names)) != len(names):
        raise ValueError(f"names(={list(names)}) must be unique")
    return {name: spawn_stream(seed, name) for name in names}


def keyed_uniform(seed: int, *keys: int | str) -> float:
    """An order-independent draw in [0, 1) determined by the seed and the keys alone.

    Ints and strs are tagged, so ``keyed_uniform(1, 3)`` and ``keyed_uniform(1, "3")`` differ.
    """
    parts = [str(seed)]
    for key in keys:
        if isinstance(key, str):
            parts.append(f"s{len(key)}:{key}")
        else:
            parts.append(f"i{int(key)}")
    digest = blake2b("|".join(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / _TWO_64


def block_draws(draw: Callable[[int], np.ndarray], block: int = 4096) -> Callable[[], float]:
    """Draws from one stream, taken a block at a time: ``draw(n)`` returns the next ``n``.

    A scalar numpy draw spends about a microsecond in call overhead; the returned callable is the
    ``__next__`` of an iterator over drawn blocks, so taking the next float runs no Python code
    at all. The sequence is still the stream's own, so the same seed gives the same draws. The
    first block is drawn on the first call, not before.
    """

    def blocks() -> Iterator[list[float]]:
        while True:
            yield draw(block).tolist()

    return chain.from_iterable(blocks()).__next__


def uniforms(rng: np.random.Generator, block: int = 4096) -> Callable[[], float]:
    """Uniform draws in [0, 1) from one stream, a block at a time (see ``block_draws``)."""
    return block_draws(rng.random, block)
