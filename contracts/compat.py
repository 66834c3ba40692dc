"""Breaking changes between two OpenAPI documents, or between two sets of event JSON Schemas.

Theory of operation. A change breaks a client when something it relies on goes away, or when the
side that reads a message may now get something its old schema would not take. So every schema
is compared in the direction its data flows:

- input (request bodies, parameters; the server reads): the new schema must accept all the old
  one did. A narrowed type, a new or tighter constraint (format, pattern, maxLength lowered,
  minimum raised, ...), a removed enum value and a newly required property, parameter, header or
  body break clients.
- output (responses, events; the client reads): the new schema must send nothing an old reader
  cannot take. A widened type (becoming nullable too), a looser constraint, a property that is no
  longer required and an enum value added break clients. Readers are tolerant: a new property is
  additive even where a schema says additionalProperties: false (that states what the producer
  sends today, so the producer's own tests catch drift). An added enum value is breaking by
  decision: a reader can ignore a field it does not know, not an unknown value of a field it
  reads (a consumer that maps order states to an enum fails on the new one). Add one on purpose:
  tell the consumers, then accept it with ``crossdock contracts check --update``.
- removals break both ways: an operation, a documented status code, a field (a client sends it,
  or reads it) and an enum value (a client sends it, or waits for it).

Not judged: security, callbacks, links, examples and descriptions; a renamed path parameter is a
removed and an added operation; regexes are not compared for containment, so a changed pattern or
format counts as narrowed and widened at once. $refs are resolved within each document.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

Schema = Mapping[str, Any]
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class Kind(StrEnum):
    OPERATION_REMOVED = "operation-removed"
    OPERATION_ADDED = "operation-added"
    STATUS_CODE_REMOVED = "status-code-removed"
    STATUS_CODE_ADDED = "status-code-added"
    FIELD_REMOVED = "field-removed"
    FIELD_ADDED = "field-added"
    REQUIRED_ADDED = "required-added"
    REQUIRED_DROPPED = "required-dropped"
    ENUM_VALUE_REMOVED = "enum-value-removed"
    ENUM_VALUE_ADDED = "enum-value-added"
    TYPE_NARROWED = "type-narrowed"
    TYPE_WIDENED = "type-widened"
    SCHEMA_REMOVED = "event-schema-removed"
    SCHEMA_ADDED = "event-schema-added"


class Flow(StrEnum):
    INPUT = "input"
    OUTPUT = "output"
    NONE = "none"  # operations, status codes, whole event schemas: the kind alone decides


# Whether a kind breaks clients, by the direction its data flows: (input, output, none).
_BREAKS: dict[Kind, tuple[bool, bool, bool]] = {
    Kind.OPERATION_REMOVED: (True, True, True),
    Kind.STATUS_CODE_REMOVED: (True, True, True),
    Kind.SCHEMA_REMOVED: (True, True, True),
    Kind.FIELD_REMOVED: (True, True, True),
    Kind.ENUM_VALUE_REMOVED: (True, True, True),
    Kind.REQUIRED_ADDED: (True, False, False),
    Kind.TYPE_NARROWED: (True, False, False),
    Kind.REQUIRED_DROPPED: (False, True, False),
    Kind.TYPE_WIDENED: (False, True, False),
    Kind.ENUM_VALUE_ADDED: (False, True, False),
}


@dataclass(frozen=True, slots=True)
class Change:
    document: str
    path: str
    """A JSONPath into the document, through the operation (not the shared component)."""
    kind: Kind
    flow: Flow
    detail: str
    breaking: bool

    def __str__(self) -> str:
        verdict = "BREAKING" if self.breaking else "additive"
        return f"{verdict} {self.kind} {self.document} {self.path}: {self.detail}"

    def as_json(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "path": self.path,
            "kind": self.kind.value,
            "flow": self.flow.value,
            "detail": self.detail,
            "breaking": self.breaking,
        }


def breaking(changes: Iterable[Change]) -> list[Change]:
    return [c for c in changes if c.breaking]


def json_path(segments: Iterable[str]) -> str:
    out = "$"
    for seg in segments:
        if seg.startswith("[?"):
            out += seg
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", seg):
            out += f".{seg}"
        else:
            out += "['" + seg.replace("'", "\\'") + "']"
    return out


Path = tuple[str, ...]


@dataclass
class _Walk:
    document: str
    old_root: Schema
    new_root: Schema
    changes: list[Change] = field(default_factory=list)

    def add(self, kind: Kind, path: Path, flow: Flow, detail: str) -> None:
        broken = _BREAKS.get(kind, (False, False, False))[list(Flow).index(flow)]
        self.changes.append(Change(self.document, json_path(path), kind, flow, detail, broken))

    # --- OpenAPI ------------------------------------------------------------------------------
    def openapi(self) -> None:
        old_paths, new_paths = self.old_root.get("paths", {}), self.new_root.get("paths", {})
        for route, old_item in old_paths.items():
            new_item = new_paths.get(route, {})
            for method in (m for m in METHODS if m in old_item):
                at = ("paths", route, method)
                if method not in new_item:
                    self.add(Kind.OPERATION_REMOVED, at, Flow.NONE, f"{method.upper()} {route}")
                else:
                    self.operation(old_item, new_item, method, at)
        for route, new_item in new_paths.items():
            old_item = old_paths.get(route, {})
            for method in (m for m in METHODS if m in new_item and m not in old_item):
                at = ("paths", route, method)
                self.add(Kind.OPERATION_ADDED, at, Flow.NONE, f"{method.upper()} {route}")

    def operation(self, old_item: Schema, new_item: Schema, method: str, at: Path) -> None:
        self.parameters(
            _parameters(self.old_root, old_item, method),
            _parameters(self.new_root, new_item, method),
            at,
        )
        old_op, new_op = old_item[method], new_item[method]
        self.request_body(
            old_op.get("requestBody"), new_op.get("requestBody"), (*at, "requestBody")
        )
        old_codes = old_op.get("responses", {})
        new_codes = new_op.get("responses", {})
        for code, old_response in old_codes.items():
            where = (*at, "responses", str(code))
            if code not in new_codes:
                self.add(
                    Kind.STATUS_CODE_REMOVED,
                    where,
                    Flow.NONE,
                    f"response {code} no longer documented",
                )
                continue
            old_r, new_r = (
                _deref(self.old_root, old_response),
                _deref(self.new_root, new_codes[code]),
            )
            self.content(old_r.get("content", {}), new_r.get("content", {}), where, Flow.OUTPUT)
            old_h, new_h = old_r.get("headers", {}), new_r.get("headers", {})
            for name, header in old_h.items():
                if name not in new_h:
                    self.add(
                        Kind.FIELD_REMOVED,
                        (*where, "headers", name),
                        Flow.OUTPUT,
                        f"header {name!r} removed",
                    )
                else:
                    old_s = _deref(self.old_root, header).get("schema", {})
                    new_s = _deref(self.new_root, new_h[name]).get("schema", {})
                    self.schema(old_s, new_s, (*where, "headers", name, "schema"), Flow.OUTPUT)
        for code in new_codes:
            if code not in old_codes:
                self.add(
                    Kind.STATUS_CODE_ADDED,
                    (*at, "responses", str(code)),
                    Flow.NONE,
                    f"response {code} documented",
                )

    def parameters(
        self, old: dict[tuple[str, str], Schema], new: dict[tuple[str, str], Schema], at: Path
    ) -> None:
        for key, param in old.items():
            where = (*at, "parameters", f"[?(@.in=='{key[0]}' && @.name=='{param['name']}')]")
            if key not in new:
                self.add(
                    Kind.FIELD_REMOVED,
                    where,
                    Flow.INPUT,
                    f"{key[0]} parameter {param['name']!r} removed",
                )
                continue
            if new[key].get("required") and not param.get("required"):
                self.add(
                    Kind.REQUIRED_ADDED,
                    where,
                    Flow.INPUT,
                    f"{key[0]} parameter {param['name']!r} is now required",
                )
            elif param.get("required") and not new[key].get("required"):
                self.add(
                    Kind.REQUIRED_DROPPED,
                    where,
                    Flow.INPUT,
                    f"{key[0]} parameter {param['name']!r} is now optional",
                )
            self.schema(
                param.get("schema", {}), new[key].get("schema", {}), (*where, "schema"), Flow.INPUT
            )
        for key, param in new.items():
            if key in old:
                continue
            where = (*at, "parameters", f"[?(@.in=='{key[0]}' && @.name=='{param['name']}')]")
            if param.get("required"):
                self.add(
                    Kind.REQUIRED_ADDED,
                    where,
                    Flow.INPUT,
                    f"new required {key[0]} parameter {param['name']!r}",
                )
            else:
                self.add(
                    Kind.FIELD_ADDED,
                    where,
                    Flow.INPUT,
                    f"new optional {key[0]} parameter {param['name']!r}",
                )

    def request_body(self, old: Schema | None, new: Schema | None, at: Path) -> None:
        if old is None and new is None:
            return
        if new is None:
            self.add(Kind.FIELD_REMOVED, at, Flow.INPUT, "the request body is no longer read")
            return
        new = _deref(self.new_root, new)
        if old is None:
            kind = Kind.REQUIRED_ADDED if new.get("required") else Kind.FIELD_ADDED
            self.add(
                kind,
                at,
                Flow.INPUT,
                "a request body is now " + ("required" if new.get("required") else "accepted"),
            )
            return
        old = _deref(self.old_root, old)
        if new.get("required") and not old.get("required"):
            self.add(Kind.REQUIRED_ADDED, at, Flow.INPUT, "the request body is now required")
        self.content(old.get("content", {}), new.get("content", {}), at, Flow.INPUT)

    def content(self, old: Schema, new: Schema, at: Path, flow: Flow) -> None:
        for media, old_media in old.items():
            where = (*at, "content", media)
            if media not in new:
                self.add(Kind.FIELD_REMOVED, where, flow, f"media type {media} removed")
            else:
                self.schema(
                    old_media.get("schema", {}),
                    new[media].get("schema", {}),
                    (*where, "schema"),
                    flow,
                )

    # --- JSON Schema --------------------------------------------------------------------------
    def schema(
        self,
        old: Schema,
        new: Schema,
        at: Path,
        flow: Flow,
        seen: frozenset[tuple[str, str]] = frozenset(),
    ) -> None:
        old_branches, new_branches = _branches(self.old_root, old), _branches(self.new_root, new)
        old_types, new_types = _types(old_branches), _types(new_branches)
        lost, gained = _uncovered(old_types, new_types), _uncovered(new_types, old_types)
        if lost:
            self.add(Kind.TYPE_NARROWED, at, flow, f"no longer {' or '.join(lost)}")
        if gained:
            self.add(Kind.TYPE_WIDENED, at, flow, f"now also {' or '.join(gained)}")
        for (old_ref, ob), (new_ref, nb) in _pairs(old_branches, new_branches):
            if (old_ref or new_ref) and (old_ref, new_ref) in seen:
                continue  # a recursive schema: this pair is already being compared further up
            inner = seen | {(old_ref, new_ref)} if old_ref or new_ref else seen
            self.values(ob, nb, at, flow)
            self.constraints(ob, nb, at, flow)
            self.properties(ob, nb, at, flow, inner)
            if isinstance(ob.get("items"), Mapping) and isinstance(nb.get("items"), Mapping):
                self.schema(ob["items"], nb["items"], (*at, "items"), flow, inner)
            old_extra, new_extra = ob.get("additionalProperties"), nb.get("additionalProperties")
            if isinstance(old_extra, Mapping) and isinstance(new_extra, Mapping):
                self.schema(old_extra, new_extra, (*at, "additionalProperties"), flow, inner)

    def values(self, old: Schema, new: Schema, at: Path, flow: Flow) -> None:
        old_values, new_values = _enum(old), _enum(new)
        if old_values is None and new_values is not None:
            self.add(Kind.TYPE_NARROWED, at, flow, f"now only {sorted(new_values)}")
        elif old_values is not None and new_values is None:
            self.add(Kind.TYPE_WIDENED, at, flow, f"no longer only {sorted(old_values)}")
        elif old_values is not None and new_values is not None:
            keyword = "const" if "const" in old else "enum"
            for key in sorted(old_values.keys() - new_values.keys()):
                self.add(Kind.ENUM_VALUE_REMOVED, (*at, keyword), flow, f"value {key} removed")
            for key in sorted(new_values.keys() - old_values.keys()):
                self.add(Kind.ENUM_VALUE_ADDED, (*at, keyword), flow, f"value {key} added")

    def constraints(self, old: Schema, new: Schema, at: Path, flow: Flow) -> None:
        for name, tighter in _BOUNDS.items():
            o, n = _number(old.get(name)), _number(new.get(name))
            if o == n:
                continue
            if n is not None and (o is None or tighter(n, o)):
                self.add(Kind.TYPE_NARROWED, (*at, name), flow, f"{name} {_was(o)}-> {n}")
            else:
                self.add(
                    Kind.TYPE_WIDENED, (*at, name), flow, f"{name} {_was(o)}-> {_was(n, 'none')}"
                )
        for name in ("pattern", "format", "multipleOf"):
            o, n = old.get(name), new.get(name)
            if o != n and n is not None:
                self.add(Kind.TYPE_NARROWED, (*at, name), flow, f"{name} {_was(o)}-> {n!r}")
            if o != n and o is not None:
                self.add(Kind.TYPE_WIDENED, (*at, name), flow, f"{name} {o!r} -> {_was(n, 'none')}")
        if new.get("uniqueItems") and not old.get("uniqueItems"):
            self.add(Kind.TYPE_NARROWED, (*at, "uniqueItems"), flow, "items must now be unique")
        if old.get("uniqueItems") and not new.get("uniqueItems"):
            self.add(Kind.TYPE_WIDENED, (*at, "uniqueItems"), flow, "items may now repeat")

    def properties(
        self, old: Schema, new: Schema, at: Path, flow: Flow, seen: frozenset[tuple[str, str]]
    ) -> None:
        old_props, new_props = old.get("properties", {}), new.get("properties", {})
        old_required, new_required = set(old.get("required", ())), set(new.get("required", ()))
        for name, old_prop in old_props.items():
            where = (*at, "properties", name)
            if name not in new_props:
                self.add(Kind.FIELD_REMOVED, where, flow, f"property {name!r} removed")
                continue
            if name in new_required - old_required:
                self.add(Kind.REQUIRED_ADDED, where, flow, f"property {name!r} is now required")
            if name in old_required - new_required:
                self.add(
                    Kind.REQUIRED_DROPPED, where, flow, f"property {name!r} is no longer required"
                )
            self.schema(old_prop, new_props[name], where, flow, seen)
        for name in new_props.keys() - old_props.keys():
            where = (*at, "properties", name)
            if flow is Flow.INPUT and name in new_required:
                self.add(Kind.REQUIRED_ADDED, where, flow, f"new required property {name!r}")
            else:
                self.add(Kind.FIELD_ADDED, where, flow, f"new property {name!r}")
        if (
            flow is Flow.INPUT
            and new.get("additionalProperties") is False
            and old.get("additionalProperties") is not False
        ):
            self.add(
                Kind.TYPE_NARROWED,
                (*at, "additionalProperties"),
                flow,
                "unlisted properties are now refused",
            )


def _raised(new: float, old: float) -> bool:
    return new > old


def _lowered(new: float, old: float) -> bool:
    return new < old


# Each bound, and whether a new value is tighter than the old one.
_BOUNDS: dict[str, Callable[[float, float], bool]] = {
    "minimum": _raised,
    "exclusiveMinimum": _raised,
    "minLength": _raised,
    "minItems": _raised,
    "maximum": _lowered,
    "exclusiveMaximum": _lowered,
    "maxLength": _lowered,
    "maxItems": _lowered,
}


def _was(value: object, absent: str = "") -> str:
    return absent if value is None else f"{value!r} "


def _number(value: object) -> float | None:
    # OpenAPI 3.0's boolean exclusiveMinimum is a flag on minimum, not a bound of its own
    return None if value is None or isinstance(value, bool) else float(value)  # type: ignore[arg-type]


def _deref(root: Schema, node: Schema) -> Schema:
    _ref, resolved = _resolve(root, node)
    return resolved


def _resolve(root: Schema, node: Schema) -> tuple[str, Schema]:
    """Follow ``$ref`` (siblings override the target, as in 3.1); the first ref's name or ''."""
    first = ""
    hops = 0
    while isinstance(node, Mapping) and "$ref" in node:
        ref = node["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#"):
            raise ValueError(f"$ref {ref!r} points outside the document; only '#/...' refs resolve")
        target: Any = root
        for part in ref[1:].lstrip("/").split("/") if ref != "#" else ():
            target = target[part.replace("~1", "/").replace("~0", "~")]
        first = first or ref
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        hops += 1
        if hops > 64:
            raise ValueError(f"$ref {first!r} does not resolve to a schema (a loop of refs)")
    if isinstance(node, Mapping) and "allOf" in node:
        node = _merge_all_of(root, node)
    return first, node


