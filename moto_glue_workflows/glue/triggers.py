"""Trigger rules and trigger state as AWS documents them: what CreateTrigger and UpdateTrigger
refuse, and what StartTrigger, StopTrigger and UpdateTrigger do.

Sources (cited where each case is decided):
- Glue developer guide, "AWS Glue triggers" (about-triggers): "Only two crawlers can be activated by a
  single trigger"; on-demand triggers "never enter the ACTIVATED or DEACTIVATED state. They always
  remain in the CREATED state".
- "Activating and deactivating triggers": "Starting a trigger activates it ... When you activate an
  on-demand trigger, it fires immediately."
- "Blueprint and workflow restrictions": "Only one starting trigger (on-demand or schedule) is permitted."
- terraform-provider-aws#39571 (AWS's answer): "Job cannot be a Predicate and Action for Conditional Trigger."
- terraform-provider-aws#49407/#49408 (AWS's answers on a live EVENT trigger): StartTrigger "Trigger Type
  EVENT cannot be started"; StopTrigger "The operation is not allowed when trigger is in state: CREATED".
"""

from __future__ import annotations

from typing import Any

from moto_glue_workflows._moto import MotoTriggerAction, MotoTriggerPredicate, glue_exceptions
from moto_glue_workflows.blueprints.schedule import schedule_problem
from moto_glue_workflows.glue.exceptions import (
    ConcurrentRunsExceededException,
    EntityNotFoundException,
    InvalidInputException,
)
from moto_glue_workflows.glue.trigger_actions import start_actions
from moto_glue_workflows.glue.trigger_updates import TriggerUpdate, trigger_as_read
from moto_glue_workflows.workflows.graph import Trigger

# The job states a trigger condition can watch for (guide, "AWS Glue triggers").
TRIGGER_JOB_STATES = ("SUCCEEDED", "STOPPED", "FAILED", "TIMEOUT")
MAX_CRAWLERS_PER_TRIGGER = 2
PREDICATE_AND_ACTION = "Job cannot be a Predicate and Action for Conditional Trigger."


def trigger_not_found(name: str) -> EntityNotFoundException:
    return EntityNotFoundException(f"Trigger with name {name} not found.")


def normalize_predicate(trigger_type: str | None, predicate: dict[str, Any] | None) -> dict[str, Any] | None:
    """Check a predicate the way Glue does; Logical may be omitted with a single condition."""
    predicate = predicate or {}
    conditions = predicate.get("Conditions") or []
    if trigger_type == "CONDITIONAL" and not conditions:
        raise InvalidInputException("Predicate cannot be null or empty")
    for index, condition in enumerate(conditions, start=1):
        if condition.get("JobName") and condition.get("State") not in (None, *TRIGGER_JOB_STATES):
            raise InvalidInputException(
                f"Predicate.Conditions.{index}.State: a trigger can watch for job states "
                f"[{', '.join(TRIGGER_JOB_STATES)}] only"
            )
    if predicate and not predicate.get("Logical") and len(conditions) > 1:
        raise InvalidInputException("Logical must be given when a predicate has more than one condition")
    return predicate or None


def check_schedule(schedule: str) -> None:
    """A SCHEDULED trigger's cron expression, read by AWS's rules (events/cron.py).

    Glue's wording for a schedule it cannot read is quoted in the developer guide, "Troubleshooting
    blueprint errors": "The schedule cron(0 0 * * * *) is invalid." (a blueprint run creates its
    triggers with CreateTrigger); the error is CreateTrigger's InvalidInputException.
    """
    problem = schedule_problem(schedule)
    if problem is not None:
        raise InvalidInputException(problem)


def check_trigger(
    backend: Any,
    *,
    name: str,
    trigger_type: str,
    workflow_name: str | None,
    predicate: dict[str, Any] | None,
    actions: list[dict[str, Any]],
    schedule: str | None = None,
) -> None:
    """Refuse a trigger definition AWS refuses (CreateTrigger, and UpdateTrigger on the merged definition)."""
    if trigger_type == "SCHEDULED" and schedule is not None:
        check_schedule(schedule)
    if workflow_name:
        if workflow_name not in backend.workflows:
            raise EntityNotFoundException(f"Workflow with name {workflow_name} not found.")
        if trigger_type != "CONDITIONAL":
            # "Only one starting trigger (on-demand or schedule) is permitted" (workflow restrictions).
            for definition in backend.glue.trigger_definitions(workflow_name):
                if definition["Name"] != name and definition["Type"] != "CONDITIONAL":
                    raise InvalidInputException(
                        f"Workflow {workflow_name} already has a starting trigger ({definition['Name']}); "
                        "only one starting trigger is permitted per workflow"
                    )
    crawlers = [action["CrawlerName"] for action in actions if action.get("CrawlerName")]
    if len(crawlers) > MAX_CRAWLERS_PER_TRIGGER:
        # "Only two crawlers can be activated by a single trigger" (guide, "AWS Glue triggers").
        raise InvalidInputException(
            f"A trigger can start at most {MAX_CRAWLERS_PER_TRIGGER} crawlers; {len(crawlers)} were given"
        )
    if trigger_type == "CONDITIONAL":
        # A condition without a State is refused first, by moto's check, with AWS's wording for that
        # (moto's test_create_predicate_with_no_job_state).
        conditions = (predicate or {}).get("Conditions") or []
        watched = {c.get("JobName") for c in conditions if c.get("JobName") and c.get("State")}
        if watched & {action.get("JobName") for action in actions if action.get("JobName")}:
            raise InvalidInputException(PREDICATE_AND_ACTION)  # terraform-provider-aws#39571


