"""Step Functions state machines run Glue under moto's interpreter as they run it on AWS.

moto executes state machines when ``execute_state_machine`` is on (``mock_aws(config=...)`` or
``POST /moto-api/config``), with LocalStack's interpreter and its Glue integrations. Each test runs a
state machine the way teams write them (the AWS Step Functions guide's Glue patterns, and the crawler
loop of ``aws-sdk:glue:startCrawler`` + ``getCrawler`` + Choice found in public pipelines) and reads
what the execution says, in both modes.
"""

from __future__ import annotations

import datetime
import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.conftest import AWS
from tests.glue_helpers import ROLE

pytest_plugins = ["tests.mode_fixtures"]

SYNC = "arn:aws:states:::glue:startJobRun.sync"
SCRIPT = {"Name": "glueetl", "ScriptLocation": "s3://scripts/job.py"}


def set_execution(base_url: str, execute: bool) -> None:
    response = requests.post(
        f"{base_url}/moto-api/config", json={"stepfunctions": {"execute_state_machine": execute}}, timeout=10
    )
    assert response.status_code == 201, response.text


@pytest.fixture
def sfn(aws: AWS) -> Iterator[Any]:
    """A Step Functions client whose state machines really run (moto's ``execute_state_machine``)."""
    base = aws.endpoint_url or "http://motoapi.amazonaws.com"
    set_execution(base, True)
    yield aws.client("stepfunctions")
    set_execution(base, False)


def run(
    sfn: Any, states: dict[str, Any], start: str, timeout: float = 30.0, history: bool = True
) -> tuple[dict[str, Any], list[Any]]:
    """Create and start a state machine; its finished DescribeExecution and history events."""
    arn = sfn.create_state_machine(
        name=f"machine-{time.monotonic_ns()}",
        definition=json.dumps({"StartAt": start, "States": states}),
        roleArn="arn:aws:iam::123456789012:role/sfn",
    )["stateMachineArn"]
    execution = sfn.start_execution(stateMachineArn=arn, input="{}")["executionArn"]
    deadline = time.monotonic() + timeout
    while (described := sfn.describe_execution(executionArn=execution))["status"] == "RUNNING":
        assert time.monotonic() < deadline, f"still running after {timeout}s"
        time.sleep(0.05)
    events = sfn.get_execution_history(executionArn=execution)["events"] if history else []
    return described, events


def task(resource: str, parameters: dict[str, Any], **rest: Any) -> dict[str, Any]:
    return {"Type": "Task", "Resource": resource, "Parameters": parameters, **rest}


def millis(moment: Any) -> int:
    return round(moment.timestamp() * 1000)


def test_sync_waits_for_the_run_and_outputs_its_job_run_as_aws_writes_it(aws: AWS, sfn: Any) -> None:
    """``.sync`` output is GetJobRun's JobRun plus JobName, members in alphabetical order, times in epoch
    milliseconds: a captured output (aws-samples/serverless-patterns, sfn-glue-sam/README.md) reads
    ``"CompletedOn": 1638296059130, ..., "JobName": ..., "JobRunState": "SUCCEEDED"``."""
    glue = aws.client("glue")
    glue.create_job(Name="load", Role=ROLE, Command=SCRIPT)
    described, events = run(
        sfn, {"Load": task(SYNC, {"JobName": "load", "Arguments": {"--day": "1"}}, End=True)}, "Load"
    )

    assert described["status"] == "SUCCEEDED", described
    output = json.loads(described["output"])
    [job_run] = glue.get_job_runs(JobName="load")["JobRuns"]
    assert job_run["JobRunState"] == "SUCCEEDED"
    assert list(output) == sorted(output)
    assert output["Id"] == job_run["Id"] and output["JobName"] == "load"
    assert output["Arguments"] == {"--day": "1"}
    for member in ("StartedOn", "CompletedOn", "LastModifiedOn"):
        assert output[member] == millis(job_run[member])
    types = [event["type"] for event in events]
    assert types.index("TaskSubmitted") < types.index("TaskSucceeded") < types.index("ExecutionSucceeded")


def test_sync_in_every_mode_including_the_standalone_server(mode: Any) -> None:
    """The README's server (``python -m moto_glue_workflows``) runs state machines too: moto's
    integrations call back into it on MOTO_PORT, which the server sets as moto_server does."""
    set_execution(mode.base_url, True)
    try:
        glue, sfn = mode.client("glue"), mode.client("stepfunctions")
        glue.create_job(Name="load", Role=ROLE, Command=SCRIPT)
        described, _ = run(sfn, {"Load": task(SYNC, {"JobName": "load"}, End=True)}, "Load")
        assert described["status"] == "SUCCEEDED", described
        assert json.loads(described["output"])["JobRunState"] == "SUCCEEDED"
    finally:
        set_execution(mode.base_url, False)


