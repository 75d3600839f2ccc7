"""A job run as a job's code meets it, whether a handler (jobs/execution.py) or a script (jobs/script_mode.py)
runs it: the arguments Glue hands over, and where the run ends once the code ran."""

from __future__ import annotations

from typing import Any


def glue_arguments(run: Any) -> dict[str, str]:
    """The run's arguments as Glue hands them to the job's code: the job's defaults overridden by
    the run's, the workflow's (``--WORKFLOW_NAME``, ``--WORKFLOW_RUN_ID``) when a workflow started it,
    and ``--JOB_NAME`` and ``--JOB_RUN_ID``."""
    arguments = dict(run.arguments or {})
    arguments["--JOB_NAME"] = run.job_name
    arguments["--JOB_RUN_ID"] = run.job_run_id
    return arguments


def end_run_as(run: Any, state: str, error_message: str | None) -> None:
    """Where the run ends, decided once its code ran; the state manager still moves it there."""
    run._transitions = [("STARTING", "RUNNING"), ("RUNNING", state), ("STOPPING", "STOPPED")]
    run.error_message = None if state == "SUCCEEDED" else error_message
