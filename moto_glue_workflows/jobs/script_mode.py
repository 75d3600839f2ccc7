"""Python shell jobs whose script runs: ``Command.ScriptLocation`` fetched from mocked S3 and run out
of process with the runner, when a test opted in (``glue/job-execution``, Mode ``script``).

The script runs as Glue runs a Python shell script: ``sys.argv`` is the script path followed by the
run's arguments as ``--name value`` pairs (its resolved arguments, ``--JOB_NAME``, ``--JOB_RUN_ID``,
``--WORKFLOW_NAME``, ``--WORKFLOW_RUN_ID``), ``awsglue.utils.getResolvedOptions`` importable (our
compatible module, beside the script), and boto3 reaching this mock in the run's account and region.
Exit 0 ends the run SUCCEEDED; anything else FAILED with the last line the script wrote to stderr
(a traceback's last line, ``ValueError: ...``) as ErrorMessage; past the job's ``Timeout`` it is
killed and the run ends TIMEOUT. ``ExecutionTime`` is the time it took.

The engine stays lazy: the script starts with the run, and each read of the run asks the script,
without waiting, whether it has ended (``ScriptProgress`` is the run's state-manager transitions).
"""

from __future__ import annotations

import datetime
import math
import os
from collections.abc import Iterator
from importlib import resources
from typing import Any

from moto_glue_workflows._moto import BackendDict, BaseBackend, s3_object_bytes
from moto_glue_workflows.glue.job_runs import JOB_FINAL
from moto_glue_workflows.jobs.logs import log_group_of, write_run_output
from moto_glue_workflows.jobs.runs import end_run_as, glue_arguments
from moto_glue_workflows.runner import bounded_error

MODES = ("script", "outcome")
EXECUTION_ENV = "MOTO_GLUE_JOB_EXECUTION"  # "script": every Python shell job runs its script


