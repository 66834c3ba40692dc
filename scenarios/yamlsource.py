"""YAML read once, keeping where each key and item was written, so a problem names its line.

``read(text)`` returns the document (as ``yaml.safe_load`` would) and a map from each location
(the keys and list indexes that reach a value, as in ``("faults", 0, "system")``) to its 1-based
line. A key maps to the line of the key; a list item to the line where the item starts.
"""

from __future__ import annotations

from typing import Any

import yaml

from scenarios.problems import Loc


def read(text: str) -> tuple[Any, dict[Loc, int]]:
    """The document and the line of every location in it; ``yaml.YAMLError`` if it won't parse."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        document = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    lines: dict[Loc, int] = {}
    if node is not None:
        _walk(node, (), lines, set())
    return document, lines


def _walk(node: yaml.Node, loc: Loc, lines: dict[Loc, int], seen: set[int]) -> None:
    if id(node) in seen:  # an alias that contains itself
        return
    seen = seen | {id(node)}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                here = (*loc, key.value)
                lines.setdefault(here, key.start_mark.line + 1)
                _walk(value, here, lines, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            here = (*loc, index)
            lines.setdefault(here, item.start_mark.line + 1)
            _walk(item, here, lines, seen)
