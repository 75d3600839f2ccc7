"""Clients other than boto3 read seeded DataZone job runs from the standalone server.

The AWS CLI and the AWS SDK for JavaScript v3 (``tests/cross_client/sdk_v3_client.mjs``) run as
subprocesses against the ``mgw_server`` fixture; the assertions are on the JSON they print, so
they cover each client's own parsing of our content types, status codes, timestamps, unions and
error headers. Nothing is installed here; the tests skip, saying why, when a client is missing:

- the AWS CLI: the executable named by ``MOTO_GLUE_AWS_CLI``, else ``aws`` beside the running Python
  (the ``test`` extra installs awscli v1), else ``aws`` on PATH; it must know ``aws datazone
  get-job-run`` (awscli >= 1.40 or a recent v2; Debian 12's 2.9 has no DataZone).
- the JS SDK: ``node`` on PATH and the packages of ``tests/cross_client/package.json``, in
  ``tests/cross_client/node_modules`` (``cd tests/cross_client && npm install --no-package-lock``;
  ``.ci/run`` does it) or in the ``node_modules`` folder named by ``MOTO_GLUE_NODE_MODULES``.

The later tests start the standalone server as a user does (``python -m moto_glue_workflows -H
127.0.0.1 -p <port>``, one process for the module) and drive what landed with triggers, retries, the
clock, DataZone lineage and connections; test-control calls go to its ``/moto-api/static/...`` endpoints.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests

from moto_glue_workflows.control.helpers import Control
from moto_glue_workflows.pytest_plugin import MotoServer

HERE = Path(__file__).resolve().parent / "cross_client"
NODE_SCRIPT = HERE / "sdk_v3_client.mjs"
NODE_PACKAGES = ("@aws-sdk/client-datazone", "@aws-sdk/client-glue")
ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
JOB = "redshift-lineage"
WORKFLOW = "nightly-etl"
MISSING_RUN = "doesnotexist00"
UTC = datetime.UTC

SUCCESS_RUN = {
    "status": "SUCCESS",
    "runMode": "SCHEDULED",
    "createdAt": "2026-01-02T03:00:00Z",
    "startTime": "2026-01-02T03:01:00Z",
    "endTime": "2026-01-02T03:05:30.250Z",
    "details": {
        "lineageRunDetails": {
            "sqlQueryRunDetails": {
                "queryStartTime": "2026-01-01T00:00:00Z",
                "queryEndTime": "2026-01-02T00:00:00Z",
                "totalQueriesProcessed": 120,
                "numQueriesFailed": 3,
                "errorMessages": ["syntax error at line 1"],
            }
        }
    },
}
FAILED_RUN = {
    "status": "FAILED",
    "createdAt": "2026-01-03T04:00:00Z",
    "error": {"message": "query history unavailable"},
}


@dataclass
class Seeded:
    endpoint_url: str
    domain: str
    success_id: str
    failed_id: str


@pytest.fixture
def seeded(mgw_server: MotoServer) -> Iterator[Seeded]:
    """A domain with a SUCCESS and a FAILED lineage run, and one Glue workflow."""
    mgw_server.reset()
    dz = mgw_server.client("datazone")
    domain = dz.create_domain(name="sales", domainExecutionRole="arn:aws:iam::123456789012:role/datazone-exec")["id"]
    control = Control(endpoint_url=mgw_server.endpoint_url)
    ids = control.seed_datazone_job_runs(domain_identifier=domain, job_identifier=JOB, runs=[SUCCESS_RUN, FAILED_RUN])
    mgw_server.client("glue").create_workflow(Name=WORKFLOW)
    yield Seeded(mgw_server.endpoint_url, domain, ids["ids"][0], ids["ids"][1])
    mgw_server.reset()


def at(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, microsecond: int = 0
) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, second, microsecond, tzinfo=UTC)


# The AWS CLI


@pytest.fixture(scope="module")
def aws_cli(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """The ``aws`` executable and an environment with fake credentials and ISO-8601 timestamps."""
    # The test extra's awscli sits beside this Python, activated or not; then whatever `aws` is on PATH.
    beside = Path(sys.executable).parent / "aws"
    executable = os.environ.get("MOTO_GLUE_AWS_CLI") or (str(beside) if beside.is_file() else shutil.which("aws"))
    if not executable:
        pytest.skip("the AWS CLI is not installed: no `aws` beside Python or on PATH, and MOTO_GLUE_AWS_CLI is not set")
    home = tmp_path_factory.mktemp("aws-cli")
    config = home / "config"
    # cli_timestamp_format=iso8601 makes CLI v1 and v2 print timestamps alike.
    config.write_text("[default]\nregion = us-east-1\noutput = json\ncli_timestamp_format = iso8601\n")
    (home / "credentials").write_text("")
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID=ACCESS_KEY,
        AWS_SECRET_ACCESS_KEY=SECRET_KEY,
        AWS_DEFAULT_REGION="us-east-1",
        AWS_CONFIG_FILE=str(config),
        AWS_SHARED_CREDENTIALS_FILE=str(home / "credentials"),
        AWS_PAGER="",
        AWS_EC2_METADATA_DISABLED="true",
    )
    probe = subprocess.run(
        [executable, "datazone", "get-job-run", "--generate-cli-skeleton", "input"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if probe.returncode != 0:
        version = subprocess.run([executable, "--version"], env=env, capture_output=True, text=True, check=False)
        found = (version.stdout or version.stderr).strip()
        pytest.skip(f"the AWS CLI at {executable} ({found}) does not know `aws datazone get-job-run`")
    yield executable, env


def run_cli(
    aws_cli: tuple[str, dict[str, str]], endpoint_url: str, service: str, *args: str, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    executable, env = aws_cli
    command = [executable, service, *args, "--endpoint-url", endpoint_url, "--region", "us-east-1"]
    return subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


def run_aws(aws_cli: tuple[str, dict[str, str]], seeded: Seeded, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(aws_cli, seeded.endpoint_url, "datazone", *args)


def aws_json(aws_cli: tuple[str, dict[str, str]], seeded: Seeded, *args: str) -> Any:
    result = run_aws(aws_cli, seeded, *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def iso(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text)


def test_aws_cli_get_job_run_with_details(aws_cli: tuple[str, dict[str, str]], seeded: Seeded) -> None:
    run = aws_json(
        aws_cli, seeded, "get-job-run", "--domain-identifier", seeded.domain, "--identifier", seeded.success_id
    )
    assert run["id"] == seeded.success_id and run["domainId"] == seeded.domain and run["jobId"] == JOB
    assert (run["status"], run["jobType"], run["runMode"]) == ("SUCCESS", "LINEAGE", "SCHEDULED")
    assert run["createdBy"] == "arn:aws:sts::123456789012:user/moto"
    assert iso(run["createdAt"]) == at(2026, 1, 2, 3, 0)
    assert iso(run["startTime"]) == at(2026, 1, 2, 3, 1)
    assert iso(run["endTime"]) == at(2026, 1, 2, 3, 5, 30, microsecond=250000)
    assert "error" not in run
    sql = run["details"]["lineageRunDetails"]["sqlQueryRunDetails"]
    assert sql["totalQueriesProcessed"] == 120 and sql["numQueriesFailed"] == 3
    assert sql["errorMessages"] == ["syntax error at line 1"]
    assert iso(sql["queryStartTime"]) == at(2026, 1, 1) and iso(sql["queryEndTime"]) == at(2026, 1, 2)


def test_aws_cli_get_failed_job_run(aws_cli: tuple[str, dict[str, str]], seeded: Seeded) -> None:
    run = aws_json(
        aws_cli, seeded, "get-job-run", "--domain-identifier", seeded.domain, "--identifier", seeded.failed_id
    )
    assert run["id"] == seeded.failed_id and run["status"] == "FAILED" and run["runMode"] == "ON_DEMAND"
    assert run["error"] == {"message": "query history unavailable"}
    assert "details" not in run
    assert iso(run["createdAt"]) == iso(run["startTime"]) == iso(run["endTime"]) == at(2026, 1, 3, 4, 0)


def test_aws_cli_list_job_runs_follows_next_token(aws_cli: tuple[str, dict[str, str]], seeded: Seeded) -> None:
    listed = aws_json(aws_cli, seeded, "list-job-runs", "--domain-identifier", seeded.domain, "--job-identifier", JOB)
    # --page-size 1: the CLI sends maxResults=1 and follows each nextToken to the end.
    paged = aws_json(
        aws_cli,
        seeded,
        "list-job-runs",
        "--domain-identifier",
        seeded.domain,
        "--job-identifier",
        JOB,
        "--page-size",
        "1",
    )
    assert paged["items"] == listed["items"]
    assert "nextToken" not in paged
    newest, oldest = listed["items"]
    assert (newest["runId"], newest["status"]) == (seeded.failed_id, "FAILED")
    assert (oldest["runId"], oldest["status"]) == (seeded.success_id, "SUCCESS")
    assert newest["error"] == {"message": "query history unavailable"}
    assert "details" not in oldest and "id" not in oldest
    assert iso(oldest["endTime"]) == at(2026, 1, 2, 3, 5, 30, microsecond=250000)


@pytest.mark.parametrize(
    ("args", "code", "operation", "fragment"),
    [
        (("get-job-run", "--identifier", MISSING_RUN), "ResourceNotFoundException", "GetJobRun", MISSING_RUN),
        (
            ("list-job-runs", "--job-identifier", JOB, "--max-results", "51"),
            "ValidationException",
            "ListJobRuns",
            "Value '51' at 'maxResults'",
        ),
    ],
    ids=["unknown-run", "max-results-51"],
)
def test_aws_cli_errors(
    aws_cli: tuple[str, dict[str, str]], seeded: Seeded, args: tuple[str, ...], code: str, operation: str, fragment: str
) -> None:
    result = run_aws(aws_cli, seeded, *args, "--domain-identifier", seeded.domain)
    # CLI v1 exits 255 on a service error, v2 254; both print the code and the operation.
    assert result.returncode in (254, 255), result.stdout + result.stderr
    assert result.stdout == ""
    assert f"An error occurred ({code}) when calling the {operation} operation: " in result.stderr
    assert fragment in result.stderr


# The AWS SDK for JavaScript v3


@pytest.fixture(scope="module")
def node_modules() -> Path:
    if not shutil.which("node"):
        pytest.skip("Node.js is not installed: no `node` on PATH")
    configured = os.environ.get("MOTO_GLUE_NODE_MODULES")
    folder = Path(configured) if configured else HERE / "node_modules"
    missing = [name for name in NODE_PACKAGES if not (folder / name / "package.json").is_file()]
    if missing:
        pytest.skip(
            f"{', '.join(missing)} not installed in {folder}: run `npm install --no-package-lock` in {HERE} "
            "or set MOTO_GLUE_NODE_MODULES to a node_modules folder holding them"
        )
    return folder


def date(value: Any) -> datetime.datetime:
    """A timestamp the script printed; it prints only real Date objects as {"$date": ...}."""
    assert isinstance(value, dict) and set(value) == {"$date"}, value
    return datetime.datetime.fromisoformat(value["$date"])


def test_node_sdk_v3_reads_seeded_runs(node_modules: Path, seeded: Seeded) -> None:
    config = {
        "endpoint": seeded.endpoint_url,
        "domainId": seeded.domain,
        "jobId": JOB,
        "runIds": [seeded.success_id, seeded.failed_id],
        "missingRunId": MISSING_RUN,
        "scratchDomainName": "node-sdk-scratch",
    }
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    env["MOTO_GLUE_NODE_MODULES"] = str(node_modules)
    result = subprocess.run(
        ["node", str(NODE_SCRIPT), json.dumps(config)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)

    success = report["getJobRun"][seeded.success_id]
    assert success["ok"] and success["httpStatusCode"] == 200
    run = success["output"]
    assert (run["id"], run["domainId"], run["jobId"]) == (seeded.success_id, seeded.domain, JOB)
    assert (run["status"], run["jobType"], run["runMode"]) == ("SUCCESS", "LINEAGE", "SCHEDULED")
    assert date(run["createdAt"]) == at(2026, 1, 2, 3, 0)
    assert date(run["endTime"]) == at(2026, 1, 2, 3, 5, 30, microsecond=250000)
    # The details union arrives as a plain object keyed by its one member, with Dates inside.
    assert list(run["details"]) == ["lineageRunDetails"]
    sql = run["details"]["lineageRunDetails"]["sqlQueryRunDetails"]
    assert sql["totalQueriesProcessed"] == 120 and sql["numQueriesFailed"] == 3
    assert sql["errorMessages"] == ["syntax error at line 1"]
    assert date(sql["queryStartTime"]) == at(2026, 1, 1) and date(sql["queryEndTime"]) == at(2026, 1, 2)

    failed = report["getJobRun"][seeded.failed_id]["output"]
    assert failed["status"] == "FAILED" and failed["error"] == {"message": "query history unavailable"}
    assert "details" not in failed and date(failed["startTime"]) == at(2026, 1, 3, 4, 0)

    listed = report["listJobRuns"]
    assert listed["ok"] and listed["httpStatusCode"] == 200 and "nextToken" not in listed["output"]
    items = listed["output"]["items"]
    assert [item["runId"] for item in items] == [seeded.failed_id, seeded.success_id]
    assert [item["status"] for item in items] == ["FAILED", "SUCCESS"]
    assert all(isinstance(date(item["createdAt"]), datetime.datetime) for item in items)
    assert report["paginated"] == {"pages": 2, "runIds": [seeded.failed_id, seeded.success_id]}

    errors = report["errors"]
    for key, name, status in [
        ("unknownRun", "ResourceNotFoundException", 404),
        ("maxResults51", "ValidationException", 400),
    ]:
        error = errors[key]
        assert (error["ok"], error["name"], error["httpStatusCode"], error["fault"]) == (False, name, status, "client")
        assert error["isModeledException"] and error["requestId"]
    assert MISSING_RUN in errors["unknownRun"]["message"]
    assert "maxResults" in errors["maxResults51"]["message"]
    not_implemented = errors["notImplemented"]
    assert (not_implemented["name"], not_implemented["httpStatusCode"]) == ("NotImplementedException", 501)
    assert not_implemented["fault"] == "server" and not_implemented["isDataZoneServiceException"]

    created, deleted = report["domainLifecycle"]["created"], report["domainLifecycle"]["deleted"]
    assert created["ok"] and created["httpStatusCode"] == 201 and created["output"]["name"] == "node-sdk-scratch"
    assert deleted["ok"] and deleted["httpStatusCode"] == 202 and deleted["output"]["status"] == "DELETING"

    glue = report["glue"]
    assert glue["ok"] and glue["httpStatusCode"] == 200 and glue["output"]["Workflows"] == [WORKFLOW]


# The standalone server (`python -m moto_glue_workflows`), as a user starts it, for the capabilities
# that landed with triggers, retries, the clock, DataZone lineage and connections.

LINEAGE_EVENT = {
    "eventType": "COMPLETE",
    "eventTime": "2026-01-02T03:04:05.678Z",
    "producer": "https://example.com/etl",
    "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
    "run": {"runId": "0190b0a2-1c2d-7e3f-8a9b-0c1d2e3f4a5b"},
    "job": {"namespace": "glue", "name": "nightly.load"},
    "inputs": [{"namespace": "arn:aws:glue:us-east-1:123456789012", "name": "table/raw/orders"}],
    "outputs": [{"namespace": "redshift://analytics.us-east-1:5439", "name": "dev.public.orders"}],
}
GLUE_INPUT = "arn:aws:glue:us-east-1:123456789012:table/raw/orders"
REDSHIFT_OUTPUT = "arn:aws:redshift:us-east-1:123456789012:table/analytics/dev/public/orders"
ROLE = "arn:aws:iam::123456789012:role/glue"
REDSHIFT_PROPS = {
    "redshiftProperties": {
        "storage": {"clusterName": "analytics"},
        "databaseName": "dev",
        "host": "analytics.abc123.us-east-1.redshift.amazonaws.com",
        "port": 5439,
        "credentials": {"secretArn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:redshift"},
        "lineageSync": {"enabled": True, "schedule": {"schedule": "cron(0 2 * * ? *)"}},
    }
}


@pytest.fixture(scope="module")
def standalone() -> Iterator[str]:
    """``python -m moto_glue_workflows -H 127.0.0.1 -p <free port>`` in its own process; its URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "moto_glue_workflows", "-H", "127.0.0.1", "-p", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{url}/moto-api/data.json", timeout=5)
                break
            except requests.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the standalone server did not start (exit code {process.poll()})") from None
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def server(standalone: str) -> Iterator[str]:
    requests.post(f"{standalone}/moto-api/reset", timeout=30).raise_for_status()
    yield standalone
    requests.post(f"{standalone}/moto-api/reset", timeout=30).raise_for_status()


