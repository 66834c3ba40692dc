"""Where a study came from, recorded in study.json and the report, so it can be run again exactly.

The record holds the crossdock version, the command line, the seed, the replications, the demand
scale, the sweep (if any), and the **resolved scenario**: the validated spec with every default
filled in (``model_dump``), its variants as they ran (only those chosen with ``--variant``; for a
sweep, the grid). ``scenario_sha256`` is the SHA-256 of that document as canonical JSON (no
spaces, UTF-8), so two studies ran the same scenario exactly when their hashes agree.

Keys keep their order, in the hash and in study.json: fields in the order the models declare
them, and mappings the scenario writes (``channel_mix``, ``systems``) in the order written. That
order is part of the scenario: the run draws channels in ``channel_mix`` order, so the same
shares written in another order are another (equally valid) stream of orders.

``read_study(path)`` turns a study.json back into what ``crossdock simulate`` needs to run it
again. It refuses a record whose scenario no longer matches its hash, or which this version of
crossdock resolves to a different spec (a default changed): that rerun would not be exact.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scenarios.problems import Problem, SpecError
from scenarios.spec import ScenarioSpec, parse_spec


def canonical(document: Any) -> str:
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def resolved(spec: ScenarioSpec) -> dict[str, Any]:
    """The spec as data, every default filled in."""
    return spec.model_dump(mode="json")


def sha256(spec: ScenarioSpec) -> str:
    return hashlib.sha256(canonical(resolved(spec)).encode("utf-8")).hexdigest()


def describe(
    spec: ScenarioSpec,
    *,
    version: str,
    command: str,
    seed: int,
    replications: int,
    scale: float = 1.0,
    sweep: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The provenance record of a study of ``spec`` (the spec exactly as it ran)."""
    return {
        "crossdock_version": version,
        "command": command,
        "seed": seed,
        "replications": replications,
        "scale": scale,
        "variants": spec.variant_names(),
        "sweep": sweep,
        "scenario": resolved(spec),
        "scenario_sha256": sha256(spec),
    }


@dataclass(frozen=True, slots=True)
class Recorded:
    """A study as study.json recorded it: enough to run it again."""

    spec: ScenarioSpec
    seed: int
    replications: int
    scale: float
    sweep: dict[str, Any] | None
    version: str


def is_study(document: Any) -> bool:
    """A study.json (any crossdock's), not a scenario written as JSON."""
    return isinstance(document, dict) and "runs" in document and "kpi_catalog" in document


def read_study(document: dict[str, Any], source: str) -> Recorded:
    """The recorded study in a study.json document (see the module docstring)."""
    record = document.get("provenance") or {}
    missing = [
        k for k in ("scenario", "scenario_sha256", "seed", "replications") if k not in record
    ]
    if missing:
        raise SpecError(
            [
                Problem(
                    ("provenance",),
                    "provenance",
                    f"no {', '.join(missing)} recorded; "
                    "only a study.json written by crossdock simulate or sweep can be rerun",
                )
            ],
            source,
        )
    scenario = record["scenario"]
    digest = hashlib.sha256(canonical(scenario).encode("utf-8")).hexdigest()
    if digest != record["scenario_sha256"]:
        raise SpecError(
            [
                Problem(
                    ("provenance", "scenario"),
                    "provenance.scenario",
                    "does not match its scenario_sha256: it was edited after the study ran",
                    digest,
                    f"recorded {record['scenario_sha256']}",
                )
            ],
            source,
        )
    spec = parse_spec(scenario, source)
    if sha256(spec) != digest:
        raise SpecError(
            [
                Problem(
                    ("provenance", "scenario"),
                    "provenance.scenario",
                    "resolves to another spec in this crossdock than in the one that wrote it "
                    f"({record.get('crossdock_version', 'unknown')}), so a rerun would not be "
                    "exact",
                    sha256(spec),
                    f"recorded {digest}",
                )
            ],
            source,
        )
    return Recorded(
        spec,
        int(record["seed"]),
        int(record["replications"]),
        float(record.get("scale", 1.0)),
        record.get("sweep"),
        str(record.get("crossdock_version", "")),
    )


def load(scenario: str | Path) -> tuple[ScenarioSpec, Recorded | None]:
    """A scenario (file or library name), or a study.json and what it recorded."""
    from scenarios.spec import read_document, resolve

    path = resolve(scenario)
    document, lines = read_document(path)
    if is_study(document):
        recorded = read_study(document, str(path))
        return recorded.spec, recorded
    return parse_spec(document, str(path), lines), None
