"""Control endpoints choosing how job runs and crawls end:
``POST /moto-api/static/glue/job-run-outcomes`` and ``POST /moto-api/static/glue/crawl-outcomes``.
"""

from __future__ import annotations

from typing import Any

from moto_glue_workflows._moto import UnknownRegion, backend_for, get_service_model
from moto_glue_workflows.control.endpoints import ControlOperation
from moto_glue_workflows.glue import trigger_fires
from moto_glue_workflows.glue.exceptions import EntityNotFoundException, InvalidInputException
from moto_glue_workflows.glue.job_runs import Outcome, Outcomes
from moto_glue_workflows.glue.models import GlueWorkflowBackend, glue_workflow_backends
from moto_glue_workflows.protocol.validation import InvalidParameter, shape_validator

# How a job run can end. WAITING holds the run in the queue for good; EXPIRED ends it after waiting
# (JobRunState; guide, "AWS Glue job run statuses"). A crawl ends in a CrawlState.
JOB_STATES = ("SUCCEEDED", "FAILED", "TIMEOUT", "STOPPED", "ERROR", "WAITING", "EXPIRED")
CRAWL_STATES = ("SUCCEEDED", "FAILED", "CANCELLED")
MAX_OUTCOMES = 11  # the first attempt and up to 10 retries (MaxRetries is at most 10)


def _outcomes(name_field: str, name: Any, state: Any, states: tuple[str, ...], error_message: Any) -> Outcomes:
    """One outcome, or one per attempt when ``state`` (and ``error_message``) are lists."""
    shape_validator(get_service_model("glue").shape_for("NameString"))(name, name_field)
    per_attempt = isinstance(state, list)
    given = state if per_attempt else [state]
    if not given or len(given) > MAX_OUTCOMES:
        raise InvalidParameter("State", state, f"Member must hold 1 to {MAX_OUTCOMES} states, one per attempt")
    messages = error_message if isinstance(error_message, list) else [error_message] * len(given)
    if len(messages) != len(given):
        raise InvalidParameter("ErrorMessage", error_message, "Member must hold one message per state")
    outcomes = []
    for index, (one, message) in enumerate(zip(given, messages, strict=True), start=1):
        path = f"State.{index}" if per_attempt else "State"
        if not isinstance(one, str) or one not in states:
            raise InvalidParameter(path, one, f"Member must satisfy enum value set: [{', '.join(states)}]")
        if message is not None and not isinstance(message, str):
            raise InvalidParameter("ErrorMessage", message, "Member must be a string")
        outcomes.append(Outcome(one, message))
    return tuple(outcomes)


def _backend(account_id: str, region: str) -> GlueWorkflowBackend:
    try:
        return backend_for(glue_workflow_backends, account_id, region)  # type: ignore[no-any-return]
    except UnknownRegion as unknown:
        raise InvalidInputException(str(unknown)) from None


def _set_outcome(account_id: str, region: str, kind: str, name: Any, state: Any, error_message: Any) -> None:
    """Check and store how runs of a job (``kind`` "Job") or crawls of a crawler ("Crawler") end."""
    states = JOB_STATES if kind == "Job" else CRAWL_STATES
    try:
        if kind != "Job" and isinstance(state, list):
            raise InvalidParameter("State", state, "Member must be one state: crawls are not retried")
        outcomes = _outcomes(f"{kind}Name", name, state, states, error_message)
    except InvalidParameter as invalid:
        raise InvalidInputException(str(invalid)) from None
    backend = _backend(account_id, region)
    if kind == "Job":
        if backend.glue.job(name) is None:
            raise EntityNotFoundException(f"Job {name} not found.")
        backend.set_job_outcome(name, outcomes)
    else:
        if backend.glue.crawler(name) is None:
            raise EntityNotFoundException(f"Crawler entry with name {name} does not exist")
        backend.set_crawl_outcome(name, outcomes)


def set_job_run_outcome(
    *,
    account_id: str,
    region: str,
    job_name: str,
    state: str | list[str],
    error_message: str | list[str | None] | None = None,
) -> dict[str, Any]:
    """How later runs of ``job_name`` end: one state for every attempt, or a list, one per attempt
    (attempt N of a run takes the Nth; the last holds for every later attempt), so a first attempt can
    fail and its retry (MaxRetries) succeed."""
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
