"""Jobs that do work: handlers run when a run starts, pass data through run properties, log to CloudWatch."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

import moto_glue_workflows
from tests.conftest import AWS
from tests.glue_helpers import ROLE, job, job_runs_of, nodes_by_name, start_trigger, when

JOBS = ["extract", "transform", "load"]


@pytest.fixture
def handlers() -> Iterator[list[str]]:
    """Names of jobs whose handlers a test registers; removed afterwards."""
    names: list[str] = []
    yield names
    for name in names:
        moto_glue_workflows.remove_job_handler(name)


def register(names: list[str], job_name: str, handler: Any) -> None:
    moto_glue_workflows.job_handler(job_name)(handler)
    names.append(job_name)


def three_job_workflow(glue: Any) -> None:
    """extract -> transform -> load, Python shell jobs, each on its predecessor's success."""
    glue.create_workflow(Name="etl", DefaultRunProperties={"source": "s3://lake/raw/"})
    for name in JOBS:
        glue.create_job(
            Name=name, Role=ROLE, Command={"Name": "pythonshell", "ScriptLocation": f"s3://scripts/{name}.py"}
        )
    start_trigger(glue, "etl", "etl-start", JOBS[0])
    for previous, following in itertools.pairwise(JOBS):
        when(glue, "etl", f"etl-after-{previous}", [(previous, "SUCCEEDED")], [{"JobName": following}])


