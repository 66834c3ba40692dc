"""Fixtures for black-box tests of the reference service over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from service_harness import postgres_database


@pytest.fixture
def sqlite_url(tmp_path) -> str:  # type: ignore[no-untyped-def]
    return f"sqlite:///{tmp_path / 'crossdock.db'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with postgres_database() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'crossdock.db'}"
    else:
        with postgres_database() as url:
            yield url