class JobExecutionSettings(BaseBackend):
    """Which jobs run their script, per account and region (``None``: every job)."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.modes: dict[str | None, str] = {}
        # How long one minute of a job's Timeout lasts for its script: 60 seconds, unless a test wants
        # to see a TIMEOUT without waiting a minute.
        self.seconds_per_timeout_minute = 60.0

    def mode_of(self, job_name: str) -> str:
        return self.modes.get(job_name) or self.modes.get(None) or os.environ.get(EXECUTION_ENV) or "outcome"


job_execution_settings = BackendDict(JobExecutionSettings, "glue")


def _shim_files() -> dict[str, bytes]:
    root = resources.files("moto_glue_workflows.jobs") / "awsglue_shim" / "awsglue"
    return {f"awsglue/{name}": (root / name).read_bytes() for name in ("__init__.py", "utils.py")}


def script_argv(arguments: dict[str, str]) -> list[str]:
    argv: list[str] = []
    for name, value in arguments.items():
        argv += [name, value]
    return argv


def _split_location(location: str) -> tuple[str, str] | None:
    if not location.startswith("s3://"):
        return None
    bucket, _, key = location[len("s3://") :].partition("/")
    return (bucket, key) if bucket and key else None


def _script_file_name(key: str) -> str | None:
    """The file a script is run from, named as its S3 key's last segment; None when no file can have
    that name ("." or "..", nothing, more than 255 bytes, a NUL)."""
    name = key.rsplit("/", 1)[-1]
    if name in ("", ".", "..") or "\x00" in name or len(name.encode("utf-8", "surrogatepass")) > 255:
        return None
    return name


def script_location_of(job: Any, arguments: dict[str, str]) -> str:
    command = job.command if isinstance(job.command, dict) else {}
    # "--scriptLocation ... overrides a script location set in the JobCommand object" (developer
    # guide, Jobs API, Job.DefaultArguments).
    return str(arguments.get("--scriptLocation") or command.get("ScriptLocation") or "")


def runs_its_script(job: Any, account_id: str, region: str) -> bool:
    command = job.command if isinstance(job.command, dict) else {}
    return bool(
        command.get("Name") == "pythonshell"
        and job_execution_settings[account_id][region].mode_of(job.name) == "script"
    )


def unusable_script_location(job: Any, arguments: dict[str, str], account_id: str, region: str) -> str | None:
    """Why a run of ``job`` with ``arguments`` cannot run its script, for StartJobRun to refuse it before
    anything is stored; None when it can (or the job does not run scripts). A script that does not exist
    is not refused: the run fails, as on AWS, where the script is read when the run starts."""
    if not runs_its_script(job, account_id, region):
        return None
    location = script_location_of(job, arguments)
    where = _split_location(location)
    if where is not None and _script_file_name(where[1]) is None:
        return f"Script location {location} does not name a script file."
    return None


def last_line(text: str) -> str | None:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else None


class ScriptProgress:
    """A run's transitions while its script runs: RUNNING until the script has ended, then its end."""

    def __init__(self, run: Any, user_run: Any, account_id: str, region: str, log_group: str) -> None:
        self.run = run
        self.user_run = user_run
        self.account_id, self.region, self.log_group = account_id, region, log_group
        self.final: str | None = None

    def _settle(self) -> None:
        if self.final is not None:
            return
        if self.run._status in JOB_FINAL:
            # Ended by something else first (the clock passing its Timeout): the script is killed, and the run
            # keeps the end, message and time that wrote; only what the script printed still goes to the logs.
            self.final = self.run._status
            result = self.user_run.kill()
            write_run_output(
                self.account_id, self.region, self.log_group, self.run.job_run_id, result.stdout, result.stderr
            )
            return
        # A run being stopped kills its script; otherwise ask, without waiting, whether it ended.
        result = self.user_run.kill() if self.run._status == "STOPPING" else self.user_run.poll()
        if result is None:
            return
        stderr = result.stderr
        if result.error_type and result.error_type != "SystemExit":
            stderr += f"{result.error_type}: {result.error}\n"
        # Killed by the runner at its deadline, or by the child's own watchdog just before it.
        if result.timed_out or result.duration >= self.user_run.spec.time_limit:
            self.final = "TIMEOUT"
            message = f"Job run timed out after {self.run.timeout_minutes} minutes."
        elif result.killed:
            self.final = "STOPPED"
            message = None
        elif result.exit_status == 0:
            self.final, message = "SUCCEEDED", None
        else:
            self.final = "FAILED"
            message = last_line(stderr) or f"Command failed with exit code {result.exit_status}"
        self.run.error_message = None if message is None else bounded_error(message)
        seconds = max(1, math.ceil(result.duration))
        self.run.completed_on = self.run.started_on + datetime.timedelta(seconds=seconds)
        self.run.modified_on = self.run.completed_on
        write_run_output(self.account_id, self.region, self.log_group, self.run.job_run_id, result.stdout, stderr)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        self._settle()
        yield ("STARTING", "RUNNING")
        if self.final is not None:
            yield ("RUNNING", self.final)
        yield ("STOPPING", self.final if self.final is not None else "STOPPING")


def start_script(backend: Any, run: Any, job: Any) -> bool:
    """Start the run's script if the job is a Python shell job in script mode; whether it did (or failed it)."""
    from moto_glue_workflows.runner import RunSpec, ScriptRun, start

    account_id, region = backend.account_id, backend.region_name
    if not runs_its_script(job, account_id, region):
        return False
    settings = job_execution_settings[account_id][region]
    arguments = glue_arguments(run)
    location = script_location_of(job, arguments)
    where = _split_location(location)
    name = _script_file_name(where[1]) if where else None
    if where is not None and name is None:
        # A run a trigger started (StartJobRun refuses these before storing anything).
        end_run_as(run, "FAILED", f"Script location {location} does not name a script file.")
        return True
    script = s3_object_bytes(account_id, where[0], where[1]) if where else None
    if script is None or where is None or name is None:
        # Glue fails such a run at once; its wording names the script location.
        end_run_as(run, "FAILED", f"Script location {location} does not exist or is not accessible.")
        return True
    spec = RunSpec(
        code=ScriptRun(name, script_argv(arguments)),
        account_id=account_id,
        region=region,
        time_limit=float(run.timeout_minutes) * settings.seconds_per_timeout_minute,
        files={**_shim_files(), name: script},
    )
    user_run = start(spec)
    run._transitions = ScriptProgress(run, user_run, account_id, region, log_group_of(run, job))
    return True
