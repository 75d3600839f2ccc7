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
   times, to reduce crossings; then place boxes on a grid, so no two ever overlap.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

SWEEPS = 8


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float

    def overlaps(self, other: Box) -> bool:
        return not (
            self.x + self.width <= other.x
            or other.x + other.width <= self.x
            or self.y + self.height <= other.y
            or other.y + other.height <= self.y
        )


@dataclass
class Layout:
    boxes: dict[str, Box]
    # Each edge as drawn: its source, its target, and the points of its line (left to right for
    # forward edges; a reversed edge's points are given from its real source to its real target).
    routes: list[tuple[str, str, list[tuple[float, float]]]]
    width: float
    height: float
    columns: list[list[str]] = field(default_factory=list)


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


def layout(
    nodes: Sequence[str],
    edges: Sequence[tuple[str, str]],
    *,
    node_width: float = 190,
    node_height: float = 54,
    column_gap: float = 70,
    row_gap: float = 22,
    margin: float = 20,
) -> Layout:
    """Boxes for ``nodes`` and routes for ``edges``, columns left to right."""
    nodes = list(dict.fromkeys(nodes))
    known = set(nodes)
    edges = [(s, t) for s, t in dict.fromkeys(edges) if s in known and t in known and s != t]
    backwards = _acyclic(nodes, edges)
    forward = [(t, s) if (s, t) in backwards else (s, t) for s, t in edges]
    layer = _layers(nodes, forward)

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

    rows = max((len(column) for column in columns), default=0)
    pitch = node_height + row_gap
    height = margin * 2 + max(rows * pitch - row_gap, 0)
    width = margin * 2 + max(len(columns) * (node_width + column_gap) - column_gap, 0)
    boxes: dict[str, Box] = {}
    for index, column in enumerate(columns):
        x = margin + index * (node_width + column_gap)
        top = margin + (rows - len(column)) * pitch / 2  # each column centred on the tallest
        for row, node in enumerate(column):
            boxes[node] = Box(x, top + row * pitch, node_width, node_height)

    routes: list[tuple[str, str, list[tuple[float, float]]]] = []
    for source, target in edges:
        drawn = (target, source) if (source, target) in backwards else (source, target)
        chain = chains[drawn]
        points = [(boxes[chain[0]].x + node_width, boxes[chain[0]].y + node_height / 2)]
        for point in chain[1:-1]:
            points.append((boxes[point].x + node_width / 2, boxes[point].y + node_height / 2))
        points.append((boxes[chain[-1]].x, boxes[chain[-1]].y + node_height / 2))
        if drawn != (source, target):
            points.reverse()
        routes.append((source, target, points))
    real = {node: boxes[node] for node in nodes}
    return Layout(real, routes, width, height, [[n for n in column if n in known] for column in columns])
