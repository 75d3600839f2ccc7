"""Blueprint layouts run out of process: they cannot corrupt, hang or kill the mock (issue 11).

Every numbered case of the issue, in decorator and server mode (the ``aws`` fixture):
1. overlapping runs in different accounts and regions each reach their own account and region;
2. a run stays RUNNING, without WorkflowName, until its layout has returned and its resources exist;
3. any BaseException, an exit, a crash, a bad return value or an archive that cannot be unpacked
   fails the run with an ErrorMessage, never a 500 or a dropped connection;
4. a layout that never returns is stopped at the time limit without blocking other runs, and
   ``POST /moto-api/reset`` kills running layouts;
5. threads a layout started end with it, explicit AWS endpoints are refused, ``os._exit`` ends only
   the layout;
6. deeply nested JSON in ``blueprint.cfg`` fails the blueprint and in ``Parameters`` is refused (400);
7. AWS's sample layout (folder ``conversion/`` holding its job script ``conversion.py``) runs, its
   workflow completes, and the extraction folder is gone afterwards.
"""

from __future__ import annotations

import io
import json
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from moto_glue_workflows import wait_for_blueprint_run
from tests.conftest import AWS
from tests.glue_helpers import error_of
from tests.processes import linux_only, new_token, processes_with

ROLE = "arn:aws:iam::123456789012:role/blueprint-runner"
BUCKET = "blueprint-archives"
OTHER_ACCOUNT = "222222222222"

HEAD = """
import os, sys, time, json
import boto3
from awsglue.blueprint.workflow import Workflow, Entities
from awsglue.blueprint.job import Job

def one_job_workflow(name, **workflow):
    job = Job(Name="step", Role="arn:aws:iam::123456789012:role/glue",
              Command={"Name": "pythonshell", "ScriptLocation": "s3://scripts/step.py"})
    return Workflow(Name=name, Entities=Entities(Jobs=[job]), **workflow)
"""

SPEC = {
    "WorkflowName": {"type": "String", "collection": False, "defaultValue": "generated"},
    "Note": {"type": "String", "collection": False, "defaultValue": ""},
}


def make_zip(files: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        for name, content in files.items():
            zipped.writestr(name, content)
    return buffer.getvalue()


def layout_zip(body: str, folder: str = "bp", extra: dict[str, str | bytes] | None = None) -> bytes:
    config = {"layoutGenerator": f"{folder}.layout.generate_layout", "parameterSpec": SPEC}
    files: dict[str, str | bytes] = {f"{folder}/blueprint.cfg": json.dumps(config), f"{folder}/layout.py": HEAD + body}
    files.update(extra or {})
    return make_zip(files)


def register(aws: AWS, name: str, data: bytes, key: str = "bp.zip", bucket: str = BUCKET, **client_kwargs: Any) -> Any:
    """Upload ``data`` and register it as blueprint ``name``; returns the Glue client used."""
    s3 = aws.client("s3", **{k: v for k, v in client_kwargs.items() if k != "region_name"})
    if bucket not in [b["Name"] for b in s3.list_buckets()["Buckets"]]:
        s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key=key, Body=data)
    glue = aws.client("glue", **client_kwargs)
    glue.create_blueprint(Name=name, BlueprintLocation=f"s3://{bucket}/{key}")
    assert glue.get_blueprint(Name=name)["Blueprint"]["Status"] == "ACTIVE"
    return glue


def start(glue: Any, name: str, **parameters: Any) -> str:
    return str(glue.start_blueprint_run(BlueprintName=name, Parameters=json.dumps(parameters), RoleArn=ROLE)["RunId"])


def read(glue: Any, name: str, run_id: str) -> dict[str, Any]:
    return glue.get_blueprint_run(BlueprintName=name, RunId=run_id)["BlueprintRun"]  # type: ignore[no-any-return]


def finished(glue: Any, name: str, run_id: str, timeout: float = 60.0) -> dict[str, Any]:
    """StartBlueprintRun answers at once; the run ends when its layout has (polled, as SDK users do)."""
    return wait_for_blueprint_run(glue, name, run_id, timeout=timeout)


