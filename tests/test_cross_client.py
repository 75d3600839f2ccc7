"""Clients other than boto3 read seeded DataZone job runs from the standalone server.

The AWS CLI and the AWS SDK for JavaScript v3 (``tests/cross_client/sdk_v3_client.mjs``) run as
subprocesses against the ``mgw_server`` fixture; the assertions are on the JSON they print, so
they cover each client's own parsing of our content types, status codes, timestamps, unions and
error headers. Nothing is installed here; the tests skip, saying why, when a client is missing:

- the AWS CLI: ``aws`` on PATH, or the executable named by ``MOTO_GLUE_AWS_CLI``; it must know
  ``aws datazone get-job-run`` (awscli >= 1.40 or a recent v2; Debian 12's 2.9 has no DataZone).
- the JS SDK: ``node`` on PATH and the packages of ``tests/cross_client/package.json``, in
  ``tests/cross_client/node_modules`` (``cd tests/cross_client && npm install --no-package-lock``)
  or in the ``node_modules`` folder named by ``MOTO_GLUE_NODE_MODULES``.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

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
    executable = os.environ.get("MOTO_GLUE_AWS_CLI") or shutil.which("aws")
    if not executable:
        pytest.skip("the AWS CLI is not installed: no `aws` on PATH and MOTO_GLUE_AWS_CLI is not set")
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


def run_aws(aws_cli: tuple[str, dict[str, str]], seeded: Seeded, *args: str) -> subprocess.CompletedProcess[str]:
    executable, env = aws_cli
    command = [executable, "datazone", *args, "--endpoint-url", seeded.endpoint_url, "--region", "us-east-1"]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)


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
