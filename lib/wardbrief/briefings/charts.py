"""Static PNG charts for the briefings (matplotlib Figure on an Agg canvas: no pyplot,
no global backend switch, safe inside a kernel).

Each function takes plain sequences already taken from metrics (briefing.py picks
them) and returns PNG bytes sized for the text width of an A4 page (about
170 mm), with DejaVu Sans set explicitly so every Vietnamese diacritic is drawn.
Labels come from `labels`; numbers are written by `fmt`.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from wardbrief.briefings import fmt, labels

WIDTH_IN = 6.7  # 170 mm: the text width of A4 with 20 mm margins
DPI = 150
FONT = {
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.titlesize": 9,
    "axes.labelsize": 8,
    "legend.fontsize": 7.5,
    "xtick.labelsize": 7.5,
    "ytick.labelsize": 7.5,
    "svg.fonttype": "none",
}
COLORS = {
    "received": "#9ecae1",
    "resolved": "#3182bd",
    "resolved_on_time": "#31a354",
    "open_backlog": "#e6550d",
    "ranked": "#3182bd",
    "below": "#e6550d",
    "unranked": "#bdbdbd",
    "target": "#636363",
}


def _png(fig: Figure) -> bytes:
    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", pad_inches=0.05)
    return buffer.getvalue()


def _percent_axis(value: float, _pos: int) -> str:
    return fmt.percent_vn(value, digits=0)


def weekly_trend_png(
    week_starts: Sequence[str],
    received: Sequence[int],
    resolved: Sequence[int],
    resolved_on_time: Sequence[int],
    open_backlog: Sequence[int],
) -> bytes:
    """Bars of received per week; lines of resolved, resolved on time and the open backlog."""
    with rc_context(FONT):
        fig = Figure(figsize=(WIDTH_IN, 2.8))
        ax = fig.add_subplot()
        x = list(range(len(week_starts)))
        ax.bar(x, received, color=COLORS["received"], label=labels.FIGURES_SHORT["received"],
               width=0.6)
        ax.plot(x, resolved, color=COLORS["resolved"], marker="o", markersize=3,
                label=labels.FIGURES_SHORT["resolved"])
        ax.plot(x, resolved_on_time, color=COLORS["resolved_on_time"], marker="s",
                markersize=3, label=labels.FIGURES_SHORT["resolved_on_time"])
        ax.plot(x, open_backlog, color=COLORS["open_backlog"], linestyle="--", marker="^",
                markersize=3, label=labels.FIGURES_SHORT["open_backlog"])
        ax.set_xticks(x, [fmt.date_vn(start)[:5] for start in week_starts])
        ax.set_xlabel(labels.CHART_WEEK_AXIS)
        ax.set_ylabel(labels.CHART_COUNT_AXIS)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylim(bottom=0)
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=4, frameon=False)
        return _png(fig)


def compliance_png(
    names: Sequence[str],
    rates: Sequence[float | None],
    ranked: Sequence[bool],
    target: float | None,
) -> bytes:
    """Horizontal bars of each department's compliance rate, best at the top; departments
    too small to rank in grey; the on-time target as a dashed line."""
    height = 0.9 + 0.32 * max(len(names), 1)
    with rc_context(FONT):
        fig = Figure(figsize=(WIDTH_IN, height))
        ax = fig.add_subplot()
        y = list(range(len(names)))[::-1]
        values = [rate or 0.0 for rate in rates]
        colors = [
            COLORS["unranked"] if not is_ranked
            else COLORS["below"] if target is not None and (rate or 0.0) < target
            else COLORS["ranked"]
            for rate, is_ranked in zip(rates, ranked, strict=True)
        ]
        ax.barh(y, values, color=colors, height=0.6)
        ax.set_yticks(y, list(names))
        for pos, rate in zip(y, rates, strict=True):
            ax.text((rate or 0.0) + 0.01, pos, fmt.percent_vn(rate), va="center", fontsize=7.5)
        if target is not None:
            ax.axvline(target, color=COLORS["target"], linestyle="--", linewidth=1)
        ax.set_xlim(0, 1.12)
        ax.xaxis.set_major_formatter(FuncFormatter(_percent_axis))
        ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        return _png(fig)
