"""Handlers in the standalone server: a module named by ``--job-handlers`` (or MOTO_GLUE_JOB_HANDLERS)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
import pytest

from moto_glue_workflows.server import split_job_handlers
from tests.glue_helpers import ROLE
from tests.modes import free_port

HANDLERS = textwrap.dedent(
    """
    import boto3
    import moto_glue_workflows

    @moto_glue_workflows.job_handler("produce")
    def produce(args, context):
        print("producing for", args["--WORKFLOW_RUN_ID"])
        boto3.client("glue").put_workflow_run_properties(
            Name=args["--WORKFLOW_NAME"], RunId=args["--WORKFLOW_RUN_ID"], RunProperties={"made": "7"}
        )
        boto3.client("s3").put_object(Bucket="out", Key="made.txt", Body=b"7")

    @moto_glue_workflows.job_handler("consume")
    def consume(args, context):
        made = context.client("glue").get_workflow_run_properties(
            Name=context.workflow_name, RunId=context.workflow_run_id
        )["RunProperties"]["made"]
        raise RuntimeError(f"refusing {made}")
    """
)


@contextmanager
def server(tmp_path: Path, args: list[str], env_extra: dict[str, str]) -> Iterator[str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "MOTO_ACCOUNT_ID"} | env_extra
    log = (tmp_path / "server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "moto_glue_workflows", "-p", str(port), *args],
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError((tmp_path / "server.log").read_text()[-2000:])
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def client(url: str, service: str) -> Any:
    return boto3.client(
        service,
        region_name="us-east-1",
        endpoint_url=url,
        aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
        aws_secret_access_key="x",
    )


@pytest.mark.parametrize("how", ["flag", "env"])
def test_standalone_server_runs_handlers_from_a_named_module(tmp_path: Path, how: str) -> None:
    (tmp_path / "my_glue_handlers.py").write_text(HANDLERS)
    args, env = (
        (["--job-handlers", "my_glue_handlers"], {})
        if how == "flag"
        else ([], {"MOTO_GLUE_JOB_HANDLERS": "my_glue_handlers"})
    )
    with server(tmp_path, args, env) as url:
        glue, s3, logs = client(url, "glue"), client(url, "s3"), client(url, "logs")
        s3.create_bucket(Bucket="out")
        glue.create_workflow(Name="w")
        for name in ("produce", "consume"):
            glue.create_job(Name=name, Role=ROLE, Command={"Name": "pythonshell", "ScriptLocation": "s3://s/x.py"})
        glue.create_trigger(Name="s", WorkflowName="w", Type="ON_DEMAND", Actions=[{"JobName": "produce"}])
        glue.create_trigger(
            Name="t",
            WorkflowName="w",
            Type="CONDITIONAL",
            StartOnCreation=True,
            Predicate={"Conditions": [{"LogicalOperator": "EQUALS", "JobName": "produce", "State": "SUCCEEDED"}]},
            Actions=[{"JobName": "consume"}],
        )
        run_id = glue.start_workflow_run(Name="w")["RunId"]
        run = glue.get_workflow_run(Name="w", RunId=run_id)["Run"]
        assert run["Status"] == "COMPLETED" and run["WorkflowRunProperties"] == {"made": "7"}
        assert run["Statistics"]["SucceededActions"] == 1 and run["Statistics"]["FailedActions"] == 1
        [consumed] = glue.get_job_runs(JobName="consume")["JobRuns"]
        assert consumed["JobRunState"] == "FAILED" and consumed["ErrorMessage"] == "refusing 7"
        assert s3.get_object(Bucket="out", Key="made.txt")["Body"].read() == b"7"
        events = logs.filter_log_events(logGroupName="/aws-glue/python-jobs/output")["events"]
        assert [e["message"] for e in events] == [f"producing for {run_id}"]


def test_job_handlers_flag_is_taken_out_of_moto_servers_arguments() -> None:
    assert split_job_handlers(["-p", "5000", "--job-handlers", "a.b", "--job-handlers=c"]) == (
        ["a.b", "c"],
        ["-p", "5000"],
    )
    with pytest.raises(SystemExit):
        split_job_handlers(["--job-handlers"])
