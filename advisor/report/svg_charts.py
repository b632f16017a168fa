"""Small charts drawn as inline SVG, so the HTML report needs no script, font or network."""

from __future__ import annotations

import math
from html import escape

BAND_COLOURS = {"low": "#4c9a5f", "watch": "#3b7dbf", "elevated": "#d9962b", "high": "#c0392b"}
_BAR = 18  # pixels per owner row
_LABEL = 180  # pixels for owner names


def risk_by_owner(counts: dict[str, dict[str, int]]) -> str:
    """A stacked bar per owner: how many of their filters fall in each band."""
    if not counts:
        return "<p>No filter was checked.</p>"
    width, most = 420, max(sum(bands.values()) for bands in counts.values())
    height = _BAR * len(counts) + 30
    parts = [f'<svg class="chart" role="img" aria-label="Risk bands by owner" width="{_LABEL + width + 40}" '
             f'height="{height}" viewBox="0 0 {_LABEL + width + 40} {height}">']
    for row, (owner, bands) in enumerate(counts.items()):
        y = row * _BAR + 4
        parts.append(f'<text x="{_LABEL - 6}" y="{y + 12}" text-anchor="end">{escape(_short(owner))}</text>')
        x = float(_LABEL)
        for band, colour in BAND_COLOURS.items():
            if bands.get(band):
                length = width * bands[band] / most
                parts.append(f'<rect x="{x:.1f}" y="{y}" width="{length:.1f}" height="{_BAR - 4}" fill="{colour}">'
                             f'<title>{escape(owner)}: {bands[band]} {band}</title></rect>')
                x += length
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 12}">{sum(bands.values())}</text>')
    parts.append(_legend(_LABEL, height - 10))
    return "".join(parts) + "</svg>"


def time_histogram(seconds: list[float], timeout: float) -> str:
    """How many filters take how long, in bins of a power of ten, with the timeout marked."""
    if not seconds:
        return "<p>No filter was checked.</p>"
    edges = [10.0 ** power for power in range(-3, 5)]  # 1 ms ... 10,000 s
    labels = ["< 1 ms", "1-10 ms", "10-100 ms", "0.1-1 s", "1-10 s", "10-100 s", "100-1000 s", "1000 s +"]
    bins = [0] * len(labels)
    for value in seconds:
        bins[sum(1 for edge in edges if value >= edge)] += 1
    width, height, column = 520, 190, 60
    most = max(bins)
    parts = [f'<svg class="chart" role="img" aria-label="Estimated times" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}">']
    for at, count in enumerate(bins):
        bar = 130 * count / most if most else 0
        x = 10 + at * column
        parts.append(f'<rect x="{x}" y="{150 - bar:.1f}" width="{column - 8}" height="{bar:.1f}" fill="#3b7dbf">'
                     f'<title>{labels[at]}: {count}</title></rect>')
        parts.append(f'<text x="{x + (column - 8) / 2}" y="{146 - bar:.1f}" text-anchor="middle">{count}</text>')
        parts.append(f'<text x="{x + (column - 8) / 2}" y="168" text-anchor="middle" class="small">{labels[at]}</text>')
    marker = 10 + column * (math.log10(max(timeout, 1e-3)) + 4)  # bin k starts at 10^(k-4) s
    parts.append(f'<line x1="{marker:.1f}" y1="10" x2="{marker:.1f}" y2="152" stroke="#c0392b" stroke-dasharray="4 3"/>')
    parts.append(f'<text x="{marker + 4:.1f}" y="20" class="small">timeout</text>')
    return "".join(parts) + "</svg>"


def _legend(x: float, y: float) -> str:
    items = []
    for band, colour in BAND_COLOURS.items():
        items.append(f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{x + 14}" y="{y}" class="small">{band}</text>')
        x += 80
    return "".join(items)


def _short(text: str, most: int = 28) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"
