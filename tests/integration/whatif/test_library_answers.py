"""Every library scenario asks a question, and its report answers it: at reduced scale, for each
variant, at least one of the KPIs the scenario names differs from the baseline beyond chance.

The scale is the smallest at which the scenario's effect still shows in three replications; a
scenario whose question only separates at full scale does not belong in the library."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crossdock.cli import app
from scenarios.spec import LIBRARY, load_spec

pytestmark = pytest.mark.slow

#: scenario -> demand scale for the quick look (``crossdock simulate --scale``)
QUICK = {
    "baseline-day": 0.05,
    "cash-application": 0.2,
    "edi-partner-onboarding": 0.05,
    "erp-outage-at-peak": 0.05,
    "integration-patterns": 0.2,
    "inventory-sync-patterns": 0.1,
    "legacy-vs-cloud-erp": 0.05,
    "month-end-close": 0.05,
    "order-sourcing": 0.05,
    "peak-season": 0.1,
    "point-to-point-vs-hub": 0.05,
    "web-order-600-lines": 0.1,
    "wms-latency-degradation": 0.05,
}
NAMES = sorted(p.stem for p in LIBRARY.glob("*.yaml"))


def test_every_library_scenario_asks_a_question_and_names_the_kpis_that_answer_it() -> None:
    assert sorted(QUICK) == NAMES, "a new library scenario needs its quick scale here"
    for name in NAMES:
        spec = load_spec(name)
        assert spec.question.rstrip().endswith("?"), name
        assert spec.answered_by, name
        assert len(spec.variant_names()) >= 2, f"{name}: one variant has no baseline to answer"


@pytest.mark.parametrize("name", NAMES)
def test_the_report_of_a_library_scenario_answers_its_question(name: str, tmp_path: Path) -> None:
    out = tmp_path / name
    result = CliRunner().invoke(
        app,
        ["simulate", name, "-r", "3", "--scale", str(QUICK[name]), "-w", "1", "-o", str(out)],
        terminal_width=200,
    )
    assert result.exit_code == 0, result.output

    page = (out / "report.html").read_text(encoding="utf-8")
    spec = load_spec(name)
    assert f"<b>Question.</b> {spec.question}" in page.replace("&#x27;", "'")
    answer = re.search(r'<div id="answer">(.*?)</div>', page, re.S)
    assert answer is not None, page[:2000]
    for variant in spec.variant_names()[1:]:
        said = re.search(rf'<li data-variant="{re.escape(variant)}">(.*?)</li>', answer.group(1))
        assert said is not None, answer.group(1)
        assert " against " in said.group(1), f"{name}/{variant}: {said.group(1)}"
