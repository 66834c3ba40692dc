"""Dotted-path edits of a scenario document: what a variant's or a sweep's override changes.

A path segment after a list picks an item by its ``name`` (``topology.flows.inventory_sync``)
or by its index (``demand.spikes.0``); a missing key of a mapping is created. Validation of the
edited document is the spec's (scenarios/spec.py ``apply_overrides``).
"""

from __future__ import annotations

from typing import Any

from scenarios.problems import Loc, did_you_mean
from scenarios.topology import UNSCHEDULED

STUDY_WIDE = {
    "seed": "the seed is the study's, shared by every variant; give --seed to change it",
    "replications": "replications are the study's, the same for every variant; "
    "give --replications to change them",
}
"""Paths a variant or a sweep cannot set: the study, not a variant, owns them."""


class NoSuchItem(KeyError):
    def __init__(self, where: str, message: str, value: Any, hint: str = "") -> None:
        super().__init__(where)
        self.where, self.message, self.value, self.hint = where, message, value, hint


def unschedule(document: dict[str, Any], overrides: dict[str, Any]) -> None:
    """A flow turned into events or calls loses its schedule, unless the same overrides set one
    (then validation says why that is wrong). Flows are matched by index, whichever way the
    paths name them: ``flows.0.every`` and ``flows.inventory_sync.pattern`` are one flow."""
    flows = document["topology"]["flows"]
    patterns: dict[int, Any] = {}
    scheduled: set[int] = set()
    for path, value in overrides.items():
        parts = path.split(".")
        if len(parts) != 4 or parts[:2] != ["topology", "flows"]:
            continue
        index = _list_index(flows, parts[2], ".".join(parts[:3]))
        if parts[3] == "pattern":
            patterns[index] = value
        elif parts[3] == "every":
            scheduled.add(index)
    for index, pattern in patterns.items():
        if pattern in UNSCHEDULED and index not in scheduled:
            flows[index]["every"] = None


def set_path(document: dict[str, Any], path: str, value: Any) -> Loc:
    """Set ``path`` to ``value``; return where it landed, list items by index."""
    parts = path.split(".")
    node: Any = document
    landed: list[str | int] = []
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        here = ".".join(parts[: depth + 1])
        if isinstance(node, list):
            index = _list_index(node, part, ".".join(parts[:depth]))
            landed.append(index)
            if last:
                node[index] = value
                return tuple(landed)
            node = node[index]
        elif isinstance(node, dict):
            landed.append(part)
            if last:
                node[part] = value
                return tuple(landed)
            if part not in node or node[part] is None:
                node[part] = {}
            node = node[part]
        else:
            raise NoSuchItem(here, "cannot descend into a value", node)
    return tuple(landed)


def _list_index(items: list[Any], part: str, here: str) -> int:
    if part.isdigit():
        index = int(part)
        if index < len(items):
            return index
        raise NoSuchItem(here, f"index {index} is past the end ({len(items)} items)", index)
    for index, item in enumerate(items):
        if isinstance(item, dict) and item.get("name") == part:
            return index
    names = [str(i.get("name")) for i in items if isinstance(i, dict)]
    raise NoSuchItem(here, "no item of that name", part, did_you_mean(part, names))
