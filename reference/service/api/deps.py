"""Request dependencies as ``Annotated`` aliases: the principal, the runtime, the database.

Every route depends on ``current_principal``. Today it admits anonymous callers as an
``operator`` and reads an optional ``Authorization: Bearer`` token and ``X-Tenant`` header into
the Principal, so RBAC, tenant scoping and field masking can be added here without touching
routes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request

from reference.service.api.problems import ProblemError
from reference.service.persistence.database import Database
from reference.service.runtime import HubRuntime
from reference.service.settings import Settings

ROLES = ("operator", "channel", "auditor")


@dataclass(frozen=True)
class Principal:
    subject: str
    role: str = "operator"
    tenant: str | None = None

    @property
    def scope(self) -> str:
        """The namespace of this caller's idempotency keys."""
        return f"tenant:{self.tenant or '-'}"


def current_principal(
    authorization: Annotated[
        str | None,
        Header(description="`Bearer <token>`; optional for now: anonymous callers act as operator"),
    ] = None,
    x_tenant: Annotated[
        str | None,
        Header(max_length=64, description="The channel or trading partner the caller acts for"),
    ] = None,
) -> Principal:
    subject = "anonymous"
    if authorization is not None:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ProblemError(
                401,
                "Authorization must be 'Bearer <token>'",
                kind="unauthorized",
                errors=[("Authorization", "expected the Bearer scheme")],
                headers={"WWW-Authenticate": "Bearer"},
            )
        subject = f"token:{token.strip()[:16]}"
    return Principal(subject=subject, role="operator", tenant=x_tenant or None)


def get_runtime(request: Request) -> HubRuntime:
    return request.app.state.runtime  # type: ignore[no-any-return]


def get_db(request: Request) -> Database:
    return request.app.state.db  # type: ignore[no-any-return]


def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def correlation_id(request: Request) -> str:
    return str(request.scope.get("state", {}).get("correlation_id", "-"))


PrincipalDep = Annotated[Principal, Depends(current_principal)]
RuntimeDep = Annotated[HubRuntime, Depends(get_runtime)]
DbDep = Annotated[Database, Depends(get_db)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
CorrelationDep = Annotated[str, Depends(correlation_id)]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description="Required: names this one attempt to create; a retry "
        "with the same key and body replays the first answer",
    ),
]
