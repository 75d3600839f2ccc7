"""moto's conventions: the dashboard data lists our resources; control helpers follow TEST_SERVER_MODE."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from moto_glue_workflows import wait_for_blueprint_run
from tests.conftest import AWS
from tests.glue_helpers import job, start_trigger
from tests.modes import DECORATOR_BASE, standalone_server
from tests.test_glue_blueprints import ROLE, archive, params, upload

pytest_plugins = ["pytester"]


def dashboard(aws: AWS) -> dict[str, Any]:
    """``GET /moto-api/data.json``, as moto's ``/moto-api/`` page reads it."""
    response = requests.get(f"{aws.endpoint_url or DECORATOR_BASE}/moto-api/data.json", timeout=10)
    assert response.status_code == 200
    return dict(response.json())


def test_dashboard_lists_our_resources(aws: AWS) -> None:
    glue = aws.client("glue")
    job(glue, "extract")
    glue.create_workflow(Name="nightly")
    start_trigger(glue, "nightly", "start", "extract")
    run_id = glue.start_workflow_run(Name="nightly")["RunId"]
    glue.create_blueprint(Name="chain", BlueprintLocation=upload(aws, "chain.zip", archive()))
    blueprint_run = glue.start_blueprint_run(BlueprintName="chain", Parameters=params(), RoleArn=ROLE)["RunId"]
    assert wait_for_blueprint_run(glue, "chain", blueprint_run)["State"] == "SUCCEEDED"
    dz = aws.client("datazone", region_name="eu-west-1")
    domain = dz.create_domain(name="sales", domainExecutionRole=ROLE)["id"]
    seeded = aws.control.seed_datazone_job_runs(
        domain_identifier=domain, job_identifier="lineage", runs=[{"status": "FAILED"}], region="eu-west-1"
    )["ids"]

    data = dashboard(aws)
    ours = data["glue"]
    assert {w["Name"] for w in ours["Workflow"]} == {"nightly", "generated"}
    assert [(r["Name"], r["WorkflowRunId"], r["Status"]) for r in ours["WorkflowRun"]] == [
        ("nightly", run_id, "COMPLETED")
    ]
    assert [r["Statistics"]["SucceededActions"] for r in ours["WorkflowRun"]] == [1]
    assert [(b["Name"], b["Status"]) for b in ours["Blueprint"]] == [("chain", "ACTIVE")]
    assert [(r["BlueprintName"], r["RunId"], r["State"]) for r in ours["BlueprintRun"]] == [
        ("chain", blueprint_run, "SUCCEEDED")
    ]
    assert [(r["JobName"], r["JobRunState"], r["Arguments"]["--WORKFLOW_RUN_ID"]) for r in ours["JobRun"]] == [
        ("extract", "SUCCEEDED", run_id)
    ]
    assert [(d["id"], d["name"], d["Region"], d["status"]) for d in data["datazone"]["Domain"]] == [
        (domain, "sales", "eu-west-1", "AVAILABLE")
    ]
    assert [(r["id"], r["domainId"], r["status"]) for r in data["datazone"]["JobRun"]] == [
        (seeded[0], domain, "FAILED")
    ]
    # moto's own models are still there beside ours.
    assert "FakeTrigger" in ours and "FakeDatabase" in ours


def test_dashboard_is_empty_after_reset_and_reading_it_is_not_a_poll(aws: AWS) -> None:
    aws.set_transition("glue::job_run", {"progression": "manual", "times": 1})
    glue = aws.client("glue")
    job(glue, "extract")
    run_id = glue.start_job_run(JobName="extract")["JobRunId"]
    for _ in range(3):
        assert [r["JobRunState"] for r in dashboard(aws)["glue"]["JobRun"]] == ["STARTING"]
    assert glue.get_job_run(JobName="extract", RunId=run_id)["JobRun"]["JobRunState"] == "RUNNING"
    reset = requests.post(f"{aws.endpoint_url or DECORATOR_BASE}/moto-api/reset", timeout=10)
    assert reset.status_code == 200
    data = dashboard(aws)
    assert all(data["glue"][name] == [] for name in ("Workflow", "WorkflowRun", "JobRun", "Blueprint"))
    assert data["datazone"] == {"Domain": [], "JobRun": []}


# A suite using moto's TEST_SERVER_MODE: the control helpers, called without endpoint_url, go where
# mock_aws sends every call; given an endpoint_url, they go there.
SERVER_MODE_SUITE = """
import os

import boto3
import moto_glue_workflows
from moto import mock_aws, settings

ROLE = "arn:aws:iam::123456789012:role/r"


@mock_aws
def test_helpers_follow_the_mode():
    assert settings.TEST_SERVER_MODE is (os.environ.get("TEST_SERVER_MODE") == "true")
    dz = boto3.client("datazone", region_name="us-east-1")
    domain = dz.create_domain(name="d", domainExecutionRole=ROLE)["id"]
    ids = moto_glue_workflows.seed_datazone_job_runs(domain_identifier=domain, job_identifier="j", runs=[{"status": "SUCCESS"}])["ids"]
    assert [r["runId"] for r in dz.list_job_runs(domainIdentifier=domain, jobIdentifier="j")["items"]] == ids

    glue = boto3.client("glue", region_name="us-east-1")
    glue.create_job(Name="etl", Role=ROLE, Command={"Name": "glueetl", "ScriptLocation": "s3://s/etl.py"})
    moto_glue_workflows.Control().set_job_run_outcome(job_name="etl", state="FAILED", error_message="bad row")
    run_id = glue.start_job_run(JobName="etl")["JobRunId"]
    run = glue.get_job_run(JobName="etl", RunId=run_id)["JobRun"]
    assert (run["JobRunState"], run["ErrorMessage"]) == ("FAILED", "bad row")


def test_an_endpoint_given_wins(mgw_server):
    dz = mgw_server.client("datazone")
    domain = dz.create_domain(name="elsewhere", domainExecutionRole=ROLE)["id"]
    control = moto_glue_workflows.Control(endpoint_url=mgw_server.endpoint_url)
    control.seed_datazone_job_runs(domain_identifier=domain, job_identifier="j", runs=[{"status": "SUCCESS"}])
    assert len(dz.list_job_runs(domainIdentifier=domain, jobIdentifier="j")["items"]) == 1
"""


def run_server_mode_suite(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_DEFAULT_REGION", "MOTO_ACCOUNT_ID", "PYTEST_XDIST_WORKER", "PYTEST_XDIST_WORKER_COUNT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    pytester.makepyfile(test_server_mode=SERVER_MODE_SUITE)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", timeout=180)
    result.assert_outcomes(passed=2)


def test_control_helpers_in_process_without_test_server_mode(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TEST_SERVER_MODE", raising=False)
    run_server_mode_suite(pytester, monkeypatch)


def test_control_helpers_go_to_test_server_mode_endpoint(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    with standalone_server("console") as url:
        monkeypatch.setenv("TEST_SERVER_MODE", "true")
        monkeypatch.setenv("TEST_SERVER_MODE_ENDPOINT", url)
        # In-process, the helpers would find neither the domain nor the job (both live on the
        # server, where mock_aws sent them) and raise ControlError: passing is the proof.
        run_server_mode_suite(pytester, monkeypatch)