def distinct(states: list[str]) -> list[str]:
    return [state for index, state in enumerate(states) if index == 0 or states[index - 1] != state]


def wait_for_object(aws: AWS, key: str, within: float = 30.0) -> None:
    s3 = aws.client("s3")
    deadline = time.monotonic() + within
    while "Contents" not in s3.list_objects_v2(Bucket=BUCKET, Prefix=key):
        assert time.monotonic() < deadline, f"the layout never wrote {key}"
        time.sleep(0.05)


def workflow_names(glue: Any) -> list[str]:
    return list(glue.list_workflows().get("Workflows", []))


def assumed_role(aws: AWS, account: str) -> dict[str, str]:
    credentials = aws.client("sts").assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/blueprints", RoleSessionName="isolation"
    )["Credentials"]
    return {
        "aws_access_key_id": credentials["AccessKeyId"],
        "aws_secret_access_key": credentials["SecretAccessKey"],
        "aws_session_token": credentials["SessionToken"],
    }


def reset(aws: AWS) -> None:
    base = aws.endpoint_url or "http://motoapi.amazonaws.com"
    assert requests.post(f"{base}/moto-api/reset", timeout=30).status_code == 200


@pytest.fixture
def time_limit(aws: AWS) -> Iterator[Any]:
    """Set the layouts' time limit through the control endpoint; back to the default afterwards."""

    def set_limit(seconds: float | None) -> dict[str, Any]:
        return aws.control.set_blueprint_run_limits(time_limit_seconds=seconds)  # type: ignore[no-any-return]

    yield set_limit
    set_limit(None)


# --- 1. accounts and regions --------------------------------------------------------------------

WHERE_AM_I = """
def generate_layout(user_params, system_params):
    time.sleep(0.3)  # long enough for the runs to overlap
    db = "db_" + system_params["accountId"] + "_" + system_params["region"].replace("-", "_")
    boto3.client("glue").create_database(DatabaseInput={"Name": db})
    # Another session, a client made in another thread: still this account and region.
    found = {}
    def worker():
        glue = boto3.session.Session().client("glue")
        found["databases"] = [d["Name"] for d in glue.get_databases()["DatabaseList"]]
    thread = __import__("threading").Thread(target=worker)
    thread.start()
    thread.join()
    return one_job_workflow(user_params["WorkflowName"],
                            DefaultRunProperties={"seen": ",".join(found["databases"]),
                                                  "region": boto3.session.Session().region_name})
"""


def test_overlapping_runs_in_other_accounts_and_regions_reach_only_their_own(aws: AWS) -> None:
    scopes = {
        ("123456789012", "us-east-1"): {},
        ("123456789012", "eu-west-1"): {"region_name": "eu-west-1"},
        (OTHER_ACCOUNT, "us-east-1"): assumed_role(aws, OTHER_ACCOUNT),
    }
    clients = {
        scope: register(aws, "where", layout_zip(WHERE_AM_I), bucket=f"archives-{index}", **kwargs)
        for index, (scope, kwargs) in enumerate(scopes.items())
    }
    outcomes: dict[tuple[str, str], dict[str, Any]] = {}

    def run_in(scope: tuple[str, str]) -> None:
        glue = clients[scope]
        outcomes[scope] = finished(glue, "where", start(glue, "where", WorkflowName="wf"))

    threads = [threading.Thread(target=run_in, args=(scope,)) for scope in scopes]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began

    for (account, region), glue in clients.items():
        own = f"db_{account}_{region.replace('-', '_')}"
        assert outcomes[(account, region)]["State"] == "SUCCEEDED", outcomes[(account, region)]
        assert [d["Name"] for d in glue.get_databases()["DatabaseList"]] == [own]
        properties = glue.get_workflow(Name="wf")["Workflow"]["DefaultRunProperties"]
        assert properties == {"seen": own, "region": region}
    # Three layouts sleeping 0.3 s each ran side by side, not one after another behind a lock.
    assert elapsed < 3 * 0.3 + 5