def _merge_all_of(root: Schema, node: Schema) -> Schema:
    merged: dict[str, Any] = {k: v for k, v in node.items() if k != "allOf"}
    properties: dict[str, Any] = dict(merged.get("properties", {}))
    required: list[str] = list(merged.get("required", []))
    for part in node["allOf"]:
        _, part = _resolve(root, part)
        properties.update(part.get("properties", {}))
        required += [r for r in part.get("required", []) if r not in required]
        merged.update({k: v for k, v in part.items() if k not in ("properties", "required")})
    if properties:
        merged["properties"] = properties
    if required:
        merged["required"] = required
    return merged


def _branches(root: Schema, node: Schema) -> list[tuple[str, Schema]]:
    ref, node = _resolve(root, node)
    union = node.get("anyOf") or node.get("oneOf")
    if not union:
        return [(ref, node)]
    return [branch for part in union for branch in _branches(root, part)]


def _type_of(schema: Schema) -> set[str] | None:
    declared = schema.get("type")
    if isinstance(declared, str):
        return {declared}
    if isinstance(declared, list):
        return set(declared)
    values = _enum(schema)
    if values is not None:
        return {_json_type(v) for v in values.values()}
    if "properties" in schema:
        return {"object"}
    if "items" in schema:
        return {"array"}
    return None  # any JSON value


