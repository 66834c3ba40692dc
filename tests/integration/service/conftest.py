"""Fixtures for black-box tests of the reference service over real HTTP."""

from service_harness import database_url, postgres_url, sqlite_url

__all__ = ["database_url", "postgres_url", "sqlite_url"]