def test_handlers_pass_values_through_run_properties_and_a_fixed_job_resumes(aws: AWS, handlers: list[str]) -> None:
    glue, logs = aws.client("glue"), aws.client("logs")
    three_job_workflow(glue)
    seen: dict[str, dict[str, str]] = {}

    def extract(args: dict[str, str], context: moto_glue_workflows.JobContext) -> None:
        seen["extract"] = args
        client = boto3.client("glue")  # plain boto3 reaches the mock of the run's account and region
        props = client.get_workflow_run_properties(Name=args["--WORKFLOW_NAME"], RunId=args["--WORKFLOW_RUN_ID"])
        print(f"extracting from {props['RunProperties']['source']}")
        client.put_workflow_run_properties(
            Name=args["--WORKFLOW_NAME"], RunId=args["--WORKFLOW_RUN_ID"], RunProperties={"rows": "42"}
        )

    def broken_transform(args: dict[str, str], context: moto_glue_workflows.JobContext) -> None:
        rows = context.client("glue").get_workflow_run_properties(
            Name=context.workflow_name, RunId=context.workflow_run_id
        )["RunProperties"]["rows"]
        print(f"transforming {rows} rows")
        raise ValueError(f"cannot transform {rows} rows")

    def load(args: dict[str, str], context: moto_glue_workflows.JobContext) -> None:
        props = context.client("glue").get_workflow_run_properties(
            Name=context.workflow_name, RunId=context.workflow_run_id
        )["RunProperties"]
        print(f"loading {props['doubled']} rows")

    register(handlers, "extract", extract)
    register(handlers, "transform", broken_transform)
    register(handlers, "load", load)

    run_id = glue.start_workflow_run(Name="etl")["RunId"]
    run = glue.get_workflow_run(Name="etl", RunId=run_id, IncludeGraph=True)["Run"]
    assert run["Status"] == "COMPLETED"
    assert run["Statistics"]["SucceededActions"] == 1 and run["Statistics"]["FailedActions"] == 1
    nodes = nodes_by_name(run)
    [extract_run] = job_runs_of(nodes["extract"])
    [transform_run] = job_runs_of(nodes["transform"])
    assert extract_run["JobRunState"] == "SUCCEEDED" and "ErrorMessage" not in extract_run
    assert transform_run["JobRunState"] == "FAILED"
    assert transform_run["ErrorMessage"] == "cannot transform 42 rows"
    assert job_runs_of(nodes["load"]) == []
    assert seen["extract"]["--JOB_NAME"] == "extract"
    assert seen["extract"]["--JOB_RUN_ID"] == extract_run["Id"]
    assert seen["extract"]["--WORKFLOW_NAME"] == "etl" and seen["extract"]["--WORKFLOW_RUN_ID"] == run_id
    assert glue.get_workflow_run_properties(Name="etl", RunId=run_id)["RunProperties"] == {
        "source": "s3://lake/raw/",
        "rows": "42",
    }

    def fixed_transform(args: dict[str, str], context: moto_glue_workflows.JobContext) -> None:
        glue_client = context.client("glue")
        rows = glue_client.get_workflow_run_properties(Name=context.workflow_name, RunId=context.workflow_run_id)[
            "RunProperties"
        ]["rows"]
        glue_client.put_workflow_run_properties(
            Name=context.workflow_name, RunId=context.workflow_run_id, RunProperties={"doubled": str(int(rows) * 2)}
        )

    register(handlers, "transform", fixed_transform)
    resumed = glue.resume_workflow_run(Name="etl", RunId=run_id, NodeIds=[nodes["transform"]["UniqueId"]])
    new_run = glue.get_workflow_run(Name="etl", RunId=resumed["RunId"], IncludeGraph=True)["Run"]
    assert new_run["Status"] == "COMPLETED" and new_run["PreviousRunId"] == run_id
    assert new_run["Statistics"]["SucceededActions"] == 3 and new_run["Statistics"]["FailedActions"] == 0
    assert new_run["WorkflowRunProperties"]["doubled"] == "84"
    [load_run] = job_runs_of(nodes_by_name(new_run)["load"])
    assert load_run["JobRunState"] == "SUCCEEDED" and load_run["LogGroupName"] == "/aws-glue/python-jobs"

    # What the handlers printed, read back as Airflow's Glue hook reads it: group/output, stream = run id.
    output = logs.filter_log_events(logGroupName="/aws-glue/python-jobs/output")["events"]
    by_stream: dict[str, list[str]] = {}
    for event in output:
        by_stream.setdefault(event["logStreamName"], []).append(event["message"])
    assert by_stream[extract_run["Id"]] == ["extracting from s3://lake/raw/"]
    assert by_stream[transform_run["Id"]] == ["transforming 42 rows"]
    assert by_stream[load_run["Id"]] == ["loading 84 rows"]
    errors = logs.filter_log_events(logGroupName="/aws-glue/python-jobs/error", logStreamNames=[transform_run["Id"]])[
        "events"
    ]
    assert errors[-1]["message"] == "ValueError: cannot transform 42 rows"
    assert any("broken_transform" in event["message"] for event in errors)
    assert (
        logs.get_log_events(logGroupName="/aws-glue/python-jobs/error", logStreamName=extract_run["Id"])["events"] == []
    )


def test_start_job_run_passes_resolved_arguments_and_spark_jobs_log_to_aws_glue_jobs(
    aws: AWS, handlers: list[str]
) -> None:
    glue, logs = aws.client("glue"), aws.client("logs")
    job(glue, "spark", DefaultArguments={"--table": "orders", "--mode": "full"})
    received: list[dict[str, str]] = []

    def spark(args: dict[str, str], context: moto_glue_workflows.JobContext) -> None:
        received.append(args)
        print("partitions:", args["--mode"])
        print("a warning", file=__import__("sys").stderr)

    register(handlers, "spark", spark)
    run_id = glue.start_job_run(JobName="spark", Arguments={"--mode": "incremental"})["JobRunId"]
    run = glue.get_job_run(JobName="spark", RunId=run_id)["JobRun"]
    assert run["JobRunState"] == "SUCCEEDED" and run["LogGroupName"] == "/aws-glue/jobs"
    assert received == [{"--table": "orders", "--mode": "incremental", "--JOB_NAME": "spark", "--JOB_RUN_ID": run_id}]
    assert [
        e["message"] for e in logs.get_log_events(logGroupName="/aws-glue/jobs/output", logStreamName=run_id)["events"]
    ] == ["partitions: incremental"]
    assert [
        e["message"] for e in logs.get_log_events(logGroupName="/aws-glue/jobs/error", logStreamName=run_id)["events"]
    ] == ["a warning"]


