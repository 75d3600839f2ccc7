"""``POST /moto-api/static/glue/job-execution``: which jobs run their Python shell script.

``{"JobName": "load", "Mode": "script"}`` makes runs of ``load`` fetch ``Command.ScriptLocation``
from mocked S3 and run it (a job that is not there is refused, as job-run-outcomes refuses it); without
``JobName`` it applies to every job; ``"Mode": "outcome"``
switches back (runs end as a test set, or SUCCEEDED). The server's default comes from the
environment variable ``MOTO_GLUE_JOB_EXECUTION``. ``SecondsPerTimeoutMinute`` (default 60) shortens
how long a minute of a job's ``Timeout`` lasts for its script, so a test sees TIMEOUT quickly.
"""

from __future__ import annotations

from typing import Any

from moto_glue_workflows._moto import UnknownRegion, backend_for, get_service_model
from moto_glue_workflows.control.endpoints import ControlOperation
from moto_glue_workflows.glue.exceptions import EntityNotFoundException, InvalidInputException
from moto_glue_workflows.glue.models import glue_workflow_backends
from moto_glue_workflows.jobs.script_mode import MODES, job_execution_settings
from moto_glue_workflows.protocol.validation import InvalidParameter, shape_validator


def set_job_execution(
    *, account_id: str, region: str, mode: Any, job_name: Any = None, seconds_per_timeout_minute: Any = None
) -> dict[str, Any]:
    try:
        if job_name is not None:
            shape_validator(get_service_model("glue").shape_for("NameString"))(job_name, "JobName")
        if mode not in MODES:
            raise InvalidParameter("Mode", mode, f"Member must satisfy enum value set: [{', '.join(MODES)}]")
        if seconds_per_timeout_minute is not None and (
            isinstance(seconds_per_timeout_minute, bool)
            or not isinstance(seconds_per_timeout_minute, int | float)
            or not 0 < seconds_per_timeout_minute <= 60
        ):
            raise InvalidParameter(
                "SecondsPerTimeoutMinute", seconds_per_timeout_minute, "Member must be a number above 0, at most 60"
            )
    except InvalidParameter as invalid:
        raise InvalidInputException(str(invalid)) from None
    try:
        settings = backend_for(job_execution_settings, account_id, region)
        glue = backend_for(glue_workflow_backends, account_id, region).glue
    except UnknownRegion as unknown:
        raise InvalidInputException(str(unknown)) from None
    if job_name is not None and glue.job(job_name) is None:  # as job-run-outcomes refuses it
        raise EntityNotFoundException(f"Job {job_name} not found.")
    settings.modes[job_name] = mode
    if seconds_per_timeout_minute is not None:
        settings.seconds_per_timeout_minute = float(seconds_per_timeout_minute)
    return {"JobName": job_name, "Mode": mode} if job_name is not None else {"Mode": mode}


JOB_EXECUTION = ControlOperation(
    "glue/job-execution",
    set_job_execution,
    {"JobName": "job_name", "Mode": "mode", "SecondsPerTimeoutMinute": "seconds_per_timeout_minute"},
    helper_name="set_job_execution",
)
