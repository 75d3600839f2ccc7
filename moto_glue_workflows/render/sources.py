"""Where pictures come from: our in-process backends, or a standalone server's ``ui/`` endpoints."""

from __future__ import annotations

import urllib.parse
import urllib.request
from typing import Any

from moto_glue_workflows._moto import DEFAULT_ACCOUNT_ID, existing_backends
from moto_glue_workflows.render.model import FIRED, NOT_FIRED, Attempt, Picture, from_api
from moto_glue_workflows.workflows.engine import FailedStart, WorkflowRun
from moto_glue_workflows.workflows.graph import TRIGGER

DEFAULT_REGION = "us-east-1"


def run_picture(run: WorkflowRun, account_id: str | None = None, region: str | None = None) -> Picture:
    """A run as GetWorkflowRun shows it, plus what only we know: fired triggers and failed starts."""
    picture = from_api(run.to_api(include_graph=True))
    picture.account_id, picture.region = account_id, region
    by_id = {node.id: node for node in picture.nodes}
    for key in run.graph.nodes:
        node = by_id[run.graph.node_id(key)]
        if key[0] == TRIGGER:
            node.state = FIRED if key[1] in run.fired else NOT_FIRED
            continue
        attempts = run.attempts.get(key, [])
        started = [attempt for attempt in attempts if not isinstance(attempt, FailedStart)]
        if node.kind == "CRAWLER" and len(started) == len(node.attempts):
            for drawn, crawl in zip(node.attempts, started, strict=True):
                drawn.id = str(getattr(crawl, "id", "") or "") or None  # the CrawlId ListCrawls gives
        if attempts and isinstance(attempts[-1], FailedStart):
            # AWS lists a node whose action could not start with no run; say why it has none.
            message = f"could not start: {attempts[-1].message}"
            node.attempts.append(Attempt(id=None, state="ERROR", error_message=message))
            node.state, node.error_message = "ERROR", message
    return picture


def _glue_backends() -> Any:
    from moto_glue_workflows.glue.models import glue_workflow_backends

    return glue_workflow_backends


def local_picture(
    workflow_name: str, run_id: str | None, account_id: str | None = None, region: str | None = None
) -> Picture:
    """A workflow or one of its runs in this process (decorator mode, or inside the server)."""
    from moto_glue_workflows._moto import backend_for

    account_id, region = account_id or DEFAULT_ACCOUNT_ID, region or DEFAULT_REGION
    backend = backend_for(_glue_backends(), account_id, region)
    if run_id is None:
        picture = from_api(backend.describe_workflow(workflow_name, include_graph=True))
    else:
        picture = run_picture(backend.get_run(workflow_name, run_id), account_id, region)
    picture.account_id, picture.region = account_id, region
    return picture


def local_run_ids() -> list[tuple[str, str, str, str]]:
    """(account, region, workflow, run id) of every workflow run held in this process, oldest first."""
    found = []
    for account_id, region, backend in existing_backends(_glue_backends()):
        for workflow in list(backend.workflows.values()):
            for run_id in list(workflow.runs):
                found.append((account_id, region, workflow.name, run_id))
    return found


def _get(endpoint_url: str, path: str, query: dict[str, str]) -> Any:
    """A ``ui/`` endpoint's JSON; ControlError for every failure, as the control helpers."""
    from moto_glue_workflows.control.endpoints import call_server

    url = f"{endpoint_url.rstrip('/')}/moto-api/static/ui/{path}"
    if query:
        url += "?" + urllib.parse.urlencode(query)
    return call_server(url)


def remote_picture(
    endpoint_url: str, workflow_name: str, run_id: str | None, account_id: str | None, region: str | None
) -> Picture:
    query = {"AccountId": account_id or DEFAULT_ACCOUNT_ID, "Region": region or DEFAULT_REGION}
    query["WorkflowName"] = workflow_name
    if run_id is not None:
        query["RunId"] = run_id
    return Picture.from_json(_get(endpoint_url, "picture.json", query))


def remote_run_ids(endpoint_url: str) -> list[tuple[str, str, str, str]]:
    return [(str(a), str(r), str(w), str(i)) for a, r, w, i in _get(endpoint_url, "runs.json", {})]
