"""Settings of one service process. Built by the CLI (or a test) and handed to ``create_app``."""

from __future__ import annotations

import os
import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

DEFAULT_DATABASE_URL = "sqlite:///crossdock.db"


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    database_url: str = DEFAULT_DATABASE_URL
    systems: str = Field(
        default="inproc",
        description="'inproc' or the base URL of "
        "`crossdock systems serve`, e.g. http://127.0.0.1:8100",
    )
    seed: int = Field(default=7, ge=0)
    seed_demo_data: bool = True
    wms_confirm: Literal["auto", "api"] = Field(
        default="auto",
        description="auto: the simulated WMS answers a release with its shipment; "
        "api: it only acknowledges, and shipments arrive on POST /v1/shipments",
    )
    systems_timeout: float = Field(
        default=5.0, gt=0, description="seconds a call to `crossdock systems serve` may take"
    )
    short_pick_rate: float = Field(default=0.05, ge=0, le=1)
    system_latency: Literal["demo", "zero"] = Field(
        default="demo",
        description="demo: the in-process systems answer after short seeded latencies; "
        "zero: at once, so a benchmark measures the hub alone",
    )
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    idempotency_lease: float = Field(
        default=5.0, gt=0, description="seconds an in-flight key is held by its request"
    )
    idempotency_retention: float = Field(
        default=86_400.0,
        gt=0,
        description="seconds a completed Idempotency-Key is replayed; after that it expires",
    )
    effect_lease: float = Field(
        default=5.0, gt=0, description="seconds a claimed effect is held by its performer"
    )
    order_deadline: float = Field(
        default=10.0, gt=0, description="seconds POST /v1/orders waits for ERP validation"
    )
    worker_poll: float = Field(default=0.2, gt=0)
    worker_concurrency: int = Field(default=32, ge=1)
    run_worker: bool = True
    instance_id: str = Field(default_factory=lambda: f"{os.getpid()}-{uuid.uuid4().hex[:8]}")
