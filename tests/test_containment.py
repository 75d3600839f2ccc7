"""User code is walled in by the OS (issue 21): Python shell scripts and blueprint layouts, both modes.

Each probe is what a hostile or careless script would try. It runs as a Glue Python shell job in
script mode and reports what it saw to mocked S3 (its own account and region); the test checks that
report and, from outside, the host: listeners nothing may reach, processes that must be gone, the
state a reset must leave empty. See docs/containment.md for the walls and where they hold.
"""

from __future__ import annotations

import functools
import json
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from moto_glue_workflows import runner, wait_for_blueprint_run
from moto_glue_workflows.runner.process import WALLS_ENV
from tests.conftest import AWS
from tests.glue_helpers import error_of
from tests.processes import linux_only, new_token, processes_with, zombie_children
from tests.test_blueprint_isolation import reset

pytestmark = linux_only

ROLE = "arn:aws:iam::123456789012:role/glue"
OTHER_ACCOUNT = "222222222222"
FINAL = {"SUCCEEDED", "FAILED", "TIMEOUT", "STOPPED", "ERROR"}

PRELUDE = b"""
import json, os, sys, time
import boto3
from awsglue.utils import getResolvedOptions

ARGS = getResolvedOptions(sys.argv, ["JOB_NAME", "token"])
TOKEN = ARGS["token"]

def report(value):
    boto3.client("s3").put_object(Bucket="probes", Key=ARGS["JOB_NAME"], Body=json.dumps(value).encode())

def attempt(action):
    try:
        result = action()
        return "reached" if result is None else result
    except BaseException as error:
        return type(error).__name__ + ": " + str(error)[:200]
"""


@functools.cache
def _walls_here() -> str:
    """Which walls a run gets on this machine: one trivial run per test process tells."""
    run = runner.start(
        runner.RunSpec(
            code=runner.ScriptRun("x.py"),
            account_id="123456789012",
            region="us-east-1",
            time_limit=30,
            files={"x.py": b""},
        )
    )
    result = run.wait()
    assert result is not None
    return result.walls


def _namespaces_or_skip() -> None:
    """The OS walls need unprivileged user namespaces; say so rather than pass vacuously without them."""
    if _walls_here() != "namespaces":
        pytest.skip("this machine offers no unprivileged user namespaces: only process-level walls hold here")


@pytest.fixture
def walled(aws: AWS) -> AWS:
    _namespaces_or_skip()
    aws.client("s3").create_bucket(Bucket="scripts")
    aws.client("s3").create_bucket(Bucket="probes")
    aws.control.set_job_execution(mode="script")
    return aws


def in_other_account(client: Any) -> Any:
    """``client``, its every request sent as account OTHER_ACCOUNT (moto's per-request account header)."""
    client.meta.events.register(
        "before-send.*.*", lambda request, **_: request.headers.__setitem__("x-moto-account-id", OTHER_ACCOUNT)
    )
    return client


def other_accounts_bucket(aws: AWS) -> tuple[Any, str]:
    """A bucket of OTHER_ACCOUNT holding ``secret.txt``: an S3 client in that account, and the bucket's name."""
    other, name = in_other_account(aws.client("s3")), new_token()
    other.create_bucket(Bucket=name)
    other.put_object(Bucket=name, Key="secret.txt", Body=b"other account's")
    return other, name


def start_script(aws: AWS, name: str, body: bytes, token: str = "-", timeout_minutes: int | None = None) -> str:
    s3, glue = aws.client("s3"), aws.client("glue")
    s3.put_object(Bucket="scripts", Key=f"{name}.py", Body=PRELUDE + body)
    extra = {"Timeout": timeout_minutes} if timeout_minutes else {}
    glue.create_job(
        Name=name, Role=ROLE, Command={"Name": "pythonshell", "ScriptLocation": f"s3://scripts/{name}.py"}, **extra
    )
    return str(glue.start_job_run(JobName=name, Arguments={"--token": token})["JobRunId"])


def finished_run(aws: AWS, name: str, run_id: str, limit: float = 60) -> dict[str, Any]:
    glue = aws.client("glue")
    deadline = time.monotonic() + limit
    while True:
        run: dict[str, Any] = glue.get_job_run(JobName=name, RunId=run_id)["JobRun"]
        if run["JobRunState"] in FINAL:
            return run
        assert time.monotonic() < deadline, f"{name} still {run['JobRunState']}"
        time.sleep(0.05)


