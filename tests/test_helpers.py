"""The Python helpers behave: every failure is a ControlError, the region is boto3's, ``clock_now`` everywhere.

Tried as a user would: pointed at plain ``moto_server`` (the README's troubleshooting case), at nothing, with
``AWS_DEFAULT_REGION`` set, and with a job that is not there.
"""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

import moto_glue_workflows
from moto_glue_workflows import Control, ControlError
from tests.conftest import AWS
from tests.glue_helpers import ROLE
from tests.modes import free_port

SCRIPT = {"Name": "glueetl", "ScriptLocation": "s3://scripts/job.py"}


@pytest.fixture(scope="module")
def plain_moto_server() -> Iterator[str]:
    """moto's own ``moto_server``, which does not load this package."""
    port = free_port()
    command = [str(Path(sys.executable).with_name("moto_server")), "-p", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                boto3.client(
                    "sts", endpoint_url=url, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
                ).get_caller_identity()
                break
            except Exception:
                assert time.monotonic() < deadline, "moto_server did not start"
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_server_without_this_package_gives_a_control_error_with_what_it_said(plain_moto_server: str) -> None:
    control = Control(endpoint_url=plain_moto_server)
    pictured = lambda: moto_glue_workflows.render("nightly", endpoint_url=plain_moto_server)  # noqa: E731
    for call in (lambda: control.advance_clock(seconds=60), control.clock_now, pictured):
        with pytest.raises(ControlError) as refused:
            call()
        error = refused.value
        assert error.code == "NotAControlEndpoint" and error.status >= 400, error
        assert plain_moto_server in error.message and "moto_server" in error.message
        assert "'" in error.message  # the first bytes of its answer, quoted


def test_nothing_listening_gives_a_control_error_with_status_0() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    for call in (
        lambda: Control(endpoint_url=url).set_job_run_outcome(job_name="j", state="FAILED"),
        lambda: moto_glue_workflows.clock_now(endpoint_url=url),
    ):
        with pytest.raises(ControlError) as refused:
            call()
        assert (refused.value.status, refused.value.code) == (0, "ConnectionError")


def seconds_between(earlier: str, later: str) -> float:
    parse = datetime.datetime.fromisoformat
    return (parse(later.replace("Z", "+00:00")) - parse(earlier.replace("Z", "+00:00"))).total_seconds()


def test_control_reads_the_clock_where_its_other_calls_go(mgw_server: object) -> None:
    """The clock runs with the wall clock between moves, so reads a moment apart differ by that moment."""
    server_control = Control(endpoint_url=mgw_server.endpoint_url)  # type: ignore[attr-defined]
    before = server_control.clock_now()
    after = server_control.advance_clock(seconds=3600)["Now"]
    assert 3600 <= seconds_between(before, after) < 3660
    assert 0 <= seconds_between(after, server_control.clock_now()) < 30
    with mock_aws():
        local = Control()
        assert 0 <= seconds_between(moto_glue_workflows.clock_now(), local.clock_now()) < 30
        moved = local.advance_clock(seconds=60)["Now"]
        assert 0 <= seconds_between(moved, local.clock_now()) < 30


@pytest.mark.parametrize("variable", ["AWS_DEFAULT_REGION", "AWS_REGION"])
def test_module_helpers_work_in_the_region_boto3_clients_use(variable: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """boto3 follows AWS_DEFAULT_REGION (then the profile); AWS_REGION is what the other SDKs read, used when
    boto3 would find nothing."""
    for name in ("AWS_DEFAULT_REGION", "AWS_REGION", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv(variable, "eu-west-1")
    with mock_aws():
        glue = boto3.client("glue", region_name="eu-west-1")
        glue.create_job(Name="r1", Role=ROLE, Command=SCRIPT)
        glue.create_workflow(Name="nightly")
        glue.create_trigger(Name="go", WorkflowName="nightly", Type="ON_DEMAND", Actions=[{"JobName": "r1"}])
        moto_glue_workflows.set_job_run_outcome(job_name="r1", state="FAILED", error_message="bad row")
        run_id = glue.start_workflow_run(Name="nightly")["RunId"]
        described = str(moto_glue_workflows.describe_run("nightly", run_id))
        assert "r1" in described and "FAILED" in described and "bad row" in described
        assert "<svg" in moto_glue_workflows.render("nightly", run_id)
        moto_glue_workflows.set_job_execution(mode="script", job_name="r1")
        # An explicit region still wins
        with pytest.raises(ControlError) as refused:
            moto_glue_workflows.set_job_run_outcome(job_name="r1", state="FAILED", region="us-east-1")
        assert (refused.value.code, refused.value.message) == ("EntityNotFoundException", "Job r1 not found.")


def test_job_execution_refuses_a_job_that_is_not_there_as_its_siblings_do(aws: AWS) -> None:
    calls: list[tuple[Any, dict[str, str]]] = [
        (aws.control.set_job_execution, {"mode": "script"}),
        (aws.control.set_job_run_outcome, {"state": "FAILED"}),
    ]
    for call, arguments in calls:
        with pytest.raises(ControlError) as refused:
            call(job_name="ghost", **arguments)
        assert (refused.value.status, refused.value.code) == (400, "EntityNotFoundException")
        assert refused.value.message == "Job ghost not found."
    aws.client("glue").create_job(Name="ghost", Role=ROLE, Command=SCRIPT)
    assert aws.control.set_job_execution(mode="script", job_name="ghost") == {"JobName": "ghost", "Mode": "script"}
