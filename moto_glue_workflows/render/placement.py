"""Where boxes go in their columns, and where edges meet them: the vertical half of ``render.layout``.

In a column, a box sits level with the middle of what leads into it (so a chain is a straight line); then each
box nothing leads into moves level with the middle of what it leads to (so a fan-out's source sits in front of
it); boxes keep their order and a gap. Edges meet a box at ports spread along its side in the order of their
other ends, so the lines into a fan-in do not cross at the box.
"""

from __future__ import annotations

from dataclasses import dataclass

from moto_glue_workflows.render.bands import band_of

POINT_HEIGHT = 12  # the room a long edge takes as it passes a column


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


def neighbours(split_edges: list[tuple[str, str]], inside: set[str], backward: bool) -> dict[str, list[str]]:
    """Each node's predecessors (``backward``) or successors within one band."""
    found: dict[str, list[str]] = {}
    for source, target in split_edges:
        if source in inside and target in inside:
            key, other = (target, source) if backward else (source, target)
            found.setdefault(key, []).append(other)
    return found


def move(boxes: dict[str, Box], node: str, y: float) -> None:
    box = boxes[node]
    boxes[node] = Box(box.x, y, box.width, box.height)


def stack(
    column: list[str],
    boxes: dict[str, Box],
    centre: dict[str, float],
    before: dict[str, list[str]],
    top: float,
    gap: float,
) -> None:
    """Top to bottom in order, each level with the mean of its predecessors' middles where there is room."""
    lowest = top - gap
    for node in column:
        height = boxes[node].height
        leads = [centre[other] for other in before.get(node, []) if other in centre]
        wanted = sum(leads) / len(leads) - height / 2 if leads else top
        y = max(wanted, lowest + gap)
        move(boxes, node, y)
        centre[node] = y + height / 2
        lowest = y + height


def settle(
    column: list[str],
    boxes: dict[str, Box],
    centre: dict[str, float],
    before: dict[str, list[str]],
    after: dict[str, list[str]],
    top: float,
    gap: float,
) -> None:
    """Boxes nothing leads into, moved level with the mean of what they lead to, between their neighbours."""
    for position, node in enumerate(column):
        follows = [centre[other] for other in after.get(node, []) if other in centre]
        if before.get(node) or not follows:
            continue
        box = boxes[node]
        wanted = sum(follows) / len(follows) - box.height / 2
        above = boxes[column[position - 1]].y + boxes[column[position - 1]].height + gap if position else top
        below = boxes[column[position + 1]].y - gap - box.height if position + 1 < len(column) else wanted
        y = max(above, min(wanted, below))
        move(boxes, node, y)
        centre[node] = y + box.height / 2


def ports(
    nodes: list[str],
    chains: dict[tuple[str, str], list[str]],
    boxes: dict[str, Box],
    layer: dict[str, int],
    bands: list[range],
) -> dict[tuple[tuple[str, str], int], float]:
    """Where each edge leaves its source (step 0) and enters its target (last step): spread along the
    box's side in the order of the edges' other ends, so lines into a fan-in do not cross."""
    column_band = band_of(bands)
    leaving: dict[str, list[tuple[tuple[float, float], tuple[str, str]]]] = {}
    entering: dict[str, list[tuple[tuple[float, float], tuple[str, str]]]] = {}
    for edge, chain in chains.items():
        after, before = boxes[chain[1]], boxes[chain[-2]]
        leaving.setdefault(chain[0], []).append(((column_band[layer[chain[1]]], after.y), edge))
        entering.setdefault(chain[-1], []).append(((column_band[layer[chain[-2]]], before.y), edge))
    ports: dict[tuple[tuple[str, str], int], float] = {}
    for node in nodes:
        box = boxes[node]
        for ends, last in ((leaving.get(node, []), False), (entering.get(node, []), True)):
            ends.sort(key=lambda found: found[0])
            for rank, (_, edge) in enumerate(ends):
                step = len(chains[edge]) - 1 if last else 0
                ports[(edge, step)] = box.y + box.height * (rank + 1) / (len(ends) + 1)
    return ports
