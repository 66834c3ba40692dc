"""End-to-end service tests share the black-box harness of tests/service_harness.py."""

from __future__ import annotations

from service_harness import database_url, postgres_url, sqlite_url

__all__ = ["database_url", "postgres_url", "sqlite_url"]
