"""BatchStopJobRun: stop the named runs of one job that are still going; report the others.

AWS answers ``SuccessfulSubmissions`` ([{JobName, JobRunId}]) for runs it will stop and ``Errors``
([{JobName, JobRunId, ErrorDetail: {ErrorCode, ErrorMessage}}]) for the rest (API reference,
"BatchStopJobRun", "BatchStopJobRunError", "ErrorDetail"); the request itself succeeds. The
reference does not give the codes and wording of the errors: a run id the job does not have is
``EntityNotFoundException`` (so is every run of a job that does not exist), a run already ended is ``InvalidInputException`` naming its state
(docs/jobs-and-crawlers.md).
"""

from __future__ import annotations

from typing import Any

STOPPABLE = frozenset({"STARTING", "RUNNING", "WAITING"})


def batch_stop(job_name: str, job: Any | None, run_ids: list[str]) -> tuple[list[dict[str, str]], list[dict[str, Any]]]:
    """``job`` None: the job does not exist. BatchStopJobRun's model lists no EntityNotFoundException,
    so each run id is reported as an error naming the missing job, and the request succeeds."""
    runs = {run.job_run_id: run for run in job.job_runs} if job is not None else {}
    stopped: list[dict[str, str]] = []
    errors: list[dict[str, Any]] = []

    def refuse(run_id: str, code: str, message: str) -> None:
        errors.append(
            {"JobName": job_name, "JobRunId": run_id, "ErrorDetail": {"ErrorCode": code, "ErrorMessage": message}}
        )

    for run_id in run_ids:
        run = runs.get(run_id)
        if job is None:
            refuse(run_id, "EntityNotFoundException", f"Job {job_name} not found.")
            continue
        if run is None:
            refuse(run_id, "EntityNotFoundException", f"Job run {run_id} not found for job {job_name}.")
            continue
        state = run.status
        if state == "STOPPING":  # already asked to stop: submitted again, as AWS accepts a repeated stop
            stopped.append({"JobName": job_name, "JobRunId": run_id})
        elif state in STOPPABLE:
            run.stop()
            stopped.append({"JobName": job_name, "JobRunId": run_id})
        else:
            refuse(run_id, "InvalidInputException", f"Job run {run_id} is {state} and can no longer be stopped.")
    return stopped, errors
