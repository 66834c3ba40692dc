"""Liveness and readiness."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from reference.api_v1 import Health
from reference.service.api.deps import DbDep
from reference.service.api.problems import ProblemError, responses
from reference.service.persistence.database import ping
from reference.service.runtime import in_thread

router = APIRouter(tags=["health"])


@router.get("/healthz", operation_id="healthz", response_model=Health)
async def healthz() -> Any:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz", operation_id="readyz", response_model=Health, responses=responses(503))
async def readyz(db: DbDep) -> Any:
    """The database answers and its schema is at the head migration."""
    try:
        await db.run(ping, db)
        at_head = await in_thread(db.at_head)  # reads the migration scripts: off the loop
    except Exception as error:
        raise ProblemError(
            503,
            f"database not reachable: {type(error).__name__}",
            kind="not-ready",
            errors=[("database", "unreachable")],
        ) from None
    if not at_head:
        raise ProblemError(
            503,
            "database schema is not at the head migration; run `crossdock db upgrade`",
            kind="not-ready",
            errors=[("database", "migrations pending")],
        )
    return {"status": "ready", "detail": {"database": db.dialect}}
