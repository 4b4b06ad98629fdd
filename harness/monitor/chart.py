"""The trend chart of ``harness history --chart``: one self-contained HTML file.

Drawn with matplotlib (SVG, text as paths: no font to load), inlined into one HTML page
with inline CSS: no script, nothing loaded from elsewhere, so it opens offline and prints.
One panel per target on a time axis: status (each record a bar over its own time span,
the worse statuses drawn on top and at least a few pixels wide, so a short failure right
before a healthy record stays visible), p50 and p95 latency, findings per record;
maintenance windows are shaded blue, periods without a history database hatched grey.
"""

from __future__ import annotations

import io
import itertools
import re
from datetime import UTC, datetime
from html import escape
from typing import Any

from harness.monitor.history import Gap, TargetHistory, iso

__all__ = ["COLORS", "render_chart"]

COLORS = {
    "healthy": "#2e9d4f",
    "degraded": "#e0a800",
    "failing": "#d64541",
    "unreachable": "#6c6f7d",
}
MAINTENANCE = "#9ec5fe"
ORDER = ("healthy", "degraded", "failing", "unreachable")  # drawn in this order: worst on top
MIN_BAR = 1 / 300  # a record is at least this share of the time axis wide (~3 px)
STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; background: #fff; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 0 0 4px; }
.panel { border: 1px solid #ddd; border-radius: 6px; padding: 12px 16px; margin: 16px 0; }
.stats { color: #555; margin-bottom: 8px; } .legend span { margin-right: 14px; }
.sw { display: inline-block; width: 12px; height: 12px; vertical-align: -1px; margin-right: 4px; }
table { border-collapse: collapse; margin-top: 6px; } td, th { padding: 2px 10px 2px 0;
text-align: left; font-size: 13px; } svg { max-width: 100%; height: auto; }
"""


def _when(moment: float) -> datetime:
    return datetime.fromtimestamp(moment, UTC)


def _spans(h: TargetHistory) -> list[tuple[float, float]]:
    """Where each record's status is drawn: from its start until the next record starts
    (the status held until then), unless the next one is much later than usual (no
    data in between): then over the record's own duration."""
    points = h.points
    steps = sorted(b.at - a.at for a, b in itertools.pairwise(points))
    usual = steps[len(steps) // 2] if steps else 0.0
    out = []
    for i, p in enumerate(points):
        own = max(p.finished, p.at)
        following = points[i + 1].at if i + 1 < len(points) else None
        out.append((p.at, following if following and following - p.at <= 2 * usual else own))
    return out


def _figure(h: TargetHistory, start: float, end: float, outages: list[Gap], salt: str) -> str:
    """One target's panel as an inline SVG element."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib import dates

    mdates: Any = dates
    from matplotlib.figure import Figure

    figure = Figure(figsize=(10, 3.6), dpi=96, layout="constrained")
    status, latency, found = figure.subplots(
        3, 1, sharex=True, gridspec_kw={"height_ratios": [0.7, 2.2, 1.0]}
    )
    span_days = max(end - start, 1.0) / 86400
    least = span_days * MIN_BAR
    spans = _spans(h)
    for name in ORDER:
        bars = [
            (mdates.date2num(_when(a)), max((b - a) / 86400, least))
            for (a, b), p in zip(spans, h.points, strict=True)
            if p.status == name
        ]
        if bars:
            status.broken_barh(bars, (0, 1), facecolors=COLORS[name])
    status.set_yticks([])
    status.set_ylabel("status", rotation=0, ha="right", va="center")
    xs = [_when(p.at) for p in h.points]
    nan = float("nan")
    for field, color, style in (("p50_ms", "#1f6feb", "-"), ("p95_ms", "#e8710a", "--")):
        ys = [nan if getattr(p, field) is None else getattr(p, field) for p in h.points]
        latency.plot(xs, ys, style, color=color, marker=".", linewidth=1.5, label=field[:3])
    latency.set_ylabel("ms")
    latency.set_ylim(bottom=0)
    latency.grid(True, color="#eeeeee", zorder=0.5)
    latency.legend(loc="upper left", fontsize=8, frameon=False)
    found.bar(
        xs,
        [p.findings for p in h.points],
        width=max(least, span_days / 500),
        color=COLORS["failing"],
    )
    found.set_ylabel("findings")
    found.set_ylim(0, max([1, *(p.findings for p in h.points)]) * 1.1)
    found.yaxis.get_major_locator().set_params(integer=True)
    for window in h.windows:
        for ax in (status, latency, found):
            ax.axvspan(_when(window.start), _when(window.end), color=MAINTENANCE, lw=0, zorder=0)
    for gap in outages:
        for ax in (status, latency, found):
            ax.axvspan(
                _when(gap.start),
                _when(gap.end),
                facecolor="none",
                edgecolor="#999999",
                hatch="//",
                lw=0,
            )
    found.set_xlim(_when(start), _when(end))
    locator = mdates.AutoDateLocator(tz=UTC)
    found.xaxis.set_major_locator(locator)
    found.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, tz=UTC))
    out = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": salt}):
        figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    svg = out.getvalue()
    return svg[svg.index("<svg") :]  # no XML declaration or DOCTYPE inside HTML


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def _panel(h: TargetHistory, start: float, end: float, outages: list[Gap], index: int) -> str:
    p50 = "-" if h.p50_ms is None else f"{h.p50_ms:.1f} ms"
    p95 = "-" if h.p95_ms is None else f"{h.p95_ms:.1f} ms"
    stats = (
        f"{len(h.points)} records &middot; available {_pct(h.availability)} &middot; healthy "
        f"{_pct(h.healthy)} &middot; p50 {p50} &middot; p95 {p95} &middot; in maintenance "
        f"{h.in_maintenance} &middot; last: <b>{escape(h.last_status)}</b>"
    )
    rows = "".join(
        f"<tr><td>{escape(c)}</td><td>{escape(s.severity)}</td><td>{s.records}</td>"
        f"<td>{iso(s.first)}</td><td>{iso(s.last)}</td></tr>"
        for c, s in sorted(h.clauses.items())
    )
    table = (
        "<table><tr><th>clause broken</th><th>severity</th><th>records</th><th>first seen</th>"
        f"<th>last seen</th></tr>{rows}</table>"
        if rows
        else "<p>No finding in this period.</p>"
    )
    windows = "".join(f"<li>{escape(w.describe())}</li>" for w in h.windows)
    windows = f"<p>Maintenance windows:</p><ul>{windows}</ul>" if windows else ""
    return (
        f'<section class="panel"><h2>{escape(h.vendor)} &mdash; {escape(h.target)}</h2>'
        f'<div class="stats">{stats}</div>{_figure(h, start, end, outages, f"t{index}")}'
        f"{windows}{table}</section>"
    )


def render_chart(
    histories: list[TargetHistory],
    since: float,
    generated: float,
    outages: list[Gap] | None = None,
) -> str:
    """The whole HTML document."""
    outages = outages or []
    moments = [p.at for h in histories for p in h.points] + [
        p.finished for h in histories for p in h.points if p.finished
    ]
    first, last = (min(moments), max(moments)) if moments else (generated - since, generated)
    pad = max(last - first, 60.0) * 0.02
    start, end = first - pad, last + pad
    swatches: list[tuple[str, Any]] = [*COLORS.items(), ("maintenance", MAINTENANCE)]
    legend = "".join(
        f'<span><i class="sw" style="background:{color}"></i>{name}</span>'
        for name, color in swatches
    ) + (
        '<span><i class="sw" style="background:#1f6feb"></i>p50 latency</span>'
        '<span><i class="sw" style="background:#e8710a"></i>p95 latency</span>'
    )
    panels = "".join(_panel(h, start, end, outages, i) for i, h in enumerate(histories))
    panels = panels or "<p>No record in this period.</p>"
    gap_list = "".join(
        f"<li>{iso(g.start)} to {iso(g.end)}: {escape(g.reason)} "
        f"({g.records_kept} records kept)</li>"
        for g in outages
    )
    gap_list = f"<p>History database unavailable:</p><ul>{gap_list}</ul>" if gap_list else ""
    html = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        "<title>harness monitor: trends</title>"
        f"<style>{STYLE}</style></head><body><h1>harness monitor: health-check trends</h1>"
        f'<div class="stats">records from {iso(first)} to {iso(last)} '
        f"(window: last {since / 3600:.1f} h), generated {iso(generated)}; times in UTC</div>"
        f'<div class="legend">{legend}</div>{gap_list}{panels}</body></html>\n'
    )
    return re.sub(r"<!--.*?-->", "", html, flags=re.S)  # matplotlib's comments
