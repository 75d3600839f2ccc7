"""A DataZone domain's lineage graph as a picture, from ``GetLineageNode`` answers.

Built from the public answer shape only (``id``, ``name``, ``typeName``, ``sourceIdentifier``,
``upstreamNodes``, ``downstreamNodes``), so it draws lineage read from any server; the page draws each domain's
lineage from the DataZone backend's nodes, read as GetLineageNode answers.
Dataset nodes are drawn as sources and targets, jobs and job runs between them, left to right.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from moto_glue_workflows.render.model import LINEAGE, Node, Picture, _text_time


def _kind(type_name: str) -> str:
    """DataZone's type names (e.g. ``amazon.datazone.JobRunLineageNodeType``) shortened for a label."""
    short = type_name.rsplit(".", 1)[-1].removesuffix("LineageNodeType").removesuffix("NodeType")
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", short).upper() or "NODE"


def _as_of(timestamp: Any) -> str:
    """A lineage node has no state; its label says which version is drawn (to the minute: the tooltip and
    GetLineageNode have the rest)."""
    when = _text_time(timestamp)
    if not when:
        return "lineage node"
    try:
        moment = datetime.datetime.fromisoformat(when).astimezone(datetime.UTC)
    except ValueError:
        return f"as of {when}"
    return f"as of {moment:%Y-%m-%d %H:%M} UTC"


def _namespace(name: str, source: str) -> str | None:
    """What the source identifier says before the name: an OpenLineage dataset's namespace (``s3://raw`` of
    ``s3://raw/orders``), a job's (``glue`` of ``glue.orders_daily``), a run's job."""
    if source == name or not source.endswith(name):
        return None
    return source[: -len(name)].rstrip("/.:") or None


def lineage_picture(domain: str, answers: list[dict[str, Any]]) -> Picture:
    nodes: list[Node] = []
    edges: dict[tuple[str, str], None] = {}
    known = {str(answer["id"]) for answer in answers}
    for answer in answers:
        node_id = str(answer["id"])
        source = str(answer.get("sourceIdentifier") or "")
        name = str(answer.get("name") or source or node_id)
        nodes.append(
            Node(
                id=node_id,
                kind=_kind(str(answer.get("typeName", ""))),
                name=name,
                state=LINEAGE,
                detail=_as_of(answer.get("eventTimestamp")),
                namespace=_namespace(name, source),
            )
        )
        for upstream in answer.get("upstreamNodes") or []:
            if upstream["id"] in known:
                edges[(str(upstream["id"]), node_id)] = None
        for downstream in answer.get("downstreamNodes") or []:
            if downstream["id"] in known:
                edges[(node_id, str(downstream["id"]))] = None
    return Picture(workflow=domain, nodes=nodes, edges=list(edges), graph="lineage")