def probe(aws: AWS, name: str, body: bytes, token: str = "-") -> dict[str, Any]:
    run = finished_run(aws, name, start_script(aws, name, body, token))
    assert run["JobRunState"] == "SUCCEEDED", run.get("ErrorMessage")
    answer: dict[str, Any] = json.loads(aws.client("s3").get_object(Bucket="probes", Key=name)["Body"].read())
    return answer


def wait_for(predicate: Any, within: float = 30.0) -> None:
    deadline = time.monotonic() + within
    while not predicate():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


# --- network ---------------------------------------------------------------------------------------

NETWORK = b"""
import importlib, socket, subprocess, _socket
port = int(TOKEN)
# Only the host's listener answers "HOST" on connecting: a connection to something else on the run's own
# loopback that happens to have the same port number (its forwarder) is not an escape.
def host_answered(sock):
    sock.settimeout(1)
    try:
        return "reached" if sock.recv(4) == b"HOST" else "connected on the run's own loopback, not the host"
    except OSError:
        return "connected on the run's own loopback, not the host"
def raw_connect(host):
    s = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
    s.settimeout(2)
    s.connect((host, port))
    return host_answered(socket.socket(fileno=s.detach()))
def reloaded_connect():
    fresh = importlib.reload(socket)
    return host_answered(fresh.create_connection(("127.0.0.1", port), timeout=2))
def udp():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(b"escaped", ("127.0.0.1", port))
    s.sendto(b"escaped", ("0.0.0.0", port))
    return "sent (UDP has no answer: the host's listener tells whether it arrived)"
def child_process():
    code = "import socket; s = socket.create_connection(('127.0.0.1', %d), timeout=2); s.settimeout(1); assert s.recv(4) == b'HOST'" % port
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    return "reached" if done.returncode == 0 else "refused: " + done.stderr.strip().splitlines()[-1][:200]
report({
    "raw 0.0.0.0": attempt(lambda: raw_connect("0.0.0.0")),
    "raw 127.0.0.1": attempt(lambda: raw_connect("127.0.0.1")),
    "reloaded socket": attempt(reloaded_connect),
    "udp": attempt(udp),
    "resolve 127.attacker.example": attempt(lambda: socket.gethostbyname("127.attacker.example")),
    "resolve example.com": attempt(lambda: socket.gethostbyname("example.com")),
    "subprocess": attempt(child_process),
    "interfaces": [name for _, name in socket.if_nameindex()],
})
"""


class Listener:
    """A TCP and a UDP socket on the host's every address, counting whatever reaches them."""

    def __init__(self) -> None:
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.tcp.bind(("0.0.0.0", 0))
        self.tcp.listen(8)
        self.port = self.tcp.getsockname()[1]
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("0.0.0.0", self.port))
        self.reached: list[str] = []
        self.tcp.settimeout(0.2)
        self.udp.settimeout(0.2)
        self._open = True
        self._thread = threading.Thread(target=self._listen, daemon=True)
        self._thread.start()

    def _listen(self) -> None:
        while self._open:
            for _sock, kind in ((self.tcp, "tcp"), (self.udp, "udp")):
                try:
                    if kind == "tcp":
                        accepted = self.tcp.accept()[0]
                        accepted.sendall(b"HOST")
                        accepted.close()
                    else:
                        self.udp.recvfrom(64)
                    self.reached.append(kind)
                except OSError:
                    pass

    def close(self) -> None:
        self._open = False
        self._thread.join()
        self.tcp.close()
        self.udp.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    opened = Listener()
    yield opened
    opened.close()


def test_user_code_reaches_nothing_outside_its_own_loopback(walled: AWS, listener: Listener) -> None:
    seen = probe(walled, "network", NETWORK, token=str(listener.port))
    assert seen["interfaces"] == ["lo"]
    escaped = {name: outcome for name, outcome in seen.items() if outcome == "reached"}
    assert escaped == {}, seen
    time.sleep(0.5)  # a datagram in flight
    assert listener.reached == []
    # In server mode the server's own port is on the host's loopback: not reachable either.
    if walled.endpoint_url:
        port = walled.endpoint_url.rsplit(":", 1)[1]
        again = probe(walled, "server_port", NETWORK, token=port)
        assert again["raw 127.0.0.1"] != "reached" and again["subprocess"] != "reached", again


