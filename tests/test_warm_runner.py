"""User code is forked from a warm process (issue 27): fast to start, and each run still on its own.

Every containment test (tests/test_containment.py, tests/test_blueprint_isolation.py, ...) runs forked
from the warm process now; these check what is new: that runs are forked, that nothing one run imports
or changes reaches the next (job scripts and layouts, decorator and server mode), that the warm process
is started again when it died, ended by moto's reset and with its server, and that runs start cold where
it cannot be used. See docs/containment.md, "Starting user code".
"""

from __future__ import annotations

import json
import logging
import os
import signal
from collections.abc import Iterator
from typing import Any

import pytest

from moto_glue_workflows import runner, wait_for_blueprint_run
from moto_glue_workflows.runner import warm
from moto_glue_workflows.runner.sandbox import processes
from tests.conftest import AWS
from tests.processes import linux_only, new_token, processes_with, zombie_children
from tests.test_blueprint_isolation import BUCKET, layout_zip, register, reset, start
from tests.test_containment import finished_run, wait_for

pytestmark = linux_only

ROLE = "arn:aws:iam::123456789012:role/glue"

# The first lines run before the script imports anything itself: what is already there came from the
# process it was forked from. The rest changes everything a later run could see, if it were shared.
OBSERVE = b"""
import sys
before = {name: name in sys.modules for name in ("boto3", "wave", "mgw_planted")}
import json, os
import boto3
observed = {
    "modules": before,
    "boto3 marked": getattr(boto3, "MGW_MARK", None),
    "environment": os.environ.get("MGW_PLANTED"),
    "sys.path planted": "/mgw-planted" in sys.path,
}
import wave
sys.modules["mgw_planted"] = wave
boto3.MGW_MARK = "changed by an earlier run"
os.environ["MGW_PLANTED"] = "1"
sys.path.append("/mgw-planted")
name = sys.argv[sys.argv.index("--JOB_NAME") + 1]
boto3.client("s3").put_object(Bucket="probes", Key=name, Body=json.dumps(observed).encode())
"""

UNTOUCHED = {
    "modules": {"boto3": True, "wave": False, "mgw_planted": False},
    "boto3 marked": None,
    "environment": None,
    "sys.path planted": False,
}


@pytest.fixture
def scripts(aws: AWS) -> AWS:
    aws.client("s3").create_bucket(Bucket="scripts")
    aws.client("s3").create_bucket(Bucket="probes")
    aws.control.set_job_execution(mode="script")
    return aws


def run_script(aws: AWS, name: str, body: bytes) -> dict[str, Any]:
    """Run ``body`` as Python shell job ``name`` to the end; what it put in ``probes/<name>``."""
    s3, glue = aws.client("s3"), aws.client("glue")
    s3.put_object(Bucket="scripts", Key=f"{name}.py", Body=body)
    glue.create_job(Name=name, Role=ROLE, Command={"Name": "pythonshell", "ScriptLocation": f"s3://scripts/{name}.py"})
    run = finished_run(aws, name, str(glue.start_job_run(JobName=name)["JobRunId"]))
    assert run["JobRunState"] == "SUCCEEDED", run.get("ErrorMessage")
    answer: dict[str, Any] = json.loads(s3.get_object(Bucket="probes", Key=name)["Body"].read())
    return answer


def script_spec(body: bytes = b"print('ran')\n", time_limit: float = 30, **spec: Any) -> runner.RunSpec:
    """A run of ``body`` as the script ``x.py``, through the runner itself."""
    return runner.RunSpec(
        code=runner.ScriptRun("x.py"),
        account_id="123456789012",
        region="us-east-1",
        time_limit=time_limit,
        **{"files": {"x.py": body}, **spec},
    )


def direct_run(**spec: Any) -> runner.RunResult:
    """A trivial script run through the runner itself, for what only its result says (``forked``)."""
    run = runner.start(script_spec(**spec))
    result = run.wait()
    assert result is not None and result.succeeded, result
    return result


def _alive(pid: int) -> bool:
    """Whether ``pid`` is a process that has not ended (a zombie has)."""
    return any(found == pid and state != "Z" for found, _, state in processes())


