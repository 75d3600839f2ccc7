"""What a picture of a workflow run shows: nodes with their states, edges, the run's status.

A ``Picture`` is built from a ``GetWorkflowRun``/``GetWorkflow`` answer (what any SDK sees), or
from our in-process run, which knows a little more (which triggers fired, and the message of an
action whose start failed — AWS lists such a node with no run). Every renderer reads only this.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field
from typing import Any

NOT_STARTED = "NOT_STARTED"
FIRED = "FIRED"
NOT_FIRED = "NOT_FIRED"
LINEAGE = "LINEAGE"  # a lineage node: no state, its label is its ``detail``

# The colour family of each state a node can show (job runs report JobRunState, crawls CrawlState).
_CATEGORY = {
    "SUCCEEDED": "succeeded",
    FIRED: "succeeded",
    "FAILED": "failed",
    "TIMEOUT": "failed",
    "ERROR": "failed",
    "EXPIRED": "failed",
    "STARTING": "running",
    "RUNNING": "running",
    "STOPPING": "running",
    "CANCELLING": "running",
    "WAITING": "waiting",
    "STOPPED": "stopped",
    "CANCELLED": "stopped",
    # Run, blueprint and DataZone statuses, for the page.
    "COMPLETED": "succeeded",
    "ACTIVE": "succeeded",
    "AVAILABLE": "succeeded",
    "SUCCESS": "succeeded",
    "PARTIALLY_SUCCEEDED": "waiting",
    "IN_PROGRESS": "running",
    "CREATING": "running",
    "UPDATING": "running",
    "ROLLING_BACK": "running",
    "DELETING": "running",
    "SCHEDULED": "waiting",
    "ABORTED": "stopped",
    "TIMED_OUT": "failed",
}


def category(state: str) -> str:
    """succeeded, failed, running, waiting, stopped, or not-started."""
    return _CATEGORY.get(state, "not-started")


def _text_time(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, int | float):
        return datetime.datetime.fromtimestamp(value, datetime.UTC).isoformat(timespec="seconds")
    return str(value)


@dataclass
class Attempt:
    """One job run or crawl of a node (or a start that failed: ``id`` None)."""

    id: str | None
    state: str
    started_on: str | None = None
    completed_on: str | None = None
    error_message: str | None = None
    arguments: dict[str, str] = field(default_factory=dict)


@dataclass
class Node:
    id: str
    kind: str  # JOB, CRAWLER or TRIGGER
    name: str
    state: str
    error_message: str | None = None
    attempts: list[Attempt] = field(default_factory=list)
    detail: str | None = None  # a trigger's type and predicate, for the label
    namespace: str | None = None  # a lineage node's: what tells s3://raw/orders from s3://curated/orders

    @property
    def category(self) -> str:
        return category(self.state)


@dataclass
class Picture:
    """A workflow (``run_id`` None), one of its runs, or (``graph`` "lineage") a domain's lineage."""

    workflow: str
    nodes: list[Node]
    edges: list[tuple[str, str]]
    run_id: str | None = None
    status: str | None = None
    statistics: dict[str, int] = field(default_factory=dict)
    started_on: str | None = None
    completed_on: str | None = None
    previous_run_id: str | None = None
    error_message: str | None = None
    account_id: str | None = None
    region: str | None = None
    graph: str = "workflow"

    def node(self, name: str, kind: str | None = None) -> Node:
        for node in self.nodes:
            if node.name == name and (kind is None or node.kind == kind):
                return node
        raise KeyError(name)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["edges"] = [list(edge) for edge in self.edges]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Picture:
        nodes = [
            Node(**{**node, "attempts": [Attempt(**attempt) for attempt in node.get("attempts", [])]})
            for node in data["nodes"]
        ]
        edges = [(str(source), str(target)) for source, target in data["edges"]]
        return cls(**{**data, "nodes": nodes, "edges": edges})