# --- accounts, regions and control endpoints -------------------------------------------------------


ACCOUNTS = b"""
import urllib.request
endpoint = os.environ["AWS_ENDPOINT_URL"]
def raw(path, body=b"", headers=None, method="POST"):
    request = urllib.request.Request(endpoint + path, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code
glue_headers = {
    "X-Amz-Target": "AWSGlue.CreateDatabase",
    "Content-Type": "application/x-amz-json-1.1",
    "x-moto-account-id": "222222222222",
    "Authorization": "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-west-2/glue/aws4_request, "
                     "SignedHeaders=host, Signature=0",
}
statuses = {
    "raw other account": raw("/", json.dumps({"DatabaseInput": {"Name": "raw_db"}}).encode(), glue_headers),
    "reset": raw("/moto-api/reset"),
    "outcomes": raw("/moto-api/static/glue/job-run-outcomes",
                    json.dumps({"JobName": "victim", "Outcomes": [{"State": "FAILED"}]}).encode()),
    "dashboard": raw("/moto-api/data.json", method="GET"),
    "state manager": raw("/moto-api/state-manager/set-transition",
                         json.dumps({"model_name": "glue::job_run", "transition": {"progression": "manual", "times": 9}}).encode()),
}
# A client that names another region and, through botocore's event hooks, another account.
elsewhere = boto3.client("glue", region_name="us-west-2")
elsewhere.meta.events.register("before-send.*.*", lambda request, **_: request.headers.__setitem__(
    "x-moto-account-id", "222222222222"))
elsewhere.create_database(DatabaseInput={"Name": "client_db"})
report(statuses)
"""


def test_user_code_acts_in_its_own_account_and_region_and_cannot_reach_control(walled: AWS) -> None:
    glue = walled.client("glue")
    glue.create_job(Name="victim", Role=ROLE, Command={"Name": "glueetl", "ScriptLocation": "s3://s/v.py"})
    walled.control.set_job_execution(mode="outcome", job_name="victim")
    statuses = probe(walled, "accounts", ACCOUNTS)
    assert statuses["raw other account"] == 200  # answered, in the run's own account and region
    assert {key: statuses[key] for key in ("reset", "outcomes", "dashboard", "state manager")} == {
        "reset": 403,
        "outcomes": 403,
        "dashboard": 403,
        "state manager": 403,
    }
    own = sorted(d["Name"] for d in glue.get_databases()["DatabaseList"])
    assert own == ["client_db", "raw_db"]
    other = in_other_account(walled.client("glue", region_name="us-west-2"))
    assert other.get_databases()["DatabaseList"] == []
    assert walled.client("glue", region_name="us-west-2").get_databases()["DatabaseList"] == []
    # Nothing of the test's state was reset, and the victim's runs still follow the test's outcomes.
    assert walled.client("s3").head_bucket(Bucket="probes")["ResponseMetadata"]["HTTPStatusCode"] == 200
    victim = glue.start_job_run(JobName="victim")["JobRunId"]
    assert finished_run(walled, "victim", victim)["JobRunState"] == "SUCCEEDED"


def test_a_layout_acts_in_its_own_account_only_and_cannot_reset(walled: AWS) -> None:
    from tests.test_blueprint_isolation import layout_zip, register, start

    layout = """
import urllib.request

def generate_layout(user_params, system_params):
    boto3.client("glue").create_database(DatabaseInput={"Name": "from_layout"})
    request = urllib.request.Request(os.environ["AWS_ENDPOINT_URL"] + "/moto-api/reset", data=b"", method="POST")
    try:
        urllib.request.urlopen(request, timeout=10)
        status = 200
    except urllib.error.HTTPError as error:
        status = error.code
    return one_job_workflow("wf", DefaultRunProperties={"reset": str(status)})
"""
    glue = register(walled, "walled", layout_zip(layout))
    run = wait_for_blueprint_run(glue, "walled", start(glue, "walled"))
    assert run["State"] == "SUCCEEDED", run.get("ErrorMessage")
    assert glue.get_workflow(Name="wf")["Workflow"]["DefaultRunProperties"] == {"reset": "403"}
    assert [d["Name"] for d in glue.get_databases()["DatabaseList"]] == ["from_layout"]


# --- the server, its secrets --------------------------------------------------------------------------

