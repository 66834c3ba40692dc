"""One validation for every command: `crossdock validate` says what simulate, sweep and topology
would refuse, and they refuse it before anything runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from crossdock.cli import app
from scenarios.spec import LIBRARY

OUTAGE = (LIBRARY / "erp-outage-at-peak.yaml").read_text(encoding="utf-8")
# the ERP also claims inventory, which the WMS owns: two systems of record for one domain
TWO_OWNERS = OUTAGE.replace("    - invoices\n", "    - invoices\n    - inventory\n", 1)


def crossdock(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), terminal_width=200)
    return result.exit_code, result.output


@pytest.fixture
def two_owners(tmp_path: Path) -> Path:
    path = tmp_path / "two-owners.yaml"
    path.write_text(TWO_OWNERS, encoding="utf-8")
    return path


def test_validate_passes_every_library_scenario() -> None:
    files = sorted(str(p) for p in LIBRARY.glob("*.yaml"))
    code, output = crossdock("validate", *files)
    assert code == 0, output
    assert output.splitlines() == [line for line in output.splitlines() if line.startswith("OK ")]
    assert len(output.splitlines()) == len(files) >= 12


def test_validate_lists_every_problem_with_its_line_and_exits_non_zero(
    tmp_path: Path,
) -> None:
    text = (
        OUTAGE.replace("- system: erp\n", "- system: erpp\n") + "systems:\n  ERP:\n    workers: 4\n"
    )
    bad = tmp_path / "typos.yaml"
    bad.write_text(text, encoding="utf-8")
    lines = [raw.strip() for raw in text.splitlines()]
    code, output = crossdock("validate", "peak-season", str(bad))
    assert code == 2
    assert "OK peak-season: peak-season" in output
    assert (
        f"{bad}:{lines.index('- system: erpp') + 1}: faults[0].system: no such system in this "
        "run (got 'erpp'); did you mean 'erp'?"
    ) in output
    assert f"{bad}:{lines.index('ERP:') + 1}: systems.ERP:" in output
    assert "1 of 2 scenario(s) invalid" in output


def test_simulate_refuses_the_estate_topology_refuses(two_owners: Path, tmp_path: Path) -> None:
    code, topology = crossdock("topology", str(two_owners), "--out", str(tmp_path))
    assert code == 2
    code, simulate = crossdock("simulate", str(two_owners), "--out", str(tmp_path / "out"))
    assert code == 2
    problem = "topology.systems[2].owns: 'wms' claims 'inventory', which 'erp' already owns"
    assert problem in topology and problem in simulate
    assert not (tmp_path / "out").exists()  # refused before anything ran


def test_a_second_set_is_refused_not_silently_replacing_the_first(tmp_path: Path) -> None:
    code, output = crossdock(
        "sweep",
        "baseline-day",
        "--set",
        "hub.replay_every=5m,15m",
        "--set",
        "hub.idempotency=true,false",
        "--out",
        str(tmp_path),
    )
    assert code == 2
    assert (
        "--set: given 2 times ('hub.replay_every=5m,15m', 'hub.idempotency=true,false')" in output
    )


def test_an_unknown_variant_names_the_value_and_the_variants(tmp_path: Path) -> None:
    code, output = crossdock("simulate", "peak-season", "--variant", "erp-2-workers")
    assert code == 2
    assert (
        "--variant: no such variant in peak-season (got 'erp-2-workers'); did you mean "
        "'erp-8-workers'? (variants: erp-8-workers, erp-4-workers)"
    ) in output


@pytest.mark.parametrize("scale", ["0", "1.5", "-0.1"])
def test_a_scale_outside_zero_to_one_is_refused(scale: str) -> None:
    code, output = crossdock("simulate", "baseline-day", "--scale", scale)
    assert code == 2
    assert f"--scale: must be above 0 and at most 1 (got {float(scale)})" in output