def _types(branches: list[tuple[str, Schema]]) -> set[str] | None:
    found: set[str] = set()
    for _, schema in branches:
        kinds = _type_of(schema)
        if kinds is None:
            return None
        found |= kinds
    return found


def _uncovered(these: set[str] | None, by: set[str] | None) -> list[str]:
    """The types of ``these`` that ``by`` does not accept (an integer is a number)."""
    if by is None:
        return []
    if these is None:
        return ["any type"]
    return sorted(t for t in these if t not in by and not (t == "integer" and "number" in by))


def _pairs(
    old: list[tuple[str, Schema]], new: list[tuple[str, Schema]]
) -> list[tuple[tuple[str, Schema], tuple[str, Schema]]]:
    """Branches of two unions that stand for the same thing: by type (integer with number), and
    objects by their $ref when a union holds more than one object."""

    def keyed(branches: list[tuple[str, Schema]]) -> dict[tuple[str, str], tuple[str, Schema]]:
        objects = sum(1 for _, s in branches if (_type_of(s) or set()) == {"object"})
        out: dict[tuple[str, str], tuple[str, Schema]] = {}
        for ref, schema in branches:
            kinds = _type_of(schema) or {"any"}
            kind = "number" if kinds <= {"integer", "number"} else "/".join(sorted(kinds))
            out.setdefault((kind, ref if kind == "object" and objects > 1 else ""), (ref, schema))
        return out

    old_keyed, new_keyed = keyed(old), keyed(new)
    return [(old_keyed[key], new_keyed[key]) for key in old_keyed if key in new_keyed]


