"""The trend chart of ``harness history --chart``: one self-contained HTML file.

Inline SVG and inline CSS only: no script, no font, nothing loaded from elsewhere, so it
opens offline and prints. One panel per target, on a shared time axis: a status strip
(one cell per record), the p50 and p95 latency lines, and the findings per record.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

from harness.monitor.history import TargetHistory, iso

__all__ = ["render_chart"]

WIDTH, LEFT, RIGHT = 960, 64, 16
PLOT = WIDTH - LEFT - RIGHT
COLORS = {
    "healthy": "#2e9d4f",
    "degraded": "#e0a800",
    "failing": "#d64541",
    "unreachable": "#6c6f7d",
}
STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; background: #fff; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 0 0 4px; }
.panel { border: 1px solid #ddd; border-radius: 6px; padding: 12px 16px; margin: 16px 0; }
.stats { color: #555; margin-bottom: 8px; } .legend span { margin-right: 14px; }
.sw { display: inline-block; width: 12px; height: 12px; vertical-align: -1px; margin-right: 4px; }
table { border-collapse: collapse; margin-top: 6px; } td, th { padding: 2px 10px 2px 0;
text-align: left; font-size: 13px; } svg text { font: 11px system-ui, sans-serif; fill: #555; }
"""


def _x(at: float, start: float, span: float) -> float:
    return LEFT + (at - start) / span * PLOT


def _clock(moment: float, span: float) -> str:
    stamp = datetime.fromtimestamp(moment, UTC)
    return stamp.strftime("%H:%M:%S" if span < 86400 else "%m-%d %H:%M")


def _axis(start: float, span: float, y: float) -> str:
    marks = []
    for i in range(5):
        at = start + span * i / 4
        x = _x(at, start, span)
        anchor = "start" if i == 0 else "end" if i == 4 else "middle"
        marks.append(
            f'<line x1="{x:.1f}" y1="{y - 4}" x2="{x:.1f}" y2="{y}" stroke="#999"/>'
            f'<text x="{x:.1f}" y="{y + 12}" text-anchor="{anchor}">{_clock(at, span)}</text>'
        )
    return f'<line x1="{LEFT}" y1="{y}" x2="{LEFT + PLOT}" y2="{y}" stroke="#999"/>' + "".join(
        marks
    )


def _status_strip(h: TargetHistory, start: float, span: float) -> str:
    cell = max(2.0, PLOT / max(1, len(h.points)) - 1)
    rects = []
    for p in h.points:
        x = min(_x(p.at, start, span), LEFT + PLOT - cell)
        rects.append(
            f'<rect x="{x:.1f}" y="4" width="{cell:.1f}" height="20" '
            f'fill="{COLORS.get(p.status, "#999")}"><title>{iso(p.at)} {p.status}</title></rect>'
        )
    label = '<text x="0" y="18">status</text>'
    return f'<svg width="{WIDTH}" height="30" role="img">{label}{"".join(rects)}</svg>'


def _latency(h: TargetHistory, start: float, span: float) -> str:
    height, top, bottom = 170, 10, 140
    values = [v for p in h.points for v in (p.p50_ms, p.p95_ms) if v is not None]
    peak = max(values, default=1.0) * 1.1 or 1.0
    parts = [f'<text x="0" y="{top + 8}">ms</text>']
    for frac in (0.0, 0.5, 1.0):
        y = bottom - frac * (bottom - top)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + PLOT}" y2="{y:.1f}" stroke="#eee"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{peak * frac:.0f}</text>'
        )
    for name, color, dash in (("p50_ms", "#1f6feb", ""), ("p95_ms", "#e8710a", "5 3")):
        segments: list[list[str]] = [[]]
        for p in h.points:
            value = getattr(p, name)
            if value is None:  # no answer (unreachable): break the line
                segments.append([])
                continue
            y = bottom - value / peak * (bottom - top)
            segments[-1].append(f"{_x(p.at, start, span):.1f},{y:.1f}")
        for pts in segments:
            if len(pts) == 1:
                cx, cy = pts[0].split(",")
                parts.append(f'<circle cx="{cx}" cy="{cy}" r="2.5" fill="{color}"/>')
            elif pts:
                parts.append(
                    f'<polyline points="{" ".join(pts)}" fill="none" stroke="{color}" '
                    f'stroke-width="2" stroke-dasharray="{dash}"/>'
                )
    parts.append(_axis(start, span, bottom + 6))
    return f'<svg width="{WIDTH}" height="{height}" role="img">{"".join(parts)}</svg>'


def _findings(h: TargetHistory, start: float, span: float) -> str:
    top, bottom = 6, 56
    peak = max((p.findings for p in h.points), default=0) or 1
    bar = max(2.0, PLOT / max(1, len(h.points)) - 1)
    parts = [
        f'<text x="0" y="{top + 10}">findings</text>',
        f'<text x="{LEFT - 6}" y="{top + 8}" text-anchor="end">{peak}</text>',
        f'<line x1="{LEFT}" y1="{bottom}" x2="{LEFT + PLOT}" y2="{bottom}" stroke="#999"/>',
    ]
    for p in h.points:
        if p.findings:
            tall = p.findings / peak * (bottom - top)
            x = min(_x(p.at, start, span), LEFT + PLOT - bar)
            parts.append(
                f'<rect x="{x:.1f}" y="{bottom - tall:.1f}" width="{bar:.1f}" '
                f'height="{tall:.1f}" fill="#d64541"><title>{iso(p.at)}: {p.findings} '
                "finding(s)</title></rect>"
            )
    return f'<svg width="{WIDTH}" height="{bottom + 4}" role="img">{"".join(parts)}</svg>'


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def _panel(h: TargetHistory, start: float, span: float) -> str:
    p50 = "-" if h.p50_ms is None else f"{h.p50_ms:.1f} ms"
    p95 = "-" if h.p95_ms is None else f"{h.p95_ms:.1f} ms"
    stats = (
        f"{len(h.points)} records &middot; available {_pct(h.availability)} &middot; healthy "
        f"{_pct(h.healthy)} &middot; p50 {p50} &middot; p95 {p95} &middot; last: "
        f"<b>{escape(h.last_status)}</b>"
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
    return (
        f'<section class="panel"><h2>{escape(h.vendor)} &mdash; {escape(h.target)}</h2>'
        f'<div class="stats">{stats}</div>{_status_strip(h, start, span)}'
        f"{_latency(h, start, span)}{_findings(h, start, span)}{table}</section>"
    )


def render_chart(histories: list[TargetHistory], since: float, generated: float) -> str:
    """The whole HTML document."""
    moments = [p.at for h in histories for p in h.points]
    first, end = (min(moments), max(moments)) if moments else (generated - since, generated)
    span = max(end - first, 1.0) * 1.04
    start = first - span * 0.02
    legend = "".join(
        f'<span><i class="sw" style="background:{color}"></i>{name}</span>'
        for name, color in COLORS.items()
    ) + (
        '<span><i class="sw" style="background:#1f6feb"></i>p50 latency</span>'
        '<span><i class="sw" style="background:#e8710a"></i>p95 latency</span>'
    )
    panels = "".join(_panel(h, start, span) for h in histories)
    panels = panels or "<p>No record in this period.</p>"
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        "<title>harness monitor: trends</title>"
        f"<style>{STYLE}</style></head><body><h1>harness monitor: health-check trends</h1>"
        f'<div class="stats">records from {iso(first)} to {iso(end)} '
        f"(window: last {since / 3600:.1f} h), generated {iso(generated)}; times in UTC</div>"
        f'<div class="legend">{legend}</div>{panels}</body></html>\n'
    )
