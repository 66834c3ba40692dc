"""Recording consumer pacts, and the gate that keeps contracts/pacts up to date.

Each test builds its own Pact (V4), serves it, drives crossdock's real client against the mock
server, and records the interaction into a scratch copy of its pair's pact file. Nothing is
written to contracts/pacts while checking, so provider verification (which reads the committed
pacts) never races a consumer test under xdist. Instead:

- each interaction must equal the committed one of the same description, and
- once the whole module has run, the scratch file must equal the committed file byte for byte.

To refresh the committed pacts after changing a consumer test, run the consumer tests with
``CROSSDOCK_UPDATE_PACTS=1`` (whole modules: a file is only rewritten from a complete run):

    CROSSDOCK_UPDATE_PACTS=1 .venv/bin/python -m pytest tests/contracts/consumers
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from pact import Pact

from contracts.verification import PACT_DIR

UPDATE = os.environ.get("CROSSDOCK_UPDATE_PACTS") == "1"
REFRESH = "refresh with CROSSDOCK_UPDATE_PACTS=1 pytest tests/contracts/consumers"


def _interactions(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    return {i["description"]: i for i in json.loads(path.read_text())["interactions"]}


class PactRecorder:
    """One consumer-provider pair: a fresh Pact per test, all recorded into one scratch file."""

    def __init__(self, consumer: str, provider: str, scratch: Path, expected: int) -> None:
        self.consumer, self.provider = consumer, provider
        self.name = f"{consumer}-{provider}.json"
        self.scratch = scratch
        self.committed = PACT_DIR / self.name
        self.expected = expected  # tests in the module: a complete run rewrites the file
        self.served = 0

    def pact(self) -> Pact:
        return Pact(self.consumer, self.provider).with_specification("V4")

    @contextmanager
    def serve(self, pact: Pact) -> Iterator[str]:
        """The mock server's base URL; on leaving, the pact is checked and recorded."""
        with pact.serve(addr="127.0.0.1") as server:
            yield str(server.url)
        self.served += 1
        single = self.scratch / f"single-{self.served}"
        pact.write_file(single, overwrite=True)
        pact.write_file(self.scratch)  # merged: interactions are kept sorted by description
        for description, interaction in _interactions(single / self.name).items():
            if not UPDATE:
                committed = _interactions(self.committed).get(description)
                assert committed is not None, (
                    f"{self.name} has no interaction {description!r}; {REFRESH}"
                )
                assert interaction == committed, (
                    f"interaction {description!r} differs from {self.name}; {REFRESH}"
                )

    def finish(self) -> None:
        if self.served < self.expected:
            return  # a partial run (-k, a failure) neither rewrites nor judges the whole file
        generated = (self.scratch / self.name).read_text()
        if UPDATE:
            PACT_DIR.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.scratch / self.name, self.committed)
            return
        assert self.committed.exists(), f"{self.name} is not committed; {REFRESH}"
        assert generated == self.committed.read_text(), (
            f"{self.name} differs from what the consumer tests generate "
            f"(a removed interaction, or pact's metadata changed); {REFRESH}"
        )


@pytest.fixture(scope="module")
def recorder(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """The module's pair, from its CONSUMER and PROVIDER constants."""
    module = request.module
    tests = [item for item in request.session.items if item.module is module]
    pair = PactRecorder(
        module.CONSUMER, module.PROVIDER, tmp_path_factory.mktemp("pacts"), len(tests)
    )
    yield pair
    pair.finish()
