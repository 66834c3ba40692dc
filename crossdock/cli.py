"""The ``crossdock`` command: one entry point, a subcommand per job.

Each command lives in its own module under crossdock/commands and registers itself here, so the
front door stays small and importing it stays cheap (heavy imports happen inside commands).
"""

from __future__ import annotations

import inspect

import typer

from crossdock import __version__
from crossdock.commands import (
    bench,
    contracts,
    db,
    demo,
    example,
    fuzz,
    load,
    serve,
    simulate,
    sweep,
    systems,
    topology,
    twin,
    validate,
)

app = typer.Typer(
    name="crossdock",
    help=(
        "Simulate, test and load a wholesale distributor's integration estate.\n\n"
        "Start with `crossdock demo`, then `crossdock twin --help`."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)


def _version(show: bool) -> None:
    if show:
        typer.echo(f"crossdock {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Simulate, test and load a wholesale distributor's integration estate."""


def reflow(text: str) -> str:
    """Join the hard-wrapped lines of each help paragraph, so the terminal wraps them instead.

    Typer keeps single line breaks after the first paragraph; docstrings wrap at 100 columns and
    terminals often at 80, which leaves ragged half-lines. Lines that start a bullet or are
    indented stay on their own.
    """
    paragraphs = []
    for paragraph in inspect.cleandoc(text).split("\n\n"):
        lines = paragraph.splitlines()
        joined = lines[:1]
        for line in lines[1:]:
            if line.startswith((" ", "•", "-", "*", "\b")) or joined[-1].startswith("\b"):
                joined.append(line)
            else:
                joined[-1] += " " + line
        paragraphs.append("\n".join(joined))
    return "\n\n".join(paragraphs)


def _reflow_help(group: typer.Typer) -> None:
    for info in group.registered_commands:
        doc = info.help or (info.callback and info.callback.__doc__)
        if doc:
            info.help = reflow(doc)
    for sub in group.registered_groups:
        if sub.typer_instance is not None:
            _reflow_help(sub.typer_instance)


for command in (
    demo,
    load,
    twin,
    topology,
    systems,
    serve,
    db,
    example,
    simulate,
    sweep,
    validate,
    bench,
    contracts,
    fuzz,
):
    command.register(app)
_reflow_help(app)


if __name__ == "__main__":  # pragma: no cover
    app()
