"""Small pictures drawn as inline SVG (no script, no inline style: CSP-safe; all text escaped).

Every chart carries a legend (`<g class="legend">`) and sizes its canvas from its labels, so no
label is cut at the edge: text widths are estimated from the character count at a generous
average glyph width (`_text_w`), and labels that would not fit are shortened with an ellipsis.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

PALETTE = ("#3b6ea8", "#c0633a", "#4f8f5b", "#8a5aa8", "#b08a2e", "#3a9aa0", "#a8455a")
OTHER = "#9aa3ad"
_GLYPH = 0.62  # average glyph width / font size: above system-ui's for Latin and Cyrillic text


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _text_w(text: str, size: float) -> float:
    """A width the text will not exceed at this font size (wide glyphs counted wider)."""
    wide = sum(1 for ch in text if ch.isupper() or ch in "mwMW—…%")
    return size * (_GLYPH * len(text) + 0.25 * wide)


def _fit(text: str, size: float, room: float) -> str:
    """The text, shortened with an ellipsis until it fits `room` pixels."""
    if _text_w(text, size) <= room:
        return text
    n = len(text)
    while n > 1 and _text_w(text[:n] + "…", size) > room:
        n -= 1
    return text[:n].rstrip() + "…"


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def legend(
    entries: Sequence[tuple[str, str]], *, width: float, x: float = 0, y: float = 0, size: int = 11
) -> tuple[str, float]:
    """A legend of colour swatches and labels laid out in rows within `width`; the markup
    and its height."""
    out, cx, cy, row = ['<g class="legend">'], x, y, size + 8
    for colour, label in entries:
        text = _fit(label, size, width - 18)
        w = 14 + _text_w(text, size) + 14
        if cx > x and cx + w > x + width:
            cx, cy = x, cy + row
        out.append(
            f'<rect x="{cx:.1f}" y="{cy + 2:.1f}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{cx + 14:.1f}" y="{cy + 11:.1f}">{_e(text)}</text>'
        )
        cx += w
    out.append("</g>")
    return "".join(out), (cy - y) + row if entries else 0.0


def _colours(names: Sequence[str], *, most: int = len(PALETTE)) -> dict[str, str]:
    """A colour per name, the first `most` from the palette, the rest grey ("other")."""
    return {n: PALETTE[i] if i < most else OTHER for i, n in enumerate(names)}


def coverage_bar(outlets: Sequence[tuple[str, int]], *, width: int = 640, height: int = 14) -> str:
    """One bar split by outlet, proportional to each outlet's article count, with a legend."""
    total = sum(n for _, n in outlets) or 1
    colours = _colours([o for o, _ in outlets])
    parts, x = [], 0.0
    for outlet, n in outlets:
        w = width * n / total
        parts.append(
            f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{height}" fill="{colours[outlet]}">'
            f"<title>{_e(outlet)}: {n} article{'s' if n != 1 else ''}</title></rect>"
        )
        x += w
    shown = list(outlets[: len(PALETTE)])
    entries = [(colours[o], f"{o} ({n})") for o, n in shown]
    if len(outlets) > len(shown):
        rest = sum(n for _, n in outlets[len(shown) :])
        entries.append((OTHER, f"{len(outlets) - len(shown)} more outlets ({rest})"))
    key, key_h = legend(entries, width=width, y=height + 4)
    full_h = height + 4 + key_h
    label = ", ".join(f"{o} ({n})" for o, n in outlets)
    return (
        f'<svg class="coverage" role="img" aria-label="{_e("Coverage: " + label)}" '
        f'width="{width}" height="{full_h:.0f}" viewBox="0 0 {width} {full_h:.0f}">'
        f"{''.join(parts)}{key}</svg>"
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
    left, right, row, size = 90, 20, 26, 12
    key, key_h = legend(
        [
            (PALETTE[0], "a dated item on the axis (its line leads to its row)"),
            ("#888888", "row: date, what happened — the sources telling it"),
        ],
        width=width - 8,
        x=4,
        y=4,
    )
    axis_y = 30 + key_h
    height = axis_y + 20 + row * len(ordered)
    usable = width - left - right
    out = [
        f'<svg class="timeline" role="img" aria-label="Timeline of {len(ordered)} dated items" '
        f'width="{width}" height="{height:.0f}" viewBox="0 0 {width} {height:.0f}">',
        key,
        f'<line x1="{left}" y1="{axis_y}" x2="{width - right}" y2="{axis_y}" stroke="#888"/>',
        f'<text x="{left}" y="{axis_y - 10}" class="tick">{first.isoformat()}</text>',
    ]
    if last != first:
        out.append(
            f'<text x="{width - right}" y="{axis_y - 10}" text-anchor="end" class="tick">'
            f"{last.isoformat()}</text>"
        )
    room = width - left - 6
    for n, p in enumerate(ordered):
        x = left + usable * (p.date - first).days / span
        y = axis_y + 20 + row * n
        src = f" — {p.sources}" if p.sources else ""
        src_fit = _fit(src, size, room / 3) if src else ""
        text = _fit(p.label, size, room - _text_w(src_fit, size))
        out.append(
            f'<g class="item" data-date="{p.date.isoformat()}"><a href="{_e(p.href)}">'
            f'<line x1="{x:.1f}" y1="{axis_y}" x2="{x:.1f}" y2="{y}" stroke="#ccc"/>'
            f'<circle cx="{x:.1f}" cy="{axis_y}" r="5" fill="{PALETTE[0]}"/>'
            f'<text x="4" y="{y + 4}" class="date">{p.date.isoformat()}</text>'
            f'<text x="{left}" y="{y + 4}" class="label">{_e(text)}'
            f'<tspan class="src">{_e(src_fit)}</tspan></text>'
            f"<title>{_e(p.label)}{_e(src)}</title></a></g>"
        )
    out.append("</svg>")
    return "".join(out)


def agreement_matrix(
    rows: Sequence[tuple[str, str, Sequence[bool]]], sources: Sequence[str], *, limit: int = 30
) -> str:
    """Claims (rows: label, link, carried-by flags) x sources (columns): who reports what."""
    if not rows or not sources:
        return '<p class="muted">No claims to compare.</p>'
    rows = list(rows)[:limit]
    size, cell = 11, 18
    cols = [_short(s, 24) for s in sources]
    # a column label is rotated -45°: it reaches up and right by its width / √2
    reach = max(_text_w(c, size) for c in cols) / math.sqrt(2)
    left = 470
    key, key_h = legend(
        [
            (PALETTE[0], "carried by several sources"),
            (PALETTE[4], "carried by this source only"),
            ("#eef1f4", "not carried"),
        ],
        width=left + cell * len(sources),
        x=4,
        y=4,
    )
    top = key_h + 12 + reach + size
    width = left + cell * len(sources) + reach + 12
    height = top + cell * len(rows) + 10
    out = [
        f'<svg class="matrix" role="img" aria-label="Which source carries which claim: '
        f'{len(rows)} claims, {len(sources)} sources" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}">',
        key,
    ]
    for j, col in enumerate(cols):
        x = left + cell * j + cell / 2
        out.append(
            f"<g><title>{_e(sources[j])}</title>"
            f'<text class="col" transform="translate({x:.0f},{top - 6:.0f}) rotate(-45)">'
            f"{_e(col)}</text></g>"
        )
    for i, (label, href, flags) in enumerate(rows):
        y = top + cell * i
        shared = sum(flags) > 1
        out.append(
            f'<a href="{_e(href)}"><title>{_e(label)}</title>'
            f'<text class="row{" shared" if shared else ""}" x="{left - 8}" '
            f'y="{y + 13:.0f}" text-anchor="end">{_e(_fit(label, size + 1, left - 14))}</text></a>'
        )
        for j, carried in enumerate(flags):
            x = left + cell * j
            fill = PALETTE[0] if carried and shared else PALETTE[4] if carried else "#eef1f4"
            out.append(
                f'<rect x="{x + 1}" y="{y + 1:.0f}" width="{cell - 2}" height="{cell - 2}" '
                f'fill="{fill}"><title>{_e(sources[j])}: '
                f"{'carries' if carried else 'does not carry'} this claim</title></rect>"
            )
    out.append("</svg>")
    return "".join(out)


def share_bars(
    items: Sequence[tuple[str, float]],
    *,
    width: int = 150,
    row: int = 16,
    notes: Sequence[str] = (),
) -> str:
    """Labelled horizontal bars for shares in [0, 1] (opinion share, voices); `notes` are the
    legend's lines saying what the shares are of (one swatch a bar colour, in order)."""
    if not items:
        return ""
    size = 11
    labels = [_short(k, 22) for k, _ in items]
    label_w = max(_text_w(k, size) for k in labels) + 10
    total_w = label_w + width + _text_w("100%", size) + 8
    key, key_h = legend(
        [(PALETTE[i % len(PALETTE)], n) for i, n in enumerate(notes)], width=total_w
    )
    height = key_h + row * len(items) + 2
    out = [
        f'<svg class="bars" role="img" aria-label="{_e("; ".join(f"{k} {v:.0%}" for k, v in items))}" '
        f'width="{total_w:.0f}" height="{height:.0f}" viewBox="0 0 {total_w:.0f} {height:.0f}">',
        key,
    ]
    for i, (label, share) in enumerate(items):
        y = key_h + i * row
        w = max(1.0, width * max(0.0, min(1.0, share)))
        out.append(
            f"<g><title>{_e(label)}</title>"
            f'<text x="{label_w - 6:.1f}" y="{y + 12:.0f}" text-anchor="end">{_e(labels[i])}</text>'
            "</g>"
            f'<rect x="{label_w:.1f}" y="{y + 2:.0f}" width="{w:.1f}" height="{row - 5}" '
            f'fill="{PALETTE[i % len(PALETTE)]}"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + 12:.0f}">{share:.0%}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def coverage_over_time(
    counts: Sequence[tuple[dt.date, str, int]],
    *,
    width: int = 1000,
    height: int = 120,
    most: int = 6,
) -> str:
    """Articles per outlet per day as stacked columns (one a day, every day of the range),
    the `most` busiest outlets in colour and the rest grey, with a legend and dated axis."""
    if not counts:
        return '<p class="muted">No dated articles.</p>'
    per_outlet: Counter[str] = Counter()
    by_day: dict[dt.date, Counter[str]] = defaultdict(Counter)
    for day, outlet, n in counts:
        per_outlet[outlet] += n
        by_day[day][outlet] += n
    ranked = [o for o, _ in per_outlet.most_common()]
    colours = _colours(ranked, most=most)
    first, last = min(by_day), max(by_day)
    days = (last - first).days + 1
    peak = max(sum(c.values()) for c in by_day.values())
    size, right = 11, 10
    left = max(34.0, _text_w(str(peak), size) + 8)  # room for the y axis' top number
    entries = [(colours[o], f"{o} ({per_outlet[o]})") for o in ranked[:most]]
    if len(ranked) > most:
        rest = sum(per_outlet[o] for o in ranked[most:])
        entries.append((OTHER, f"{len(ranked) - most} other outlets ({rest})"))
    key, key_h = legend(entries, width=width - 8, x=4, y=4)
    top = key_h + 14
    plot_h = height
    full_h = top + plot_h + 22
    usable = width - left - right
    step = usable / days
    out = [
        f'<svg class="over-time" role="img" aria-label="Articles per outlet per day, '
        f"{first.isoformat()} to {last.isoformat()}, {sum(per_outlet.values())} articles, "
        f'{len(ranked)} outlets" width="{width}" height="{full_h:.0f}" '
        f'viewBox="0 0 {width} {full_h:.0f}">',
        key,
        f'<line x1="{left:.1f}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" '
        'stroke="#888"/>',
        f'<text class="tick" x="{left - 4:.1f}" y="{top + 9}" text-anchor="end">{peak}</text>',
        f'<text class="tick" x="{left - 4:.1f}" y="{top + plot_h}" text-anchor="end">0</text>',
        f'<text class="tick" x="{left:.1f}" y="{top + plot_h + 16}">{first.isoformat()}</text>',
    ]
    if days > 1:
        out.append(
            f'<text class="tick" x="{width - right}" y="{top + plot_h + 16}" '
            f'text-anchor="end">{last.isoformat()}</text>'
        )
    bar_w = max(1.0, min(step * 0.8, 24.0))
    for k in range(days):
        day = first + dt.timedelta(days=k)
        c = by_day.get(day)
        if not c:
            continue
        x, y = left + step * k + (step - bar_w) / 2, float(top + plot_h)
        total = sum(c.values())
        out.append(f'<g class="day" data-date="{day.isoformat()}" data-articles="{total}">')
        for outlet in ranked:
            n = c.get(outlet, 0)
            if not n:
                continue
            h = plot_h * n / peak
            y -= h
            out.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{colours[outlet]}"><title>{day.isoformat()}: {_e(outlet)}, {n} '
                f"article{'s' if n != 1 else ''}</title></rect>"
            )
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)