def test_a_failing_handler_is_retried_and_each_attempt_runs_it(aws: AWS, handlers: list[str]) -> None:
    glue = aws.client("glue")
    job(glue, "flaky", MaxRetries=1)
    attempts: list[str] = []

    def flaky(args: dict[str, str], context: moto_glue_workflows.JobContext) -> None:
        attempts.append(args["--JOB_RUN_ID"])
        if context.attempt == 0:
            raise RuntimeError("first attempt fails")

    register(handlers, "flaky", flaky)
    first = glue.start_job_run(JobName="flaky")["JobRunId"]
    runs = {r["Id"]: r for r in glue.get_job_runs(JobName="flaky")["JobRuns"]}
    assert runs[first]["JobRunState"] == "FAILED" and runs[first]["ErrorMessage"] == "first attempt fails"
    retry = f"{first}_attempt_1"
    assert glue.get_job_run(JobName="flaky", RunId=retry)["JobRun"]["JobRunState"] == "SUCCEEDED"
    assert attempts == [first, retry]


def test_jobs_without_handlers_keep_test_outcomes_and_handlers_are_per_region(aws: AWS, handlers: list[str]) -> None:
    glue = aws.client("glue")
    west = aws.client("glue", region_name="us-west-2")
    job(glue, "plain")
    job(glue, "regional")
    job(west, "regional")
    aws.control.set_job_run_outcome(job_name="plain", state="TIMEOUT")
    moto_glue_workflows.job_handler("regional", region="us-west-2")(lambda args, context: print(1 / 0))
    handlers.append("regional")
    try:
        plain = glue.start_job_run(JobName="plain")["JobRunId"]
        assert glue.get_job_run(JobName="plain", RunId=plain)["JobRun"]["JobRunState"] == "TIMEOUT"
        east_run = glue.start_job_run(JobName="regional")["JobRunId"]
        assert glue.get_job_run(JobName="regional", RunId=east_run)["JobRun"]["JobRunState"] == "SUCCEEDED"
        west_run = west.start_job_run(JobName="regional")["JobRunId"]
        failed = west.get_job_run(JobName="regional", RunId=west_run)["JobRun"]
        assert failed["JobRunState"] == "FAILED" and failed["ErrorMessage"] == "division by zero"
    finally:
        moto_glue_workflows.remove_job_handler("regional", region="us-west-2")


@pytest.mark.parametrize("days", [0.085, 20])
def test_output_lands_in_the_logs_whatever_the_clock(aws: AWS, handlers: list[str], days: float) -> None:
    """Log events carry the mock's time. moto's PutLogEvents drops events more than 2 hours ahead of (or 14 days
    behind) the wall clock; ours are stored whatever the test did to the clock (2 h 2 min, 20 days)."""
    glue, logs = aws.client("glue"), aws.client("logs")
    job(glue, "daily")

    def daily(args: dict[str, str], context: moto_glue_workflows.JobContext) -> None:
        print("loaded the day")

    register(handlers, "daily", daily)
    aws.control.advance_clock(seconds=int(days * 86400))
    wall = __import__("time").time()
    run_id = glue.start_job_run(JobName="daily")["JobRunId"]
    assert glue.get_job_run(JobName="daily", RunId=run_id)["JobRun"]["JobRunState"] == "SUCCEEDED"
    events = logs.get_log_events(logGroupName="/aws-glue/jobs/output", logStreamName=run_id)["events"]
    assert [e["message"] for e in events] == ["loaded the day"]
    assert events[0]["timestamp"] >= (wall + days * 86400 - 60) * 1000  # stamped in the mock's time
    filtered = logs.filter_log_events(logGroupName="/aws-glue/jobs/output", logStreamNames=[run_id])["events"]
    assert [e["message"] for e in filtered] == ["loaded the day"]
