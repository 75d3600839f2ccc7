"""moto's own tests, run with this package imported: a suite written for plain moto must keep passing.

At test time the source distribution of the installed moto is fetched from the package index
(``pip download --no-deps --no-binary :all: moto==<version>``), its ``tests`` package is unpacked once,
and pytest runs the test folder of each service we touch in a subprocess whose root conftest imports
``moto_glue_workflows``. A test that fails there is run again on its own with the package: one that
passes then failed because of what ran before it on its worker (a few of moto's tests do, with or without
us), and is reported. One that fails again is run without the package: one that fails without it too is
moto's own failure on this machine (the network), reported and not counted; one that passes without it
is a failure we caused. Nothing of moto's is kept in this repository.

Our failures fail this test, listed by name, except the expected differences below: tests whose
assertion contradicts what AWS answers, each with the evidence. Those run as strict xfails, so one
that starts passing is reported too.

Without network the download fails: outside CI the test is skipped saying so; in CI (``CI=true``)
it fails. ``MOTO_SUITE_CACHE`` names a directory that keeps the download between runs.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import subprocess
import sys
import tarfile
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import moto
import pytest

MOTO_VERSION = moto.__version__

# node id (relative to the unpacked sdist) -> why AWS answers otherwise than the test asserts
EXPECTED_DIFFERENCES: dict[str, dict[str, str]] = {
    "test_glue": {
        "tests/test_glue/test_glue.py::test_create_predicate_with_invalid_logical_operator": (
            # We answer ValidationException at 'predicate.conditions.1.member.logicalOperator', as the test
            # asserts, but with AWS's whole message. The test expects the message without the count AWS puts
            # first ("1 validation error detected: Value 'big_value' at 'expression' failed to satisfy
            # constraint: ..." is Glue's real answer quoted in https://github.com/boto/boto3/issues/3229), and
            # the enum set as "[Equals]", while the model's LogicalOperator enum is ["EQUALS"] (a real
            # CreateTrigger with logicalOperator "EQUALS" passes AWS's validation and is refused later, for
            # its State: https://github.com/aws/aws-cdk/issues/24575). We answer
            # "1 validation error detected: Value 'INVALID_OPERATOR' at
            # 'predicate.conditions.1.member.logicalOperator' failed to satisfy constraint: Member must
            # satisfy enum value set: [EQUALS]" (tests/test_validation_errors.py checks it).
            "AWS prefixes the violation count and lists the model's enum value EQUALS"
        ),
        "tests/test_glue/test_glue.py::test_create_crawler_args_not_included_if_job_args_present": (
            # The trigger's condition watches job test_job_name and its action starts test_job_name. AWS refuses
            # that: "InvalidInputException: Job cannot be a Predicate and Action for Conditional Trigger."
            # (https://github.com/hashicorp/terraform-provider-aws/issues/39571, a real CreateTrigger answer).
            "AWS refuses a conditional trigger whose job is both its predicate and its action"
        ),
        "tests/test_glue/test_glue_job_runs.py::test_start_job_run__multiple_runs_allowed": (
            # StartJobRun over MaxConcurrentRuns: AWS answers ConcurrentRunsExceededException "Concurrent runs
            # exceeded for <job>" (a real answer quoted in
            # https://github.com/aws-solutions/amazon-marketing-cloud-uploader-from-aws/issues/51); the test
            # asserts moto's "Job with name <job> already running".
            "AWS words ConcurrentRunsExceededException 'Concurrent runs exceeded for <job>'"
        ),
        "tests/test_glue/test_glue_job_runs.py::test_start_job_run__single_run_allowed": (
            "AWS words ConcurrentRunsExceededException 'Concurrent runs exceeded for <job>' (as above)"
        ),
    },
    # moto's EventBridge, with Glue's events on the default bus and workflow targets (events/) plugged in.
    "test_events": {},
    # Where job runs and crawls write their output.
    "test_logs": {},
    # Runs Glue jobs from state machines (moto's Glue service integration reaches our job runs).
    "test_stepfunctions": {},
    # Stacks of moto's resource types, beside ours.
    "test_cloudformation": {},
    # Blueprint archives, job scripts and crawled data are read from it.
    "test_s3": {},
    # Our control endpoints, dashboard entries and state-manager models live in moto-api.
    "test_moto_api": {},
    # The decorator's request hook, the servers, reset and account handling we build on.
    "test_core": {},
}

# The fewest tests each folder must collect: a download that unpacks to nothing must not pass.
MINIMUM_TESTS = {
    "test_glue": 250,
    "test_events": 170,
    "test_logs": 100,
    "test_stepfunctions": 100,
    "test_cloudformation": 200,
    "test_s3": 500,
    "test_moto_api": 30,
    "test_core": 650,
}

ROOT_CONFTEST = '''"""Written by moto_glue_workflows' tests/test_moto_suite.py: moto's suite, with the package imported
(unless MGW_SUITE_PLAIN=1, for telling moto's own failures from ours)."""
import os

import pytest

PLAIN = os.environ.get("MGW_SUITE_PLAIN") == "1"
if not PLAIN:
    import moto_glue_workflows  # noqa: F401  registers everything, as a user's conftest would

EXPECTED_DIFFERENCES = {expected!r}


def pytest_collection_modifyitems(items):
    for item in items:
        reason = None if PLAIN else EXPECTED_DIFFERENCES.get(item.nodeid)
        if reason:
            item.add_marker(pytest.mark.xfail(strict=True, reason=reason))
'''

PYTEST_INI = """[pytest]
markers =
    network: requires network connection
    requires_docker: requires running docker
    aws_verified: Verified against AWS, and should be able to run against AWS
    requires_clean_slate: requires a clean slate, so no parallel testing
filterwarnings =
    ignore::DeprecationWarning
"""


@dataclass
class SuiteResult:
    seconds: float
    outcomes: dict[str, str] = field(default_factory=dict)  # node id -> passed/failed/error/skipped/xfailed
    details: dict[str, str] = field(default_factory=dict)

    def with_outcome(self, outcome: str) -> list[str]:
        return sorted(name for name, found in self.outcomes.items() if found == outcome)


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def fetch_sdist(cache: Path) -> Path:
    """moto's source distribution for the installed version, downloaded into ``cache`` unless there."""
    cache.mkdir(parents=True, exist_ok=True)
    found = sorted(cache.glob(f"moto-{MOTO_VERSION}.tar.gz"))
    if found:
        return found[0]
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:"]
    command += ["--disable-pip-version-check", "-q", f"moto=={MOTO_VERSION}", "-d", str(cache)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
        problem = "" if done.returncode == 0 else (done.stderr or done.stdout).strip()[-2000:]
    except subprocess.TimeoutExpired:
        problem = "pip download timed out after 600 s"
    found = sorted(cache.glob(f"moto-{MOTO_VERSION}.tar.gz"))
    if problem or not found:
        reason = f"cannot download moto {MOTO_VERSION}'s source distribution: {problem or 'no archive'}"
        if _in_ci():
            pytest.fail(reason)
        pytest.skip(reason + " (no network? CI=true makes this a failure)")
    return found[0]


def unpack_tests(sdist: Path, target: Path) -> Path:
    """moto's ``tests`` package under ``target``, with our root conftest; the root to run in."""
    prefix = f"moto-{MOTO_VERSION}/"
    with tarfile.open(sdist) as archive:
        members = [
            m for m in archive.getmembers() if m.name.startswith(f"{prefix}tests/") and (m.isfile() or m.isdir())
        ]
        archive.extractall(target, members=members, filter="data")
    root = target / prefix.rstrip("/")
    expected = {name: why for folder in EXPECTED_DIFFERENCES.values() for name, why in folder.items()}
    (root / "conftest.py").write_text(ROOT_CONFTEST.format(expected=expected))
    (root / "pytest.ini").write_text(PYTEST_INI)
    return root


def run_suite(root: Path, targets: list[str], report: Path, plain: bool = False, workers: int = 2) -> SuiteResult:
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-c", str(root / "pytest.ini")]
    command += ["--rootdir", str(root), "--junitxml", str(report), "-o", "junit_family=xunit2"]
    command += ["-m", "not requires_docker"]  # no Docker here or in CI: moto's Lambda-invoking tests cannot run
    if plain:
        command += ["-p", "no:moto_glue_workflows"]
    if workers > 1:  # a class's tests on one worker, as moto's own CI runs them (its recorder tests need it)
        command += ["-n", str(workers), "--dist", "loadscope"]
    command += targets
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "TEST_SERVER_MODE", "MOTO_"))}
    env.pop("COV_CORE_SOURCE", None)
    env["MGW_SUITE_PLAIN"] = "1" if plain else "0"
    started = time.perf_counter()
    # One of moto's suites at a time, whichever xdist worker runs it: some bind fixed ports (test_core's and
    # test_s3's account tests both take 5001), and moto 5.2.4's ThreadedMotoServer.start waits forever when
    # its server cannot bind.
    with _one_suite_at_a_time():
        done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=900, check=False)
    result = SuiteResult(seconds=time.perf_counter() - started)
    if not report.exists():
        pytest.fail(
            f"moto's {targets[:3]} did not run (exit {done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        )
    for case in ElementTree.parse(report).getroot().iter("testcase"):
        name = _node_id(root, case.get("classname", ""), case.get("name", ""))
        outcome, detail = "passed", ""
        for child in case:
            if child.tag in ("failure", "error"):
                outcome, detail = ("failed" if child.tag == "failure" else "error"), child.get("message", "")
            elif child.tag == "skipped" and outcome == "passed":
                xfailed = child.get("type") == "pytest.xfail"
                outcome, detail = ("xfailed" if xfailed else "skipped"), child.get("message", "")
        result.outcomes[name] = outcome
        if detail:
            result.details[name] = detail
    report.unlink()
    return result


@contextlib.contextmanager
def _one_suite_at_a_time() -> Iterator[None]:
    lock = Path(tempfile.gettempdir()) / f"moto-glue-workflows-moto-suite-{os.getuid()}.lock"
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _node_id(root: Path, classname: str, name: str) -> str:
    """pytest's node id from JUnit's dotted classname (module path, then any class)."""
    parts = classname.split(".")
    for cut in range(len(parts), 0, -1):
        module = "/".join(parts[:cut]) + ".py"
        if (root / module).is_file():
            return "::".join([module, *parts[cut:], name])
    return f"{classname}::{name}"


@pytest.fixture(scope="session")
def moto_sdist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    configured = os.environ.get("MOTO_SUITE_CACHE")
    cache = Path(configured) if configured else tmp_path_factory.getbasetemp() / "moto-sdist"
    return fetch_sdist(cache)


@pytest.fixture(scope="session")
def moto_tests(moto_sdist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return unpack_tests(moto_sdist, tmp_path_factory.mktemp("moto-tests"))


@pytest.mark.parametrize("folder", sorted(EXPECTED_DIFFERENCES))
def test_motos_own_tests_pass_with_the_package_imported(
    folder: str, moto_tests: Path, tmp_path: Path, record_property: pytest.RecordProperty
) -> None:
    expected = EXPECTED_DIFFERENCES[folder]
    result = run_suite(moto_tests, [f"tests/{folder}"], tmp_path / "with-package.xml")
    passed = result.with_outcome("passed")
    xfailed = [name for name in result.with_outcome("xfailed") if name in expected]  # not moto's own xfails
    broken = result.with_outcome("failed") + result.with_outcome("error")
    motos_own: list[str] = []
    flaky: list[str] = []
    if broken:
        # Each one again on its own, with the package: a failure we cause comes back; one that passes now
        # depended on what ran before it on its worker (some of moto's tests do, with or without us).
        workers = 1 if len(broken) < 8 else 2
        again = run_suite(moto_tests, broken, tmp_path / "again.xml", workers=workers)
        flaky = [name for name in broken if again.outcomes.get(name) not in ("failed", "error")]
        broken = [name for name in broken if name not in flaky]
    if broken:  # and without the package: which of them are moto's own failures here?
        plain = run_suite(moto_tests, broken, tmp_path / "plain.xml", plain=True, workers=1 if len(broken) < 8 else 2)
        motos_own = [name for name in broken if plain.outcomes.get(name) in ("failed", "error")]
        broken = [name for name in broken if name not in motos_own]
    summary = (
        f"moto {MOTO_VERSION} tests/{folder}: {len(passed)} passed, {len(xfailed)} expected differences, "
        f"{len(result.with_outcome('skipped'))} skipped, {len(motos_own)} fail without the package too, "
        f"{len(flaky)} passed when run again alone, {len(broken)} failed, in {result.seconds:.1f} s"
    )
    record_property("moto_suite", summary)
    print(summary)
    for name in motos_own:
        print(f"  fails without the package too: {name}: {result.details.get(name, '')[:200]}")
    for name in flaky:
        print(
            f"  failed in the folder's run, passed alone with the package: {name}: {result.details.get(name, '')[:200]}"
        )
    assert not broken, f"{summary}:\n" + "\n".join(f"{name}: {result.details.get(name, '')}" for name in broken)
    assert sorted(expected) == xfailed, f"expected differences that did not fail as listed: {expected}"
    assert len(result.outcomes) >= MINIMUM_TESTS.get(folder, 1), summary
    # moto's own failures are few and environmental; many would mean the suite did not really run
    assert len(motos_own) <= max(10, len(result.outcomes) // 50), summary
    assert len(flaky) <= 3, f"too many order-dependent failures to judge: {summary}"


@pytest.mark.parametrize("ci", ["true", ""])
def test_a_failed_download_skips_outside_ci_and_fails_in_ci(
    ci: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No index reachable (pip told to use none): CI=true fails the standing check, anything else skips it."""
    monkeypatch.setenv("CI", ci)
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(tmp_path / "nothing-here"))
    expected = pytest.fail.Exception if ci else pytest.skip.Exception
    with pytest.raises(expected) as info:
        fetch_sdist(tmp_path / "cache")
    assert f"cannot download moto {MOTO_VERSION}'s source distribution" in str(info.value)