def _enum(schema: Schema) -> dict[str, Any] | None:
    if "const" in schema:
        return {json.dumps(schema["const"]): schema["const"]}
    if isinstance(schema.get("enum"), list):
        return {json.dumps(v): v for v in schema["enum"]}
    return None


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, list):
        return "array"
    return "object" if isinstance(value, dict) else "string"


def _parameters(root: Schema, item: Schema, method: str) -> dict[tuple[str, str], Schema]:
    """Path-level and operation-level parameters, the operation's winning; headers by any case."""
    found: dict[tuple[str, str], Schema] = {}
    for raw in [*item.get("parameters", []), *item[method].get("parameters", [])]:
        param = _deref(root, raw)
        name = param["name"].lower() if param["in"] == "header" else param["name"]
        found[(param["in"], name)] = param
    return found


def compare_openapi(old: Schema, new: Schema, document: str = "openapi") -> list[Change]:
    """Every change from ``old`` to ``new`` that the rules above judge, breaking or additive."""
    walk = _Walk(document, old, new)
    walk.openapi()
    return walk.changes


def compare_event_schemas(
    old: Mapping[str, Schema], new: Mapping[str, Schema], folder: str = "events"
) -> list[Change]:
    """Two sets of event JSON Schemas by file name (``OrderAccepted.v1.json``); events flow out."""
    changes: list[Change] = []
    for name, old_schema in sorted(old.items()):
        document = f"{folder}/{name}"
        if name not in new:
            walk = _Walk(document, old_schema, {})
            walk.add(Kind.SCHEMA_REMOVED, (), Flow.NONE, f"{name} is no longer published")
        else:
            walk = _Walk(document, old_schema, new[name])
            walk.schema(old_schema, new[name], (), Flow.OUTPUT)
        changes += walk.changes
    for name in sorted(new.keys() - old.keys()):
        walk = _Walk(f"{folder}/{name}", {}, new[name])
        walk.add(Kind.SCHEMA_ADDED, (), Flow.NONE, f"{name} is now published")
        changes += walk.changes
    return changes
