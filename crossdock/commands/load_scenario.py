"""``crossdock load --scenario``: a scenario's demand live against a hub, beside its what-if run."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

# Wall seconds of arrivals: with the drain, start-up and the what-if run, under 3 minutes.
DEFAULT_DURATION = 60.0


def replay_scenario(
    scenario: str,
    speedup: float,
    duration: str | None,
    drain: float,
    host: str | None,
    seed: int,
    out: Path,
    as_json: bool,
    scale: float = 1.0,
) -> None:
    from crossdock.commands.simulate import load as load_spec
    from crossdock.commands.systems import scenario_seconds
    from loadtests.replay import arrivals, replay
    from loadtests.scenario import estate, predicted, rows, window
    from scenarios.wiring import Wiring
    from simulators.systems.demand import ArrivalProfile

    try:
        wall = scenario_seconds(duration) if duration else DEFAULT_DURATION
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--duration") from None
    spec = load_spec(scenario)
    if scale != 1.0:
        from scenarios.spec import scaled

        spec = scaled(spec, scale)  # both worlds: the replay's arrivals and the what-if run
    err = Console(stderr=True)
    span = window(spec, speedup, wall)
    demand = spec.demand
    profile = ArrivalProfile(
        demand.orders_per_day,
        tuple(demand.hourly_profile) if demand.hourly_profile else None,
        tuple((s.start, s.end, s.factor) for s in demand.spikes),
    )
    planned = arrivals(
        profile,
        {str(channel): share for channel, share in demand.channel_mix.items()},
        Wiring(spec, seed).mailboxes,
        span.start,
        span.span,
        seed,
    )
    rate = len(planned) / (span.span / speedup)
    err.print(
        f"{scenario}: {len(planned)} orders placed from {_clock(span.start)} to "
        f"{_clock(span.end)} of scenario time, replayed in {span.span / speedup:.0f} s "
        f"at {speedup:g}x ({rate:.1f} orders/s)"
    )

    def run(url: str) -> Any:
        with err.status(f"replaying {len(planned)} orders against {url}"):
            return asyncio.run(replay(url, planned, span.start, speedup, seed, drain))

    if host:
        err.print(
            f"the systems behind {host} should run `crossdock systems serve --scenario "
            f"{scenario} --speedup {speedup:g} --start {span.start:g}`"
        )
        live = run(host)
    else:
        budget = span.span / speedup + drain + 60.0
        err.print(f"starting the scenario's systems and a hub wired to them (logs in {out})")
        with estate(scenario, span, speedup, seed, budget, out) as url:
            live = run(url)
    failed = None
    with err.status(f"the what-if run of {scenario} over the same window"):
        try:
            variant, simulated = predicted(spec, span, seed)
        except Exception as error:  # the live figures were paid for: print them regardless
            failed = f"{type(error).__name__}: {error}"
            variant, simulated = "failed", {"capture": [], "to_invoice": []}
    table = rows(live, simulated, speedup)
    summary = {
        "scenario": scenario,
        "variant": variant,
        "speedup": speedup,
        "scale": scale,
        "window_s": [span.start, span.end],
        "orders": {
            "planned": len(planned),
            "sent": live.sent,
            "accepted": live.accepted,
            "rejected": live.rejected,
            "failed": sum(live.failed.values()),
            "failures": live.failed,
            "retried": live.retried,
            "invoiced": len(live.to_invoice),
            "open_at_end": live.open_at_end,
        },
        "wall_seconds": round(live.wall_seconds, 1),
        "latencies": table,
        "simulation_error": failed,
    }
    if as_json:
        typer.echo(json.dumps(summary))
    else:
        _print(summary)
    if failed:
        err.print(f"[red]the what-if run failed, so the simulated column is empty: {failed}")
        raise typer.Exit(1)


def _clock(seconds: float) -> str:
    day, rest = divmod(int(seconds), 86400)
    text = f"{rest // 3600:02d}:{rest % 3600 // 60:02d}"
    return f"day {day + 1} {text}" if day else text


def _print(summary: dict[str, Any]) -> None:
    k = summary["speedup"]
    table = Table(
        title=(
            f"{summary['scenario']} at {k:g}x: live hub against the what-if run "
            f"({summary['variant']}), wall seconds"
        )
    )
    for column in ("latency", "live", "simulated ÷ K", "live / simulated", "n live", "n sim"):
        table.add_column(column, justify="left" if column == "latency" else "right")
    for row in summary["latencies"]:
        live, sim = row["live_s"], row["simulated_s"]
        ratio = f"{live / sim:.2f}" if live is not None and sim else "-"
        table.add_row(
            f"{row['metric']} {row['stat']}",
            _seconds(live),
            _seconds(sim),
            ratio,
            f"{row['live_n']:,}",
            f"{row['simulated_n']:,}",
        )
    console = Console()
    console.print(table)
    orders = summary["orders"]
    console.print(
        f"orders: {orders['sent']:,} sent, {orders['accepted']:,} accepted, "
        f"{orders['rejected']:,} rejected, {orders['failed']:,} failed "
        f"{orders['failures'] or ''}, {orders['retried']:,} answers of 409/503 retried; "
        f"{orders['invoiced']:,} invoiced, {orders['open_at_end']:,} still open when the "
        f"drain ended (their order-to-invoice is not in the live column); "
        f"run took {summary['wall_seconds']:.0f} s"
    )


def _seconds(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.1f} s"
