"""Server-side SVG charts: vector in the PDF, accessible in HTML (title, desc, data table beside).

Every label is escaped; charts use presentation attributes only (no scripts, no external refs).
"""

from dataclasses import dataclass
from html import escape

from markupsafe import Markup

PALETTE = ["#1f5f99", "#c4553a", "#3b8a4f", "#8a5a9e", "#b58400", "#4a7f8c", "#7a6a55", "#a8447a"]


@dataclass
class Bar:
    label: str
    value: float
    colour: str | None = None


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"


def bar_chart(
    title: str,
    bars: list[Bar],
    *,
    width: int = 560,
    unit: str = "",
    max_value: float | None = None,
    chart_id: str = "chart",
) -> Markup:
    """Horizontal bar chart; returns inline SVG markup."""
    label_w, row_h, pad = 190, 26, 8
    height = pad * 2 + 24 + row_h * max(1, len(bars))
    top = max([b.value for b in bars] + [max_value or 0, 1])
    plot_w = width - label_w - 70
    t_id, d_id = f"{chart_id}-title", f"{chart_id}-desc"
    desc = "; ".join(f"{b.label}: {_fmt(b.value)}{unit}" for b in bars) or "No data"
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{t_id} {d_id}">',
        f'<title id="{t_id}">{escape(title)}</title><desc id="{d_id}">{escape(desc)}</desc>',
        f'<line x1="{label_w}" y1="{pad + 20}" x2="{label_w}" y2="{height - pad}" stroke="#333" stroke-width="1"/>',
    ]
    for i, b in enumerate(bars):
        y = pad + 24 + i * row_h
        w = 0 if top == 0 else plot_w * b.value / top
        colour = b.colour or PALETTE[i % len(PALETTE)]
        label = b.label if len(b.label) <= 30 else b.label[:29] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="12" fill="#1b1b1b">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" fill="{escape(colour)}"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + 15}" font-size="12" fill="#1b1b1b">{escape(_fmt(b.value))}{escape(unit)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated value above is escaped
