"""A DataZone domain's lineage graph as a picture, from ``GetLineageNode`` answers.

Built from the public answer shape only (``id``, ``name``, ``typeName``, ``sourceIdentifier``,
``upstreamNodes``, ``downstreamNodes``), so it draws lineage read from any server; the page draws each domain's
lineage from the DataZone backend's nodes, read as GetLineageNode answers.
Dataset nodes are drawn as sources and targets, jobs and job runs between them, left to right.
"""

from __future__ import annotations

import re
from typing import Any

from moto_glue_workflows.render.model import LINEAGE, Node, Picture, _text_time


def _kind(type_name: str) -> str:
    """DataZone's type names (e.g. ``amazon.datazone.JobRunLineageNodeType``) shortened for a label."""
    short = type_name.rsplit(".", 1)[-1].removesuffix("LineageNodeType").removesuffix("NodeType")
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", short).upper() or "NODE"


def _as_of(timestamp: Any) -> str:
    """A lineage node has no state; its label says which version is drawn."""
    when = _text_time(timestamp)
    return f"as of {when}" if when else "lineage node"


def lineage_picture(domain: str, answers: list[dict[str, Any]]) -> Picture:
    nodes: list[Node] = []
    edges: dict[tuple[str, str], None] = {}
    known = {str(answer["id"]) for answer in answers}
    for answer in answers:
        node_id = str(answer["id"])
        name = str(answer.get("name") or answer.get("sourceIdentifier") or node_id)
        nodes.append(
            Node(
                id=node_id,
                kind=_kind(str(answer.get("typeName", ""))),
                name=name,
                state=LINEAGE,
                detail=_as_of(answer.get("eventTimestamp")),
            )
        )
        for upstream in answer.get("upstreamNodes") or []:
            if upstream["id"] in known:
                edges[(str(upstream["id"]), node_id)] = None
        for downstream in answer.get("downstreamNodes") or []:
            if downstream["id"] in known:
                edges[(node_id, str(downstream["id"]))] = None
    return Picture(workflow=domain, nodes=nodes, edges=list(edges), graph="lineage")
