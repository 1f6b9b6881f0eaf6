"""The digests' 12-week chart as PNG bytes: give/get balance (bars) and money left behind (line).

Rendered with matplotlib's object API on the Agg canvas — no pyplot, no global figure state, no GUI
backend — so it is safe on the clock process's worker threads. It runs in the clock process only
(``bot/scheduler/digests.py``), never on a request thread: a figure takes tens of milliseconds.
No user text goes into the image (titles and labels are ours), so nothing typed in Slack can reach
matplotlib's text parser.
"""

from __future__ import annotations

import io
from typing import Final

from coaching.dates import day_words
from coaching.digests import ChartSeries
from coaching.money import MINOR_UNITS

WIDTH_INCHES: Final = 8.0
HEIGHT_INCHES: Final = 3.4
DPI: Final = 110
GOOD: Final = "#2a9d8f"
BAD: Final = "#e76f51"
LINE: Final = "#264653"


def alt_text(series: ChartSeries) -> str:
    """What the chart shows, in words (the image block's alt text)."""
    if series.empty:
        return f"No priced concessions in the last {len(series.week_starts)} weeks."
    scale = 10 ** MINOR_UNITS.get(series.currency, 2)
    balance = series.balance
    best = max(range(len(balance)), key=lambda i: balance[i])
    worst_left = max(range(len(series.left_behind)), key=lambda i: series.left_behind[i])
    return (
        f"Weekly give/get balance and money left behind in {series.currency} over "
        f"{len(series.week_starts)} weeks; best balance {balance[best] / scale:+,.0f} in the week of "
        f"{day_words(series.week_starts[best])}; most left behind "
        f"{series.left_behind[worst_left] / scale:,.0f} "
        f"in the week of {day_words(series.week_starts[worst_left])}."
    )


def render_chart(series: ChartSeries) -> bytes:
    """The chart as a PNG."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    scale = 10 ** MINOR_UNITS.get(series.currency, 2)
    labels = [f"{start.day} {start:%b}" for start in series.week_starts]  # 12 ticks: day and month
    balance = [value / scale for value in series.balance]
    left = [value / scale for value in series.left_behind]
    positions = list(range(len(labels)))

    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.bar(
        positions,
        balance,
        color=[GOOD if value >= 0 else BAD for value in balance],
        width=0.65,
        label="Give/get balance (received − conceded)",
    )
    axes.plot(positions, left, color=LINE, marker="o", linewidth=2, label="Money left behind")
    axes.axhline(0, color="#999999", linewidth=0.8)
    axes.set_xticks(positions, labels, fontsize=10, rotation=0)
    axes.yaxis.set_major_formatter(FuncFormatter(_short))
    axes.set_ylabel(series.currency, fontsize=11)
    axes.tick_params(axis="y", labelsize=10)
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", color="#eeeeee", linewidth=0.8)
    axes.set_axisbelow(True)
    # no title in the image: the message's image block carries it, so it is not said twice
    axes.legend(fontsize=10, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, frameon=False)
    figure.subplots_adjust(left=0.09, right=0.98, top=0.95, bottom=0.22)  # fixed: layout engines are slow
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", pil_kwargs={"compress_level": 3})
    return buffer.getvalue()


def _short(value: float, _position: object) -> str:
    magnitude = abs(value)
    for limit, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if magnitude >= limit:
            return f"{value / limit:.1f}".rstrip("0").rstrip(".") + suffix
    return f"{value:,.0f}"