# --- forked, and nothing shared ------------------------------------------------------------------------


def test_scripts_are_forked_from_a_process_that_imported_boto3(scripts: AWS) -> None:
    seen = run_script(scripts, "first", OBSERVE)
    assert {key: seen[key] for key in UNTOUCHED} == UNTOUCHED
    assert warm.runner.pid is not None and _alive(warm.runner.pid)


def test_nothing_one_script_imports_or_changes_is_seen_by_the_next(scripts: AWS) -> None:
    first = run_script(scripts, "first", OBSERVE)
    second = run_script(scripts, "second", OBSERVE)
    assert {key: first[key] for key in UNTOUCHED} == UNTOUCHED
    assert {key: second[key] for key in UNTOUCHED} == UNTOUCHED


# A layout that counts its own module's calls, records what it finds of earlier runs, plants a module and
# marks a class of the awsglue library every layout imports, then reports to S3 and returns a workflow.
LAYOUT = f"""
import sys
BUCKET = "{BUCKET}"
CALLS = []

def generate_layout(user_params, system_params):
    CALLS.append(1)
    seen = {{
        "calls": len(CALLS),
        "planted": "mgw_planted_layout" in sys.modules,
        "marked": getattr(Workflow, "MGW_MARK", None),
    }}
    sys.modules["mgw_planted_layout"] = sys.modules[__name__]
    Workflow.MGW_MARK = "changed by an earlier run"
    boto3.client("s3").put_object(Bucket=BUCKET, Key=user_params["Note"], Body=json.dumps(seen).encode())
    return one_job_workflow(user_params["WorkflowName"])
"""


def test_nothing_one_layout_imports_or_changes_is_seen_by_the_next(aws: AWS) -> None:
    glue = register(aws, "counts", layout_zip(LAYOUT))
    s3 = aws.client("s3")
    for index in range(2):
        run_id = start(glue, "counts", WorkflowName=f"wf{index}", Note=f"seen-{index}")
        assert wait_for_blueprint_run(glue, "counts", run_id)["State"] == "SUCCEEDED"
        seen = json.loads(s3.get_object(Bucket=BUCKET, Key=f"seen-{index}")["Body"].read())
        assert seen == {"calls": 1, "planted": False, "marked": None}
    assert sorted(glue.list_workflows()["Workflows"]) == ["wf0", "wf1"]


SHIPS_BOTO3 = """
def generate_layout(user_params, system_params):
    return one_job_workflow(user_params["WorkflowName"] + "-" + getattr(boto3, "WHOSE", "installed"))
"""


def test_a_layout_that_ships_its_own_boto3_imports_that_one(aws: AWS) -> None:
    """Modules the warm process holds would hide the archive's: such a run starts cold, as before."""
    archive = layout_zip(SHIPS_BOTO3, extra={"boto3/__init__.py": 'WHOSE = "shipped"\n'})
    glue = register(aws, "ships", archive)
    run_id = start(glue, "ships", WorkflowName="wf")
    assert wait_for_blueprint_run(glue, "ships", run_id)["State"] == "SUCCEEDED"
    assert glue.list_workflows()["Workflows"] == ["wf-shipped"]


def test_a_run_whose_files_shadow_a_preloaded_module_starts_cold() -> None:
    result = direct_run(files={"x.py": b"import urllib3; print(urllib3.WHOSE)\n", "urllib3.py": b"WHOSE = 'mine'\n"})
    assert not result.forked and result.stdout == "mine\n"


def test_a_runs_result_says_it_was_forked() -> None:
    result = direct_run()
    assert result.forked and result.stdout == "ran\n"


# --- the warm process's life ---------------------------------------------------------------------------


def test_a_warm_process_that_died_is_started_again(scripts: AWS) -> None:
    run_script(scripts, "before", OBSERVE)
    dead = warm.runner.pid
    assert dead is not None
    starts = warm.runner.starts
    os.kill(dead, signal.SIGKILL)
    wait_for(lambda: not _alive(dead))
    seen = run_script(scripts, "after", OBSERVE)
    assert {key: seen[key] for key in UNTOUCHED} == UNTOUCHED
    assert warm.runner.starts == starts + 1
    assert warm.runner.pid not in (None, dead)
    assert zombie_children() == []


