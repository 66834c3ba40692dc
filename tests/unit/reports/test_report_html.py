"""The HTML report holds every chart and a KPI column for every variant."""

from __future__ import annotations

import base64
import dataclasses
import re
from html.parser import HTMLParser

import pytest

from reports.html import fmt, write_report
from scenarios.results import Kpi, RunResult, summarise_variants

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
        self.differences: list[str] = []
        self.images: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "th" and a.get("data-variant"):
            self.variants.append(a["data-variant"])
        if tag == "th" and a.get("data-difference"):
            self.differences.append(a["data-difference"])
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
    assert page.differences == [v.name for v in study.variants[1:]]
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


def row(path, kpi: str) -> str:
    found = re.search(rf'<tr data-kpi="{kpi}">.*?</tr>', path.read_text(encoding="utf-8"))
    assert found is not None
    return found.group(0)


def test_a_difference_beyond_chance_is_highlighted_by_its_direction(report):
    _, path = report

    # about 4 oversells a run with events against 140 with hourly batches: worse, in red
    assert re.search(r'<td class="worse"><b>\+1[0-9]{2}(\.\d)?</b>', row(path, "oversells"))


def test_a_difference_chance_can_explain_is_not_highlighted(report):
    _, path = report

    # duplicate orders are 0 in every run of every variant
    assert "better" not in row(path, "duplicate_orders")
    assert "worse" not in row(path, "duplicate_orders")


def test_the_summary_names_a_real_difference_in_words_and_units(report):
    _, path = report
    summary = re.search(r'<section id="summary">.*?</section>', path.read_text(encoding="utf-8"))

    assert summary is not None
    text = summary.group(0)
    # batch_60min delays the invoice by 12 samples x 900 s = 3 h on a median of 6 h (conftest)
    said = re.search(r"order to invoice p50 ([\d.]+) h longer \(\+[\d.]+ to \+[\d.]+ h", text)
    assert said is not None and 2.5 < float(said.group(1)) < 3.5
    assert re.search(r"oversells 1[0-9]{2}(\.\d)? lines more .*?, worse", text)


def test_a_single_replication_shows_n_a_and_claims_nothing(study, tmp_path):
    one = [r for r in study.runs if r.replication == 0]
    single = type(study)(
        "one run",
        "",
        1,
        1,
        summarise_variants(one, [(v.name, {}) for v in study.variants], study.kpi_catalog),
        one,
        study.kpi_catalog,
    )

    text = write_report(single, tmp_path).read_text(encoding="utf-8")

    assert "± n/a" in row_of(text, "oversells")
    assert '<td class="worse">' not in text and '<td class="better">' not in text
    assert "no difference from the baseline" in text


def test_a_kpi_of_a_system_the_estate_lacks_is_n_a(study, tmp_path):
    crm = Kpi("message_age_crm", "s", "lower", "age of events at CRM", needs="crm")
    runs = [
        RunResult(r.variant, r.replication, r.seed, {**r.kpis, "message_age_crm": 0.0})
        for r in study.runs
    ]
    names = [(v.name, {}) for v in study.variants]
    lacking = {v.name: {"hub", "erp", "wms"} for v in study.variants}
    catalog = [*study.kpi_catalog, crm]
    variants = summarise_variants(runs, names, catalog, lacking)
    text = write_report(
        type(study)("no crm", "", 1, 3, variants, runs, catalog), tmp_path
    ).read_text(encoding="utf-8")

    assert re.search(
        r'<span class="na" title="no crm in this estate">n/a</span>',
        row_of(text, "message_age_crm"),
    )
    assert "<b>0</b>" not in row_of(text, "message_age_crm")


def row_of(text: str, kpi: str) -> str:
    found = re.search(rf'<tr data-kpi="{kpi}">.*?</tr>', text)
    assert found is not None
    return found.group(0)


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


def test_the_summary_opens_with_the_scenarios_question_and_answers_it(study, tmp_path):
    asked = "Does batch inventory oversell more than events at peak?"
    provenance = {"scenario": {"question": asked, "answered_by": ["duplicate_orders", "oversells"]}}
    posed = dataclasses.replace(study, provenance=provenance)

    text = write_report(posed, tmp_path).read_text(encoding="utf-8")

    assert f'<p id="question"><b>Question.</b> {asked}</p>' in text
    answer = re.search(r'<div id="answer">.*?</div>', text)
    assert answer is not None
    # oversells separate for both batch variants (conftest: 4 against 38 and 140 per run);
    # duplicate orders (0 in every run) do not, so the answer names oversells alone
    for variant in ("batch_15min", "batch_60min"):
        said = re.search(rf'<li data-variant="{variant}">(.*?)</li>', answer.group(0))
        assert said is not None and "oversells" in said.group(1), answer.group(0)
        assert "duplicate orders" not in said.group(1)


def test_an_answer_that_chance_explains_says_so(study, tmp_path):
    asked = {"question": "Do duplicates grow?", "answered_by": ["duplicate_orders"]}
    provenance = {"scenario": asked}
    posed = dataclasses.replace(study, provenance=provenance)

    text = write_report(posed, tmp_path).read_text(encoding="utf-8")

    assert "duplicate orders do not differ from events beyond chance over 3 replications" in text