# --- 2. RUNNING until done ------------------------------------------------------------------------

WAIT_FOR_GO = """
def generate_layout(user_params, system_params):
    s3 = boto3.client("s3")
    while "Contents" not in s3.list_objects_v2(Bucket="blueprint-archives", Prefix="go"):
        time.sleep(0.05)
    if user_params["Note"] == "fail":
        raise RuntimeError("told to fail")
    return one_job_workflow(user_params["WorkflowName"])
"""


@pytest.mark.parametrize("outcome", ["succeed", "fail"])
def test_a_run_is_running_until_its_layout_returned_and_its_workflow_exists(aws: AWS, outcome: str) -> None:
    aws.set_transition("glue::blueprint_run", {"progression": "manual", "times": 3})
    glue = register(aws, "waits", layout_zip(WAIT_FOR_GO))
    run_id = start(glue, "waits", WorkflowName="wf", Note=outcome if outcome == "fail" else "")
    first = read(glue, "waits", run_id)
    assert first["State"] == "RUNNING" and "WorkflowName" not in first and "CompletedOn" not in first
    assert workflow_names(glue) == []
    aws.client("s3").put_object(Bucket=BUCKET, Key="go", Body=b"")
    # RUNNING while the layout runs (reads do not wait for it), then three reads per step (manual, times 3).
    states = [read(glue, "waits", run_id)]
    deadline = time.monotonic() + 60
    while states[-1]["State"] not in ("SUCCEEDED", "FAILED"):
        assert time.monotonic() < deadline
        states.append(read(glue, "waits", run_id))
    final = states[-1]
    names = [s["State"] for s in states]
    if outcome == "succeed":
        assert distinct(names) == ["RUNNING", "SUCCEEDED"]
        assert final["WorkflowName"] == "wf" and workflow_names(glue) == ["wf"]
    else:
        assert distinct(names) == ["RUNNING", "ROLLING_BACK", "FAILED"]
        assert names.count("ROLLING_BACK") == 3
        assert final["ErrorMessage"] == "Unknown error executing layout generator function RuntimeError: told to fail"
        assert workflow_names(glue) == []


# --- 3. any failure fails the run -----------------------------------------------------------------

RAISES = """
class Custom(BaseException):
    pass

def generate_layout(user_params, system_params):
    raise {exception}
"""

FAILURES = {
    "KeyboardInterrupt": (
        RAISES.format(exception="KeyboardInterrupt()"),
        "Unknown error executing layout generator function KeyboardInterrupt: ",
    ),
    "GeneratorExit": (
        RAISES.format(exception="GeneratorExit('closed')"),
        "Unknown error executing layout generator function GeneratorExit: closed",
    ),
    "BaseException": (
        RAISES.format(exception="Custom('odd')"),
        "Unknown error executing layout generator function Custom: odd",
    ),
    "SystemExit": (
        RAISES.format(exception="SystemExit(3)"),
        "Unknown error executing layout generator function SystemExit: 3",
    ),
    "os._exit": (
        "\ndef generate_layout(user_params, system_params):\n    print('bye', file=sys.stderr)\n    os._exit(7)\n",
        "Layout generator bp.layout.generate_layout ended the process with exit status 7 before it returned: bye",
    ),
    "crash": (
        "\nimport signal\n\ndef generate_layout(user_params, system_params):\n    os.kill(os.getpid(), signal.SIGSEGV)\n",
        "Layout generator bp.layout.generate_layout crashed (SIGSEGV) before it returned",
    ),
    "bad return value": (
        "\ndef generate_layout(user_params, system_params):\n    return 42\n",
        "Layout generator bp.layout.generate_layout returned int, not an awsglue.blueprint.workflow.Workflow",
    ),
    "workflow that is not JSON": (
        "\nclass Odd:\n    def to_json(self, suffix):\n        return {'Workflow': {'Name': object()}}\n"
        "\ndef generate_layout(user_params, system_params):\n    return Odd()\n",
        "Unknown error executing layout generator function TypeError: the returned value is not JSON: "
        "Object of type object is not JSON serializable",
    ),
}


