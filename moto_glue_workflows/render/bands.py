"""Columns wrapped into bands no wider than a limit, like lines of text: the horizontal half of ``render.layout``.

As few bands as fit, evened out; the edges from the last column of a band to the first of the next (which the
layout routes in lanes around the band) found per band.
"""

from __future__ import annotations

LANE = 7  # px between the lines of edges that wrap from one band to the next


def pack(widths: list[float], gap: float, limit: float) -> list[range]:
    """Consecutive columns in bands no wider than ``limit`` (a column wider than it gets a band alone)."""
    bands: list[range] = []
    start, used = 0, 0.0
    for index, width in enumerate(widths):
        wanted = width if index == start else used + gap + width
        if index > start and wanted > limit:
            bands.append(range(start, index))
            start, wanted = index, width
        used = wanted
    if widths:
        bands.append(range(start, len(widths)))
    return bands


def bands(widths: list[float], gap: float, limit: float) -> list[range]:
    """As few bands as fit ``limit``, as even as can be: the narrowest limit that needs no more bands."""
    bands = pack(widths, gap, limit)
    low, high = max(widths, default=0.0), limit
    while high - low > 1:
        middle = (low + high) / 2
        if len(pack(widths, gap, middle)) <= len(bands):
            high = middle
        else:
            low = middle
    return pack(widths, gap, high)


def band_of(bands: list[range]) -> dict[int, int]:
    """Each column's band."""
    return {column: index for index, band in enumerate(bands) for column in band}


def wrapping(
    layer: dict[str, int], split_edges: list[tuple[str, str]], bands: list[range]
) -> dict[int, list[tuple[str, str]]]:
    """The split edges leaving each band (by the band's index) for the next."""
    column_band = band_of(bands)
    leaving: dict[int, list[tuple[str, str]]] = {}
    for source, target in split_edges:
        if column_band[layer[source]] != column_band[layer[target]]:
            leaving.setdefault(column_band[layer[source]], []).append((source, target))
    return leaving
