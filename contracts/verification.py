"""Provider verification: every committed pact replayed against the real provider it names.

Theory of operation. ``verify_http`` serves, on 127.0.0.1 and free ports, the real hub
(``create_app`` on a fresh SQLite file, demo data seeded, in-process systems, warehouses that
confirm shipments through the API) and the real simulated systems (``create_systems_app``, as
`crossdock systems serve` runs it). Each HTTP pact file is replayed by pact's verifier against
its provider, with provider states set up by contracts/http_states.py. The result is one
PairResult per pact file, whose failures each name the interaction and say what differed.

``hub_app_hook`` (and ``systems_app_hook``) receive the app before it is served: the seam a test
uses to break the real provider on purpose and watch verification fail.

``verify`` adds the message pacts (contracts/messages.py) and returns the whole Matrix.
"""

from __future__ import annotations

import contextlib
import json
import tempfile
from collections.abc import Callable, Collection
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from pact import Verifier

from contracts.demo import SEED
from contracts.http_states import CallGate, HubStates, StateServer, SystemsStates
from contracts.matrix import Matrix, PairResult
from contracts.participants import HUB, SYSTEMS
from contracts.serving import HOST, Served

PACT_DIR = Path(__file__).resolve().parent / "pacts"
HTTP = "Synchronous/HTTP"
AppHook = Callable[[FastAPI], None]


@dataclass(frozen=True)
class PactFile:
    path: Path
    consumer: str
    provider: str
    interactions: tuple[str, ...]  # descriptions

    @classmethod
    def read(cls, path: Path) -> PactFile:
        pact = json.loads(path.read_text())
        return cls(
            path,
            pact["consumer"]["name"],
            pact["provider"]["name"],
            tuple(i["description"] for i in pact.get("interactions", [])),
        )


def http_pacts(pact_dir: Path) -> list[PactFile]:
    """The pact files in ``pact_dir`` whose interactions are all HTTP, by file name."""
    found = []
    for path in sorted(pact_dir.glob("*.json")):
        kinds = {i.get("type") for i in json.loads(path.read_text()).get("interactions", [])}
        if kinds == {HTTP}:
            found.append(PactFile.read(path))
    return found


def _hub_app(database: Path) -> FastAPI:
    from crossdock.compose import demo_app
    from reference.service.settings import Settings

    settings = Settings(
        database_url=f"sqlite:///{database}",
        systems="inproc",
        seed=SEED,
        wms_confirm="api",
        instance_id="pact-verification",
    )
    return demo_app(settings)


def _systems_app() -> FastAPI:
    from simulators.http import create_systems_app

    return create_systems_app(seed=SEED)


def failures_of(results: dict[str, Any], pact: PactFile) -> tuple[str, ...]:
    """One line per failing interaction: its description, and what the verifier saw."""
    lines = []
    for error in results.get("errors", []):
        description = error.get("interaction", "?")
        mismatch = error.get("mismatch") or {}
        details = []
        for item in mismatch.get("mismatches", []) or []:
            where = item.get("path") or item.get("key") or ""
            text = item.get("mismatch") or item.get("description") or json.dumps(item)
            details.append(f"{item.get('type', '')} {where}: {text}".strip())
        if not details:
            details.append(str(mismatch.get("message") or mismatch.get("type") or mismatch))
        lines.append(f"{description!r}: " + "; ".join(details))
    if not lines and not results.get("result", False):
        lines.append(f"{pact.path.name}: verification failed without naming an interaction")
    return tuple(lines)


def verify_pact(pact: PactFile, provider_url: str, states: StateServer) -> PairResult:
    states.errors.clear()
    verifier = (
        Verifier(pact.provider, host=HOST)
        .add_transport(url=provider_url)
        .add_source(pact.path)
        .state_handler(states.url, teardown=True, body=True)
        .set_request_timeout(15_000)
    )
    with contextlib.suppress(RuntimeError):  # the results say which interactions failed, why
        verifier.verify()
    failures = failures_of(verifier.results, pact)
    if states.errors:  # the verifier only says "state change handlers failed": say why
        why = " (" + "; ".join(states.errors) + ")"
        failures = tuple(f + why if "state change" in f else f for f in failures)
    return PairResult(pact.consumer, pact.provider, "http", len(pact.interactions), failures)


def _served(stack: ExitStack, app: FastAPI, name: str, hook: AppHook | None) -> Served:
    if hook is not None:
        hook(app)
    return stack.enter_context(Served(app, name=name))


def verify_http(
    pact_dir: Path = PACT_DIR,
    *,
    hub_app_hook: AppHook | None = None,
    systems_app_hook: AppHook | None = None,
    providers: Collection[str] | None = None,
) -> list[PairResult]:
    """Replay every HTTP pact in ``pact_dir`` (of ``providers`` only, if given) against the
    real providers; one PairResult per pact file."""
    pacts = [p for p in http_pacts(pact_dir) if providers is None or p.provider in providers]
    if not pacts:
        return []
    known = {HUB, *SYSTEMS}
    unknown = sorted({p.provider for p in pacts} - known)
    if unknown:
        raise ValueError(f"pacts name providers {unknown}; this verifier serves {sorted(known)}")
    with tempfile.TemporaryDirectory(prefix="crossdock-pacts-") as tmp, ExitStack() as stack:
        hub_app = _hub_app(Path(tmp) / "hub.db")
        hub = _served(stack, hub_app, "hub", hub_app_hook)
        systems = _served(stack, _systems_app(), "systems", systems_app_hook)
        runtime = hub_app.state.runtime
        # The hub's systems port, as a state handler may hold one ERP validation (see gate).
        gate = CallGate(runtime.systems)
        runtime.systems = gate
        hub_states = HubStates(hub.url, runtime, gate)
        systems_states = SystemsStates(systems.url)
        stack.callback(systems_states.close)
        stack.callback(hub_states.close)
        setups, teardowns = hub_states.handlers()
        more_setups, more_teardowns = systems_states.handlers()
        callback = stack.enter_context(
            StateServer({**setups, **more_setups}, {**teardowns, **more_teardowns})
        )
        urls = {HUB: hub.url, **{name: systems.url for name in SYSTEMS}}
        return [verify_pact(p, urls[p.provider], callback) for p in pacts]


def _message_rows(pact_dir: Path) -> list[PairResult]:
    # The single call site of the message pacts' verification (contracts/messages.py).
    from contracts.messages import verify_messages

    return verify_messages(pact_dir)


def verify(pact_dir: Path = PACT_DIR, **hooks: Any) -> Matrix:
    """Every pact in ``pact_dir``, HTTP and message, as one Matrix."""
    return Matrix(tuple(verify_http(pact_dir, **hooks) + _message_rows(pact_dir)))
