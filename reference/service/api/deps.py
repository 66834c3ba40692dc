"""Request dependencies as ``Annotated`` aliases: the principal, the runtime, the database, the key.

Every /v1 router depends on ``current_principal`` (app.py includes them so; the health probes stay
outside). Nothing authenticates yet: every caller is an anonymous ``operator`` with no tenant, and
so the OpenAPI advertises no Authorization or X-Tenant header and no 401. RBAC, tenant scoping
and field masking go here, and declare their headers and answers when they enforce them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request

from reference.domain.idempotency import KEY_PATTERN, MAX_KEY_LENGTH, Verdict, judge
from reference.service.api.problems import ProblemError
from reference.service.persistence.database import Database
from reference.service.runtime import HubRuntime
from reference.service.settings import Settings

ROLES = ("operator", "channel", "auditor")
IDEMPOTENCY_HEADER = "Idempotency-Key"


@dataclass(frozen=True)
class Principal:
    subject: str
    role: str = "operator"
    tenant: str | None = None

    @property
    def scope(self) -> str:
        """The namespace of this caller's idempotency keys."""
        return f"tenant:{self.tenant or '-'}"


async def current_principal() -> Principal:
    """The caller: for now always the anonymous operator (the seam RBAC will fill).

    The dependencies here are ``async`` though they never wait: FastAPI runs a plain ``def``
    dependency on a worker thread, a thread hop per dependency per request."""
    return Principal(subject="anonymous", role="operator", tenant=None)


async def get_runtime(request: Request) -> HubRuntime:
    return request.app.state.runtime  # type: ignore[no-any-return]


async def get_db(request: Request) -> Database:
    return request.app.state.db  # type: ignore[no-any-return]


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


async def correlation_id(request: Request) -> str:
    return str(request.scope.get("state", {}).get("correlation_id", "-"))


def key_problem(verdict: Verdict, operation: str) -> ProblemError | None:
    """The 400 for a missing or unusable Idempotency-Key; None for a usable one."""
    if verdict is Verdict.MISSING_KEY:
        return ProblemError(
            400,
            f"{operation} needs an Idempotency-Key header: a unique value "
            "per attempt to create, reused on every retry of that attempt",
            kind="idempotency-key-missing",
            errors=[(IDEMPOTENCY_HEADER, "required")],
        )
    if verdict is Verdict.INVALID_KEY:
        return ProblemError(
            400,
            f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} printable ASCII characters "
            "with no space at either end",
            kind="idempotency-key-invalid",
            errors=[(IDEMPOTENCY_HEADER, "not a usable key")],
        )
    return None


async def idempotency_key(request: Request) -> str:
    """The Idempotency-Key of a creating POST; missing or unusable is a 400 naming the header.

    Read here rather than as a FastAPI ``Header`` so a missing key is the 400 the Idempotency-Key
    draft asks for, not a 422, and is refused before the body is validated. The OpenAPI states
    the same rule through ``IDEMPOTENCY_KEY_DOC`` (a route's ``openapi_extra``), built from the
    domain's one pattern.
    """
    key = request.headers.get(IDEMPOTENCY_HEADER)
    route: Any = request.scope.get("route")
    problem = key_problem(
        judge(key, "", None), getattr(route, "operation_id", None) or request.url.path
    )
    if problem is not None:
        raise problem
    assert key is not None
    return key


IDEMPOTENCY_KEY_DOC: dict[str, Any] = {
    "parameters": [
        {
            "name": IDEMPOTENCY_HEADER,
            "in": "header",
            "required": True,
            "description": "Names this one attempt to create; a retry with the same key and "
            "body replays the first answer, the same key with another body is a 422. "
            "Missing or unusable: 400.",
            "schema": {
                "type": "string",
                "minLength": 1,
                "maxLength": MAX_KEY_LENGTH,
                "pattern": KEY_PATTERN,
                "examples": ["4b0c7a0e-8d9f-4d55-9a0b-6c1c2f3e4d5a"],
            },
        }
    ]
}


PrincipalDep = Annotated[Principal, Depends(current_principal)]
RuntimeDep = Annotated[HubRuntime, Depends(get_runtime)]
DbDep = Annotated[Database, Depends(get_db)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
CorrelationDep = Annotated[str, Depends(correlation_id)]
IdempotencyKey = Annotated[str, Depends(idempotency_key)]
