"""The report explains what a point-to-point estate and a hub do differently, with the study's
numbers."""

from __future__ import annotations

import re

from reports.styles import styles_section
from scenarios.kpis import CATALOG
from scenarios.results import RunResult, StudyResult, summarise_variants
from scenarios.spec import load_spec

HUB = {
    "duplicate_orders": 0.0,
    "duplicates_suppressed": 50.0,
    "orders_lost": 0.0,
    "calls_dropped": 0.0,
}
P2P = {
    "duplicate_orders": 40.0,
    "duplicates_suppressed": 0.0,
    "orders_lost": 80.0,
    "calls_dropped": 30.0,
}


def study_of(spec_name: str, per_variant: dict[str, dict[str, float]]) -> StudyResult:
    runs = [
        RunResult(
            variant=name,
            replication=r,
            seed=r,
            kpis={
                **{k: v + r for k, v in kpis.items()},
                "dead_letters": 10.0 + r,
                "orders_stuck": 1.0 + 3 * r,
                "capture_p99": 600.0 + 60 * r,
            },
        )
        for name, kpis in per_variant.items()
        for r in range(3)
    ]
    variants = summarise_variants(runs, [(name, {}) for name in per_variant], CATALOG)
    return StudyResult(spec_name, "", 23, 3, variants, runs, CATALOG)


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_each_difference_of_point_to_point_against_a_hub_is_explained_with_its_numbers():
    spec = load_spec("point-to-point-vs-hub")
    study = study_of(spec.name, {"canonical-hub": HUB, "point-to-point": P2P})
    html = styles_section(study, spec)
    for item in ("interfaces", "duplicate_orders", "erp_outage"):
        assert f'data-explains="{item}"' in html
    said = text(html)
    assert "canonical-hub runs 14:" in said  # one adapter per system and direction
    assert "point-to-point runs 34 interfaces" in said  # every producer-consumer pair
    assert "orders alone: 18" in said
    assert "point-to-point 41 [" in said and "Δ +40 [+40, +40] orders" in said
    assert "51 [" in said and "deliveries suppressed" in said
    assert "erp down 11:00 to 11:45" in said
    assert "tries 5 times over 15 s" in said
    assert "orders lost canonical-hub 1 [" in said and "Δ +80 [+80, +80] orders" in said
    assert "calls dropped canonical-hub 1 [" in said and "Δ +30 [+30, +30] calls" in said


def test_a_study_whose_variants_share_one_style_needs_no_such_explanation():
    spec = load_spec("erp-outage-at-peak")
    study = study_of(spec.name, {v.name: HUB for v in spec.variants})
    assert styles_section(study, spec) == ""
    assert styles_section(study, None) == ""