def _trigger_detail(trigger: dict[str, Any]) -> str:
    kind = str(trigger.get("Type", ""))
    predicate = trigger.get("Predicate") or {}
    conditions = predicate.get("Conditions") or []
    if len(conditions) > 1:
        return f"{kind} {predicate.get('Logical') or 'AND'}"
    if trigger.get("Schedule"):
        return f"{kind} {trigger['Schedule']}"
    return kind


def _attempt_from_job_run(run: dict[str, Any]) -> Attempt:
    return Attempt(
        id=run.get("Id"),
        state=str(run.get("JobRunState", "")),
        started_on=_text_time(run.get("StartedOn")),
        completed_on=_text_time(run.get("CompletedOn")),
        error_message=run.get("ErrorMessage"),
        arguments=dict(run.get("Arguments") or {}),
    )


def _attempt_from_crawl(crawl: dict[str, Any]) -> Attempt:
    # A crawl in a run's graph has no id of its own in the API (its LogStream is the crawler's name);
    # a picture of a run held here gets its CrawlId from the run (render.sources).
    return Attempt(
        id=None,
        state=str(crawl.get("State", "")),
        started_on=_text_time(crawl.get("StartedOn")),
        completed_on=_text_time(crawl.get("CompletedOn")),
        error_message=crawl.get("ErrorMessage"),
    )


def from_api(answer: dict[str, Any]) -> Picture:
    """A picture from a GetWorkflowRun answer (``{"Run": ...}`` or the Run itself) or a GetWorkflow
    answer (``{"Workflow": ...}`` or the Workflow); the graph must have been included."""
    if "Run" in answer:
        answer = answer["Run"]
    elif "Workflow" in answer:
        answer = answer["Workflow"]
    is_run = "WorkflowRunId" in answer
    graph = answer.get("Graph") or {}
    nodes: list[Node] = []
    for raw in graph.get("Nodes", []):
        kind = str(raw.get("Type", ""))
        attempts: list[Attempt] = []
        detail = None
        if kind == "JOB":
            attempts = [_attempt_from_job_run(r) for r in (raw.get("JobDetails") or {}).get("JobRuns", [])]
        elif kind == "CRAWLER":
            attempts = [_attempt_from_crawl(c) for c in (raw.get("CrawlerDetails") or {}).get("Crawls", [])]
        else:
            detail = _trigger_detail((raw.get("TriggerDetails") or {}).get("Trigger") or {})
        latest = attempts[-1] if attempts else None
        nodes.append(
            Node(
                id=str(raw.get("UniqueId", raw.get("Name"))),
                kind=kind,
                name=str(raw.get("Name", "")),
                state=latest.state if latest else NOT_STARTED,
                error_message=latest.error_message if latest else None,
                attempts=attempts,
                detail=detail,
            )
        )
    edges = [(str(e["SourceId"]), str(e["DestinationId"])) for e in graph.get("Edges", [])]
    picture = Picture(workflow=str(answer.get("Name", "")), nodes=nodes, edges=edges)
    if is_run:
        picture.run_id = answer["WorkflowRunId"]
        picture.status = answer.get("Status")
        picture.statistics = dict(answer.get("Statistics") or {})
        picture.started_on = _text_time(answer.get("StartedOn"))
        picture.completed_on = _text_time(answer.get("CompletedOn"))
        picture.previous_run_id = answer.get("PreviousRunId")
        picture.error_message = answer.get("ErrorMessage")
        _infer_trigger_states(picture)
    return picture


def _infer_trigger_states(picture: Picture) -> None:
    """The API says nothing of triggers in a run: one fired when something it starts has run."""
    started = {node.id for node in picture.nodes if node.attempts}
    for node in picture.nodes:
        if node.kind == "TRIGGER":
            targets = [target for source, target in picture.edges if source == node.id]
            node.state = FIRED if any(target in started for target in targets) else NOT_FIRED