@pytest.mark.parametrize("case", list(FAILURES))
def test_any_failure_of_a_layout_fails_its_run_and_the_mock_keeps_answering(aws: AWS, case: str) -> None:
    body, message = FAILURES[case]
    glue = register(aws, "breaks", layout_zip(body))
    run_id = start(glue, "breaks")
    run = finished(glue, "breaks", run_id)
    assert run["State"] == "FAILED" and run["ErrorMessage"] == message
    assert "WorkflowName" not in run and workflow_names(glue) == []
    assert [r["State"] for r in glue.get_blueprint_runs(BlueprintName="breaks")["BlueprintRuns"]] == ["FAILED"]


BAD_ARCHIVES = {
    "a file and a folder of one name": {"x": "file", "x/y": "inside"},
    "a 300-character member name": {"bp/" + "n" * 300 + ".txt": "long"},
    "a member named '.'": {".": "dot"},
}


@pytest.mark.parametrize("case", list(BAD_ARCHIVES))
def test_an_archive_that_cannot_be_unpacked_fails_the_run(aws: AWS, case: str) -> None:
    glue = register(aws, "unpack", layout_zip(WHERE_AM_I, extra=BAD_ARCHIVES[case]))
    run = finished(glue, "unpack", start(glue, "unpack"))
    assert run["State"] == "FAILED"
    assert run["ErrorMessage"].startswith("The blueprint archive could not be extracted: ")
    assert workflow_names(glue) == []


# --- 4. time limit and reset ------------------------------------------------------------------------

FOREVER = """
import subprocess

def generate_layout(user_params, system_params):
    # A process of its own, tagged so the test can look for it on the host; then say it started.
    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", user_params["Note"]])
    boto3.client("s3").put_object(Bucket="blueprint-archives", Key="started-" + user_params["Note"], Body=b"")
    while True:
        time.sleep(0.05)
"""

QUICK = "\ndef generate_layout(user_params, system_params):\n    return one_job_workflow('quick')\n"


@linux_only
def test_a_layout_that_never_returns_is_stopped_at_the_time_limit_and_blocks_no_other_run(
    aws: AWS, time_limit: Any
) -> None:
    # 10 s: room for the two quick runs (a subprocess each) to finish first on a loaded 2-core CI machine,
    # under the same limit.
    assert time_limit(10) == {"TimeLimitSeconds": 10}
    hung = register(aws, "forever", layout_zip(FOREVER))
    quick = register(aws, "quick", layout_zip(QUICK), region_name="eu-west-1")
    token = new_token()
    run_id = start(hung, "forever", Note=token)
    assert read(hung, "forever", run_id)["State"] == "RUNNING"  # StartBlueprintRun did not wait for it
    wait_for_object(aws, f"started-{token}")
    assert processes_with(token)
    same_account = register(aws, "quick", layout_zip(QUICK), bucket="quick-archives")
    for glue in (quick, same_account):
        assert finished(glue, "quick", start(glue, "quick"))["State"] == "SUCCEEDED"
    assert read(hung, "forever", run_id)["State"] == "RUNNING"
    run = finished(hung, "forever", run_id)
    assert run["State"] == "FAILED"
    assert run["ErrorMessage"] == (
        "Layout generator bp.layout.generate_layout did not return within the time limit of 10 seconds and was stopped"
    )
    assert processes_with(token) == []


@linux_only
def test_reset_kills_running_layouts(aws: AWS) -> None:
    aws.set_transition("glue::blueprint_run", {"progression": "manual", "times": 1000})
    glue = register(aws, "forever", layout_zip(FOREVER))
    token = new_token()
    run_id = start(glue, "forever", Note=token)
    assert read(glue, "forever", run_id)["State"] == "RUNNING"
    wait_for_object(aws, f"started-{token}")
    assert processes_with(token)
    reset(aws)
    assert processes_with(token) == []  # gone by the time the reset answered
    aws.unset_transitions()
    glue = register(aws, "quick", layout_zip(QUICK))
    assert finished(glue, "quick", start(glue, "quick"))["State"] == "SUCCEEDED"


