"""Schemathesis 4 against a live hub: every check, every phase, stateful through the OpenAPI links.

``fuzz(url)`` runs the Schemathesis CLI in a subprocess and reads back its NDJSON event report
(the documented machine-readable record of a run; Schemathesis 4 has no public Python API that
runs all phases and reports link coverage). From it:

- operations covered: documented operations that answered at least one request;
- links covered: documented OpenAPI links the stateful phase followed, with the value taken
  from the response (Schemathesis's "is_transition_applied"), counted only for the links this
  OpenAPI declares, not the ones Schemathesis infers on its own;
- failures: operation, check, a short repro (a curl line).

What Schemathesis is told besides the schema (``expectations()``), and why it is the truth rather
than a weaker check: on the four creating POSTs a schema-valid request can be refused with 422
by design, because the hub answers an Idempotency-Key reused with another body with 422
(the Idempotency-Key draft's SHOULD) and refuses orders and shipments its business rules reject
(unknown customer, contract price, duplicate order number, node never released to) with 422
naming the field. No check is disabled; everything else keeps Schemathesis's defaults.
``contracts/fuzz_hooks.py`` turns the demo example order into a new order on every use, so the
stateful phase can create orders and follow the links from them.
"""

from __future__ import annotations

import base64
import json
import re
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

PHASES = ("examples", "coverage", "fuzzing", "stateful")
CREATING = (
    "createOrder",
    "confirmShipment",
    "postInventoryMovement",
    "postInventorySnapshot",
    "applyPayment",
    "issueCreditMemo",
)
# A stateful scenario reaches a link only when it drew the demo order (1 in 5 valid bodies) and
# then chose that link. Measured on this hub: 100 scenarios followed every link in 8 runs of 8,
# 200 in 6 of 6; 150 leaves a margin at about 20 s for the phase.
STATEFUL_MIN = 150
STATEFUL_FACTOR = 4


def expectations(max_examples: int) -> str:
    """The Schemathesis config of a run: what it is told besides the schema (see above)."""
    creating = "|".join(CREATING)
    return f"""\
hooks = "contracts.fuzz_hooks"

[[operations]]
include-operation-id-regex = "^({creating})$"
checks.positive_data_acceptance.expected-statuses = [
    "2xx", "3xx", "401", "403", "404", "409", "422", "429", "5xx",
]

# The hub declares its links. Schemathesis's own guesses from field names (customer_id, node_id)
# add links the OpenAPI already has and, finding no operation that makes customers or nodes,
# leave createOrder and postInventoryMovement out of the stateful phase's starting points.
[phases.stateful.inference]
algorithms = ["location-headers"]

[phases.stateful.generation]
max-examples = {max(STATEFUL_MIN, STATEFUL_FACTOR * max_examples)}
"""


REPRO_BODY_LIMIT = 400


@dataclass(frozen=True)
class Failure:
    operation: str  # "POST /v1/orders"
    check: str  # "positive_data_acceptance"
    title: str  # "ST202 Schema-valid request rejected"
    status: int | None
    repro: str  # a curl line

    def __str__(self) -> str:
        answer = f"answered {self.status}"
        return f"{self.operation}: {self.check} ({self.title}), {answer}\n    {self.repro}"


@dataclass(frozen=True)
class Link:
    source: str  # "POST /v1/orders"
    status: str  # "201"
    name: str  # "GetOrder"
    target: str  # "GET /v1/orders/{order_id}"

    def __str__(self) -> str:
        return f"{self.source} -> {self.status} -> {self.name} -> {self.target}"


@dataclass
class FuzzResult:
    url: str
    command: list[str]
    exit_code: int
    operations: list[str]  # every documented operation, "METHOD /path"
    operations_covered: list[str]
    links: list[Link]  # every documented link
    links_covered: list[Link]
    cases: int
    failures: list[Failure] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # the run itself went wrong

    @property
    def ok(self) -> bool:
        return not self.failures and not self.errors and self.exit_code == 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "ok": self.ok,
            "command": shlex.join(self.command),
            "cases": self.cases,
            "operations": {"total": len(self.operations), "covered": self.operations_covered},
            "links": {
                "total": len(self.links),
                "covered": [str(link) for link in self.links_covered],
                "not_covered": [str(k) for k in self.links if k not in self.links_covered],
            },
            "failures": [vars(f) for f in self.failures],
            "errors": self.errors,
        }


def documented(document: dict[str, Any]) -> tuple[list[str], list[Link]]:
    """The operations and the links an OpenAPI document declares."""
    labels = {}
    for path, methods in document.get("paths", {}).items():
        for method, operation in methods.items():
            labels[operation.get("operationId")] = f"{method.upper()} {path}"
    links = []
    for path, methods in document.get("paths", {}).items():
        for method, operation in methods.items():
            for status, response in operation.get("responses", {}).items():
                for name, link in response.get("links", {}).items():
                    target = labels.get(link.get("operationId"), str(link.get("operationId")))
                    links.append(Link(f"{method.upper()} {path}", str(status), name, target))
    return list(labels.values()), links


