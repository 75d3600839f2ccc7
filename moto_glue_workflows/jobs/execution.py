"""Running a job's handler when a run of the job starts, and ending the run with what it did.

A listener on the backend's job-run lifecycle (glue/lifecycle.py): every run, whoever starts it
(StartJobRun, a trigger, a workflow, a retry), passes ``job_run_started``; a run that waited in the
queue passes ``job_run_admitted`` when it gets its slot. A run whose job has a handler executes
there, synchronously: it sees the state as it is when it starts (its predecessors have finished),
and where it ends is decided before any read can find it ended. The state manager still moves the
run through STARTING and RUNNING as the test chose. Jobs without a handler keep the outcome a test
set (or SUCCEEDED).
"""

from __future__ import annotations

import contextlib
import io
import threading
import traceback
from dataclasses import dataclass
from typing import Any

from moto_glue_workflows._moto import aws_calls_in_process
from moto_glue_workflows.jobs.context import JobContext
from moto_glue_workflows.jobs.logs import log_group_of, write_run_output
from moto_glue_workflows.jobs.registry import Handler, handler_for
from moto_glue_workflows.jobs.runs import end_run_as, glue_arguments

# sys.stdout and sys.stderr are process-wide: one handler's output at a time is captured. Reentrant:
# a handler may start another job run whose handler runs inside it.
_OUTPUT_LOCK = threading.RLock()


@dataclass(frozen=True)
class Execution:
    """What running a job's code came to."""

    state: str  # SUCCEEDED, FAILED (or TIMEOUT, for scripts)
    error_message: str | None
    stdout: str
    stderr: str


def call_handler(handler: Handler, arguments: dict[str, str], context: JobContext) -> Execution:
    stdout, stderr = io.StringIO(), io.StringIO()
    state, message = "SUCCEEDED", None
    with (
        _OUTPUT_LOCK,
        aws_calls_in_process(context.account_id, context.region),
        contextlib.redirect_stdout(stdout),
        contextlib.redirect_stderr(stderr),
    ):
        try:
            handler(dict(arguments), context)
        except SystemExit as exit_:
            if exit_.code not in (None, 0):
                state, message = "FAILED", f"Command failed with exit code {exit_.code}"
        except Exception as error:
            # The handler's frames, not ours, as a script's traceback would show.
            traceback.print_exception(type(error), error, error.__traceback__.tb_next if error.__traceback__ else None)
            state, message = "FAILED", str(error) or type(error).__name__
    return Execution(state, message, stdout.getvalue(), stderr.getvalue())


class JobExecution:
    """Executes runs of jobs that have a handler, for one backend (one account and region)."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend

    def job_run_started(self, run: Any) -> None:
        if run._status == "STARTING":  # not queued (WAITING) nor ended at once (over its limit)
            self.execute(run)

    def job_run_admitted(self, run: Any) -> None:
        self.execute(run)

    def execute(self, run: Any) -> None:
        account_id, region = self.backend.account_id, self.backend.region_name
        job = self.backend.glue.job(run.job_name)
        handler = handler_for(run.job_name, account_id, region)
        if job is None:
            return
        if handler is None:
            from moto_glue_workflows.jobs.script_mode import start_script  # imports the runner: only when used

            start_script(self.backend, run, job)  # a Python shell job in script mode runs its script
            return
        arguments = glue_arguments(run)
        context = JobContext(
            job_name=run.job_name,
            job_run_id=run.job_run_id,
            account_id=account_id,
            region=region,
            arguments=dict(arguments),
            attempt=int(getattr(run, "attempt", 0) or 0),
            workflow_name=arguments.get("--WORKFLOW_NAME"),
            workflow_run_id=arguments.get("--WORKFLOW_RUN_ID"),
        )
        execution = call_handler(handler, arguments, context)
        end_run_as(run, execution.state, execution.error_message)
        write_run_output(account_id, region, log_group_of(run, job), run.job_run_id, execution.stdout, execution.stderr)