def test_a_reset_ends_the_warm_process_and_the_next_run_starts_another(scripts: AWS) -> None:
    run_script(scripts, "before", OBSERVE)
    ended = warm.runner.pid
    assert ended is not None
    reset(scripts)
    assert warm.runner.pid is None and not _alive(ended)
    assert zombie_children() == []
    scripts.client("s3").create_bucket(Bucket="scripts")
    scripts.client("s3").create_bucket(Bucket="probes")
    scripts.control.set_job_execution(mode="script")
    seen = run_script(scripts, "after", OBSERVE)
    assert {key: seen[key] for key in UNTOUCHED} == UNTOUCHED
    assert warm.runner.pid not in (None, ended)


def test_the_warm_process_ends_with_its_server() -> None:
    """A standalone server killed with SIGKILL runs no exit handler: its warm process goes by itself."""
    from tests.modes import standalone_server

    with standalone_server() as url:
        aws = AWS("server", url)
        aws.client("s3").create_bucket(Bucket="scripts")
        aws.client("s3").create_bucket(Bucket="probes")
        aws.control.set_job_execution(mode="script")
        seen = run_script(aws, "served", OBSERVE)
        assert seen["modules"]["boto3"] is True  # forked from the server's warm process
        server = _server_pid(url)
        warm_pids = [pid for pid, parent, _ in processes() if parent == server and _is_warm(pid)]
        assert len(warm_pids) == 1
        os.kill(server, signal.SIGKILL)
        wait_for(lambda: not _alive(warm_pids[0]), within=10)


EXITS = """
import os
os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")
from moto import mock_aws
from moto_glue_workflows import runner
from moto_glue_workflows.runner import warm

mock_aws().start()  # never stopped: no reset ends the warm process, the exit does
spec = runner.RunSpec(code=runner.ScriptRun("x.py"), account_id="123456789012", region="us-east-1",
                      time_limit=30, files={"x.py": b"import time; time.sleep(60)"})
run = runner.start(spec)
assert run.forked
print(warm.runner.pid, flush=True)
"""


def test_the_warm_process_ends_when_its_process_exits() -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", EXITS], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    ended = int(done.stdout.split()[0])
    assert not _alive(ended)  # ended before the process's exit completed, not later by itself


def _server_pid(url: str) -> int:
    port = url.rsplit(":", 1)[1].encode()
    for pid, _, _ in processes():
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                words = handle.read().split(b"\0")
        except OSError:
            continue
        if b"moto_glue_workflows" in words and port in words and b"-p" in words:
            return pid
    raise AssertionError(f"no server listening on {url}")


