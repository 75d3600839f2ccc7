"""Control endpoints choosing how job runs and crawls end:
``POST /moto-api/static/glue/job-run-outcomes`` and ``POST /moto-api/static/glue/crawl-outcomes``.
"""

from __future__ import annotations

from typing import Any

from moto_glue_workflows._moto import UnknownRegion, backend_for, get_service_model
from moto_glue_workflows.control.endpoints import ControlOperation
from moto_glue_workflows.glue import trigger_fires
from moto_glue_workflows.glue.exceptions import EntityNotFoundException, InvalidInputException
from moto_glue_workflows.glue.job_runs import Outcome
from moto_glue_workflows.glue.models import GlueWorkflowBackend, glue_workflow_backends
from moto_glue_workflows.protocol.validation import InvalidParameter, shape_validator

JOB_STATES = ("SUCCEEDED", "FAILED", "TIMEOUT", "STOPPED", "ERROR")
CRAWL_STATES = ("SUCCEEDED", "FAILED", "CANCELLED")


def _outcome(name_field: str, name: Any, state: Any, states: tuple[str, ...], error_message: Any) -> Outcome:
    shape_validator(get_service_model("glue").shape_for("NameString"))(name, name_field)
    if state not in states:
        raise InvalidParameter("State", state, f"Member must satisfy enum value set: [{', '.join(states)}]")
    if error_message is not None and not isinstance(error_message, str):
        raise InvalidParameter("ErrorMessage", error_message, "Member must be a string")
    return Outcome(state, error_message)


def _backend(account_id: str, region: str) -> GlueWorkflowBackend:
    try:
        return backend_for(glue_workflow_backends, account_id, region)  # type: ignore[no-any-return]
    except UnknownRegion as unknown:
        raise InvalidInputException(str(unknown)) from None


def _set_outcome(account_id: str, region: str, kind: str, name: Any, state: Any, error_message: Any) -> None:
    """Check and store how runs of a job (``kind`` "Job") or crawls of a crawler ("Crawler") end."""
    states = JOB_STATES if kind == "Job" else CRAWL_STATES
    try:
        outcome = _outcome(f"{kind}Name", name, state, states, error_message)
    except InvalidParameter as invalid:
        raise InvalidInputException(str(invalid)) from None
    backend = _backend(account_id, region)
    if kind == "Job":
        if backend.glue.job(name) is None:
            raise EntityNotFoundException(f"Job {name} not found.")
        backend.set_job_outcome(name, outcome)
    else:
        if backend.glue.crawler(name) is None:
            raise EntityNotFoundException(f"Crawler entry with name {name} does not exist")
        backend.set_crawl_outcome(name, outcome)


def set_job_run_outcome(
    *, account_id: str, region: str, job_name: str, state: str, error_message: str | None = None
) -> dict[str, Any]:
    _set_outcome(account_id, region, "Job", job_name, state, error_message)
    return {"JobName": job_name, "State": state}


def set_crawl_outcome(
    *, account_id: str, region: str, crawler_name: str, state: str, error_message: str | None = None
) -> dict[str, Any]:
    _set_outcome(account_id, region, "Crawler", crawler_name, state, error_message)
    return {"CrawlerName": crawler_name, "State": state}


def fire_trigger(*, account_id: str, region: str, trigger_name: str) -> dict[str, Any]:
    try:
        shape_validator(get_service_model("glue").shape_for("NameString"))(trigger_name, "TriggerName")
    except InvalidParameter as invalid:
        raise InvalidInputException(str(invalid)) from None
    return trigger_fires.fire_trigger(_backend(account_id, region), trigger_name)


TRIGGER_FIRES = ControlOperation(
    "glue/trigger-fires",
    fire_trigger,
    {"TriggerName": "trigger_name"},
    helper_name="fire_trigger",
)
JOB_RUN_OUTCOMES = ControlOperation(
    "glue/job-run-outcomes",
    set_job_run_outcome,
    {"JobName": "job_name", "State": "state", "ErrorMessage": "error_message"},
    helper_name="set_job_run_outcome",
)
CRAWL_OUTCOMES = ControlOperation(
    "glue/crawl-outcomes",
    set_crawl_outcome,
    {"CrawlerName": "crawler_name", "State": "state", "ErrorMessage": "error_message"},
    helper_name="set_crawl_outcome",
)
