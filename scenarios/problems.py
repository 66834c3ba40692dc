"""What is wrong with a scenario, said once per bad value: where, what, and the value as written.

A :class:`Problem` keeps its location twice: ``loc``, the keys and indexes into the document as
written (it finds the YAML line), and ``path``, the same place as people read it
(``demand.spikes[0].factor``, ``variants[batch].overrides[hub.idempotent]``). ``SpecError`` carries
every problem of a scenario, so one run of ``crossdock validate`` lists them all.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from pydantic import BaseModel, ValidationError

Loc = tuple[str | int, ...]


class _Nothing:
    def __repr__(self) -> str:
        return "NOTHING"


NOTHING: Any = _Nothing()
"""A problem with no single offending value (a missing key, a whole mapping)."""


@dataclass(frozen=True, slots=True)
class Problem:
    loc: Loc
    path: str
    message: str
    value: Any = NOTHING
    hint: str = ""
    line: int | None = None

    def __str__(self) -> str:
        got = "" if self.value is NOTHING else f" (got {self.value!r})"
        hint = f"; {self.hint}" if self.hint else ""
        return f"{self.path or '<root>'}: {self.message}{got}{hint}"

    def where(self, source: str) -> str:
        """``file:line: path: message``, the form editors and CI logs link to."""
        place = f"{source}:{self.line}" if source and self.line else source
        return f"{place}: {self}" if place else str(self)

    def under(self, loc: Loc, path: str) -> Problem:
        """The same problem seen from an enclosing document (a variant's overrides)."""
        return replace(self, loc=loc + self.loc, path=path + (": " + self.path if path else ""))


class SpecError(ValueError):
    """A scenario that cannot be run; ``problems`` holds one line per bad value."""

    def __init__(self, problems: Iterable[Problem | str], source: str = "") -> None:
        self.items = [p if isinstance(p, Problem) else Problem((), "", p) for p in problems]
        self.source = source
        self.problems = [str(p) if p.path else p.message for p in self.items]
        lines = [p.where(source) if p.path else p.message for p in self.items]
        head = f"{source}: " if source else ""
        super().__init__(head + "invalid scenario\n  " + "\n  ".join(lines))

    def located(self, lines: dict[Loc, int], source: str) -> SpecError:
        """The same problems with the YAML line of each and the file they came from."""
        return SpecError([replace(p, line=line_of(lines, p.loc)) for p in self.items], source)


def line_of(lines: dict[Loc, int], loc: Loc) -> int | None:
    """The line of the deepest part of ``loc`` that the document spells out. Parts it does not
    spell out are stepped over: a union's tag (``latency.lognormal.median``), a missing key."""
    reached: Loc = ()
    line = lines.get(reached)
    for part in loc:
        if (*reached, part) in lines:
            reached = (*reached, part)
            line = lines[reached]
    return line


def dotted(loc: Iterable[str | int], prefix: str = "") -> str:
    path = prefix
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else ("." if path else "") + str(part)
    return path


def did_you_mean(value: object, known: Iterable[str]) -> str:
    """``did you mean 'erp'?`` for a near miss (case-blind), else the names that are known."""
    names = sorted(set(known))
    text = str(value)
    folded = {n.casefold(): n for n in names}
    close = [folded[m] for m in difflib.get_close_matches(text.casefold(), folded, n=1)]
    if close:
        return f"did you mean {close[0]!r}?"
    return f"known: {', '.join(names)}" if names else "none is known here"


def from_validation(
    error: ValidationError, model: type[BaseModel], prefix: Loc = ()
) -> list[Problem]:
    """One problem per pydantic error; an unknown key gets a did-you-mean among its siblings."""
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        got = item.get("input", NOTHING)
        if isinstance(got, dict | list) or item["type"] == "missing":
            got = NOTHING
        message, hint = item["msg"].removeprefix("Value error, "), ""
        if item["type"] == "extra_forbidden":
            message = "no such field here"
            hint = did_you_mean(loc[-1], _fields_at(model, loc[:-1]))
        problems.append(Problem(prefix + loc, dotted(loc), message, got, hint))
    return problems


def _fields_at(model: Any, loc: Loc) -> list[str]:
    """The field names of the model found at ``loc`` under ``model`` (empty if none is)."""
    kind: Any = model
    for part in loc:
        kind = _step(kind, part)
        if kind is None:
            return []
    kind = _unwrap(kind)
    members = kind if isinstance(kind, list) else [kind]
    names: list[str] = []
    for member in members:
        if isinstance(member, type) and issubclass(member, BaseModel):
            names += list(member.model_fields)
    return names


def _unwrap(kind: Any) -> Any:
    """Annotated and Optional stripped; a union of models becomes a list of them."""
    while typing.get_origin(kind) is typing.Annotated:
        kind = typing.get_args(kind)[0]
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        members = [_unwrap(a) for a in typing.get_args(kind) if a is not type(None)]
        return members[0] if len(members) == 1 else members
    return kind


def _step(kind: Any, part: str | int) -> Any:
    kind = _unwrap(kind)
    if isinstance(kind, list):  # a tagged union: pydantic puts the tag in the location
        for member in kind:
            field = getattr(member, "model_fields", {}).get("kind")
            if field is not None and field.default == part:
                return member
        return None
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        field = kind.model_fields.get(str(part))
        return None if field is None else field.annotation
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin is list and isinstance(part, int):
        return args[0]
    if origin is dict:
        return args[1]
    return None