def test_sync_fails_with_the_runs_error_and_catch_takes_it(aws: AWS, sfn: Any) -> None:
    """A run that ends FAILED fails the task with ``States.TaskFailed``, the JobRun (ErrorMessage
    included) as the cause, as a failure event quoted in an AWS sample's tests shows."""
    glue = aws.client("glue")
    glue.create_job(Name="load", Role=ROLE, Command=SCRIPT)
    aws.control.set_job_run_outcome(job_name="load", state="FAILED", error_message="RuntimeError: bad row")

    described, _ = run(sfn, {"Load": task(SYNC, {"JobName": "load"}, End=True)}, "Load")
    assert (described["status"], described["error"]) == ("FAILED", "States.TaskFailed")
    cause = json.loads(described["cause"])
    assert (cause["JobRunState"], cause["ErrorMessage"], cause["JobName"]) == (
        "FAILED",
        "RuntimeError: bad row",
        "load",
    )
    assert isinstance(cause["StartedOn"], int)

    states = {
        "Load": task(
            SYNC,
            {"JobName": "load"},
            Next="Done",
            Catch=[{"ErrorEquals": ["States.TaskFailed"], "ResultPath": "$.error", "Next": "Failed"}],
        ),
        "Failed": {"Type": "Pass", "Parameters": {"cause.$": "States.StringToJson($.error.Cause)"}, "End": True},
        "Done": {"Type": "Succeed"},
    }
    described, _ = run(sfn, states, "Load")
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"])["cause"]["ErrorMessage"] == "RuntimeError: bad row"


def test_sync_ends_with_the_attempt_it_started_while_glue_retries(aws: AWS, sfn: Any) -> None:
    """``.sync`` watches the JobRunId StartJobRun returned; a job's MaxRetries makes Glue start a new run
    (``<id>_attempt_1``) that the task does not wait for. Unconfirmed on AWS (docs/orchestrators.md)."""
    glue = aws.client("glue")
    glue.create_job(Name="flaky", Role=ROLE, Command=SCRIPT, MaxRetries=1)
    aws.control.set_job_run_outcome(
        job_name="flaky", state=["FAILED", "SUCCEEDED"], error_message=["lost a node", None]
    )

    described, _ = run(sfn, {"Load": task(SYNC, {"JobName": "flaky"}, End=True)}, "Load")
    assert described["error"] == "States.TaskFailed"
    first = json.loads(described["cause"])
    assert (first["Attempt"], first["ErrorMessage"]) == (0, "lost a node")
    runs = {run["Id"]: run for run in glue.get_job_runs(JobName="flaky")["JobRuns"]}
    assert runs[f"{first['Id']}_attempt_1"]["JobRunState"] == "SUCCEEDED"


def test_request_response_start_job_run_and_glue_errors_by_their_names(aws: AWS, sfn: Any) -> None:
    """Without ``.sync`` the task ends with StartJobRun's answer plus JobName; Glue's refusals come as
    ``Glue.<error>`` (``Glue.ConcurrentRunsExceededException``, as state machines catch it)."""
    glue = aws.client("glue")
    glue.create_job(Name="load", Role=ROLE, Command=SCRIPT)
    aws.set_transition("glue::job_run", {"progression": "manual", "times": 1000})
    start = "arn:aws:states:::glue:startJobRun"

    described, _ = run(sfn, {"Load": task(start, {"JobName": "load"}, End=True)}, "Load")
    output = json.loads(described["output"])
    assert output["JobName"] == "load" and output["JobRunId"].startswith("jr_")
    state = glue.get_job_run(JobName="load", RunId=output["JobRunId"])["JobRun"]["JobRunState"]
    assert state in ("STARTING", "RUNNING")  # the task did not wait

    described, _ = run(sfn, {"Load": task(start, {"JobName": "load"}, End=True)}, "Load")
    assert (described["status"], described["error"]) == ("FAILED", "Glue.ConcurrentRunsExceededException")


def test_the_crawler_loop_of_aws_sdk_tasks_ends_when_the_crawl_does(aws: AWS, sfn: Any) -> None:
    """startCrawler, then getCrawler + Choice until READY: each GetCrawler moves the crawl on, so the
    loop ends, and the crawl's tables are there for the next state. SDK answers come as JSON (times as
    ISO 8601 strings)."""
    s3, glue = aws.client("s3"), aws.client("glue")
    s3.create_bucket(Bucket="lake")
    s3.put_object(Bucket="lake", Key="orders/2024.csv", Body=b"order_id,amount\n1,10.5\n")
    glue.create_database(DatabaseInput={"Name": "sales"})
    glue.create_crawler(
        Name="orders", Role=ROLE, DatabaseName="sales", Targets={"S3Targets": [{"Path": "s3://lake/orders/"}]}
    )
    sdk = "arn:aws:states:::aws-sdk:glue:"
    states = {
        "Start": task(sdk + "startCrawler", {"Name": "orders"}, Next="Get"),
        "Get": task(sdk + "getCrawler", {"Name": "orders"}, ResultPath="$.crawler", Next="Ready?"),
        "Ready?": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.crawler.Crawler.State", "StringEquals": "READY", "Next": "Tables"}],
            "Default": "Wait",
        },
        "Wait": {"Type": "Wait", "Seconds": 0, "Next": "Get"},
        "Tables": task(
            sdk + "getTables",
            {"DatabaseName": "sales"},
            ResultSelector={"tables.$": "$.TableList"},
            End=True,
        ),
    }
    described, _ = run(sfn, states, "Start")
    assert described["status"] == "SUCCEEDED", described
    output = json.loads(described["output"])
    [table] = output["tables"]
    assert table["Name"] == "orders"
    assert [column["Name"] for column in table["StorageDescriptor"]["Columns"]] == ["order_id", "amount"]
    assert table["CreateTime"] == glue.get_table(DatabaseName="sales", Name="orders")["Table"]["CreateTime"].isoformat()
    assert glue.get_crawler(Name="orders")["Crawler"]["LastCrawl"]["Status"] == "SUCCEEDED"


