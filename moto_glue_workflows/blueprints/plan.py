"""The Glue resources a blueprint run creates, checked before anything is created.

Input is what ``Workflow.to_json(name_suffix)`` returns (from the real ``awsglue`` library or
:mod:`.awsglue_compat`): ``{"Workflow": {...}, "Crawlers": [...], "Jobs": [...], "Triggers":
[...]}``. Output is a :class:`LayoutPlan` whose requests pass botocore's input model for their
operation, reference only entities of the plan and carry valid schedules, so a layout that builds
an invalid job fails the run with a message naming it instead of half-creating a workflow.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from botocore.model import ListShape, MapShape, Shape, StructureShape

from moto_glue_workflows.blueprints.errors import LayoutError
from moto_glue_workflows.blueprints.glue_model import input_shape, operation_model
from moto_glue_workflows.blueprints.glue_requests import (
    CreateCrawlerRequest,
    CreateJobRequest,
    CreateTriggerRequest,
    CreateWorkflowRequest,
    GlueRequest,
)
from moto_glue_workflows.blueprints.schedule import schedule_problem
from moto_glue_workflows.protocol.validation import InvalidParameter, input_validator

_Request = TypeVar("_Request", bound=GlueRequest)


@dataclass(frozen=True)
class LayoutPlan:
    """Requests in creation order: workflow, crawlers, jobs, then triggers (start trigger last)."""

    workflow: CreateWorkflowRequest
    crawlers: tuple[CreateCrawlerRequest, ...]
    jobs: tuple[CreateJobRequest, ...]
    triggers: tuple[CreateTriggerRequest, ...]
    name_suffix: str

    @property
    def workflow_name(self) -> str:
        return self.workflow.Name

    @property
    def starting_trigger(self) -> CreateTriggerRequest:
        return next(t for t in self.triggers if t.Type != "CONDITIONAL")

    def ordered(self) -> list[GlueRequest]:
        return [self.workflow, *self.crawlers, *self.jobs, *self.triggers]

    def requests(self) -> list[tuple[str, dict[str, Any]]]:
        """``(operation, request kwargs)`` pairs; each request refers only to resources created before it."""
        return [(request.OPERATION, request.to_request()) for request in self.ordered()]


def _without_nulls(document: Mapping[str, Any]) -> dict[str, Any]:
    # The real library serialises unset optional fields as None; Glue never sees those.
    return {key: value for key, value in document.items() if value is not None}


def _jackson_string(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    return value


def coerce_scalars(shape: Shape, value: Any) -> Any:
    """Numbers and booleans where the model wants a string, as the strings Glue would store.

    AWS's own samples put blueprint parameters straight into ``DefaultArguments`` (the compaction
    sample passes a Boolean and a Double there) and those workflows are created: the service's JSON
    reader turns scalars into strings. Only scalars in string positions are converted.
    """
    if isinstance(shape, StructureShape) and isinstance(value, dict):
        return {k: coerce_scalars(shape.members[k], v) if k in shape.members else v for k, v in value.items()}
    if isinstance(shape, ListShape) and isinstance(value, list):
        return [coerce_scalars(shape.member, item) for item in value]
    if isinstance(shape, MapShape) and isinstance(value, dict):
        return {k: coerce_scalars(shape.value, v) for k, v in value.items()}
    if shape.type_name == "string":
        return _jackson_string(value)
    return value


def _label(request_class: type[GlueRequest], document: Any) -> str:
    name = document.get("Name") if isinstance(document, dict) else None
    return f"{request_class.KIND} {name!r}" if name else f"a {request_class.KIND}"


def _request(request_class: type[_Request], document: Any) -> _Request:
    label = _label(request_class, document)
    if not isinstance(document, dict):
        raise LayoutError(f"The layout generator produced {label} that is not a JSON object: {document!r}")
    request = coerce_scalars(input_shape(request_class.OPERATION), _without_nulls(document))
    try:
        input_validator(operation_model(request_class.OPERATION))(request, "")
    except InvalidParameter as exc:
        raise LayoutError(f"The layout generator produced an invalid {label}: {exc}") from exc
    try:
        return request_class.from_request(request)
    except KeyError as exc:
        raise LayoutError(
            f"The layout generator produced an invalid {label}: {exc.args[0]} is not a parameter of "
            f"{request_class.OPERATION}"
        ) from exc


def _entity_list(document: Mapping[str, Any], key: str) -> list[Any]:
    entries = document.get(key) or []
    if not isinstance(entries, list):
        raise LayoutError(f"The layout generator's {key} must be a list, got {entries!r}")
    return entries


def _unique(kind: str, names: Iterable[str]) -> set[str]:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise LayoutError(f"The layout generator produced two {kind}s named {name!r}")
        seen.add(name)
    return seen


def _check_references(trigger: CreateTriggerRequest, workflow: str, jobs: set[str], crawlers: set[str]) -> None:
    if trigger.WorkflowName != workflow:
        raise LayoutError(f"Trigger {trigger.Name!r} belongs to workflow {trigger.WorkflowName!r}, not {workflow!r}")
    watched = [("watches", c) for c in (trigger.Predicate or {}).get("Conditions", [])]
    started = [("starts", a) for a in trigger.Actions]
    for verb, entry in watched + started:
        if entry.get("JobName") is not None and entry["JobName"] not in jobs:
            raise LayoutError(
                f"Trigger {trigger.Name!r} {verb} job {entry['JobName']!r}, which is not among the workflow's "
                "Entities: every DependsOn entity must be listed in Entities(Jobs=...)"
            )
        if entry.get("CrawlerName") is not None and entry["CrawlerName"] not in crawlers:
            raise LayoutError(
                f"Trigger {trigger.Name!r} {verb} crawler {entry['CrawlerName']!r}, which is not among the "
                "workflow's Entities: every DependsOn entity must be listed in Entities(Crawlers=...)"
            )


def build_plan(document: Any, name_suffix: str) -> LayoutPlan:
    """Check ``Workflow.to_json()`` output; :class:`LayoutError` names the first invalid request."""
    if not isinstance(document, dict) or not isinstance(document.get("Workflow"), dict):
        raise LayoutError(f"Workflow.to_json() returned {type(document).__name__}, not a workflow document")
    workflow = _request(CreateWorkflowRequest, document["Workflow"])
    crawlers = tuple(_request(CreateCrawlerRequest, c) for c in _entity_list(document, "Crawlers"))
    jobs = tuple(_request(CreateJobRequest, j) for j in _entity_list(document, "Jobs"))
    triggers = tuple(_request(CreateTriggerRequest, t) for t in _entity_list(document, "Triggers"))

    job_names = _unique("job", (job.Name for job in jobs))
    crawler_names = _unique("crawler", (crawler.Name for crawler in crawlers))
    _unique("trigger", (trigger.Name for trigger in triggers))
    starting = [trigger.Name for trigger in triggers if trigger.Type != "CONDITIONAL"]
    if len(starting) != 1:
        # "Only one starting trigger (on-demand or schedule) is permitted" (workflow restrictions).
        raise LayoutError(f"A workflow needs exactly one starting trigger, the layout produced {len(starting)}")
    for trigger in triggers:
        _check_references(trigger, workflow.Name, job_names, crawler_names)
    for schedule in [t.Schedule for t in triggers] + [c.Schedule for c in crawlers]:
        problem = schedule_problem(schedule) if schedule is not None else None
        if problem:
            raise LayoutError(problem)
    return LayoutPlan(workflow=workflow, crawlers=crawlers, jobs=jobs, triggers=triggers, name_suffix=name_suffix)