def test_the_time_limit_endpoint_refuses_what_is_not_a_duration(aws: AWS, time_limit: Any) -> None:
    from moto_glue_workflows import ControlError

    for bad in (0, -1, "ten", True, 10**9):
        with pytest.raises(ControlError) as refused:
            time_limit(bad)
        assert refused.value.status == 400 and refused.value.code == "InvalidInputException"
        assert "TimeLimitSeconds" in refused.value.message
    assert time_limit(None) == {"TimeLimitSeconds": 300}
    # The same endpoint over HTTP, in either mode.
    url = f"{aws.endpoint_url or 'http://motoapi.amazonaws.com'}/moto-api/static/glue/blueprint-run-limits"
    answer = requests.post(url, json={"TimeLimitSeconds": 42.5}, timeout=10)
    assert (answer.status_code, answer.json()) == (200, {"TimeLimitSeconds": 42.5})
    refused = requests.post(url, json={"TimeLimitSeconds": "soon"}, timeout=10)
    assert refused.status_code == 400 and refused.headers["x-amzn-ErrorType"] == "InvalidInputException"


# --- 5. nothing outlives the layout or leaves the machine ------------------------------------------

LATE_THREAD = """
import threading

def late(marker):
    time.sleep(1)
    boto3.client("s3").put_object(Bucket="blueprint-archives", Key=marker, Body=b"still running")

def generate_layout(user_params, system_params):
    threading.Thread(target=late, args=(user_params["Note"],)).start()  # not a daemon: Python would wait
    return one_job_workflow("wf")
"""


def test_threads_a_layout_started_end_when_it_returns(aws: AWS) -> None:
    glue = register(aws, "late", layout_zip(LATE_THREAD))
    assert finished(glue, "late", start(glue, "late", Note="late-marker"))["State"] == "SUCCEEDED"
    time.sleep(1.5)
    assert "Contents" not in aws.client("s3").list_objects_v2(Bucket=BUCKET, Prefix="late-marker")


REAL_AWS = """
def generate_layout(user_params, system_params):
    s3 = boto3.client("s3", region_name="us-east-1", endpoint_url=user_params["Note"])
    s3.list_buckets()
    return one_job_workflow("wf")
"""


@pytest.mark.parametrize("endpoint", ["https://s3.us-east-1.amazonaws.com", "http://192.0.2.1:80"])
def test_a_layout_cannot_reach_anything_but_the_mock(aws: AWS, endpoint: str) -> None:
    glue = register(aws, "escape", layout_zip(REAL_AWS))
    run = finished(glue, "escape", start(glue, "escape", Note=endpoint))
    assert run["State"] == "FAILED"
    assert run["ErrorMessage"].startswith("Unknown error executing layout generator function ")
    assert "Could not connect to the endpoint URL" in run["ErrorMessage"] or "proxy" in run["ErrorMessage"].lower()


# --- 6. nested JSON -----------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [150, 50_000])
def test_deeply_nested_json_fails_the_blueprint_or_is_refused(aws: AWS, depth: int) -> None:
    nested = "[" * depth + "]" * depth
    config = (
        '{"layoutGenerator": "bp.layout.generate_layout", "parameterSpec": '
        '{"A": {"type": "String", "defaultValue": ' + nested + "}}}"
    )
    s3 = aws.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="bp.zip", Body=make_zip({"bp/blueprint.cfg": config, "bp/layout.py": ""}))
    glue = aws.client("glue")
    glue.create_blueprint(Name="nested", BlueprintLocation=f"s3://{BUCKET}/bp.zip")
    blueprint = glue.get_blueprint(Name="nested")["Blueprint"]
    assert blueprint["Status"] == "FAILED" and "is not valid JSON: it is nested" in blueprint["ErrorMessage"]

    register(aws, "plain", layout_zip(QUICK), bucket="plain-archives")
    code, message = error_of(
        glue.start_blueprint_run, BlueprintName="plain", Parameters='{"Note": ' + nested + "}", RoleArn=ROLE
    )
    assert code == "InvalidInputException" and message.startswith("Parameters is not valid JSON: it is nested")
    assert glue.get_blueprint_runs(BlueprintName="plain")["BlueprintRuns"] == []


