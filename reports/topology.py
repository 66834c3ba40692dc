"""The estate's topology as a picture: systems coloured by kind, one arrow per flow.

Drawn from scenarios.topology's TopologySpec; reports draw, scenarios analyse.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from scenarios.topology import Flow, TopologySpec

_KIND_COLOURS = {
    "hub": "#f2c14e",
    "erp": "#5b8def",
    "wms": "#56b881",
    "tms": "#3fa7a3",
    "storefront": "#e07a5f",
    "marketplace": "#d95d9a",
    "edi_partner": "#9c6ade",
    "finance": "#7d8597",
    "crm": "#b5838d",
    "bi": "#a3a380",
}
_PATTERN_STYLES: dict[str, Any] = {
    "sync_api": "solid",
    "event": "dashed",
    "batch": "dotted",
    "file": "dashdot",
}


def draw(topology: TopologySpec, path: Path | str) -> Path:
    """Save a PNG of the estate: systems coloured by kind (system-of-record domains under the
    name), one arrow per (source, target, pattern) labelled with its data domains; line style
    by pattern, red for the synchronous critical path of order capture."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import networkx as nx
    from matplotlib.lines import Line2D

    path = Path(path)
    g = nx.DiGraph()
    g.add_nodes_from(s.name for s in topology.systems)
    hubs = [s.name for s in topology.systems if s.kind == "hub"]
    others = [s.name for s in topology.systems if s.kind != "hub"]
    if hubs and others:
        pos = nx.shell_layout(g, nlist=[hubs, others], rotate=0.0)
    else:
        pos = nx.circular_layout(g)

    groups: dict[tuple[str, str, str], list[Flow]] = {}
    for f in topology.flows:
        groups.setdefault((f.source, f.target, f.pattern), []).append(f)

    fig, ax = plt.subplots(figsize=(12, 9), dpi=110)
    nx.draw_networkx_nodes(
        g,
        pos,
        ax=ax,
        node_size=3200,
        edgecolors="#333333",
        node_color=[_KIND_COLOURS[topology.system(n).kind] for n in g],
    )
    labels = {
        s.name: s.name + ("\n" + textwrap.fill(", ".join(s.owns), 18) if s.owns else "")
        for s in topology.systems
    }
    nx.draw_networkx_labels(g, pos, labels=labels, ax=ax, font_size=8)

    lane: dict[tuple[str, str], int] = {}
    for (u, v, pattern), flows in groups.items():
        n = lane[(u, v)] = lane.get((u, v), -1) + 1
        style = f"arc3,rad={0.12 + 0.12 * n}"
        critical = any(f.critical and f.pattern == "sync_api" for f in flows)
        colour = "#c0392b" if critical else "#555555"
        g_edge = nx.DiGraph([(u, v)])
        nx.draw_networkx_edges(
            g_edge,
            pos,
            ax=ax,
            style=_PATTERN_STYLES[pattern],
            edge_color=colour,
            width=2.4 if critical else 1.3,
            arrowsize=16,
            node_size=3200,
            connectionstyle=style,
        )
        text = ", ".join(sorted({f.data for f in flows}))
        every = [f.every for f in flows if f.every]
        if every:
            text += f" /{_duration(min(every))}"
        nx.draw_networkx_edge_labels(
            g_edge,
            pos,
            edge_labels={(u, v): text},
            ax=ax,
            font_size=7,
            font_color=colour,
            connectionstyle=style,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"},
        )

    legend = [
        Line2D([], [], color="#555555", linestyle=s, label=p.replace("_", " "))
        for p, s in _PATTERN_STYLES.items()
    ]
    legend.append(Line2D([], [], color="#c0392b", linewidth=2.4, label="critical sync path"))
    kinds = dict.fromkeys(s.kind for s in topology.systems)
    legend += [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markersize=10,
            markeredgecolor="#333333",
            markerfacecolor=_KIND_COLOURS[k],
            label=k,
        )
        for k in kinds
    ]
    ax.legend(
        handles=legend, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False
    )
    ax.set_title(f"Integration topology ({topology.style.replace('_', '-')})")
    ax.margins(0.12)
    ax.set_axis_off()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path


def _duration(seconds: float) -> str:
    if seconds % 3600 == 0:
        return f"{seconds / 3600:g}h"
    if seconds % 60 == 0:
        return f"{seconds / 60:g}min"
    return f"{seconds:g}s"
