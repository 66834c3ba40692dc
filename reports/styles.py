"""Why a point-to-point estate and a hub differ: the report's explanation, from the study itself.

When a study's variants run different ``topology.style`` s, ``styles_section`` explains each
difference the styles make, with the study's own numbers: the interfaces each estate runs (from
``scenarios.topology``), the duplicate orders (what dedupes, and what does not), and an ERP
outage's cost (orders lost, parked, late or left open). The mechanisms it names are those of
``scenarios.pointtopoint`` and the hub core; nothing here is measured, only read and said.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from reports.units import duration, number, scale_for, signed
from scenarios.pointtopoint import dead_letter_queue, duplicate_check, point_to_point
from scenarios.topology import TopologyError, analyse

if TYPE_CHECKING:
    from scenarios.results import Estimate, StudyResult, VariantSummary
    from scenarios.spec import ScenarioSpec

STYLE_NAMES = {"hub": "through a hub", "point_to_point": "point to point"}


def styles_section(study: StudyResult, spec: ScenarioSpec | None) -> str:
    """An explanation for each variant whose style differs from the baseline's; empty when
    every variant runs one style (or the study is a sweep, whose variants are values)."""
    if spec is None or study.swept_path or len(study.variants) < 2:
        return ""
    try:
        specs = {v.name: spec.variant(v.name) for v in study.variants}
    except (KeyError, ValueError):
        return ""
    base = study.variants[0]
    parts = []
    for variant in study.variants[1:]:
        a, b = specs[base.name], specs[variant.name]
        if a.topology.style == b.topology.style:
            continue
        items = [
            _interfaces(base.name, a, variant.name, b),
            _duplicates(base, a, variant, b),
            _outage(base, a, variant, b),
        ]
        listed = "".join(item for item in items if item)
        parts.append(
            f'<div class="styles" data-variant="{escape(variant.name, quote=True)}">'
            f"<p><b>{escape(variant.name)}</b> ({STYLE_NAMES[b.topology.style]}) against "
            f"<b>{escape(base.name)}</b> ({STYLE_NAMES[a.topology.style]}):</p>"
            f"<ul>{listed}</ul></div>"
        )
    if not parts:
        return ""
    return (
        '<section id="styles"><h2>Why the topology styles differ</h2>'
        "<p>Each difference below is what the simulated systems and flows did; values are "
        "means over replications with their 95% interval, Δ the paired difference.</p>"
        f"{''.join(parts)}</section>"
    )


def _interfaces(base: str, a: ScenarioSpec, name: str, b: ScenarioSpec) -> str:
    try:
        counted = {base: (a, analyse(a.topology)), name: (b, analyse(b.topology))}
    except TopologyError:
        return ""
    said = []
    for variant, (spec, report) in counted.items():
        systems = sum(1 for s in spec.topology.systems if s.kind != "hub")
        if point_to_point(spec):
            orders = report.interfaces_by_domain.get("orders", 0)
            said.append(
                f"{escape(variant)} runs <b>{report.point_to_point_interfaces}</b> interfaces: "
                f"every producer and consumer of a data domain are wired to each other (orders "
                f"alone: {orders}), each with its own mapping of the other's format and its own "
                "failures and retries"
            )
        else:
            said.append(
                f"{escape(variant)} runs <b>{report.hub_interfaces}</b>: each of its {systems} "
                "systems has one adapter to the hub per direction it uses, and the hub "
                "translates every format to one canonical model (wired point to point, the same "
                f"flows would need {report.point_to_point_interfaces})"
            )
    return f'<li data-explains="interfaces"><b>Interfaces.</b> {"; ".join(said)}.</li>'


def _duplicates(
    base: VariantSummary, a: ScenarioSpec, variant: VariantSummary, b: ScenarioSpec
) -> str:
    if "duplicate_orders" not in base.kpis or "duplicate_orders" not in variant.kpis:
        return ""
    said = []
    for summary, spec in ((base, a), (variant, b)):
        count = _shown(summary.kpis["duplicate_orders"], "orders")
        if duplicate_check(spec):
            suppressed = summary.kpis.get("duplicates_suppressed")
            how = (
                "the hub recognised repeated deliveries by idempotency key and re-sent order "
                "numbers by customer and number"
                + (f" ({_shown(suppressed, 'deliveries')} suppressed)" if suppressed else "")
            )
        elif point_to_point(spec):
            how = (
                "nothing stands between a channel and the ERP to dedupe: every redelivered "
                "webhook and every re-sent order number is another sales order"
            )
        else:
            how = "the hub runs without idempotency, so every delivery is a new order"
        said.append(f"{escape(summary.name)} {count}: {how}")
    rates = (
        f"webhooks redelivered: storefront {b.channels.storefront.duplicate_rate:.1%}, "
        f"marketplace {b.channels.marketplace.duplicate_rate:.1%}; order numbers re-sent: "
        f"{b.demand.resend_rate:.1%}"
    )
    return (
        '<li data-explains="duplicate_orders"><b>Duplicate orders.</b> '
        f"{'; '.join(said)}{_delta(variant, 'duplicate_orders', 'orders')} ({rates}).</li>"
    )


def _outage(base: VariantSummary, a: ScenarioSpec, variant: VariantSummary, b: ScenarioSpec) -> str:
    down = {v.name: _erp_down(spec) for v, spec in ((base, a), (variant, b))}
    if not any(down.values()):
        return (
            '<li data-explains="erp_outage"><b>ERP outage.</b> none in this study: add a fault '
            "on the erp to see what one costs each style.</li>"
        )
    if down[base.name] == down[variant.name]:
        when = down[base.name]
    else:
        when = "; ".join(f"{w or 'none'} in {escape(name)}" for name, w in down.items())
    p2p_spec, hub_spec = (b, a) if point_to_point(b) else (a, b)
    sender = p2p_spec.channels.storefront
    last_try = sender.backoff * (2 ** (sender.max_attempts - 1) - 1)
    said = [
        f"orders lost {_both(base, variant, 'orders_lost', 'orders')}: point to point, a "
        f"channel's webhook tries {sender.max_attempts} times over {duration(last_try)} and has "
        "no outbox, so an order placed while the ERP was down was lost; EDI files waited for the "
        "ERP import's next pick-up and sales reps keyed orders in when it was back",
        (
            f"dead letters {_both(base, variant, 'dead_letters', 'messages')}: "
            + (
                "through the hub, every order was taken and the ERP calls the outage failed "
                f"were parked and replayed every {duration(hub_spec.hub.replay_every)} (a replay "
                "that fails again counts again), so those orders were captured late, not lost"
                if dead_letter_queue(hub_spec)
                else "the hub drops calls that exhaust their retries (hub.dead_letters off)"
            )
            + "; point to point, a call to the ERP that exhausted its retries had no queue to "
            "wait in and was dropped (calls dropped "
            f"{_both(base, variant, 'calls_dropped', 'calls')}), so fewer dead letters is no "
            "gain"
        ),
        f"orders stuck {_both(base, variant, 'orders_stuck', 'orders')}: point to point, no "
        "queue keeps a call to the ERP that exhausted its retries (an invoice for a shipment "
        "confirmed during the outage), so its order stays open; orders waiting for backordered "
        "stock are open in either style",
        f"capture p99 {_both(base, variant, 'capture_p99', 's')}: through the hub, orders "
        "the outage held waited for a replay; point to point, EDI files waited for a pick-up, "
        "and a lost order is never captured, so it adds nothing to capture time",
    ]
    items = "".join(f"<li>{text}</li>" for text in said)
    return (
        f'<li data-explains="erp_outage"><b>ERP outage</b> (erp down {when}).<ul>{items}</ul></li>'
    )


def _erp_down(spec: ScenarioSpec) -> str:
    windows = [f for f in spec.faults if f.system == "erp" and f.kind == "outage"]
    return ", ".join(f"{_clock(f.start)} to {_clock(f.end)}" for f in windows)


def _clock(seconds: float) -> str:
    minutes = round(seconds / 60.0)
    day, minutes = divmod(minutes, 24 * 60)
    return (f"day {day + 1} " if day else "") + f"{minutes // 60:02d}:{minutes % 60:02d}"


def _both(base: VariantSummary, variant: VariantSummary, kpi: str, unit: str) -> str:
    a, b = base.kpis.get(kpi), variant.kpis.get(kpi)
    if a is None or b is None:
        return "n/a"
    return (
        f"{escape(base.name)} {_shown(a, unit)}, {escape(variant.name)} {_shown(b, unit)}"
        + _delta(variant, kpi, unit)
    )


def _delta(variant: VariantSummary, kpi: str, unit: str) -> str:
    d = variant.differences.get(kpi)
    if d is None or not d.has_interval:
        return ""
    scale = scale_for(unit, [d.mean, d.low, d.high])
    beyond = "" if d.excludes_zero() else ", within chance"
    return (
        f" (Δ {signed(scale(d.mean))} [{signed(scale(d.low))}, {signed(scale(d.high))}] "
        f"{escape(scale.label)}{beyond})"
    )


def _shown(e: Estimate, unit: str) -> str:
    if not e.available:
        return "n/a"
    scale = scale_for(unit, [e.mean, e.low, e.high])
    head = f"<b>{number(scale(e.mean))}</b>"
    if not e.has_interval or e.low == e.high:
        return f"{head} {escape(scale.label)}"
    return f"{head} [{number(scale(e.low))}, {number(scale(e.high))}] {escape(scale.label)}"