def test_a_workflow_started_and_polled_from_a_state_machine(aws: AWS, sfn: Any) -> None:
    glue = aws.client("glue")
    glue.create_workflow(Name="nightly")
    for job in ("extract", "load"):
        glue.create_job(Name=job, Role=ROLE, Command=SCRIPT)
    glue.create_trigger(Name="start", WorkflowName="nightly", Type="ON_DEMAND", Actions=[{"JobName": "extract"}])
    glue.create_trigger(
        Name="then",
        WorkflowName="nightly",
        Type="CONDITIONAL",
        StartOnCreation=True,
        Predicate={"Conditions": [{"LogicalOperator": "EQUALS", "JobName": "extract", "State": "SUCCEEDED"}]},
        Actions=[{"JobName": "load"}],
    )
    sdk = "arn:aws:states:::aws-sdk:glue:"
    states = {
        "Start": task(sdk + "startWorkflowRun", {"Name": "nightly"}, Next="Get"),
        "Get": task(
            sdk + "getWorkflowRun",
            {"Name": "nightly", "RunId.$": "$.RunId"},
            ResultSelector={
                "RunId.$": "$.Run.WorkflowRunId",
                "Status.$": "$.Run.Status",
                "Stats.$": "$.Run.Statistics",
            },
            Next="Done?",
        ),
        "Done?": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.Status", "StringEquals": "COMPLETED", "Next": "Done"}],
            "Default": "Wait",
        },
        "Wait": {"Type": "Wait", "Seconds": 0, "Next": "Get"},
        "Done": {"Type": "Succeed"},
    }
    described, _ = run(sfn, states, "Start")
    assert described["status"] == "SUCCEEDED", described
    output = json.loads(described["output"])
    assert output["Stats"]["SucceededActions"] == 2 and output["Stats"]["TotalActions"] == 2
    run_record = glue.get_workflow_run(Name="nightly", RunId=output["RunId"])["Run"]
    assert run_record["Status"] == "COMPLETED"


def test_the_sync_fix_is_there_only_because_moto_needs_it(aws: AWS, sfn: Any) -> None:
    """Where moto ends ``.sync`` with an unguarded ``callback_endpoint.interrupt_all()`` (moto 5.2.4 to
    5.2.6), moto's own path fails every ``glue:startJobRun.sync``; the seam's fix is installed exactly
    there (feature-detected, not by version)."""
    if aws.mode != "decorator":
        pytest.skip("swaps moto's method in this process")
    import importlib

    from moto_glue_workflows import _moto

    glue_module = importlib.import_module(_moto.SFN_GLUE)
    callback = importlib.import_module(_moto.SFN_CALLBACK)
    service = glue_module.StateTaskServiceGlue
    needed = _moto.sync_needs_a_callback_endpoint(callback, glue_module)
    ours = service.__dict__.get("_eval_integration_pattern")
    assert (ours is not None) == needed
    if not needed:
        return
    glue = aws.client("glue")
    glue.create_job(Name="load", Role=ROLE, Command=SCRIPT)
    del service._eval_integration_pattern  # moto's own, inherited from StateTaskServiceCallback
    try:
        # (moto's history of that failure lacks the required resourceType: not read here)
        described, _ = run(sfn, {"Load": task(SYNC, {"JobName": "load"}, End=True)}, "Load", history=False)
    finally:
        service._eval_integration_pattern = ours
    assert (described["status"], described["error"]) == ("FAILED", "States.Runtime")
    assert "interrupt_all" in described["cause"]


def test_sdk_times_are_utc_whatever_zone_the_machine_is_in(aws: AWS, sfn: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """botocore hands times over in the host's zone; the state machine sees them in UTC, as AWS writes them."""
    if aws.mode != "decorator":
        pytest.skip("the zone of this process is the one the interpreter runs in only under mock_aws")
    import time as clock

    monkeypatch.setenv("TZ", "Asia/Tokyo")
    clock.tzset()
    try:
        glue = aws.client("glue")
        glue.create_database(DatabaseInput={"Name": "sales"})
        states = {"Get": task("arn:aws:states:::aws-sdk:glue:getDatabase", {"Name": "sales"}, End=True)}
        described, _ = run(sfn, states, "Get")
    finally:
        monkeypatch.undo()
        clock.tzset()
    created = json.loads(described["output"])["Database"]["CreateTime"]
    assert created.endswith("+00:00"), created
    assert created == glue.get_database(Name="sales")["Database"]["CreateTime"].astimezone(datetime.UTC).isoformat()