def command(url: str, report: Path, config: Path, max_examples: int, seed: int | None) -> list[str]:
    argv = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(config),
        "run",
        url.rstrip("/") + "/openapi.json",
        "--checks",
        "all",
        "--phases",
        ",".join(PHASES),
        "--max-examples",
        str(max_examples),
        "--workers",
        "1",
        "--report",
        "ndjson",
        "--report-ndjson-path",
        str(report),
        "--no-color",
        # The repro lines show the Idempotency-Key that was sent; no secret travels here.
        "--output-sanitize",
        "false",
    ]
    if seed is not None:
        argv += ["--seed", str(seed)]
    return argv


def fuzz(
    url: str, *, max_examples: int = 25, seed: int | None = None, timeout: float = 900.0
) -> FuzzResult:
    """Every check and phase against the hub at ``url``, ``max_examples`` cases an operation."""
    document = httpx.get(url.rstrip("/") + "/openapi.json", timeout=30).raise_for_status().json()
    operations, links = documented(document)
    with tempfile.TemporaryDirectory(prefix="crossdock-fuzz-") as folder:
        config = Path(folder) / "schemathesis.toml"
        config.write_text(expectations(max_examples))
        report = Path(folder) / "events.ndjson"
        argv = command(url, report, config, max_examples, seed)
        # In the temporary folder, so nothing (a schemathesis.toml, a .schemathesis cache) is
        # read from or left in the caller's working directory.
        done = subprocess.run(
            argv, cwd=folder, capture_output=True, text=True, timeout=timeout, check=False
        )
        events = list(_events(report)) if report.exists() else []
    result = read_events(events, url=url, operations=operations, links=links)
    result.command, result.exit_code = argv, done.returncode
    if not events:
        result.errors.append(f"schemathesis wrote no report:\n{done.stdout[-2000:]}{done.stderr}")
    elif done.returncode != 0 and not result.failures and not result.errors:
        result.errors.append(f"schemathesis exited with {done.returncode}:\n{done.stdout[-2000:]}")
    return result


def _events(report: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    with report.open() as lines:
        for line in lines:
            if line.strip():
                ((kind, payload),) = json.loads(line).items()
                yield kind, payload


def read_events(
    events: Iterable[tuple[str, dict[str, Any]]],
    *,
    url: str,
    operations: list[str],
    links: list[Link],
) -> FuzzResult:
    """What one run did, from its NDJSON events."""
    answered: set[str] = set()
    followed: set[tuple[str, str, str]] = set()
    cases = 0
    failures: dict[tuple[str, str], Failure] = {}
    errors: list[str] = []
    for kind, payload in events:
        if kind == "NonFatalError" or kind == "FatalError":
            errors.append(str(payload.get("info", payload))[:500])
        if kind != "ScenarioFinished":
            continue
        recorder = payload.get("recorder", {})
        interactions = recorder.get("interactions", {})
        for case_id, node in recorder.get("cases", {}).items():
            value = node["value"]
            label = f"{value['method'].upper()} {value['path']}"
            interaction = interactions.get(case_id) or {}
            if interaction.get("response"):
                answered.add(label)
                cases += 1
            transition = node.get("transition")
            if transition and node.get("is_transition_applied"):
                followed.add(_transition_key(transition))
        for case_id, checks in recorder.get("checks", {}).items():
            for check in checks:
                if check.get("status") != "failure":
                    continue
                info = (check.get("failure_info") or {}).get("failure", {})
                operation = info.get("operation") or "?"
                key = (operation, check["name"])
                if key not in failures:
                    interaction = interactions.get(case_id) or {}
                    failures[key] = Failure(
                        operation=operation,
                        check=check["name"],
                        title=f"{info.get('code', '')} {info.get('title', '')}".strip(),
                        status=(interaction.get("response") or {}).get("status_code"),
                        repro=curl(interaction.get("request") or {}),
                    )
    covered_links = [k for k in links if (k.source, k.status, k.name) in followed]
    return FuzzResult(
        url=url,
        command=[],
        exit_code=0,
        operations=operations,
        operations_covered=[op for op in operations if op in answered],
        links=links,
        links_covered=covered_links,
        cases=cases,
        failures=list(failures.values()),
        errors=errors,
    )


TRANSITION = re.compile(
    r"^(?P<source>.+?) -> \[(?P<status>[^\]]+)\] (?P<name>\S+) -> (?P<target>.+)$"
)


def _transition_key(transition: dict[str, Any]) -> tuple[str, str, str]:
    """(source operation, status, link name) of a followed transition, from its report id
    ("POST /v1/orders -> [201] GetOrder -> GET /v1/orders/{order_id}")."""
    match = TRANSITION.match(str(transition.get("id", "")))
    if match is None:
        return "", "", ""
    return match["source"], match["status"], match["name"]


def curl(request: dict[str, Any]) -> str:
    """A short curl line for a recorded request; long bodies are cut."""
    argv = ["curl", "-X", str(request.get("method", "GET"))]
    for name, values in (request.get("headers") or {}).items():
        if name.lower() in ("user-agent", "accept", "accept-encoding", "connection"):
            continue
        if name.lower().startswith("x-schemathesis"):
            continue
        for value in values if isinstance(values, list) else [values]:
            argv += ["-H", f"{name}: {value}"]
    body = request.get("body")
    if isinstance(body, dict) and "$base64" in body:
        text = base64.b64decode(body["$base64"]).decode("utf-8", "replace")
        if len(text) > REPRO_BODY_LIMIT:
            text = text[:REPRO_BODY_LIMIT] + "...(cut)"
        argv += ["-d", text]
    argv.append(str(request.get("uri", "")))
    return shlex.join(argv)
