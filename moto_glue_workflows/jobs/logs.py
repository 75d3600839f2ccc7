"""Where an executed job run's output goes: moto's CloudWatch Logs, in the groups Glue uses.

Glue writes a run's driver output to ``<group>/output`` and its errors to ``<group>/error``, one
stream per run named by the run id; the group is ``/aws-glue/python-jobs`` for Python shell jobs and
``/aws-glue/jobs`` otherwise (guide, "Monitoring with Amazon CloudWatch" / "Logging for AWS Glue
jobs"; Airflow's GlueJobHook reads ``<LogGroupName>/output`` and ``/error`` with the run id as stream).
"""

from __future__ import annotations

from typing import Any

from moto_glue_workflows._moto import write_log_lines

SPARK_LOG_GROUP = "/aws-glue/jobs"
PYTHON_SHELL_LOG_GROUP = "/aws-glue/python-jobs"


def log_group_of(run: Any, job: Any) -> str:
    """The run's LogGroupName where the run knows it, else the one its job's command implies."""
    group = getattr(run, "log_group", None)
    if isinstance(group, str) and group:
        return group
    command = job.command if isinstance(getattr(job, "command", None), dict) else {}
    return PYTHON_SHELL_LOG_GROUP if command.get("Name") == "pythonshell" else SPARK_LOG_GROUP


def write_run_output(account_id: str, region: str, group: str, run_id: str, stdout: str, stderr: str) -> None:
    """Both streams are created even when empty, as Glue creates them when the run starts."""
    write_log_lines(account_id, region, f"{group}/output", run_id, stdout.splitlines())
    write_log_lines(account_id, region, f"{group}/error", run_id, stderr.splitlines())