def _is_warm(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return str(warm.WARM_SCRIPT).encode() in handle.read()
    except OSError:
        return False


# --- the cold path -------------------------------------------------------------------------------------


def test_runs_start_cold_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(warm.START_ENV, "cold")
    result = direct_run()
    assert not result.forked and result.walls in ("namespaces", "process")


def test_a_run_setting_interpreter_variables_starts_cold() -> None:
    result = direct_run(env={"PYTHONHASHSEED": "7"})
    assert not result.forked


@pytest.fixture
def failing_warm_runner(monkeypatch: pytest.MonkeyPatch) -> Iterator[warm.WarmRunner]:
    """A warm runner of its own whose warm process cannot start (it preloads a module that is not there)."""
    broken = warm.WarmRunner()
    monkeypatch.setattr(warm, "runner", broken)
    monkeypatch.setattr(warm, "_preloads", [*warm._preloads, "mgw_no_such_module"])
    yield broken
    broken.stop()


def test_runs_start_cold_when_the_warm_process_cannot_start(
    failing_warm_runner: warm.WarmRunner, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="moto_glue_workflows.runner"):
        first, second = direct_run(), direct_run()
    assert not first.forked and not second.forked
    warnings = [record.getMessage() for record in caplog.records if "new interpreter per run" in record.getMessage()]
    assert len(warnings) == 1 and "mgw_no_such_module" in warnings[0]  # said once, with the reason
    assert failing_warm_runner.pid is None and zombie_children() == []


def test_a_forked_run_still_ends_at_its_time_limit_with_everything_it_started() -> None:
    token = new_token()
    body = (
        "import subprocess, sys, time\n"
        f"subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)', '{token}'], start_new_session=True)\n"
        "time.sleep(600)\n"
    ).encode()
    run = runner.start(script_spec(body, time_limit=2.0))
    wait_for(lambda: len(processes_with(token)) == 1, within=10)
    result = run.wait()
    assert result is not None and result.timed_out and result.forked
    assert processes_with(token) == [] and run not in runner.running()


# --- a reset's successor -------------------------------------------------------------------------------


def test_after_a_reset_the_next_run_is_forked_from_a_successor_started_meanwhile(scripts: AWS) -> None:
    """Per-test ``mock_aws``: a reset ends the warm process that forked runs, and starts the next one at once
    in the background, so the next test's first run does not pay for it."""
    run_script(scripts, "before", OBSERVE)
    ended = warm.runner.pid
    assert ended is not None
    starts = warm.runner.starts
    reset(scripts)
    assert not _alive(ended)
    wait_for(lambda: warm.runner.starts == starts + 1, within=60)  # no run asked for it
    scripts.client("s3").create_bucket(Bucket="scripts")
    scripts.client("s3").create_bucket(Bucket="probes")
    scripts.control.set_job_execution(mode="script")
    seen = run_script(scripts, "after", OBSERVE)
    assert {key: seen[key] for key in UNTOUCHED} == UNTOUCHED
    assert warm.runner.starts == starts + 1 and warm.runner.pid not in (None, ended)


def test_a_reset_without_runs_starts_nothing(aws: AWS) -> None:
    """A warm process nothing was forked from holds nothing of any run: resets keep it, and start none."""
    direct_run()
    reset(aws)
    wait_for(
        lambda: warm.runner.starts > 0 and warm.runner._current is not None and warm.runner._current.ready.is_set()
    )
    starts = warm.runner.starts
    reset(aws)
    reset(aws)
    assert warm.runner.starts == starts
    assert direct_run().forked and warm.runner.starts == starts


RESET_THEN_EXIT = """
import os
os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")
from moto import mock_aws
from moto_glue_workflows import runner

with mock_aws():  # its end resets: the warm process ends and a successor starts in the background
    spec = runner.RunSpec(code=runner.ScriptRun("x.py"), account_id="123456789012", region="us-east-1",
                          time_limit=30, files={"x.py": b"print(1)"})
    assert runner.start(spec).wait().forked
"""


def test_a_successor_starting_at_exit_ends_with_the_process_and_leaves_no_folder(tmp_path: Any) -> None:
    import subprocess
    import sys

    env = {**os.environ, "TMPDIR": str(tmp_path)}  # the warm processes' folders, and their command lines
    done = subprocess.run(
        [sys.executable, "-c", RESET_THEN_EXIT], env=env, capture_output=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    wait_for(lambda: processes_with(str(tmp_path)) == [], within=10)
    assert not [name for name in os.listdir(tmp_path) if name.startswith("moto-glue-warm-")]


KILLED = """
import os, signal
from moto_glue_workflows import runner
from moto_glue_workflows.runner import warm
spec = runner.RunSpec(code=runner.ScriptRun("x.py"), account_id="123456789012", region="us-east-1",
                      time_limit=30, files={"x.py": b"import time; time.sleep(60)"})
run = runner.start(spec)
assert run.forked and os.path.isdir(warm.runner._current.folder)
os.kill(os.getpid(), signal.SIGKILL)  # no exit handler runs
"""


def test_a_warm_process_removes_its_folder_when_its_server_was_killed(tmp_path: Any) -> None:
    import subprocess
    import sys

    env = {**os.environ, "TMPDIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", KILLED], env=env, capture_output=True, timeout=120, check=False)
    assert done.returncode == -signal.SIGKILL, done.stderr
    wait_for(lambda: processes_with(str(tmp_path)) == [], within=10)
    assert not [name for name in os.listdir(tmp_path) if name.startswith("moto-glue-warm-")]


# --- forks of the server, descriptors, and changes while runs go ---------------------------------------


def test_a_fork_of_the_server_taken_while_the_runner_is_busy_starts_its_own(tmp_path: Any) -> None:
    """Another thread holds the runner's lock at the fork (starting the warm process, say): the fork does
    not wait for a thread it does not have, and forgets the parent's warm process."""
    assert direct_run().forked
    parent_warm = warm.runner.pid
    answer = tmp_path / "answer"
    with warm.runner._lock:  # as another thread would, at the moment of the fork
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the fork reports through its exit status and a file
            code = 1
            try:
                signal.alarm(60)
                result = direct_run()
                answer.write_text(json.dumps([result.forked, warm.runner.pid]))
                code = 0
            finally:
                warm.runner.close()
                os._exit(code)
    wait_for(lambda: os.waitpid(pid, os.WNOHANG) != (0, 0), within=90)
    forked, child_warm = json.loads(answer.read_text())
    assert forked and child_warm not in (None, parent_warm)
    assert direct_run().forked and warm.runner.pid == parent_warm  # the parent's is untouched


@pytest.fixture
def own_warm_runner(monkeypatch: pytest.MonkeyPatch) -> Iterator[warm.WarmRunner]:
    """A warm runner of this test's own (its warm process starts in the test)."""
    mine = warm.WarmRunner()
    monkeypatch.setattr(warm, "runner", mine)
    yield mine
    mine.close()


def test_a_server_holding_descriptors_past_1023_still_forks_runs(own_warm_runner: warm.WarmRunner) -> None:
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 1200:
        pytest.skip("cannot open 1100 descriptors here")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 1200) if soft != resource.RLIM_INFINITY else soft, hard))
    held = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]  # a server with many connections
    try:
        results = [direct_run() for _ in range(3)]
    finally:
        for fd in held:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    assert all(result.forked and result.stdout == "ran\n" for result in results)
    assert own_warm_runner.starts == 1


