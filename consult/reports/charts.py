"""Server-side SVG charts: vector in the PDF, accessible in HTML (title, desc, data table beside).

Every label is escaped; charts use presentation attributes only (no scripts, no external refs).
"""

import re
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{3,8}$")
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
        # only plain hex colours: a colour like url(...) would make the renderer fetch something
        colour = b.colour if b.colour and COLOUR_RE.match(b.colour) else PALETTE[i % len(PALETTE)]
        label = b.label if len(b.label) <= 27 else b.label[:26] + "…"  # fits label_w at 12px
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="12" fill="#1b1b1b">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" fill="{escape(colour)}"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + 15}" font-size="12" fill="#1b1b1b">{escape(_fmt(b.value))}{escape(unit)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated value above is escaped


@dataclass
class Stack:
    """One stacked bar: a label and one value per series (matrix row, Likert distribution)."""

    label: str
    values: list[float]


def stacked_bar(
    title: str,
    series: list[str],
    stacks: list[Stack],
    *,
    width: int = 560,
    chart_id: str = "stacked",
) -> Markup:
    """Horizontal 100% stacked bars with a legend; returns inline SVG markup."""
    label_w, row_h, pad, legend_h = 190, 26, 8, 22
    plot_w = width - label_w - 20
    # three legend columns for short names, two when a name would run into its neighbour
    cols = 3 if max((len(n) for n in series), default=0) <= 14 else 2
    legend_rows = (len(series) + cols - 1) // cols
    height = pad * 2 + 24 + row_h * max(1, len(stacks)) + legend_h * legend_rows
    t_id, d_id = f"{chart_id}-title", f"{chart_id}-desc"
    desc = (
        "; ".join(
            f"{s.label}: "
            + ", ".join(f"{name} {_fmt(v)}" for name, v in zip(series, s.values, strict=False))
            for s in stacks
        )
        or "No data"
    )
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{t_id} {d_id}">',
        f'<title id="{t_id}">{escape(title)}</title><desc id="{d_id}">{escape(desc)}</desc>',
    ]
    for i, s in enumerate(stacks):
        y = pad + 24 + i * row_h
        total = sum(s.values) or 1
        label = s.label if len(s.label) <= 27 else s.label[:26] + "…"  # fits label_w at 12px
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="12" fill="#1b1b1b">{escape(label)}</text>'
        )
        x = float(label_w)
        for j, v in enumerate(s.values):
            w = plot_w * v / total
            if w > 0:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" '
                    f'fill="{PALETTE[j % len(PALETTE)]}" stroke="#fff" stroke-width="1"/>'
                )
            x += w
    legend_y = pad + 24 + row_h * max(1, len(stacks)) + 6
    for j, name in enumerate(series):
        lx = label_w + (j % cols) * (plot_w // cols)
        ly = legend_y + (j // cols) * legend_h
        short = name if len(name) <= 22 else name[:21] + "…"
        parts.append(
            f'<rect x="{lx}" y="{ly}" width="12" height="12" fill="{PALETTE[j % len(PALETTE)]}"/>'
            f'<text x="{lx + 16}" y="{ly + 11}" font-size="12" fill="#1b1b1b">{escape(short)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated value above is escaped
