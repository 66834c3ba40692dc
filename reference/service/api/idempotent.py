"""Idempotency-Key on creating POSTs, with the IETF draft's semantics.

    no key                           -> 400
    first use                        -> do the work, store status and body, answer
    same key, same request, finished -> replay the stored status and body, Idempotent-Replayed: true
    same key, same request, running  -> 409, Retry-After
    same key, another request        -> 422

Transient failures (the work could not finish: 503, or a 409 that says "not yet") are not stored;
the key is released so a retry does the work. Everything else, including business rejections, is
the answer for that key forever.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import Response

from reference.domain.idempotency import Verdict, fingerprint
from reference.service.api.deps import Principal, key_problem
from reference.service.api.problems import MEDIA_TYPE, ProblemError
from reference.service.persistence import idempotency as records
from reference.service.runtime import HubRuntime, in_thread

REPLAYED = "Idempotent-Replayed"


@dataclass
class Outcome:
    status: int
    body: dict[str, Any]
    store: bool = True


def _response(status: int, text: str, replayed: bool) -> Response:
    headers = {REPLAYED: "true"} if replayed else {}
    media = "application/json" if status < 400 else MEDIA_TYPE
    return Response(text, status_code=status, media_type=media, headers=headers)


async def run(
    runtime: HubRuntime,
    principal: Principal,
    key: str,
    operation: str,
    request: Mapping[str, Any],
    resource_id: str,
    work: Callable[[str], Awaitable[Outcome]],
) -> Response:
    scope = f"{principal.scope}|{operation}"
    owner = f"{runtime.settings.instance_id}:{uuid.uuid4().hex[:8]}"
    ticket = await in_thread(
        records.claim,
        runtime.db,
        scope,
        key,
        fingerprint(request),
        resource_id,
        owner,
        runtime.settings.idempotency_lease,
    )
    verdict = ticket.verdict
    problem = key_problem(verdict, operation)  # the route's dependency refused these already
    if problem is not None:
        raise problem
    if verdict is Verdict.MISMATCH:
        raise ProblemError(
            422,
            "This Idempotency-Key was first used with a different request "
            "body; use a new key for a new request",
            kind="idempotency-key-reused",
            errors=[("Idempotency-Key", "already used for another request")],
        )
    if verdict is Verdict.IN_FLIGHT:
        raise ProblemError(
            409,
            "A request with this Idempotency-Key is still being processed; retry shortly",
            kind="idempotency-key-in-flight",
            errors=[("Idempotency-Key", "in flight")],
            headers={"Retry-After": "1"},
        )
    if verdict is Verdict.REPLAY:
        return _response(int(ticket.status or 200), ticket.body or "", replayed=True)
    try:
        outcome = await work(ticket.resource_id)
    except BaseException:
        await in_thread(records.release, runtime.db, scope, key, owner)
        raise
    text = json.dumps(outcome.body, separators=(",", ":"), sort_keys=True)
    if not outcome.store:
        await in_thread(records.release, runtime.db, scope, key, owner)
        return _response(outcome.status, text, replayed=False)
    status, stored = await in_thread(
        records.complete, runtime.db, scope, key, owner, outcome.status, text
    )
    return _response(status, stored, replayed=stored != text)
