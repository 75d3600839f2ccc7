"""What a SCHEDULED or EVENT trigger does when its schedule comes round or its event arrives.

The mock has no clock and no EventBridge, so a test fires the trigger itself. A SCHEDULED trigger
fires only while ACTIVATED; an EVENT trigger never enters ACTIVATED (it stays CREATED, guide "AWS Glue
triggers", terraform-provider-aws#49407) and fires in CREATED. A workflow's start
trigger starts a run of the workflow, or, when the workflow is already at MaxConcurrentRuns,
records a run with Status ERROR instead of refusing (AWS raises ConcurrentRunsExceededException
only to StartWorkflowRun callers). A trigger outside any workflow starts its actions.
"""

from __future__ import annotations

from typing import Any

from moto_glue_workflows._moto import utcnow
from moto_glue_workflows.glue.exceptions import (
    ConcurrentRunsExceededException,
    EntityNotFoundException,
    InvalidInputException,
)
from moto_glue_workflows.glue.models import GlueWorkflowBackend
from moto_glue_workflows.glue.trigger_actions import start_actions
from moto_glue_workflows.workflows.engine import WorkflowRun
from moto_glue_workflows.workflows.graph import Trigger


def fire_trigger(
    backend: GlueWorkflowBackend, trigger_name: str, run_properties: dict[str, str] | None = None
) -> dict[str, Any]:
    with backend.lock:
        found = backend.glue.trigger(trigger_name)
        if found is None:
            raise EntityNotFoundException(f"Trigger {trigger_name} not found.")
        trigger = Trigger.from_definition(found.as_dict())
        if trigger.type not in ("SCHEDULED", "EVENT"):
            raise InvalidInputException(
                f"Trigger {trigger_name} is {trigger.type}; only SCHEDULED and EVENT triggers fire on their own."
            )
        if trigger.type == "SCHEDULED" and trigger.state != "ACTIVATED":
            raise InvalidInputException(f"Trigger {trigger_name} is {trigger.state}; only an ACTIVATED trigger fires.")
        workflow_name = found.workflow_name
        if not workflow_name:
            return start_actions(backend, trigger)
        workflow = backend.get_workflow(workflow_name)
        try:
            return {"RunId": backend.start_workflow_run(workflow_name, run_properties)}
        except ConcurrentRunsExceededException as exceeded:
            graph = backend.graph(workflow_name)
            properties = {**workflow.default_run_properties, **(run_properties or {})}
            run = WorkflowRun(workflow_name, backend.new_run_id(), graph, properties, utcnow())
            run.record_error(exceeded.message)
            workflow.runs[run.id] = run
            return {"RunId": run.id}
