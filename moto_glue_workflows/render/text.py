"""The text form of a picture: one line per node, in graph order, for failing-test reports."""

from __future__ import annotations

from moto_glue_workflows.render.layout import layout
from moto_glue_workflows.render.model import LINEAGE, NOT_FIRED, NOT_STARTED, Node, Picture

_LABELS = {NOT_STARTED: "not started", NOT_FIRED: "not fired", "FIRED": "fired"}


def state_label(node: Node) -> str:
    if node.state == LINEAGE:
        return node.detail or ""
    label = _LABELS.get(node.state, node.state)
    if node.kind != "TRIGGER" and len(node.attempts) > 1:
        label += f" (attempt {len(node.attempts)})"
    return label


def statistics_text(statistics: dict[str, int]) -> str:
    """The non-zero statistics, TotalActions first, as ``Total 3 · Succeeded 2 · Failed 1``."""
    shown = [f"{name.removesuffix('Actions')} {value}" for name, value in statistics.items() if value]
    return " · ".join(shown) if shown else "no actions"


def graph_order(picture: Picture) -> list[Node]:
    """Nodes column by column (left to right), top to bottom within a column, as drawn."""
    placed = layout([node.id for node in picture.nodes], picture.edges)
    by_id = {node.id: node for node in picture.nodes}
    return [by_id[node_id] for column in placed.columns for node_id in column]


def to_text(picture: Picture) -> str:
    if picture.graph == "lineage":
        lines = [f"lineage of domain {picture.workflow}"]
    elif picture.run_id is None:
        lines = [f"workflow {picture.workflow} (graph only)"]
    else:
        lines = [
            f"workflow {picture.workflow} run {picture.run_id}: {picture.status} ({statistics_text(picture.statistics)})"
        ]
        if picture.previous_run_id:
            lines.append(f"  resumed from run {picture.previous_run_id}")
        if picture.error_message:
            lines.append(f"  error: {picture.error_message}")
    nodes = graph_order(picture)
    width = max((len(node.name) for node in nodes), default=0)
    for node in nodes:
        line = f"  {node.kind:<8} {node.name:<{width}}  {state_label(node)}"
        if node.namespace:
            line += f"  in {node.namespace}"
        if node.error_message:
            line += f"  {node.error_message}"
        lines.append(line.rstrip())
    return "\n".join(lines)
