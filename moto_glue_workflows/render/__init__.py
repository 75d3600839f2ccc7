"""Pictures of Glue workflows and their runs: SVG, Mermaid, Graphviz DOT and text.

``render("nightly", run_id)`` draws a run held in this process (decorator mode) or, with
``endpoint_url``, in a standalone server; ``render(glue.get_workflow_run(..., IncludeGraph=True))``
draws any GetWorkflowRun (or GetWorkflow) answer, wherever it came from.
"""

from __future__ import annotations

from typing import Any

from moto_glue_workflows.render.dot import to_dot
from moto_glue_workflows.render.mermaid import to_mermaid
from moto_glue_workflows.render.model import Picture, from_api
from moto_glue_workflows.render.svg import to_svg
from moto_glue_workflows.render.text import to_text

FORMATS = {"svg": to_svg, "mermaid": to_mermaid, "dot": to_dot, "text": to_text}

__all__ = ["FORMATS", "Picture", "RunDescription", "describe_run", "picture", "render"]


def picture(
    workflow: str | dict[str, Any] | list[dict[str, Any]] | Picture,
    run_id: str | None = None,
    *,
    account_id: str | None = None,
    region: str | None = None,
    endpoint_url: str | None = None,
) -> Picture:
    """What would be drawn: a workflow name (with ``run_id`` for one of its runs), a GetWorkflowRun
    or GetWorkflow answer, or a list of DataZone GetLineageNode answers (a lineage graph).

    A name is looked up in ``region``, else where boto3's clients go (``AWS_DEFAULT_REGION``, the profile's
    region, then ``AWS_REGION``, then us-east-1: ``control.endpoints.resolve_region``)."""
    if isinstance(workflow, Picture):
        return workflow
    if isinstance(workflow, list):
        from moto_glue_workflows.render.lineage import lineage_picture

        domain = str(workflow[0].get("domainId", "")) if workflow else ""
        return lineage_picture(domain, workflow)
    if isinstance(workflow, dict):
        return from_api(workflow)
    from moto_glue_workflows.control.endpoints import resolve_region
    from moto_glue_workflows.render import sources

    region = resolve_region(region)
    if endpoint_url:
        return sources.remote_picture(endpoint_url, workflow, run_id, account_id, region)
    return sources.local_picture(workflow, run_id, account_id, region)


def render(
    workflow: str | dict[str, Any] | list[dict[str, Any]] | Picture,
    run_id: str | None = None,
    *,
    format: str = "svg",
    account_id: str | None = None,
    region: str | None = None,
    endpoint_url: str | None = None,
) -> str:
    """A workflow or run drawn as ``format``: "svg", "mermaid", "dot" or "text"."""
    if format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}; got {format!r}")
    drawn = picture(workflow, run_id, account_id=account_id, region=region, endpoint_url=endpoint_url)
    return FORMATS[format](drawn)


class RunDescription:
    """A run, described: ``str()`` gives one line per node (type, name, state, error), in graph order."""

    def __init__(self, drawn: Picture) -> None:
        self.picture = drawn

    def __str__(self) -> str:
        return to_text(self.picture)

    def __repr__(self) -> str:
        return f"<RunDescription {self.picture.workflow} {self.picture.run_id} {self.picture.status}>"

    def svg(self) -> str:
        return to_svg(self.picture)


def describe_run(
    workflow: str | dict[str, Any] | list[dict[str, Any]] | Picture,
    run_id: str | None = None,
    *,
    account_id: str | None = None,
    region: str | None = None,
    endpoint_url: str | None = None,
) -> RunDescription:
    return RunDescription(picture(workflow, run_id, account_id=account_id, region=region, endpoint_url=endpoint_url))
