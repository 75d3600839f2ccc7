"""Python shell scripts from mocked S3, run out of process when a test opts in (glue/job-execution)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from moto_glue_workflows import ControlError
from moto_glue_workflows.runner import running
from tests.conftest import AWS
from tests.glue_helpers import ROLE, start_trigger, when

EXTRACT = b"""
import sys
import boto3
from awsglue.utils import getResolvedOptions

args = getResolvedOptions(sys.argv, ["JOB_NAME", "WORKFLOW_NAME", "WORKFLOW_RUN_ID", "table"])
print(f"extracting {args['table']} in {args['JOB_NAME']}")
boto3.client("glue").put_workflow_run_properties(
    Name=args["WORKFLOW_NAME"], RunId=args["WORKFLOW_RUN_ID"], RunProperties={"extracted": args["table"]}
)
boto3.client("s3").put_object(Bucket="scripts", Key="out/extracted.txt", Body=args["table"].encode())
"""

REJECT = b"""
import sys
print("checking rows")
print("rows are invalid", file=sys.stderr)
sys.exit(1)
"""

RAISE = b"""
raise ValueError("no such table: orders")
"""

SLOW = b"""
import time
import boto3
time.sleep(20)
boto3.client("s3").put_object(Bucket="scripts", Key="out/too-late.txt", Body=b"x")
"""

FINAL = {"SUCCEEDED", "FAILED", "TIMEOUT", "STOPPED", "ERROR"}


def python_shell_job(glue: Any, name: str, **kwargs: Any) -> None:
    glue.create_job(
        Name=name, Role=ROLE, Command={"Name": "pythonshell", "ScriptLocation": f"s3://scripts/{name}.py"}, **kwargs
    )


def finished_run(glue: Any, job: str, run_id: str, limit: float = 30) -> dict[str, Any]:
    deadline = time.monotonic() + limit
    while True:
        run: dict[str, Any] = glue.get_job_run(JobName=job, RunId=run_id)["JobRun"]
        if run["JobRunState"] in FINAL or time.monotonic() > deadline:
            return run
        time.sleep(0.1)


def test_a_workflow_of_scripts_passes_arguments_and_logs_and_a_failing_script_fails_its_run(aws: AWS) -> None:
    s3, glue, logs = aws.client("s3"), aws.client("glue"), aws.client("logs")
    s3.create_bucket(Bucket="scripts")
    s3.put_object(Bucket="scripts", Key="extract.py", Body=EXTRACT)
    s3.put_object(Bucket="scripts", Key="reject.py", Body=REJECT)
    glue.create_workflow(Name="w")
    python_shell_job(glue, "extract", DefaultArguments={"--table": "orders"})
    python_shell_job(glue, "reject")
    start_trigger(glue, "w", "start", "extract")
    when(glue, "w", "then", [("extract", "SUCCEEDED")], [{"JobName": "reject"}])
    aws.control.set_job_execution(mode="script")
    run_id = glue.start_workflow_run(Name="w")["RunId"]
    deadline = time.monotonic() + 60
    while glue.get_workflow_run(Name="w", RunId=run_id)["Run"]["Status"] != "COMPLETED":
        assert time.monotonic() < deadline
        time.sleep(0.1)
    run = glue.get_workflow_run(Name="w", RunId=run_id)["Run"]
    assert run["WorkflowRunProperties"] == {"extracted": "orders"}
    assert run["Statistics"]["SucceededActions"] == 1 and run["Statistics"]["FailedActions"] == 1
    [extracted] = glue.get_job_runs(JobName="extract")["JobRuns"]
    [rejected] = glue.get_job_runs(JobName="reject")["JobRuns"]
    assert extracted["JobRunState"] == "SUCCEEDED" and extracted["ExecutionTime"] >= 1
    assert rejected["JobRunState"] == "FAILED" and rejected["ErrorMessage"] == "rows are invalid"
    assert s3.get_object(Bucket="scripts", Key="out/extracted.txt")["Body"].read() == b"orders"
    output = logs.filter_log_events(logGroupName="/aws-glue/python-jobs/output")["events"]
    assert {(e["logStreamName"], e["message"]) for e in output} == {
        (extracted["Id"], "extracting orders in extract"),
        (rejected["Id"], "checking rows"),
    }
    errors = logs.filter_log_events(logGroupName="/aws-glue/python-jobs/error", logStreamNames=[rejected["Id"]])
    assert [e["message"] for e in errors["events"]] == ["rows are invalid"]


def test_a_raising_script_fails_with_its_exception_and_a_missing_script_fails_at_once(aws: AWS) -> None:
    s3, glue = aws.client("s3"), aws.client("glue")
    s3.create_bucket(Bucket="scripts")
    s3.put_object(Bucket="scripts", Key="boom.py", Body=RAISE)
    python_shell_job(glue, "boom")
    python_shell_job(glue, "nowhere")
    aws.control.set_job_execution(mode="script", job_name="boom")
    aws.control.set_job_execution(mode="script", job_name="nowhere")
    boom = finished_run(glue, "boom", glue.start_job_run(JobName="boom")["JobRunId"])
    assert boom["JobRunState"] == "FAILED" and boom["ErrorMessage"] == "ValueError: no such table: orders"
    nowhere = finished_run(glue, "nowhere", glue.start_job_run(JobName="nowhere")["JobRunId"])
    assert nowhere["JobRunState"] == "FAILED" and "s3://scripts/nowhere.py" in nowhere["ErrorMessage"]
    aws.control.set_job_execution(mode="outcome", job_name="boom")
    again = finished_run(glue, "boom", glue.start_job_run(JobName="boom")["JobRunId"])
    assert again["JobRunState"] == "SUCCEEDED"


def test_a_script_past_its_timeout_is_killed_and_ends_timeout(aws: AWS) -> None:
    s3, glue = aws.client("s3"), aws.client("glue")
    s3.create_bucket(Bucket="scripts")
    s3.put_object(Bucket="scripts", Key="slow.py", Body=SLOW)
    python_shell_job(glue, "slow", Timeout=2)
    aws.control.set_job_execution(mode="script", job_name="slow", seconds_per_timeout_minute=1)
    started = time.monotonic()
    run = finished_run(glue, "slow", glue.start_job_run(JobName="slow")["JobRunId"])
    assert run["JobRunState"] == "TIMEOUT" and time.monotonic() - started < 15
    assert run["ErrorMessage"] == "Job run timed out after 2 minutes."
    assert running() == []  # the script's process group was killed, not left to finish
    assert s3.list_objects_v2(Bucket="scripts", Prefix="out/").get("KeyCount") == 0


def test_a_script_run_the_clock_timed_out_is_killed_and_keeps_its_timeout(aws: AWS) -> None:
    """The mock clock passing a script run's Timeout ends it TIMEOUT at once: its script is killed then, and
    the run keeps that end (message, CompletedOn) however often and by whichever operation it is read."""
    s3, glue = aws.client("s3"), aws.client("glue")
    s3.create_bucket(Bucket="scripts")
    s3.put_object(Bucket="scripts", Key="slow.py", Body=SLOW)
    python_shell_job(glue, "slow", Timeout=1)
    aws.control.set_job_execution(mode="script", job_name="slow")
    run_id = glue.start_job_run(JobName="slow")["JobRunId"]
    assert glue.get_job_run(JobName="slow", RunId=run_id)["JobRun"]["JobRunState"] == "RUNNING"
    aws.control.advance_clock(seconds=120)  # past the 1-minute Timeout, on the mock clock only
    assert running() == []  # killed when the clock ended the run, not left to finish
    first = glue.get_job_run(JobName="slow", RunId=run_id)["JobRun"]
    assert first["JobRunState"] == "TIMEOUT" and first["ErrorMessage"] == "Job run timed out after 1 minutes."
    for _ in range(2):
        assert glue.get_job_runs(JobName="slow")["JobRuns"] == [first]
        assert glue.get_job_run(JobName="slow", RunId=run_id)["JobRun"] == first
    assert s3.list_objects_v2(Bucket="scripts", Prefix="out/").get("KeyCount") == 0


def test_job_execution_control_refuses_bad_input(aws: AWS) -> None:
    with pytest.raises(ControlError) as refused:
        aws.control.set_job_execution(mode="spark")
    assert refused.value.status == 400 and "Mode" in refused.value.message
    with pytest.raises(ControlError):
        aws.control.set_job_execution(mode="script", seconds_per_timeout_minute=0)


def test_stopping_a_script_run_kills_its_script(aws: AWS) -> None:
    s3, glue = aws.client("s3"), aws.client("glue")
    s3.create_bucket(Bucket="scripts")
    s3.put_object(Bucket="scripts", Key="slow.py", Body=SLOW)
    python_shell_job(glue, "slow")
    aws.control.set_job_execution(mode="script")
    run_id = glue.start_job_run(JobName="slow")["JobRunId"]
    answer = glue.batch_stop_job_run(JobName="slow", JobRunIds=[run_id])
    assert answer["SuccessfulSubmissions"] == [{"JobName": "slow", "JobRunId": run_id}]
    assert finished_run(glue, "slow", run_id)["JobRunState"] == "STOPPED"
    assert running() == []
