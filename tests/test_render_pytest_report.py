"""A failing test's report shows the workflow runs it started; a passing test's does not.

The user's tests are written with ``pytester`` and run in a subprocess, the plugin loaded by its
entry point as in a user's run; ``-rA`` would print any section a passing test got.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

USER_TESTS = """
import boto3
import pytest
from moto import mock_aws

import moto_glue_workflows

ROLE = "arn:aws:iam::123456789012:role/r"


def nightly(glue, control):
    glue.create_workflow(Name="nightly")
    for name in ("extract", "transform", "load"):
        glue.create_job(Name=name, Role=ROLE, Command={"Name": "glueetl", "ScriptLocation": "s3://s/x.py"})
    glue.create_trigger(Name="start", WorkflowName="nightly", Type="ON_DEMAND", Actions=[{"JobName": "extract"}])
    for before, after in (("extract", "transform"), ("transform", "load")):
        glue.create_trigger(
            Name=f"after-{before}", WorkflowName="nightly", Type="CONDITIONAL", StartOnCreation=True,
            Predicate={"Conditions": [{"LogicalOperator": "EQUALS", "JobName": before, "State": "SUCCEEDED"}]},
            Actions=[{"JobName": after}],
        )
    control.set_job_run_outcome(job_name="transform", state="FAILED", error_message="bad row 7")
    run_id = glue.start_workflow_run(Name="nightly")["RunId"]
    return glue.get_workflow_run(Name="nightly", RunId=run_id)["Run"]


def test_fails_in_process(mgw_glue_client, mgw_control):
    run = nightly(mgw_glue_client, mgw_control)
    assert run["Statistics"]["FailedActions"] == 0


def test_passes_in_process(mgw_glue_client, mgw_control):
    run = nightly(mgw_glue_client, mgw_control)
    assert run["Statistics"]["FailedActions"] == 1


def test_fails_against_the_server(mgw_server, mgw_server_control):
    run = nightly(mgw_server.client("glue"), mgw_server_control)
    assert run["Status"] == "RUNNING"


def test_passes_against_the_server(mgw_server, mgw_server_control):
    run = nightly(mgw_server.client("glue"), mgw_server_control)
    assert run["Status"] == "COMPLETED"


def test_fails_after_its_own_mock_aws_cleared_everything():
    with mock_aws():
        run = nightly(boto3.client("glue", region_name="eu-west-1"), moto_glue_workflows.Control(region="eu-west-1"))
    assert run["Status"] == "RUNNING"


def test_fails_without_workflows(mgw_glue_client):
    assert mgw_glue_client.list_workflows().get("Workflows", []) == ["missing"]
"""
TITLE = "moto_glue_workflows: workflow runs started by this test"


def sections(output: str) -> dict[str, str]:
    """Each failing test's block of the report, by test name."""
    failures = re.split(r"^=+ (?:FAILURES|PASSES|short test summary info) =+$", output, flags=re.M)[1]
    blocks = re.split(r"^_{3,} (test_\w+) _{3,}$", failures, flags=re.M)
    return dict(zip(blocks[1::2], blocks[2::2], strict=True))


def test_failing_tests_show_their_runs_and_passing_ones_do_not(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION", "MOTO_ACCOUNT_ID"):
        monkeypatch.delenv(name, raising=False)
    for name in ("PYTEST_XDIST_WORKER", "PYTEST_XDIST_WORKER_COUNT", "PYTEST_XDIST_TESTRUNUID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    pytester.makepyfile(test_user=USER_TESTS)
    base = pytester.path / "base"
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-rA", f"--basetemp={base}", timeout=180)
    result.assert_outcomes(passed=2, failed=4)
    output = result.stdout.str()
    assert output.count(TITLE) == 3
    blocks = sections(output)
    assert set(blocks) == {
        "test_fails_in_process",
        "test_fails_against_the_server",
        "test_fails_after_its_own_mock_aws_cleared_everything",
        "test_fails_without_workflows",
    }
    assert TITLE not in blocks["test_fails_without_workflows"]
    for name, region in (
        ("test_fails_in_process", "us-east-1"),
        ("test_fails_against_the_server", "us-east-1"),
        ("test_fails_after_its_own_mock_aws_cleared_everything", None),
    ):
        section = blocks[name].split(TITLE, 1)[1]
        lines = [line.strip() for line in section.splitlines()]
        header = next(line for line in lines if "workflow nightly run wr_" in line)
        assert header.endswith("COMPLETED (Total 3 · Failed 1 · Succeeded 1)")
        if region:
            assert header.startswith(f"account 123456789012, {region}: ")
        assert [line.split()[:3] for line in lines if line.startswith(("JOB", "TRIGGER"))] == [
            ["TRIGGER", "start", "fired"],
            ["JOB", "extract", "SUCCEEDED"],
            ["TRIGGER", "after-extract", "fired"],
            ["JOB", "transform", "FAILED"],
            ["TRIGGER", "after-transform", "not"],
            ["JOB", "load", "not"],
        ]
        assert any(line.endswith("FAILED  bad row 7") for line in lines)
        picture = Path(next(line for line in lines if line.startswith("picture: ")).removeprefix("picture: "))
        assert picture.is_relative_to(base) and picture.suffix == ".svg"
        svg = ET.parse(picture).getroot()
        states = {
            g.get("data-name"): g.get("data-state")
            for g in svg.iter("{http://www.w3.org/2000/svg}g")
            if g.get("data-name")
        }
        assert states["transform"] == "FAILED" and states["load"] == "NOT_STARTED"
