"""The published contract documents, built live from the real apps and the event registry, and
the snapshot of them committed under contracts/schemas/.

Layout of the snapshot: ``hub-openapi.json`` (the hub, ``reference.service``),
``systems-openapi.json`` (the simulated systems, ``simulators.http``) and
``events/<EventType>.v<N>.json`` (the CloudEvents envelope of each event type and version).
Building the apps does no I/O: no server starts and no database opens.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contracts.compat import Change, compare_event_schemas, compare_openapi

SNAPSHOT = Path(__file__).parent / "schemas"
HUB, SYSTEMS = "hub-openapi.json", "systems-openapi.json"
Document = dict[str, Any]


@dataclass
class Documents:
    openapi: dict[str, Document] = field(default_factory=dict)  # by file name
    events: dict[str, Document] = field(default_factory=dict)  # by file name under events/

    def files(self) -> dict[str, Document]:
        return {**self.openapi, **{f"events/{name}": doc for name, doc in self.events.items()}}


def live() -> Documents:
    """The documents as the code states them now."""
    from crossdock.compose import demo_app
    from reference.domain.event_schemas import EVENT_SCHEMAS
    from reference.service.settings import Settings
    from simulators.http import create_systems_app

    return Documents(
        openapi={
            HUB: demo_app(Settings(run_worker=False)).openapi(),
            SYSTEMS: create_systems_app().openapi(),
        },
        events={
            f"{kind.value}.v{version}.json": EVENT_SCHEMAS.envelope_schema(kind, version)
            for kind, version in EVENT_SCHEMAS
        },
    )


def read(folder: Path = SNAPSHOT) -> Documents:
    """The committed snapshot; a missing file is a document not yet published."""
    openapi = {name: _load(folder / name) for name in (HUB, SYSTEMS) if (folder / name).exists()}
    events = {path.name: _load(path) for path in sorted((folder / "events").glob("*.v*.json"))}
    return Documents(openapi, events)


def write(documents: Documents, folder: Path = SNAPSHOT) -> None:
    """Replace the snapshot with ``documents``; event schemas no longer published are removed."""
    (folder / "events").mkdir(parents=True, exist_ok=True)
    for path in (folder / "events").glob("*.v*.json"):
        if path.name not in documents.events:
            path.unlink()
    for name, document in documents.files().items():
        (folder / name).write_text(render(document), encoding="utf-8")


def render(document: Document) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def compare(old: Documents, new: Documents) -> list[Change]:
    """Every judged change from the snapshot to the live documents, file by file."""
    changes: list[Change] = []
    for name in sorted(old.openapi.keys() | new.openapi.keys()):
        changes += compare_openapi(old.openapi.get(name, {}), new.openapi.get(name, {}), name)
    return changes + compare_event_schemas(old.events, new.events)


def unjudged(old: Documents, new: Documents, changes: list[Change]) -> list[str]:
    """Files that differ although no judged change was found in them: descriptions, titles,
    examples and the like. Harmless to clients, but the snapshot is behind."""
    judged = {change.document for change in changes}
    old_files, new_files = old.files(), new.files()
    return sorted(
        name
        for name in old_files.keys() | new_files.keys()
        if name not in judged and old_files.get(name) != new_files.get(name)
    )


def _load(path: Path) -> Document:
    document: Document = json.loads(path.read_text(encoding="utf-8"))
    return document