SERVER = b"""
import signal
seen = {"pid": os.getpid(), "parent": os.getppid(), "processes": sorted(int(p) for p in os.listdir("/proc") if p.isdigit())}
seen["kill parent"] = attempt(lambda: os.kill(os.getppid(), signal.SIGKILL))
seen["stop init"] = attempt(lambda: os.kill(1, signal.SIGSTOP))
seen["kill init"] = attempt(lambda: os.kill(1, signal.SIGKILL))
secrets = []
for pid in os.listdir("/proc"):
    for part in ("environ", "cmdline"):
        try:
            with open(f"/proc/{pid}/{part}", "rb") as handle:
                if TOKEN.encode() in handle.read():
                    secrets.append(f"{pid}/{part}")
        except OSError:
            pass
seen["secret in /proc"] = secrets
seen["credentials"] = attempt(lambda: open(ARGS_CREDENTIALS).read())
seen["home"] = os.environ["HOME"]
seen["env"] = sorted(os.environ)
report(seen)
"""


def test_user_code_cannot_see_or_signal_the_server_nor_read_its_secrets(
    walled: AWS, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secret = new_token()
    monkeypatch.setenv("MGW_SERVER_SECRET", secret)
    home = tmp_path / "home"
    (home / ".aws").mkdir(parents=True)
    credentials = home / ".aws" / "credentials"
    credentials.write_text(f"[default]\naws_access_key_id = {secret}\naws_secret_access_key = x\n")
    monkeypatch.setenv("HOME", str(home))
    body = SERVER.replace(b"ARGS_CREDENTIALS", repr(str(credentials)).encode())
    seen = probe(walled, "server", body, token=secret)
    assert seen["pid"] == 2 and seen["parent"] == 1 and seen["processes"] == [1, 2]
    assert seen["secret in /proc"] == [] and secret not in json.dumps(seen["env"])
    assert seen["credentials"].startswith("FileNotFoundError"), seen["credentials"]
    assert seen["home"] != str(home) and not seen["home"].startswith(str(home))
    assert "HOME" in seen["env"] and not any(name.startswith("MGW_") for name in seen["env"])
    # The mock is still there and answering, not killed or frozen.
    assert walled.client("glue").get_job(JobName="server")["Job"]["Name"] == "server"


# --- nothing outlives its run ----------------------------------------------------------------------------

SPAWNS = b"""
import subprocess
sleeper = [sys.executable, "-c", "import time; time.sleep(600)", TOKEN]
children = [subprocess.Popen(sleeper) for _ in range(10)]
subprocess.Popen(sleeper, start_new_session=True)
if os.fork() == 0:  # a double fork: the grandchild is orphaned at once
    if os.fork() == 0:
        os.setsid()
        os.execv(sys.executable, sleeper)
    os._exit(0)
os.wait()
time.sleep(0.3)
boto3.client("s3").put_object(Bucket="probes", Key="spawned-" + TOKEN, Body=b"")
if ARGS["JOB_NAME"].startswith("ends"):
    sys.exit(0)
while True:
    time.sleep(0.05)
"""


@pytest.mark.parametrize("end", ["succeeded", "timeout", "stopped", "reset"])
def test_no_process_a_script_started_outlives_its_run(walled: AWS, end: str) -> None:
    token = new_token()
    name = {"succeeded": "ends", "timeout": "hangs", "stopped": "hangs", "reset": "hangs"}[end]
    if end == "timeout":
        walled.control.set_job_execution(mode="script", seconds_per_timeout_minute=2)
    run_id = start_script(walled, name, SPAWNS, token=token, timeout_minutes=1)
    s3 = walled.client("s3")
    wait_for(lambda: "Contents" in s3.list_objects_v2(Bucket="probes", Prefix=f"spawned-{token}"))
    if end != "succeeded":
        assert len(processes_with(token)) == 12
    if end == "stopped":
        walled.client("glue").batch_stop_job_run(JobName=name, JobRunIds=[run_id])
    if end == "reset":
        reset(walled)
        assert processes_with(token) == []  # gone by the time the reset answered
        return
    run = finished_run(walled, name, run_id)
    assert run["JobRunState"] == {"succeeded": "SUCCEEDED", "timeout": "TIMEOUT", "stopped": "STOPPED"}[end]
    assert processes_with(token) == []  # gone by the time the run reads as ended


GHOST = b"""
glue = boto3.client("glue")
for number in range(10_000):
    glue.create_database(DatabaseInput={"Name": f"ghost_{number}"})
    time.sleep(0.02)
"""


def test_a_reset_stops_running_scripts_before_it_clears_state(walled: AWS) -> None:
    glue = walled.client("glue")
    start_script(walled, "ghost", GHOST)
    wait_for(lambda: len(glue.get_databases()["DatabaseList"]) >= 3)
    reset(walled)
    time.sleep(1.0)
    assert glue.get_databases()["DatabaseList"] == []
    assert runner.running() == []


def test_finished_runs_leave_no_zombies_even_when_never_read(walled: AWS) -> None:
    quick = b"pass\n"
    for index in range(5):
        start_script(walled, f"quick{index}", quick)
    wait_for(lambda: all(run.finished or run._process.poll() is not None for run in runner.running()))  # type: ignore[union-attr]
    wait_for(lambda: zombie_children() == [], within=10)
    reset(walled)
    assert zombie_children() == []


# --- bounded, refused, at once ---------------------------------------------------------------------------


def test_a_huge_error_message_is_cut_to_glues_bound(walled: AWS) -> None:
    run = finished_run(walled, "huge", start_script(walled, "huge", b'raise ValueError("E" * 20 * 1024 * 1024)\n'))
    assert run["JobRunState"] == "FAILED"
    assert len(run["ErrorMessage"]) <= 2048 and run["ErrorMessage"].startswith("ValueError: EEEE")


def test_a_layouts_huge_error_message_is_cut_to_glues_bound(walled: AWS) -> None:
    from tests.test_blueprint_isolation import layout_zip, register, start

    huge = '\ndef generate_layout(user_params, system_params):\n    raise ValueError("E" * 3 * 1024 * 1024)\n'
    glue = register(walled, "huge", layout_zip(huge))
    run = wait_for_blueprint_run(glue, "huge", start(glue, "huge"))
    assert run["State"] == "FAILED" and len(run["ErrorMessage"]) == 2048 and run["ErrorMessage"].endswith("\u2026")


@pytest.mark.parametrize("key", ["jobs/..", "jobs/.", "jobs/" + "x" * 256 + ".py"])
def test_a_script_location_no_file_can_have_is_refused_and_nothing_is_stored(walled: AWS, key: str) -> None:
    s3, glue = walled.client("s3"), walled.client("glue")
    s3.put_object(Bucket="scripts", Key=key, Body=b"print('never')\n")
    glue.create_job(Name="odd", Role=ROLE, Command={"Name": "pythonshell", "ScriptLocation": f"s3://scripts/{key}"})
    code, message = error_of(glue.start_job_run, JobName="odd")
    assert code == "InvalidInputException" and f"s3://scripts/{key}" in message
    assert glue.get_job_runs(JobName="odd")["JobRuns"] == []
    override = {"--scriptLocation": f"s3://scripts/{key}"}
    glue.create_job(Name="fine", Role=ROLE, Command={"Name": "pythonshell", "ScriptLocation": "s3://scripts/x.py"})
    code, _ = error_of(glue.start_job_run, JobName="fine", Arguments=override)
    assert code == "InvalidInputException" and glue.get_job_runs(JobName="fine")["JobRuns"] == []


def test_start_blueprint_run_answers_at_once_and_reads_never_wait(walled: AWS) -> None:
    from tests.test_blueprint_isolation import layout_zip, register, start

    slow = "\ndef generate_layout(user_params, system_params):\n    time.sleep(3)\n    return one_job_workflow('wf')\n"
    glue = register(walled, "slow", layout_zip(slow))
    began = time.monotonic()
    run_id = start(glue, "slow")
    assert time.monotonic() - began < 1.5
    reads = time.monotonic()
    assert glue.get_blueprint_run(BlueprintName="slow", RunId=run_id)["BlueprintRun"]["State"] == "RUNNING"
    assert [r["State"] for r in glue.get_blueprint_runs(BlueprintName="slow")["BlueprintRuns"]] == ["RUNNING"]
    assert time.monotonic() - reads < 1.0
    assert wait_for_blueprint_run(glue, "slow", run_id)["State"] == "SUCCEEDED"


# --- the server going away --------------------------------------------------------------------------------


def test_a_killed_server_takes_its_runs_processes_with_it() -> None:
    import os
    import signal
    import subprocess

    from moto_glue_workflows import Control
    from tests.modes import free_port, server_command

    port = free_port()
    server = subprocess.Popen(server_command("module", port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for(lambda: _accepts(port))
        aws = AWS("server", url)
        _namespaces_or_skip()
        s3 = aws.client("s3")
        s3.create_bucket(Bucket="scripts")
        s3.create_bucket(Bucket="probes")
        Control(endpoint_url=url).set_job_execution(mode="script")
        token = new_token()
        start_script(aws, "hangs", SPAWNS, token=token)
        wait_for(lambda: "Contents" in s3.list_objects_v2(Bucket="probes", Prefix=f"spawned-{token}"))
        assert len(processes_with(token)) == 12
        folders = [path for path in Path(tempfile.gettempdir()).glob("moto-glue-run-*") if token in _spec_of(path)]
        assert len(folders) == 1
    finally:
        os.kill(server.pid, signal.SIGKILL)
        server.wait()
    wait_for(lambda: processes_with(token) == [], within=10)
    wait_for(lambda: not folders[0].exists(), within=10)  # nobody is left to collect it: it goes too


def _spec_of(folder: Path) -> str:
    try:
        return (folder / "spec.json").read_text()
    except OSError:
        return ""


def _accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        return True
    except OSError:
        return False


# --- where the OS offers no namespaces: the process-level walls -------------------------------------------

FALLBACK = b"""
import socket, urllib.request
endpoint = os.environ["AWS_ENDPOINT_URL"]
request = urllib.request.Request(endpoint + "/moto-api/reset", data=b"", method="POST")
try:
    urllib.request.urlopen(request, timeout=10)
    reset = 200
except urllib.error.HTTPError as error:
    reset = error.code
other = boto3.client("glue", region_name="us-west-2")
other.meta.events.register("before-send.*.*", lambda request, **_: request.headers.__setitem__(
    "x-moto-account-id", "222222222222"))
other.create_database(DatabaseInput={"Name": "stamped"})
report({
    "reset": reset,
    "resolve 127.attacker.example": attempt(lambda: socket.gethostbyname("127.attacker.example")),
    "connect 0.0.0.0": attempt(lambda: socket.create_connection(("0.0.0.0", 9), timeout=1)),
    "home": os.environ["HOME"],
})
"""


def test_without_namespaces_the_gateway_and_the_supervisor_still_hold(
    aws: AWS, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(WALLS_ENV, "process")
    s3, glue = aws.client("s3"), aws.client("glue")
    s3.create_bucket(Bucket="scripts")
    s3.create_bucket(Bucket="probes")
    aws.control.set_job_execution(mode="script")
    seen = probe(aws, "fallback", FALLBACK)
    assert seen["reset"] == 403
    assert seen["resolve 127.attacker.example"].startswith("NetworkRefused")
    assert seen["connect 0.0.0.0"].startswith("NetworkRefused")
    assert [d["Name"] for d in glue.get_databases()["DatabaseList"]] == ["stamped"]
    token = new_token()
    run_id = start_script(aws, "ends", SPAWNS, token=token)
    assert finished_run(aws, "ends", run_id)["JobRunState"] == "SUCCEEDED"
    assert processes_with(token) == []  # the supervisor, a subreaper, ended the double fork and new session too


def test_folders_of_editable_installs_stay_visible_to_user_code(
    walled: AWS, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """An editable install's finder maps a package to a folder on no sys.path (setuptools' ``MAPPING``), often
    under a home or temporary folder the walls hide: it is put back, as the libraries on sys.path are."""
    import sys
    import types

    package = tmp_path / "src" / "mylib"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("VALUE = 42\n")
    finder = types.ModuleType("__editable___mylib_0_1_finder")
    finder.MAPPING = {"mylib": str(package)}  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, finder.__name__, finder)
    body = b"report({'mylib': os.path.exists(TOKEN + '/__init__.py'), 'tmp': os.path.exists(os.path.dirname(TOKEN))})"
    seen = probe(walled, "editable", body, token=str(package))
    assert seen == {"mylib": True, "tmp": True}
    other = tmp_path / "not-installed"
    other.mkdir()
    hidden = probe(walled, "hidden", b"report({'other': os.path.exists(TOKEN)})", token=str(other))
    assert hidden == {"other": False}


# --- what the red team found: the host's files, sockets and cgroups; slow clients; other accounts' resources --

HOST = b"""
import boto3 as _boto3
site = os.path.dirname(os.path.dirname(_boto3.__file__))
def write_site():
    with open(os.path.join(site, "planted-" + TOKEN + ".py"), "w") as handle:
        handle.write("x = 1")
def append_host():
    with open(ARGS_HOST_FILE, "a") as handle:
        handle.write("written from a run")
report({
    "uid": os.getuid(),
    "site-packages": attempt(write_site),
    "host file": attempt(append_host),
    "shadow": attempt(lambda: open("/etc/shadow").read() and None),
    "sysctl": attempt(lambda: open("/proc/sys/kernel/printk_ratelimit_burst", "w").write("10")),
    "run": os.listdir("/run") if os.path.isdir("/run") else [],
    "cgroup": os.listdir("/sys/fs/cgroup") if os.path.isdir("/sys/fs/cgroup") else [],
})
"""


def test_user_code_cannot_write_the_hosts_files_libraries_or_settings(walled: AWS) -> None:
    import os

    token = new_token()
    # A file of the server's user outside every hidden folder, writable by that user.
    host_file = Path(__file__).resolve().parent / f".{token}"
    host_file.write_text("original\n")
    try:
        seen = probe(walled, "host", HOST.replace(b"ARGS_HOST_FILE", repr(str(host_file)).encode()), token=token)
        assert seen["site-packages"] != "reached" and seen["sysctl"] != "reached", seen
        assert seen["run"] == [] and seen["cgroup"] == [], seen
        if os.geteuid() == 0:
            # A root server's user code is the host's nobody: root's files are root's.
            assert seen["uid"] == 65534
            assert seen["host file"] != "reached" and seen["shadow"] != "reached", seen
            assert host_file.read_text() == "original\n"
    finally:
        host_file.unlink()
    import boto3

    assert not list(Path(os.path.dirname(os.path.dirname(boto3.__file__))).glob(f"planted-{token}*"))


HALF_BODY = b"""
import socket, urllib.parse
endpoint = urllib.parse.urlsplit(os.environ["AWS_ENDPOINT_URL"])
held = socket.create_connection((endpoint.hostname, endpoint.port))
held.sendall(b"POST / HTTP/1.1\\r\\nHost: x\\r\\nX-Amz-Target: AWSGlue.GetDatabases\\r\\n"
             b"Content-Type: application/x-amz-json-1.1\\r\\n"
             b"Authorization: AWS4-HMAC-SHA256 Credential=A/20260101/us-east-1/glue/aws4_request, SignedHeaders=host, Signature=0\\r\\n"
             b"Content-Length: 1000\\r\\n\\r\\n{")
boto3.client("s3").put_object(Bucket="probes", Key="half-sent", Body=b"")
time.sleep(3600)
"""


def test_a_half_sent_request_holds_up_neither_the_mock_nor_a_reset(walled: AWS) -> None:
    s3, glue = walled.client("s3"), walled.client("glue")
    start_script(walled, "half", HALF_BODY)
    wait_for(lambda: "Contents" in s3.list_objects_v2(Bucket="probes", Prefix="half-sent"))
    began = time.monotonic()
    assert glue.get_databases()["DatabaseList"] == []
    assert time.monotonic() - began < 2
    began = time.monotonic()
    reset(walled)
    assert time.monotonic() - began < 10 and runner.running() == []


FOREIGN = b"""
s3 = boto3.client("s3")
events = boto3.client("events")
events.put_rule(Name="r", EventPattern=json.dumps({"source": ["x"]}))
report({
    "read": attempt(lambda: s3.get_object(Bucket=TOKEN, Key="secret.txt")["Body"].read().decode()),
    "write": attempt(lambda: s3.put_object(Bucket=TOKEN, Key="planted.txt", Body=b"x") and None),
    "delete": attempt(lambda: s3.delete_object(Bucket=TOKEN, Key="secret.txt") and None),
    "target": attempt(lambda: events.put_targets(Rule="r", Targets=[
        {"Id": "1", "Arn": "arn:aws:events:us-west-2:222222222222:event-bus/default"}]) and None),
    "own target": attempt(lambda: events.put_targets(Rule="r", Targets=[
        {"Id": "2", "Arn": "arn:aws:events:us-east-1:123456789012:event-bus/default"}])["FailedEntryCount"]),
})
"""


def test_another_accounts_bucket_and_event_bus_are_out_of_reach(walled: AWS) -> None:
    other, token = other_accounts_bucket(walled)
    seen = probe(walled, "foreign", FOREIGN, token=token)
    for action in ("read", "write", "delete", "target"):
        assert "(AccessDenied" in seen[action], seen
    assert seen["own target"] == 0
    assert [o["Key"] for o in other.list_objects_v2(Bucket=token)["Contents"]] == ["secret.txt"]


def test_a_root_servers_libraries_behind_a_closed_folder_still_import(
    walled: AWS, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A root server's user code is nobody, who may not pass through a 0700 folder (a project checked out
    as root, its virtualenv inside): the folder is covered and the library put back below it."""
    import os
    import shutil

    if os.geteuid() != 0:
        pytest.skip("only a root server's user code runs as nobody")
    token = new_token()
    closed = Path(__file__).resolve().parent / f".{token}"
    library = closed / "lib"
    library.mkdir(parents=True)
    closed.chmod(0o700)
    library.chmod(0o755)
    (library / f"closed_{token.replace('-', '_')}.py").write_text("VALUE = 'imported'\n")
    (closed / "secret.txt").write_text("not for user code\n")
    monkeypatch.syspath_prepend(str(library))
    try:
        module = f"closed_{token.replace('-', '_')}"
        body = (
            f"import {module}\n"
            f"report({{'value': {module}.VALUE, 'secret': attempt(lambda: open({str(closed / 'secret.txt')!r}).read())}})\n"
        ).encode()
        seen = probe(walled, "closed", body)
        assert seen["value"] == "imported" and seen["secret"].startswith("FileNotFoundError"), seen
    finally:
        shutil.rmtree(closed)


BYPASSES = b"""
import http.client, socket, urllib.parse
endpoint = urllib.parse.urlsplit(os.environ["AWS_ENDPOINT_URL"])
def raw(method, path, headers=None, body=None):
    connection = http.client.HTTPConnection(endpoint.hostname, endpoint.port, timeout=10)
    connection.request(method, path, body=body, headers=headers or {})
    answer = connection.getresponse()
    return answer.status
s3 = boto3.client("s3")
gateway = os.path.join(os.path.dirname(os.getcwd()), "gateway.sock")
def direct_connections():
    held, closed = [], 0
    for _ in range(100):
        client = socket.socket(socket.AF_UNIX)
        client.settimeout(0.05)
        try:
            client.connect(gateway)
            client.sendall(b"GET / HTTP/1.1\\r\\n")  # half a request: holds a thread while it lasts
            if client.recv(1) == b"":
                closed += 1
        except socket.timeout:
            pass
        except OSError:  # closed by the gateway before or while we wrote
            closed += 1
        held.append(client)
    return closed
def kill_init_with_sigint():
    os.kill(1, signal.SIGINT)
    time.sleep(0.2)
import signal
report({
    "unsigned put": raw("PUT", f"/{TOKEN}/planted.txt", body=b"x"),
    "sigv2 get": raw("GET", f"/{TOKEN}/secret.txt", {"Authorization": "AWS AKIAEXAMPLE:signature"}),
    "unsigned list": raw("GET", f"/{TOKEN}?list-type=2"),
    "copy source": attempt(lambda: s3.copy_object(Bucket="probes", Key="copied", CopySource=f"{TOKEN}/secret.txt") and None),
    "too large": raw("PUT", "/probes/huge", {"Content-Length": str(600 * 1024 * 1024)}, body=b""),
    "direct connections refused": direct_connections(),
    "sigint to init": attempt(kill_init_with_sigint),
})
"""


def test_another_accounts_bucket_stays_out_of_reach_unsigned_sigv2_or_as_a_copy_source(walled: AWS) -> None:
    other, token = other_accounts_bucket(walled)
    seen = probe(walled, "bypasses", BYPASSES, token=token)
    assert (seen["unsigned put"], seen["sigv2 get"], seen["unsigned list"]) == (403, 403, 403), seen
    assert "(AccessDenied" in seen["copy source"], seen
    assert seen["too large"] == 413
    # The gateway holds 64 connections of a run at once, however they come; the rest are closed at once.
    assert seen["direct connections refused"] >= 100 - 64, seen
    assert seen["sigint to init"] == "reached"  # sent, and the run went on to report (init ignores it)
    assert [o["Key"] for o in other.list_objects_v2(Bucket=token)["Contents"]] == ["secret.txt"]
    assert "Contents" not in walled.client("s3").list_objects_v2(Bucket="probes", Prefix="copied")
