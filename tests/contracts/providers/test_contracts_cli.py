"""`crossdock contracts verify` on the committed pacts: every pair listed, all passing."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from contracts.verification import PACT_DIR


def crossdock(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "crossdock.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_verify_lists_every_committed_pact_as_a_passing_pair_and_the_hub_may_deploy(tmp_path):
    committed = set()
    for path in PACT_DIR.glob("*.json"):
        pact = json.loads(path.read_text())
        committed.add((pact["consumer"]["name"], pact["provider"]["name"]))
    saved = tmp_path / "matrix.json"

    done = crossdock("contracts", "verify", "--json", "--save", str(saved))

    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    matrix = json.loads(done.stdout)  # the verifier's own report went to stderr
    pairs = {(p["consumer"], p["provider"]) for p in matrix["pairs"]}
    assert pairs == committed
    assert matrix["passed"] and all(p["passed"] and p["interactions"] for p in matrix["pairs"])
    kinds = {p["kind"] for p in matrix["pairs"]}
    assert "http" in kinds
    deploy = crossdock("contracts", "can-i-deploy", "--participant", "hub", "--matrix", str(saved))
    assert deploy.returncode == 0, deploy.stdout + deploy.stderr
    assert deploy.stdout.startswith("hub may deploy")
