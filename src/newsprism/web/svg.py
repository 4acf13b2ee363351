"""Small pictures drawn as inline SVG (no script, no inline style: CSP-safe; all text escaped)."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass

PALETTE = ("#3b6ea8", "#c0633a", "#4f8f5b", "#8a5aa8", "#b08a2e", "#3a9aa0", "#a8455a")


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def coverage_bar(outlets: Sequence[tuple[str, int]], *, width: int = 240, height: int = 14) -> str:
    """One bar split by outlet, proportional to each outlet's article count."""
    total = sum(n for _, n in outlets) or 1
    parts, x = [], 0.0
    for i, (outlet, n) in enumerate(outlets):
        w = width * n / total
        parts.append(
            f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{height}" fill="{PALETTE[i % len(PALETTE)]}">'
            f"<title>{_e(outlet)}: {n} article{'s' if n != 1 else ''}</title></rect>"
        )
        x += w
    label = ", ".join(f"{o} ({n})" for o, n in outlets)
    return (
        f'<svg class="coverage" role="img" aria-label="{_e("Coverage: " + label)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">{"".join(parts)}</svg>'
    )


@dataclass(frozen=True, slots=True)
class TimelinePoint:
    date: dt.date
    label: str
    href: str
    sources: str


def timeline(points: Sequence[TimelinePoint], *, width: int = 1000) -> str:
    """Dated items on a horizontal axis; each dot links to its source sentence."""
    if not points:
        return '<p class="muted">No dated items.</p>'
    ordered = sorted(points, key=lambda p: p.date)
    first, last = ordered[0].date, ordered[-1].date
    span = max(1, (last - first).days)
    left, right, row = 90, 20, 26
    axis_y = 30
    height = axis_y + 20 + row * len(ordered)
    usable = width - left - right
    out = [
        f'<svg class="timeline" role="img" aria-label="Timeline of {len(ordered)} dated items" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f'<line x1="{left}" y1="{axis_y}" x2="{width - right}" y2="{axis_y}" stroke="#888"/>',
        f'<text x="{left}" y="{axis_y - 10}" class="tick">{first.isoformat()}</text>',
    ]
    if last != first:
        out.append(
            f'<text x="{width - right}" y="{axis_y - 10}" text-anchor="end" class="tick">'
            f"{last.isoformat()}</text>"
        )
    for n, p in enumerate(ordered):
        x = left + usable * (p.date - first).days / span
        y = axis_y + 20 + row * n
        out.append(
            f'<g class="item" data-date="{p.date.isoformat()}"><a href="{_e(p.href)}">'
            f'<line x1="{x:.1f}" y1="{axis_y}" x2="{x:.1f}" y2="{y}" stroke="#ccc"/>'
            f'<circle cx="{x:.1f}" cy="{axis_y}" r="5" fill="{PALETTE[0]}"/>'
            f'<text x="4" y="{y + 4}" class="date">{p.date.isoformat()}</text>'
            f'<text x="{left}" y="{y + 4}" class="label">{_e(_short(p.label, 110))}'
            f' <tspan class="src">— {_e(p.sources)}</tspan></text>'
            f"<title>{_e(p.label)}</title></a></g>"
        )
    out.append("</svg>")
    return "".join(out)


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def agreement_matrix(
    rows: Sequence[tuple[str, str, Sequence[bool]]], sources: Sequence[str], *, limit: int = 30
) -> str:
    """Claims (rows: label, link, carried-by flags) x sources (columns): who reports what."""
    if not rows or not sources:
        return '<p class="muted">No claims to compare.</p>'
    rows = list(rows)[:limit]
    cell, left, top = 18, 470, 24 + 14 * max(len(s) for s in sources) // 2
    top = min(top, 160)
    width = left + cell * len(sources) + 10
    height = top + cell * len(rows) + 10
    out = [
        f'<svg class="matrix" role="img" aria-label="Which source carries which claim: '
        f'{len(rows)} claims, {len(sources)} sources" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">'
    ]
    for j, source in enumerate(sources):
        x = left + cell * j + cell / 2
        out.append(
            f'<text class="col" transform="translate({x:.0f},{top - 6}) rotate(-45)">'
            f"{_e(_short(source, 22))}</text>"
        )
    for i, (label, href, flags) in enumerate(rows):
        y = top + cell * i
        shared = sum(flags) > 1
        out.append(
            f'<a href="{_e(href)}"><text class="row{" shared" if shared else ""}" x="{left - 8}" '
            f'y="{y + 13}" text-anchor="end">{_e(_short(label, 70))}</text></a>'
        )
        for j, carried in enumerate(flags):
            x = left + cell * j
            fill = PALETTE[0] if carried and shared else PALETTE[4] if carried else "#eef1f4"
            out.append(
                f'<rect x="{x + 1}" y="{y + 1}" width="{cell - 2}" height="{cell - 2}" fill="{fill}">'
                f"<title>{_e(sources[j])}: {'carries' if carried else 'does not carry'} this claim</title></rect>"
            )
    out.append("</svg>")
    return "".join(out)


def share_bars(items: Sequence[tuple[str, float]], *, width: int = 220, row: int = 16) -> str:
    """Labelled horizontal bars for shares in [0, 1] (opinion share, voices)."""
    if not items:
        return ""
    label_w = 120
    height = row * len(items) + 2
    out = [
        f'<svg class="bars" role="img" aria-label="{_e("; ".join(f"{k} {v:.0%}" for k, v in items))}" '
        f'width="{label_w + width + 40}" height="{height}" viewBox="0 0 {label_w + width + 40} {height}">'
    ]
    for i, (label, share) in enumerate(items):
        y = i * row
        w = max(1.0, width * max(0.0, min(1.0, share)))
        out.append(
            f'<text x="{label_w - 6}" y="{y + 12}" text-anchor="end">{_e(_short(label, 20))}</text>'
            f'<rect x="{label_w}" y="{y + 2}" width="{w:.1f}" height="{row - 5}" fill="{PALETTE[i % len(PALETTE)]}"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + 12}">{share:.0%}</text>'
        )
    out.append("</svg>")
    return "".join(out)