def create_trigger(backend: Any, request: dict[str, Any]) -> None:
    """CreateTrigger: checked by Glue's rules, stored in moto's Glue (``request`` is CreateTrigger's input)."""
    request = dict(request)
    trigger_type = request["Type"]
    predicate = normalize_predicate(trigger_type, request.get("Predicate"))
    # Under the lock that graph readers take, so none sees the trigger before it is put right.
    with backend.lock:
        check_trigger(
            backend,
            name=request["Name"],
            trigger_type=trigger_type,
            workflow_name=request.get("WorkflowName"),
            predicate=predicate,
            actions=request.get("Actions") or [],
            schedule=request.get("Schedule"),
        )
        if predicate is not None:
            request["Predicate"] = predicate
        try:
            backend.glue.create_trigger(request)
        except glue_exceptions.GlueClientError as refused:  # moto's check of a predicate, made Glue's own
            raise InvalidInputException(refused.message) from None


def start_trigger(backend: Any, name: str) -> None:
    """StartTrigger: activate a SCHEDULED or CONDITIONAL trigger; fire an ON_DEMAND one at once (it stays
    CREATED); refuse an EVENT one."""
    with backend.lock:
        found = backend.glue.trigger(name)
        if found is None:
            raise trigger_not_found(name)
        if found.trigger_type == "EVENT":
            raise InvalidInputException("Trigger Type EVENT cannot be started")  # terraform-provider-aws#49407
        if found.trigger_type != "ON_DEMAND":
            found.state = "ACTIVATED"
            return
        trigger = Trigger.from_definition(found.as_dict())
        if found.workflow_name:
            # The workflow's start trigger: a run of the workflow, refused over its MaxConcurrentRuns
            # (StartTrigger lists ConcurrentRunsExceededException).
            backend.start_workflow_run(found.workflow_name, None)
        else:
            start_actions(backend, trigger)


def stop_trigger(backend: Any, name: str) -> None:
    """StopTrigger: deactivate; a trigger in CREATED (never activated, ON_DEMAND, EVENT) is refused."""
    with backend.lock:
        found = backend.glue.trigger(name)
        if found is None:
            raise trigger_not_found(name)
        if found.state == "CREATED":
            raise InvalidInputException(f"The operation is not allowed when trigger is in state: {found.state}")
        found.state = "DEACTIVATED"


def update_trigger(backend: Any, name: str, update: dict[str, Any]) -> dict[str, Any]:
    """UpdateTrigger: change the definition in place; the state stays as it is, reads showing UPDATING while
    the update's state-manager model says so (glue/trigger_updates.py).

    AWS documents no state requirement, and terraform-provider-aws updates activated triggers in place
    (resourceTriggerUpdate calls UpdateTrigger without StopTrigger, then waits for CREATED or ACTIVATED),
    so any settled state is accepted. Runs already started keep the triggers they snapshotted at their
    start; the update applies to later runs.
    """
    with backend.lock:
        found = backend.glue.trigger(name)
        if found is None:
            raise trigger_not_found(name)
        current = found.as_dict()
        predicate = current.get("Predicate")
        if "Predicate" in update:
            predicate = normalize_predicate(found.trigger_type, update["Predicate"])
        actions = update.get("Actions", current.get("Actions") or [])
        check_trigger(
            backend,
            name=name,
            trigger_type=found.trigger_type,
            workflow_name=found.workflow_name,
            predicate=predicate,
            actions=actions,
            schedule=update.get("Schedule", current.get("Schedule")),
        )
        try:
            new_actions = [MotoTriggerAction(action) for action in actions]
            new_predicate = None
            if "Predicate" in update and predicate:
                single = not predicate.get("Logical")
                new_predicate = MotoTriggerPredicate({**predicate, "Logical": predicate.get("Logical") or "AND"})
                if single:
                    new_predicate.logical = None  # type: ignore[assignment]
        except glue_exceptions.GlueClientError as refused:
            raise InvalidInputException(refused.message) from None
        found.actions = new_actions
        if "Predicate" in update:
            found.predicate = new_predicate
        if "Description" in update:
            found.description = update["Description"]
        if "Schedule" in update:
            found.schedule = update["Schedule"]
        if "EventBatchingCondition" in update:
            found.event_batching_condition = update["EventBatchingCondition"]
        backend.trigger_updates[name] = TriggerUpdate(found)
        return trigger_as_read(backend.trigger_updates, found)


__all__ = [
    "ConcurrentRunsExceededException",
    "check_schedule",
    "check_trigger",
    "create_trigger",
    "normalize_predicate",
    "start_trigger",
    "stop_trigger",
    "update_trigger",
]
