"""The architecture cannot drift silently: import contracts, strict typing and lint, as tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_import_contracts_keep_the_core_pure():
    done = run(str(BIN / "lint-imports"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Contracts: 5 kept, 0 broken." in done.stdout


def test_the_pure_core_passes_mypy_strict():
    done = run(str(BIN / "mypy"), "reference/domain", "reference/hub")
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_finds_nothing():
    done = run(str(BIN / "ruff"), "check", ".")
    assert done.returncode == 0, done.stdout + done.stderr
