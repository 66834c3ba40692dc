"""Customers pay, some without a remittance reference, and claim short shipments: the what-if
engine measures days sales outstanding and unapplied cash against the terms it was given, and
the ERP's credit memos reach the hub's event stream and the finance ledger (issue 14)."""

from __future__ import annotations

import math
from collections import Counter
from decimal import Decimal

import pytest

from reference.domain.events import Event
from reference.domain.ledger import AR_CONTROL
from scenarios.receivables import KPIS as RECEIVABLES
from scenarios.runner import run_seed
from scenarios.spec import Variant
from scenarios.world import World
from tests.integration.whatif.support import kpi, shrunk, study

NET_30 = {"kind": "uniform", "low": "20d", "high": "40d"}  # mean 30 days
SMALL = {
    "demand.orders_per_day": 1500,
    "demand.hourly_profile": None,
    "warm_up": "30m",
    "horizon": "4h",
    "drain": "10h",
}


def payments(unmatched: float, claims: float) -> dict[str, object]:
    return {
        "days_to_pay": NET_30,
        "unmatched_share": unmatched,
        "matching_delay": {"kind": "fixed", "seconds": "5d"},
        "short_receipt_rate": claims,
    }


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    spec = shrunk(
        "baseline-day",
        SMALL,
        variants=[
            Variant(name="no-payments"),
            Variant(name="net-30", overrides={"payments": payments(0.0, 0.0)}),
            Variant(name="unmatched", overrides={"payments": payments(0.3, 0.1)}),
        ],
    )
    return study(spec, replications=2)


def test_dso_follows_the_payment_terms(result) -> None:  # type: ignore[no-untyped-def]
    dso = kpi(result, "net-30", "days_sales_outstanding")
    # invoices are paid 20 to 40 days after posting, 30 on average: the amount-weighted mean
    # lies near 30, and far from the run's own length (under a day)
    assert 28.5 < dso.mean < 31.5, dso


def test_cash_without_remittance_stays_unapplied_and_lengthens_dso(result) -> None:  # type: ignore[no-untyped-def]
    assert kpi(result, "net-30", "unapplied_cash").mean == 0
    assert not kpi(result, "net-30", "unapplied_days_mean").available
    assert kpi(result, "unmatched", "unapplied_cash").mean > 0
    assert kpi(result, "unmatched", "unapplied_days_mean").mean == pytest.approx(5.0)
    # three payments in ten wait five more days: about 1.5 days more outstanding
    more = [
        b.kpis["days_sales_outstanding"] - a.kpis["days_sales_outstanding"]
        for a, b in zip(
            [r for r in result.runs if r.variant == "net-30"],
            [r for r in result.runs if r.variant == "unmatched"],
            strict=True,
        )
    ]
    assert all(0.75 < m < 2.5 for m in more), more


def test_credit_memos_come_only_from_claims(result) -> None:  # type: ignore[no-untyped-def]
    assert kpi(result, "net-30", "credit_memos").mean == 0
    assert kpi(result, "unmatched", "credit_memos").mean > 0


def test_without_a_payments_section_the_receivables_kpis_are_not_available(result) -> None:  # type: ignore[no-untyped-def]
    for name in ("days_sales_outstanding", "unapplied_cash", "credit_memos"):
        assert not kpi(result, "no-payments", name).available
        assert "payments" in kpi(result, "no-payments", name).absent


def test_a_short_shipment_claim_is_credited_in_the_hub_and_the_ledger() -> None:
    spec = shrunk("baseline-day", {**SMALL, "payments": payments(0.0, 0.2)})
    world = World(spec, "baseline", 0, run_seed(spec.seed, 0))
    seen: Counter[str] = Counter()
    memos: list[Event] = []
    publish = world.ports.on_event

    def on_event(event: Event) -> None:
        seen[event.type.value] += 1
        if event.type.value == "CreditMemoIssued":
            memos.append(event)
        publish(event)

    world.ports.on_event = on_event
    run = world.run()
    assert memos and all(m.data["reason"] == "short_shipment" for m in memos)
    # every invoice is paid, less what was credited on it
    assert seen["PaymentApplied"] == seen["InvoicePosted"]
    # finance reversed each memo's amount out of receivables, told by the hub
    journals = world.finance.journals
    for memo in memos:
        journal = journals[f"JE-{memo.data['credit_memo_id']}"]
        ar = sum(ln.credit for ln in journal.lines if ln.account == AR_CONTROL)
        assert ar == Decimal(memo.data["amount"])
    assert run.kpis["credit_memos"] <= len(memos)  # warm-up orders' memos are not counted
    assert not math.isnan(run.kpis["days_sales_outstanding"])


def test_a_run_with_payments_is_the_same_run_again() -> None:
    spec = shrunk("baseline-day", {**SMALL, "payments": payments(0.3, 0.1)})
    first, again = (World(spec, "baseline", 1, run_seed(spec.seed, 1)).run() for _ in range(2))
    assert {k: v for k, v in first.kpis.items() if not math.isnan(v)} == {
        k: v for k, v in again.kpis.items() if not math.isnan(v)
    }
    assert first.kpis["unapplied_cash"] > 0


def order_day(extra: dict[str, object]) -> dict[str, float]:
    over = {"demand.orders_per_day": 1500, "horizon": "12h", "drain": "6h", **extra}
    spec = shrunk("baseline-day", over, variants=[])
    return World(spec, "baseline", 0, run_seed(spec.seed, 0)).run().kpis


def test_payments_due_after_the_day_leave_the_order_day_as_it_was() -> None:
    without, paid = order_day({}), order_day({"payments": {}})  # net-30 defaults
    day = [k for k in without if k not in RECEIVABLES]
    assert [without[k] for k in day] == pytest.approx(
        [paid[k] for k in day], nan_ok=True, rel=0, abs=0
    )
    assert 25 < paid["days_sales_outstanding"] < 40


def test_payments_within_the_day_release_credit_and_customers_are_accepted_again() -> None:
    fast = {"days_to_pay": {"kind": "exponential", "mean": "2h"}, "short_receipt_rate": 0}
    without, paid = order_day({}), order_day({"payments": fast})
    assert paid["order_acceptance_rate"] > without["order_acceptance_rate"]