def control(server: str, path: str, body: dict[str, Any]) -> Any:
    answer = requests.post(f"{server}/moto-api/static/{path}", json=body, timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.json()


def cli(aws_cli: tuple[str, dict[str, str]], server: str, service: str, *args: str, cwd: Path | None = None) -> Any:
    result = run_cli(aws_cli, server, service, *args, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout) if result.stdout.strip() else None


def cli_error(aws_cli: tuple[str, dict[str, str]], server: str, service: str, *args: str) -> str:
    result = run_cli(aws_cli, server, service, *args)
    assert result.returncode in (254, 255), result.stdout + result.stderr
    assert result.stdout == ""
    return result.stderr.strip()


def failing_workflow(aws_cli: tuple[str, dict[str, str]], server: str) -> None:
    """`flaky` (one retry) starts `nightly`; `load` follows only if it succeeds; its runs are set to fail."""
    command = "Name=glueetl,ScriptLocation=s3://scripts/{}.py"
    cli(
        aws_cli,
        server,
        "glue",
        "create-job",
        "--name",
        "flaky",
        "--role",
        ROLE,
        "--command",
        command.format("flaky"),
        "--max-retries",
        "1",
    )
    cli(aws_cli, server, "glue", "create-job", "--name", "load", "--role", ROLE, "--command", command.format("load"))
    cli(aws_cli, server, "glue", "create-workflow", "--name", "nightly")
    cli(
        aws_cli,
        server,
        "glue",
        "create-trigger",
        "--name",
        "start",
        "--workflow-name",
        "nightly",
        "--type",
        "ON_DEMAND",
        "--actions",
        "JobName=flaky",
    )
    cli(
        aws_cli, server, "glue", "create-trigger", "--name", "then", "--workflow-name", "nightly",
        "--type", "CONDITIONAL", "--start-on-creation", "--actions", "JobName=load",
        "--predicate", "Conditions=[{LogicalOperator=EQUALS,JobName=flaky,State=SUCCEEDED}]",
    )  # fmt: skip
    control(server, "glue/job-run-outcomes", {"JobName": "flaky", "State": "FAILED", "ErrorMessage": "bad row 7"})


def test_aws_cli_start_update_stop_trigger(aws_cli: tuple[str, dict[str, str]], server: str) -> None:
    failing_workflow(aws_cli, server)
    assert cli(aws_cli, server, "glue", "start-trigger", "--name", "start") == {"Name": "start"}
    # An ON_DEMAND trigger fires (a workflow run) and stays CREATED; stopping it is refused.
    assert cli(aws_cli, server, "glue", "get-trigger", "--name", "start")["Trigger"]["State"] == "CREATED"
    assert len(cli(aws_cli, server, "glue", "get-workflow-runs", "--name", "nightly")["Runs"]) == 1
    assert cli_error(aws_cli, server, "glue", "stop-trigger", "--name", "start") == (
        "An error occurred (InvalidInputException) when calling the StopTrigger operation: "
        "The operation is not allowed when trigger is in state: CREATED"
    )
    updated = cli(
        aws_cli, server, "glue", "update-trigger", "--name", "then", "--trigger-update",
        "Name=then,Actions=[{JobName=load,Timeout=5}],Predicate={Conditions=[{LogicalOperator=EQUALS,JobName=flaky,State=FAILED}]}",
    )["Trigger"]  # fmt: skip
    assert updated["State"] == "ACTIVATED" and updated["Actions"] == [{"JobName": "load", "Timeout": 5}]
    assert updated["Predicate"]["Conditions"] == [{"LogicalOperator": "EQUALS", "JobName": "flaky", "State": "FAILED"}]
    assert cli(aws_cli, server, "glue", "stop-trigger", "--name", "then") == {"Name": "then"}
    assert cli(aws_cli, server, "glue", "get-trigger", "--name", "then")["Trigger"]["State"] == "DEACTIVATED"
    missing = cli_error(aws_cli, server, "glue", "start-trigger", "--name", "nope")
    assert missing.startswith("An error occurred (EntityNotFoundException) when calling the StartTrigger operation: ")


def test_aws_cli_workflow_run_with_a_failing_job_and_its_retry(
    aws_cli: tuple[str, dict[str, str]], server: str
) -> None:
    failing_workflow(aws_cli, server)
    run_id = cli(aws_cli, server, "glue", "start-workflow-run", "--name", "nightly")["RunId"]
    run = cli(aws_cli, server, "glue", "get-workflow-run", "--name", "nightly", "--run-id", run_id, "--include-graph")[
        "Run"
    ]
    assert run["Status"] == "COMPLETED" and "ErrorMessage" not in run
    assert run["Statistics"] == {
        "TotalActions": 2, "TimeoutActions": 0, "FailedActions": 1, "StoppedActions": 0,
        "SucceededActions": 0, "RunningActions": 0, "ErroredActions": 0, "WaitingActions": 0,
    }  # fmt: skip
    assert iso(run["StartedOn"]) <= iso(run["CompletedOn"])
    nodes = {node["Name"]: node for node in run["Graph"]["Nodes"]}
    assert [node["Type"] for node in run["Graph"]["Nodes"]] == ["TRIGGER", "JOB", "TRIGGER", "JOB"]
    attempts = nodes["flaky"]["JobDetails"]["JobRuns"]
    assert [(r["Attempt"], r["JobRunState"], r["ErrorMessage"]) for r in attempts] == [
        (0, "FAILED", "bad row 7"),
        (1, "FAILED", "bad row 7"),
    ]
    assert attempts[1]["Id"] == f"{attempts[0]['Id']}_attempt_1" and attempts[1]["PreviousRunId"] == attempts[0]["Id"]
    assert attempts[0]["Arguments"] == {"--WORKFLOW_NAME": "nightly", "--WORKFLOW_RUN_ID": run_id}
    assert "JobDetails" not in nodes["load"] or not nodes["load"]["JobDetails"].get("JobRuns")
    assert len(run["Graph"]["Edges"]) == 3

    runs = cli(aws_cli, server, "glue", "get-job-runs", "--job-name", "flaky")["JobRuns"]
    assert [(r["Id"], r["Attempt"]) for r in runs] == [(attempts[1]["Id"], 1), (attempts[0]["Id"], 0)]
    assert runs[0]["PreviousRunId"] == attempts[0]["Id"] and "PreviousRunId" not in runs[1]
    assert all(r["JobRunState"] == "FAILED" and r["TriggerName"] == "start" for r in runs)
    assert cli(aws_cli, server, "glue", "get-job-runs", "--job-name", "load") == {"JobRuns": []}


def test_aws_cli_empty_list_and_validation_message(aws_cli: tuple[str, dict[str, str]], server: str) -> None:
    assert cli(aws_cli, server, "glue", "list-workflows") == {"Workflows": []}
    assert cli_error(aws_cli, server, "glue", "list-workflows", "--max-results", "26") == (
        "An error occurred (ValidationException) when calling the ListWorkflows operation: 1 validation error "
        "detected: Value '26' at 'maxResults' failed to satisfy constraint: Member must have value less than or "
        "equal to 25"
    )


def test_aws_cli_clock_fires_a_scheduled_trigger(aws_cli: tuple[str, dict[str, str]], server: str) -> None:
    command = "Name=glueetl,ScriptLocation=s3://scripts/hourly.py"
    cli(aws_cli, server, "glue", "create-job", "--name", "hourly", "--role", ROLE, "--command", command)
    cli(
        aws_cli, server, "glue", "create-trigger", "--name", "every-hour", "--type", "SCHEDULED",
        "--schedule", "cron(0 * * * ? *)", "--actions", "JobName=hourly", "--start-on-creation",
    )  # fmt: skip
    assert cli(aws_cli, server, "glue", "get-job-runs", "--job-name", "hourly") == {"JobRuns": []}
    now = datetime.datetime.fromisoformat(requests.get(f"{server}/moto-api/static/clock", timeout=30).json()["Now"])
    target = (now + datetime.timedelta(hours=2)).replace(minute=30, second=0, microsecond=0)
    answer = control(server, "clock", {"To": target.isoformat()})
    fired = [datetime.datetime.fromisoformat(f["Time"]) for f in answer["Fired"] if f["Action"] == "TriggerFired"]
    top_of_hour = (now + datetime.timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    assert fired == [top_of_hour, top_of_hour + datetime.timedelta(hours=1)]
    runs = cli(aws_cli, server, "glue", "get-job-runs", "--job-name", "hourly")["JobRuns"]
    assert sorted(iso(r["StartedOn"]) for r in runs) == fired
    assert {(r["TriggerName"], r["JobRunState"]) for r in runs} == {("every-hour", "SUCCEEDED")}


def test_aws_cli_lineage_event_to_nodes(aws_cli: tuple[str, dict[str, str]], server: str, tmp_path: Path) -> None:
    domain = cli(aws_cli, server, "datazone", "create-domain", "--name", "sales", "--domain-execution-role", ROLE)["id"]
    event_file = tmp_path / "event.json"
    event_file.write_bytes(json.dumps(LINEAGE_EVENT).encode())
    # CLI v1 reads a blob parameter's file as bytes with fileb:// (file:// would read text).
    posted = cli(
        aws_cli,
        server,
        "datazone",
        "post-lineage-event",
        "--domain-identifier",
        domain,
        "--event",
        f"fileb://{event_file}",
    )
    assert set(posted) == {"id", "domainId"} and posted["domainId"] == domain
    # The event is the response's payload: the CLI writes it to the outfile and prints the header members.
    got = cli(
        aws_cli, server, "datazone", "get-lineage-event", "--domain-identifier", domain, "--identifier", posted["id"],
        "event-out.json", cwd=tmp_path,
    )  # fmt: skip
    assert (tmp_path / "event-out.json").read_bytes() == event_file.read_bytes()
    assert got["domainId"] == domain and got["id"] == posted["id"] and got["processingStatus"] == "SUCCESS"
    assert got["createdBy"] == "arn:aws:sts::123456789012:user/moto"
    # HTTP-date headers carry whole seconds.
    assert iso(got["eventTime"]) == at(2026, 1, 2, 3, 4, 5)
    assert isinstance(iso(got["createdAt"]), datetime.datetime)

    listed = cli(aws_cli, server, "datazone", "list-lineage-events", "--domain-identifier", domain)["items"]
    assert [item["id"] for item in listed] == [posted["id"]]
    assert iso(listed[0]["eventTime"]) == at(2026, 1, 2, 3, 4, 5, microsecond=678000)
    summary = listed[0]["eventSummary"]["openLineageRunEventSummary"]
    assert summary["eventType"] == "COMPLETE" and summary["job"] == {"name": "nightly.load", "namespace": "glue"}

    node = cli(
        aws_cli, server, "datazone", "get-lineage-node", "--domain-identifier", domain, "--identifier", REDSHIFT_OUTPUT
    )
    assert node["sourceIdentifier"] == REDSHIFT_OUTPUT and node["typeName"] == "amazon.datazone.DatasetLineageNodeType"
    assert node["name"] == "dev.public.orders" and node["downstreamNodes"] == []
    assert iso(node["eventTimestamp"]) == at(2026, 1, 2, 3, 4, 5, microsecond=678000)
    (run_ref,) = node["upstreamNodes"]
    run_node = cli(
        aws_cli, server, "datazone", "get-lineage-node", "--domain-identifier", domain, "--identifier", run_ref["id"]
    )
    assert run_node["typeName"] == "amazon.datazone.JobRunLineageNodeType"
    assert run_node["sourceIdentifier"] == "glue.nightly.load/0190b0a2-1c2d-7e3f-8a9b-0c1d2e3f4a5b"
    upstream = {
        cli(aws_cli, server, "datazone", "get-lineage-node", "--domain-identifier", domain, "--identifier", ref["id"])[
            "sourceIdentifier"
        ]
        for ref in run_node["upstreamNodes"]
    }
    assert upstream == {"glue.nightly.load", GLUE_INPUT}

    history = cli(
        aws_cli,
        server,
        "datazone",
        "list-lineage-node-history",
        "--domain-identifier",
        domain,
        "--identifier",
        node["id"],
    )
    assert [(n["id"], n["sourceIdentifier"]) for n in history["nodes"]] == [(node["id"], REDSHIFT_OUTPUT)]
    missing = cli_error(
        aws_cli, server, "datazone", "get-lineage-node", "--domain-identifier", domain, "--identifier", "nosuchnode"
    )
    assert missing.startswith(
        "An error occurred (ResourceNotFoundException) when calling the GetLineageNode operation: "
    )


def test_aws_cli_redshift_connection_with_lineage_sync(aws_cli: tuple[str, dict[str, str]], server: str) -> None:
    domain = cli(aws_cli, server, "datazone", "create-domain", "--name", "sales", "--domain-execution-role", ROLE)["id"]
    created = cli(
        aws_cli, server, "datazone", "create-connection", "--domain-identifier", domain, "--name", "warehouse",
        "--props", json.dumps(REDSHIFT_PROPS),
    )  # fmt: skip
    got = cli(
        aws_cli,
        server,
        "datazone",
        "get-connection",
        "--domain-identifier",
        domain,
        "--identifier",
        created["connectionId"],
    )
    assert got == created
    assert (got["type"], got["name"], got["domainId"]) == ("REDSHIFT", "warehouse", domain)
    redshift = got["props"]["redshiftProperties"]
    sync = redshift["lineageSync"]
    assert sync["enabled"] is True and sync["schedule"] == {"schedule": "cron(0 2 * * ? *)"}
    assert len(sync["lineageJobId"]) == 14
    assert redshift["jdbcUrl"] == "jdbc:redshift://analytics.abc123.us-east-1.redshift.amazonaws.com:5439/dev"
    assert "password" not in json.dumps(got)
    assert got["physicalEndpoints"][0]["awsLocation"] == {"awsAccountId": "123456789012", "awsRegion": "us-east-1"}
    # The lineage job's runs, seeded as AWS would record them, are listed by that id.
    seeded = control(
        server,
        "datazone/job-runs",
        {"domainIdentifier": domain, "jobIdentifier": sync["lineageJobId"], "runs": [{"status": "SUCCESS"}]},
    )
    listed = cli(
        aws_cli,
        server,
        "datazone",
        "list-job-runs",
        "--domain-identifier",
        domain,
        "--job-identifier",
        sync["lineageJobId"],
    )
    assert [item["runId"] for item in listed["items"]] == seeded["ids"]


def test_node_sdk_v3_lineage_and_workflow_reads(node_modules: Path, server: str) -> None:
    boto = {
        "region_name": "us-east-1",
        "endpoint_url": server,
        "aws_access_key_id": ACCESS_KEY,
        "aws_secret_access_key": SECRET_KEY,
    }
    glue, dz = boto3.client("glue", **boto), boto3.client("datazone", **boto)
    command = {"Name": "glueetl", "ScriptLocation": "s3://scripts/flaky.py"}
    glue.create_job(Name="flaky", Role=ROLE, Command=command, MaxRetries=1)
    glue.create_workflow(Name="nightly")
    glue.create_trigger(Name="start", WorkflowName="nightly", Type="ON_DEMAND", Actions=[{"JobName": "flaky"}])
    control(server, "glue/job-run-outcomes", {"JobName": "flaky", "State": ["FAILED", "SUCCEEDED"]})
    run_id = glue.start_workflow_run(Name="nightly")["RunId"]
    domain = dz.create_domain(name="sales", domainExecutionRole=ROLE)["id"]
    event = json.dumps(LINEAGE_EVENT)
    config = {
        "endpoint": server,
        "domainId": domain,
        "event": event,
        "sourceIdentifier": GLUE_INPUT,
        "workflow": "nightly",
        "runId": run_id,
        "job": "flaky",
    }
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    env["MOTO_GLUE_NODE_MODULES"] = str(node_modules)
    script = HERE / "sdk_v3_lineage_and_workflows.mjs"
    result = subprocess.run(
        ["node", str(script), json.dumps(config)], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)

    posted = report["posted"]
    assert posted["ok"] and posted["httpStatusCode"] == 200 and posted["output"]["domainId"] == domain
    got = report["gotEvent"]
    assert got["httpStatusCode"] == 200 and got["payloadType"] == "Uint8ArrayBlobAdapter"
    assert got["payloadText"] == event  # the bytes as posted
    output = got["output"]
    assert (output["domainId"], output["id"], output["processingStatus"]) == (domain, posted["output"]["id"], "SUCCESS")
    assert output["createdBy"] == "arn:aws:sts::123456789012:user/moto"
    assert date(output["eventTime"]) == at(2026, 1, 2, 3, 4, 5)  # an HTTP-date header: whole seconds
    assert isinstance(date(output["createdAt"]), datetime.datetime)

    node = report["node"]["output"]
    assert node["sourceIdentifier"] == GLUE_INPUT and node["typeName"] == "amazon.datazone.DatasetLineageNodeType"
    assert node["upstreamNodes"] == [] and len(node["downstreamNodes"]) == 1
    assert date(node["downstreamNodes"][0]["eventTimestamp"]) == at(2026, 1, 2, 3, 4, 5, microsecond=678000)
    assert node["formsOutput"][0]["formName"] == "DatasetPropertiesForm"

    run = report["workflowRun"]["output"]["Run"]
    assert run["Status"] == "COMPLETED" and run["WorkflowRunId"] == run_id
    assert run["Statistics"]["SucceededActions"] == 1 and run["Statistics"]["FailedActions"] == 0
    (job_node,) = [n for n in run["Graph"]["Nodes"] if n["Type"] == "JOB"]
    attempts = job_node["JobDetails"]["JobRuns"]
    assert [(r["Attempt"], r["JobRunState"]) for r in attempts] == [(0, "FAILED"), (1, "SUCCEEDED")]
    assert all(isinstance(date(r["StartedOn"]), datetime.datetime) for r in attempts)
    assert len(run["Graph"]["Edges"]) == 1

    runs = report["jobRuns"]["output"]["JobRuns"]
    assert [(r["Attempt"], r["JobRunState"]) for r in runs] == [(1, "SUCCEEDED"), (0, "FAILED")]
    assert runs[0]["Id"] == runs[1]["Id"] + "_attempt_1" and runs[0]["PreviousRunId"] == runs[1]["Id"]

    errors = report["errors"]
    for key, name, status in [
        ("glueValidation", "ValidationException", 400),
        ("glueEntityNotFound", "EntityNotFoundException", 400),
        ("datazoneResourceNotFound", "ResourceNotFoundException", 404),
        ("datazoneValidation", "ValidationException", 400),
    ]:
        error = errors[key]
        assert (error["ok"], error["name"], error["httpStatusCode"], error["fault"]) == (False, name, status, "client")
        assert error["isModeledException"] and error["isServiceException"] and error["requestId"], error
    assert errors["glueValidation"]["message"] == (
        "1 validation error detected: Value '26' at 'maxResults' failed to satisfy constraint: "
        "Member must have value less than or equal to 25"
    )
    assert "nosuchnode0000" in errors["datazoneResourceNotFound"]["message"]
    assert "'event'" in errors["datazoneValidation"]["message"]
