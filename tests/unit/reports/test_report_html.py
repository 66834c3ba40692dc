"""The HTML report holds every chart and a KPI column for every variant."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser

import pytest

from reports.html import fmt, write_report

PNG = b"\x89PNG\r\n\x1a\n"
CHARTS = [
    "chart-kpis",
    "chart-series-backlog",
    "chart-series-message_age",
    "chart-series-dead_letter_depth",
    "chart-series-ats",
    "chart-latency",
    "chart-topology",
    "chart-lifecycle",
]


class Page(HTMLParser):
    """Element ids, variant headers, KPI rows and image sources of a report."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.variants: list[str] = []
        self.kpis: list[str] = []
        self.images: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "th" and a.get("data-variant"):
            self.variants.append(a["data-variant"])
        if tag == "tr" and a.get("data-kpi"):
            self.kpis.append(a["data-kpi"])
        if tag == "img":
            self.images.append(a["src"])


@pytest.fixture(scope="module")
def report(study, estate, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    return out, write_report(study, out, topology=estate)


def test_the_report_holds_every_chart(report):
    _, path = report
    page = Page(path.read_text(encoding="utf-8"))

    assert set(CHARTS) <= page.ids
    assert "chart-sweep" not in page.ids  # not a sweep
    assert "kpi-table" in page.ids and "how-to-read" in page.ids


def test_the_kpi_table_has_a_column_for_every_variant_and_a_row_for_every_kpi(report, study):
    _, path = report
    page = Page(path.read_text(encoding="utf-8"))

    assert page.variants == [v.name for v in study.variants]
    assert page.kpis == [k.name for k in study.kpi_catalog]


def test_the_report_is_self_contained_and_its_pngs_are_valid(report):
    out, path = report
    text = path.read_text(encoding="utf-8")
    page = Page(text)

    assert len(page.images) == len(CHARTS)
    for src in page.images:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1])[:8] == PNG
    pngs = sorted((out / "charts").glob("*.png"))
    assert len(pngs) == len(CHARTS)
    assert all(p.stat().st_size > 1000 and p.read_bytes()[:8] == PNG for p in pngs)
    assert not re.search(r"""(src|href)=["']https?://""", text)  # no CDN, no network


def test_the_scenario_text_is_escaped(report):
    _, path = report
    text = path.read_text(encoding="utf-8")

    assert "events &lt;against&gt; batches" in text
    assert "<against>" not in text


def test_the_clearly_best_variant_is_marked(report):
    _, path = report
    row = re.search(r'<tr data-kpi="oversells">.*?</tr>', path.read_text(encoding="utf-8"))

    assert row is not None
    # events has about 4 oversells a run against 38 and 140: best, and its CI clears the others
    assert re.search(r'<td class="best"><b>[\d.]+</b>.*?✓</td>', row.group(0))


def test_a_sweep_adds_the_kpi_against_parameter_chart(sweep_study, tmp_path):
    path = write_report(sweep_study, tmp_path)
    page = Page(path.read_text(encoding="utf-8"))

    assert "chart-sweep" in page.ids
    assert "chart-topology" not in page.ids  # no topology given
    assert set(CHARTS) - {"chart-topology"} <= page.ids


@pytest.mark.parametrize(
    ("value", "text"), [(0.98765, "0.988"), (42.0, "42"), (123.44, "123.4"), (21600.0, "21,600")]
)
def test_numbers_read_well(value, text):
    assert fmt(value) == text


def test_a_tie_has_no_best_variant(report):
    _, path = report
    row = re.search(r'<tr data-kpi="duplicate_orders">.*?</tr>', path.read_text(encoding="utf-8"))

    assert row is not None and 'class="best"' not in row.group(0)
