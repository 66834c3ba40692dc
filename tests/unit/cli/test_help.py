"""Every command teaches through --help, and its prose reflows to the terminal."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from crossdock.cli import app, reflow

COMMANDS = [
    [],
    ["demo"],
    ["twin"],
    ["topology"],
    ["serve"],
    ["systems", "serve"],
    ["db", "upgrade"],
    ["example", "order"],
    ["simulate"],
    ["sweep"],
    ["validate"],
    ["bench", "simulate"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "crossdock")
def test_every_command_has_help(command: list[str]) -> None:
    result = CliRunner().invoke(app, [*command, "--help"], terminal_width=100)
    assert result.exit_code == 0, result.output
    assert "Usage: crossdock" in result.output
    assert "--help" in result.output


def test_reflow_joins_hard_wrapped_prose_but_keeps_bullets_and_indents() -> None:
    text = """First line.

    Prose wrapped at
    a hundred columns.

    • a bullet
    • another

      indented
      stays
    """
    assert reflow(text) == (
        "First line.\n\nProse wrapped at a hundred columns.\n\n• a bullet\n• another\n\n"
        "  indented\n  stays"
    )


def test_library_names_take_dashes_or_underscores(tmp_path) -> None:
    result = CliRunner().invoke(app, ["topology", "baseline_day", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "baseline-day-topology.png").is_file()
