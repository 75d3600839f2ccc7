"""A layered left-to-right layout of a directed graph (Sugiyama-style), in plain Python.

Why our own: the layout libraries in Python either need Graphviz's binaries (pygraphviz, pydot)
or are unmaintained (grandalf, last released 2023 with open bugs); a workflow graph is small
(tens of nodes), so the four classic steps fit in a page and need nothing installed:

1. break cycles (Glue graphs can loop back: a trigger watching a job it eventually restarts) by
   reversing the back edges a depth-first search finds;
2. put each node in a column one past its furthest predecessor (longest path);
3. replace edges spanning several columns by chains of invisible points, so lines route between
   boxes instead of through them;
4. order each column by the median position of its neighbours, sweeping right and left a few
   times, to reduce crossings; then place the boxes in their columns, in that order and apart
   (``render.placement``), so no two ever overlap.

A picture must read on a laptop, so given ``max_width`` the columns wrap like lines of text
(``render.bands``): as many as fit go in a band, the next band below it. An edge from the last column of a band to the
first of the next leaves right, runs down the right margin, left along the gap under the band and
down the left margin into its target, each such edge in a lane of its own, nested so that they do
not cross. Edges leave and enter a box at ports spread along its side in the order of the other
ends, so a fan-in's lines do not cross at the box.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from moto_glue_workflows.render.bands import LANE, band_of, wrapping
from moto_glue_workflows.render.bands import bands as bands_within
from moto_glue_workflows.render.placement import POINT_HEIGHT, Box, neighbours, ports, settle, stack

SWEEPS = 8


@dataclass
class Layout:
    boxes: dict[str, Box]
    # Each edge as drawn: its source, its target, and the points of its line (left to right for
    # forward edges; a reversed edge's points are given from its real source to its real target).
    routes: list[tuple[str, str, list[tuple[float, float]]]]
    width: float
    height: float
    columns: list[list[str]] = field(default_factory=list)
    bands: list[range] = field(default_factory=list)  # the columns in each band, top to bottom


def _acyclic(nodes: Sequence[str], edges: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
    """The edges to reverse so that the graph has no cycle (back edges of a DFS in node order)."""
    children: dict[str, list[str]] = {node: [] for node in nodes}
    for source, target in edges:
        children[source].append(target)
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    reversed_edges: set[tuple[str, str]] = set()
    for root in nodes:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(children[root]))]
        while stack:
            node, pending = stack[-1]
            child = next(pending, None)
            if child is None:
                state[node] = 2
                stack.pop()
            elif state.get(child) == 1:
                reversed_edges.add((node, child))
            elif child not in state:
                state[child] = 1
                stack.append((child, iter(children[child])))
    return reversed_edges


def _layers(nodes: Sequence[str], edges: Sequence[tuple[str, str]]) -> dict[str, int]:
    parents: dict[str, list[str]] = {node: [] for node in nodes}
    children: dict[str, list[str]] = {node: [] for node in nodes}
    for source, target in edges:
        parents[target].append(source)
        children[source].append(target)
    remaining = {node: len(parents[node]) for node in nodes}
    ready = [node for node in nodes if remaining[node] == 0]
    layer = dict.fromkeys(nodes, 0)
    while ready:
        node = ready.pop(0)
        for child in children[node]:
            layer[child] = max(layer[child], layer[node] + 1)
            remaining[child] -= 1
            if remaining[child] == 0:
                ready.append(child)
    return layer


def _median(positions: list[int]) -> float:
    ordered = sorted(positions)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _order(columns: list[list[str]], edges: list[tuple[str, str]]) -> None:
    parents: dict[str, list[str]] = {}
    children: dict[str, list[str]] = {}
    for source, target in edges:
        children.setdefault(source, []).append(target)
        parents.setdefault(target, []).append(source)
    for sweep in range(SWEEPS):
        forward = sweep % 2 == 0
        indices = range(1, len(columns)) if forward else range(len(columns) - 2, -1, -1)
        for index in indices:
            neighbour_column = columns[index - 1] if forward else columns[index + 1]
            where = {node: position for position, node in enumerate(neighbour_column)}
            links = parents if forward else children
            current = columns[index]
            keys = {}
            for position, node in enumerate(current):
                linked = [where[other] for other in links.get(node, []) if other in where]
                keys[node] = _median(linked) if linked else float(position)
            current.sort(key=lambda node: keys[node])  # stable: ties keep their order


POINT_WIDTH = 24  # a column holding only the points of long edges


def layout(
    nodes: Sequence[str],
    edges: Sequence[tuple[str, str]],
    *,
    node_width: float = 190,
    node_height: float = 54,
    column_gap: float = 70,
    row_gap: float = 22,
    margin: float = 20,
    max_width: float | None = None,
    widths: Mapping[str, float] | None = None,
    heights: Mapping[str, float] | None = None,
) -> Layout:
    """Boxes for ``nodes`` and routes for ``edges``, columns left to right, wrapped into bands no
    wider than ``max_width`` (one band when None). Boxes are ``node_width`` wide unless ``widths``
    says otherwise; a column is as wide as its widest box, and narrower boxes are centred in it."""
    nodes = list(dict.fromkeys(nodes))
    known = set(nodes)
    edges = [(s, t) for s, t in dict.fromkeys(edges) if s in known and t in known and s != t]
    backwards = _acyclic(nodes, edges)
    forward = [(t, s) if (s, t) in backwards else (s, t) for s, t in edges]
    layer = _layers(nodes, forward)
    box_width = {node: (widths or {}).get(node, node_width) for node in nodes}

    # Chains of points for long edges, so lines pass between boxes.
    all_nodes = list(nodes)
    split_edges: list[tuple[str, str]] = []
    chains: dict[tuple[str, str], list[str]] = {}
    for source, target in forward:
        chain = [source]
        for step in range(layer[source] + 1, layer[target]):
            point = f"\x00{source}\x00{target}\x00{step}"
            layer[point] = step
            all_nodes.append(point)
            chain.append(point)
        chain.append(target)
        chains[(source, target)] = chain
        split_edges.extend(itertools.pairwise(chain))

    columns: list[list[str]] = [[] for _ in range(max(layer.values(), default=-1) + 1)]
    for node in all_nodes:
        columns[layer[node]].append(node)
    _order(columns, split_edges)
    column_width = [max((box_width[n] for n in column if n in known), default=POINT_WIDTH) for column in columns]

    # Which columns share a band: the margins must hold the lanes of the edges that wrap, which depend
    # on where bands end, so settle it in rounds (side only grows, so bands only get narrower).
    bands = [range(len(columns))]
    leaving: dict[int, list[tuple[str, str]]] = {}
    side = margin
    while max_width is not None:
        limit = max_width - 2 * side
        if sum(column_width) + column_gap * (len(columns) - 1) <= limit:
            bands, leaving = [range(len(columns))], {}
            break
        bands = bands_within(column_width, column_gap, limit)
        leaving = wrapping(layer, split_edges, bands)
        wanted = max(margin, 14 + max((len(found) for found in leaving.values()), default=0) * LANE)
        if wanted <= side or len(bands) == len(columns):
            break
        side = wanted

    # Boxes: each band's columns side by side; in a column, each box level with the middle of what leads
    # into it (so a chain is a straight line), then each with no predecessor there level with the middle
    # of what it leads to (so a fan-out's source sits in front of it); never closer than row_gap.
    own_height = {node: (heights or {}).get(node, node_height) for node in nodes}
    boxes: dict[str, Box] = {}
    band_bottom: list[float] = []
    band_right: list[float] = []
    top = float(margin)
    for index, band in enumerate(bands):
        x = float(side)
        centre: dict[str, float] = {}
        for column in band:
            for node in columns[column]:
                own = box_width.get(node, POINT_WIDTH)
                boxes[node] = Box(x + (column_width[column] - own) / 2, 0.0, own, own_height.get(node, POINT_HEIGHT))
            x += column_width[column] + column_gap
        inside = set().union(*(columns[column] for column in band))
        before = neighbours(split_edges, inside, backward=True)
        after = neighbours(split_edges, inside, backward=False)
        for column in band:
            stack(columns[column], boxes, centre, before, top, row_gap)
        for column in reversed(band):
            settle(columns[column], boxes, centre, before, after, top, row_gap)
        band_right.append(x - column_gap)
        bottom = max((box.y + box.height for node in inside for box in [boxes[node]]), default=top)
        band_bottom.append(bottom)
        wrapped = len(leaving.get(index, []))
        top = bottom + row_gap + (wrapped * LANE + row_gap if wrapped else 0)
    width = max(band_right, default=float(side)) + side
    height = (band_bottom[-1] if band_bottom else margin) + margin

    port_y = ports(nodes, chains, boxes, layer, bands)
    lanes = {
        edge: (rank, len(found))
        for found in leaving.values()
        for rank, edge in enumerate(sorted(found, key=lambda e: (boxes[e[0]].y, boxes[e[1]].y)))
    }
    column_band = band_of(bands)

    routes: list[tuple[str, str, list[tuple[float, float]]]] = []
    for source, target in edges:
        drawn = (target, source) if (source, target) in backwards else (source, target)
        chain = chains[drawn]
        start = boxes[chain[0]]
        points = [(start.x + start.width, port_y[(drawn, 0)])]
        for step, point in enumerate(chain[1:], start=1):
            box = boxes[point]
            last = step == len(chain) - 1
            y = port_y[(drawn, step)] if last else box.y + box.height / 2
            x = box.x if last else box.x + box.width / 2
            if (chain[step - 1], point) in lanes:  # down the right margin, left under the band, down the left
                rank, count = lanes[(chain[step - 1], point)]
                above = column_band[layer[chain[step - 1]]]
                right = band_right[above] + 10 + (count - 1 - rank) * LANE
                gutter = band_bottom[above] + row_gap + (count - 1 - rank) * LANE
                left = side - 10 - rank * LANE
                points += [(right, points[-1][1]), (right, gutter), (left, gutter), (left, y)]
            points.append((x, y))
        if drawn != (source, target):
            points.reverse()
        routes.append((source, target, points))
    real = {node: boxes[node] for node in nodes}
    return Layout(real, routes, width, height, [[n for n in column if n in known] for column in columns], bands)
