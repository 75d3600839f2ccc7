"""The runner on its own: user code in its own interpreter, against this mock, for a limited time.

Blueprint layouts use a FunctionCall; Glue Python shell job scripts will use a ScriptRun. Both
report exit status, stdout, stderr, the returned value, duration and whether the limit struck.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from moto_glue_workflows import runner
from tests.processes import linux_only, new_token, processes_with

REGION = "eu-west-2"
ACCOUNT = "111111111111"


@pytest.fixture
def mocked(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        yield


def spec(code: runner.FunctionCall | runner.ScriptRun, files: dict[str, bytes], **kwargs: Any) -> runner.RunSpec:
    return runner.RunSpec(
        code=code,
        account_id=kwargs.pop("account_id", ACCOUNT),
        region=kwargs.pop("region", REGION),
        time_limit=kwargs.pop("time_limit", 60),
        files=files,
        **kwargs,
    )


def finished(run: runner.UserCodeRun) -> runner.RunResult:
    result = run.wait()
    assert result is not None
    return result


SCRIPT = b"""
import sys
print("args", sys.argv[1:])
print("warning", file=sys.stderr)
sys.exit(int(sys.argv[2]))
"""


@pytest.mark.parametrize("status", [0, 4])
def test_a_script_runs_with_its_argv_and_its_output_and_status_are_captured(mocked: None, status: int) -> None:
    run = runner.start(spec(runner.ScriptRun("jobs/etl.py", ["--JOB_NAME", str(status)]), {"jobs/etl.py": SCRIPT}))
    result = finished(run)
    assert result.exit_status == status
    assert result.stdout == f"args ['--JOB_NAME', '{status}']\n"
    assert result.stderr == "warning\n"
    assert result.value is None and not result.timed_out
    assert result.succeeded is (status == 0)
    assert not run.workdir.exists()


def test_a_function_call_returns_its_json_value(mocked: None) -> None:
    files = {"pkg/__init__.py": b"", "pkg/mod.py": b"def add(a, b):\n    print('adding')\n    return {'sum': a + b}\n"}
    result = finished(runner.start(spec(runner.FunctionCall("pkg.mod", "add", [2, 3]), files)))
    assert result.succeeded and result.value == {"sum": 5} and result.stdout == "adding\n"
    assert result.duration > 0


def test_an_exception_is_reported_with_its_type_and_message(mocked: None) -> None:
    files = {"mod.py": b"def boom():\n    raise LookupError('nothing here')\n"}
    result = finished(runner.start(spec(runner.FunctionCall("mod", "boom"), files)))
    assert not result.succeeded and result.exit_status == 1
    assert (result.error_type, result.error) == ("LookupError", "nothing here")


CALLS_AWS = b"""
import boto3, threading

def work(name):
    glue = boto3.client("glue")
    glue.create_database(DatabaseInput={"Name": name})
    seen = {}
    def other_thread():
        seen["names"] = [d["Name"] for d in boto3.session.Session().client("glue").get_databases()["DatabaseList"]]
    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    return {"region": glue.meta.region_name, "names": seen["names"]}
"""


def test_aws_calls_reach_this_mock_in_the_given_account_and_region(mocked: None) -> None:
    result = finished(runner.start(spec(runner.FunctionCall("mod", "work", ["made_by_child"]), {"mod.py": CALLS_AWS})))
    assert result.value == {"region": REGION, "names": ["made_by_child"]}, result.stderr
    sts = boto3.client("sts", region_name="us-east-1")
    credentials = sts.assume_role(RoleArn=f"arn:aws:iam::{ACCOUNT}:role/r", RoleSessionName="runner")["Credentials"]
    glue = boto3.client(
        "glue",
        region_name=REGION,
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )
    assert [d["Name"] for d in glue.get_databases()["DatabaseList"]] == ["made_by_child"]
    assert boto3.client("glue", region_name=REGION).get_databases()["DatabaseList"] == []


ESCAPES = b"""
import socket, urllib.request

def attempts():
    outcomes = {}
    for name, attempt in {
        "resolve": lambda: socket.getaddrinfo("example.com", 443),
        "connect": lambda: socket.create_connection(("192.0.2.1", 443), timeout=1),
        "http": lambda: urllib.request.urlopen("http://192.0.2.1/", timeout=1),
    }.items():
        try:
            attempt()
            outcomes[name] = "reached"
        except OSError as error:
            outcomes[name] = type(error).__name__
    return outcomes
"""


def test_nothing_but_loopback_is_reachable(mocked: None) -> None:
    result = finished(runner.start(spec(runner.FunctionCall("mod", "attempts"), {"mod.py": ESCAPES})))
    assert result.value is not None and "reached" not in result.value.values(), result.value


HANGS = b"""
import subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", *sys.argv[1:]])
print("started", flush=True)
while True:
    time.sleep(0.05)
"""


@linux_only
def test_the_time_limit_kills_the_run_and_everything_it_started(mocked: None) -> None:
    token = new_token()
    run = runner.start(spec(runner.ScriptRun("hang.py", [token]), {"hang.py": HANGS}, time_limit=1.5))
    assert run.poll() is None
    result = finished(run)
    assert result.timed_out and not result.succeeded and result.duration >= 1.5
    assert result.stdout == "started\n"
    assert processes_with(token) == []  # gone when the run's result is there, not some time later
    assert not run.workdir.exists()


def test_kill_all_ends_every_run(mocked: None) -> None:
    runs = [runner.start(spec(runner.ScriptRun("hang.py"), {"hang.py": HANGS})) for _ in range(2)]
    assert set(runs) <= set(runner.running())
    assert runner.kill_all() >= 2
    for run in runs:
        result = run.poll()
        assert result is not None and result.killed and not run.workdir.exists()
    assert not set(runs) & set(runner.running())


@pytest.mark.parametrize("name", ["../outside.py", "/etc/passwd-copy", "."])
def test_files_outside_the_working_directory_are_refused(mocked: None, name: str) -> None:
    before = set(runner.running())
    with pytest.raises(ValueError, match="outside the working directory"):
        runner.start(spec(runner.ScriptRun("x.py"), {name: b""}))
    assert set(runner.running()) == before