DIES_AT_FIRST_FORK = "import os\nos.register_at_fork(before=lambda: os._exit(3))\n"


def test_a_warm_process_that_dies_at_its_first_run_is_not_started_again(
    own_warm_runner: warm.WarmRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Any, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "mgw_dies_at_first_fork.py").write_text(DIES_AT_FIRST_FORK)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(warm, "_preloads", [*warm._preloads, "mgw_dies_at_first_fork"])
    with caplog.at_level(logging.WARNING, logger="moto_glue_workflows.runner"):
        first, second = direct_run(), direct_run()
    assert not first.forked and not second.forked
    assert own_warm_runner.starts == 1  # started once, not again for each run
    warnings = [record.getMessage() for record in caplog.records if "new interpreter per run" in record.getMessage()]
    assert len(warnings) == 1 and "first run" in warnings[0]
    assert zombie_children() == []


def test_a_change_to_sys_path_while_a_run_goes_does_not_wait_for_that_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    """The warm process that forked the long run cannot end before it: the next start does not wait for it."""
    assert direct_run().forked
    monkeypatch.setattr(warm, "_END_WITHIN", 120.0)  # were it waited for, the next run would come after the long one
    long = runner.start(script_spec(b"import time; time.sleep(60)", time_limit=60))
    old = warm.runner.pid
    try:
        monkeypatch.syspath_prepend(str(tmp_path))  # the shared environment changes: another warm process
        result = direct_run()
        assert result.forked and warm.runner.pid not in (None, old)
        assert long.poll() is None and old is not None and _alive(old)
    finally:
        long.kill()
    wait_for(lambda: old is not None and not _alive(old))


# --- what a new interpreter would have worked out for the run ------------------------------------------