# --- 7. AWS's sample layout ---------------------------------------------------------------------------

CONVERSION_CONFIG = {
    "layoutGenerator": "conversion.layout.generate_layout",
    "parameterSpec": {
        "WorkflowName": {"type": "String", "collection": False},
        "IAMRole": {"type": "IAMRoleArn", "collection": False},
        "ScriptBucket": {"type": "S3Bucket", "collection": False},
    },
}

CONVERSION_LAYOUT = """
import os
import boto3
from awsglue.blueprint.workflow import Workflow, Entities
from awsglue.blueprint.job import Job
from awsglue.blueprint.crawler import *


def generate_layout(user_params, system_params):
    s3 = boto3.Session(region_name=system_params["region"]).client("s3")
    s3.create_bucket(Bucket=user_params["ScriptBucket"])
    key = user_params["WorkflowName"] + "/conversion.py"
    with open("conversion/conversion.py", "rb") as script:  # relative to the archive's root, as AWS's samples do
        s3.upload_fileobj(script, user_params["ScriptBucket"], key)
    crawler = Crawler(Name=user_params["WorkflowName"] + "_crawler", Role=user_params["IAMRole"], DatabaseName="db",
                      Targets={"S3Targets": [{"Path": "s3://data/in/"}]})
    job = Job(Name=user_params["WorkflowName"] + "_conversion", Role=user_params["IAMRole"],
              Command={"Name": "glueetl", "ScriptLocation": "s3://" + user_params["ScriptBucket"] + "/" + key,
                       "PythonVersion": "3"},
              GlueVersion="4.0", WorkerType="G.1X", NumberOfWorkers=2, DependsOn={crawler: "SUCCEEDED"})
    return Workflow(Name=user_params["WorkflowName"], Entities=Entities(Jobs=[job], Crawlers=[crawler]),
                    DefaultRunProperties={"extracted_to": os.getcwd()})
"""

CONVERSION_SCRIPT = """import sys
from awsglue.transforms import *
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from awsglue.context import GlueContext

args = getResolvedOptions(sys.argv, ["JOB_NAME"])
glueContext = GlueContext(SparkContext.getOrCreate())
"""


def test_a_sample_shaped_blueprint_runs_and_its_workflow_completes(aws: AWS) -> None:
    data = make_zip(
        {
            "conversion/blueprint.cfg": json.dumps(CONVERSION_CONFIG),
            "conversion/layout.py": CONVERSION_LAYOUT,
            "conversion/conversion.py": CONVERSION_SCRIPT,
            "conversion/README.md": "# Conversion\n",
        }
    )
    glue = register(aws, "conversion", data, key="conversion.zip")
    run = finished(
        glue,
        "conversion",
        start(glue, "conversion", WorkflowName="convert", IAMRole=ROLE, ScriptBucket="conversion-scripts"),
    )
    assert run["State"] == "SUCCEEDED", run.get("ErrorMessage")
    script = aws.client("s3").get_object(Bucket="conversion-scripts", Key="convert/conversion.py")["Body"].read()
    assert script.decode() == CONVERSION_SCRIPT
    workflow = glue.get_workflow(Name="convert")["Workflow"]
    assert not Path(workflow["DefaultRunProperties"]["extracted_to"]).exists()
    jobs = [n["Name"] for n in glue.get_workflow(Name="convert", IncludeGraph=True)["Workflow"]["Graph"]["Nodes"]]
    job_name = next(name for name in jobs if name.startswith("convert_conversion_"))
    assert glue.get_job(JobName=job_name)["Job"]["Command"]["ScriptLocation"] == (
        "s3://conversion-scripts/convert/conversion.py"
    )
    workflow_run = glue.start_workflow_run(Name="convert")["RunId"]
    for _ in range(20):
        status = glue.get_workflow_run(Name="convert", RunId=workflow_run)["Run"]["Status"]
        if status == "COMPLETED":
            break
    assert status == "COMPLETED"
