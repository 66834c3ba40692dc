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

import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from fastapi import Response
from sqlalchemy import Connection

from reference.domain.idempotency import Verdict, fingerprint
from reference.hub import Message
from reference.service.api.deps import Principal, key_problem
from reference.service.api.problems import MEDIA_TYPE, ProblemError
from reference.service.persistence import idempotency as records
from reference.service.persistence.hubstore import Applied
from reference.service.runtime import HubRuntime

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


@dataclass(frozen=True)
class Decide:
    """Work that is one message to the hub: ``message(resource_id)``, answered by
    ``answer(resource_id, saga)`` once the decision settles it (None while it does not); when
    the commit leaves it unsettled, ``settle(resource_id, saga)`` waits for the answer."""

    message: Callable[[str], Message]
    answer: Callable[[str, dict[str, Any] | None], Outcome | None]
    settle: Callable[[str, dict[str, Any] | None], Awaitable[Outcome]]


class _KeyedDecision:
    """The key taken, the message decided and, if that settles it, the answer stored: one
    transaction (reference.service.persistence.hubstore.Alongside)."""

    def __init__(self, request: records.KeyedRequest, decide: Decide) -> None:
        self.request = request
        self.decide = decide
        self.ticket = records.Ticket(Verdict.IN_FLIGHT, request.resource_id)
        self.saga: dict[str, Any] | None = None
        self.stored: tuple[int, str, str] | None = None  # status, stored body, our body

    def before(self, conn: Connection) -> Message | None:
        self.ticket, self.stored = records.take(conn, self.request), None
        if self.ticket.verdict is not Verdict.PROCEED:
            return None
        return self.decide.message(self.ticket.resource_id)

    def after(self, conn: Connection, applied: Applied) -> None:
        resource_id = self.ticket.resource_id
        self.saga = applied.sagas.get(resource_id)
        outcome = self.decide.answer(resource_id, self.saga)
        if outcome is None or not outcome.store:
            return
        text = _dumps(outcome.body)
        r = self.request
        status, stored = records.store(conn, r.scope, r.key, r.owner, outcome.status, text)
        self.stored = status, stored, text


def _dumps(body: dict[str, Any]) -> str:
    return orjson.dumps(body, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS).decode()


async def run(
    runtime: HubRuntime,
    principal: Principal,
    key: str,
    operation: str,
    request: Mapping[str, Any],
    resource_id: str,
    work: Callable[[str], Awaitable[Outcome]] | Decide,
) -> Response:
    """Answer a keyed request: ``work(resource_id)`` does it, once per key.

    When ``work`` is a ``Decide``, the key is taken, the message decided and, when the decision
    settles the request (systems that answer at once), the answer stored, all in one
    transaction; otherwise ``settle`` waits, from the saga that commit left.
    """
    keyed = records.KeyedRequest(
        f"{principal.scope}|{operation}",
        key,
        fingerprint(request),
        resource_id,
        f"{runtime.settings.instance_id}:{uuid.uuid4().hex[:8]}",
        runtime.settings.idempotency_lease,
    )
    saga: dict[str, Any] | None = None  # as the decision's commit left it
    if isinstance(work, Decide):
        decision = _KeyedDecision(keyed, work)
        await runtime.apply_alongside(decision)
        ticket = decision.ticket
        if decision.stored is not None:
            status, stored, text = decision.stored
            return _response(status, stored, replayed=stored != text)
        saga = decision.saga
    else:
        ticket = await runtime.db.run(records.claim, runtime.db, keyed)
    _refuse(ticket.verdict, operation)
    if ticket.verdict is Verdict.REPLAY:
        return _response(int(ticket.status or 200), ticket.body or "", replayed=True)
    scope, owner = keyed.scope, keyed.owner
    try:
        if isinstance(work, Decide):
            outcome = await work.settle(ticket.resource_id, saga)
        else:
            outcome = await work(ticket.resource_id)
    except BaseException:
        await runtime.db.run(records.release, runtime.db, scope, key, owner)
        raise
    text = _dumps(outcome.body)
    if not outcome.store:
        await runtime.db.run(records.release, runtime.db, scope, key, owner)
        return _response(outcome.status, text, replayed=False)
    status, stored = await runtime.db.run(
        records.complete, runtime.db, scope, key, owner, outcome.status, text
    )
    return _response(status, stored, replayed=stored != text)


def _refuse(verdict: Verdict, operation: str) -> None:
    """Raise the problem for a verdict that does not let this request do the work."""
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