MULTIPROCESSING = b"""
import multiprocessing

def square(number):
    return number * number

if __name__ == "__main__":
    for method in ("spawn", "forkserver", "fork"):
        with multiprocessing.get_context(method).Pool(2) as pool:
            print(method, pool.map(square, [1, 2, 3]))
"""


def test_a_script_run_can_use_multiprocessing_spawn_and_forkserver(monkeypatch: pytest.MonkeyPatch) -> None:
    forked = direct_run(files={"x.py": MULTIPROCESSING})
    monkeypatch.setenv(warm.START_ENV, "cold")
    cold = direct_run(files={"x.py": MULTIPROCESSING})
    expected = "spawn [1, 4, 9]\nforkserver [1, 4, 9]\nfork [1, 4, 9]\n"
    assert forked.forked and forked.stdout == expected
    assert not cold.forked and cold.stdout == expected


STARTUP = b"""
import json, os, resource, site, time
mask = os.umask(0)
print(json.dumps({
    "tz": [time.tzname, time.strftime("%z", time.localtime(0))],
    "umask": mask,
    "nofile": resource.getrlimit(resource.RLIMIT_NOFILE)[0],
    "user_site": site.getusersitepackages(),
    "environment": sorted(os.environ),
}))
"""


def _startup_seen(monkeypatch: pytest.MonkeyPatch, **spec: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """What STARTUP prints forked, then cold; the user site differs by the run's own folder only."""
    forked = direct_run(files={"x.py": STARTUP}, **spec)
    with monkeypatch.context() as cold_only:
        cold_only.setenv(warm.START_ENV, "cold")
        cold = direct_run(files={"x.py": STARTUP}, **spec)
    assert forked.forked and not cold.forked
    seen = [json.loads(result.stdout) for result in (forked, cold)]
    for each in seen:
        each["user_site"] = each["user_site"].split("/home/", 1)[-1]
    return seen[0], seen[1]


def test_a_forked_run_has_its_time_zone_umask_and_limits_as_a_new_interpreter_would(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import resource

    assert direct_run().forked  # the warm process starts with the server's umask and limits of now
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    mask = os.umask(0o002)  # the server changes them later
    resource.setrlimit(resource.RLIMIT_NOFILE, (512, hard))
    try:
        forked, cold = _startup_seen(monkeypatch, env={"TZ": "Asia/Tokyo"})
    finally:
        os.umask(mask)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    assert forked == cold
    assert forked["tz"] == [["JST", "JST"], "+0900"] and forked["umask"] == 0o002 and forked["nofile"] == 512


def test_a_run_setting_another_locale_starts_cold() -> None:
    """The interpreter's start sets its character locale from LANG/LC_*: only a new interpreter reads it."""
    shared = os.environ.get("LANG")
    result = direct_run(env={"LANG": "C" if shared != "C" else "C.UTF-8"})
    assert not result.forked


HIGH_LIFELINE = """
import os, resource
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096) if hard != resource.RLIM_INFINITY else 4096, hard))
held = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]  # before the first run: the lifeline is past 1023
from moto_glue_workflows import runner
from moto_glue_workflows.runner import process
spec = runner.RunSpec(code=runner.ScriptRun("x.py"), account_id="123456789012", region="us-east-1",
                      time_limit=30, files={"x.py": b"print('ran')"})
for start in ("cold", "warm"):
    os.environ[process.warm.START_ENV] = start
    result = runner.start(spec).wait()
    assert result.succeeded and result.stdout == "ran\\n" and result.forked == (start == "warm"), result
    print(start, process._lifeline_reader())
"""


def test_runs_of_a_server_whose_lifeline_is_past_1023_start_cold_and_forked() -> None:
    import resource
    import subprocess
    import sys

    if resource.getrlimit(resource.RLIMIT_NOFILE)[1] not in (resource.RLIM_INFINITY,) and (
        resource.getrlimit(resource.RLIMIT_NOFILE)[1] < 1200
    ):
        pytest.skip("cannot open 1100 descriptors here")
    done = subprocess.run(
        [sys.executable, "-c", HIGH_LIFELINE], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert [int(line.split()[1]) > 1023 for line in done.stdout.splitlines()] == [True, True]
