"""The pytest plugin, as a user meets it: installed, loaded by its ``pytest11`` entry point, no conftest.

Each test writes a small test file with ``pytester`` and runs pytest on it in a subprocess (the
plugin is loaded at start-up, as in a user's run), once plainly and once under ``-n 2``.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

# Every fixture of the plugin, used the way its docstring and the README say. Tests record what
# they saw (worker and server URL) in $RECORD, one JSON object per line.
USER_TESTS = """
import json
import os
import re

import boto3
import pytest

from moto_glue_workflows import ControlError

ROLE = "arn:aws:iam::123456789012:role/r"


def record(**seen):
    with open(os.environ["RECORD"], "a") as out:
        out.write(json.dumps({"worker": os.environ.get("PYTEST_XDIST_WORKER", "main"), **seen}) + "\\n")


def test_plugin_comes_from_the_entry_point(pytestconfig):
    plugin = pytestconfig.pluginmanager.get_plugin("moto_glue_workflows")
    assert plugin is not None and plugin.__name__ == "pytest_moto_glue_workflows"


def test_mgw_credentials(mgw_credentials):
    assert mgw_credentials == "us-east-1"
    assert os.environ["AWS_ACCESS_KEY_ID"] == "testing"
    assert os.environ["AWS_SECRET_ACCESS_KEY"] == "testing"
    assert os.environ["AWS_DEFAULT_REGION"] == "us-east-1"


@pytest.mark.parametrize("attempt", [1, 2])
def test_mgw_mock_is_active_and_starts_empty(mgw_mock, attempt):
    assert boto3.client("sts").get_caller_identity()["Account"] == "123456789012"
    dz = boto3.client("datazone")
    assert dz.list_domains()["items"] == []
    dz.create_domain(name="left-behind", domainExecutionRole=ROLE)


def test_clients(mgw_glue_client, mgw_datazone_client, mgw_s3_client):
    assert mgw_glue_client.meta.region_name == mgw_datazone_client.meta.region_name == "us-east-1"
    mgw_glue_client.create_database(DatabaseInput={"Name": "lineage"})
    assert [d["Name"] for d in mgw_glue_client.get_databases()["DatabaseList"]] == ["lineage"]
    mgw_s3_client.create_bucket(Bucket="lineage")
    assert [b["Name"] for b in boto3.client("s3").list_buckets()["Buckets"]] == ["lineage"]
    domain = mgw_datazone_client.create_domain(name="d", domainExecutionRole=ROLE)
    assert mgw_datazone_client.get_domain(identifier=domain["id"])["status"] == "AVAILABLE"


def test_mgw_control(mgw_datazone_client, mgw_control):
    domain = mgw_datazone_client.create_domain(name="d", domainExecutionRole=ROLE)["id"]
    ids = mgw_control.seed_datazone_job_runs(domain_identifier=domain, job_identifier="j", runs=[{"status": "SUCCESS"}])["ids"]
    assert [r["runId"] for r in mgw_datazone_client.list_job_runs(domainIdentifier=domain, jobIdentifier="j")["items"]] == ids
    with pytest.raises(ControlError) as info:
        mgw_control.seed_datazone_job_runs(domain_identifier="dzd_unknown0000000", job_identifier="j", runs=[{"status": "SUCCESS"}])
    assert (info.value.status, info.value.code) == (404, "ResourceNotFoundException")


@pytest.mark.parametrize("attempt", [1, 2, 3])
def test_mgw_server(mgw_server, attempt):
    assert re.fullmatch(r"http://127\\.0\\.0\\.1:\\d+", mgw_server.endpoint_url)
    record(server=mgw_server.endpoint_url)
    dz = mgw_server.client("datazone")
    dz.create_domain(name=f"kept-{attempt}", domainExecutionRole=ROLE)  # mgw_server alone does not reset
    assert f"kept-{attempt}" in [d["name"] for d in dz.list_domains()["items"]]
    mgw_server.reset()
    assert dz.list_domains()["items"] == []
    dz.create_domain(name="left-behind", domainExecutionRole=ROLE)


@pytest.mark.parametrize("attempt", [1, 2])
def test_mgw_server_endpoint_starts_empty(mgw_server, mgw_server_endpoint, attempt):
    assert mgw_server_endpoint == mgw_server.endpoint_url
    record(server=mgw_server_endpoint)
    dz = boto3.client("datazone", region_name="eu-west-1", endpoint_url=mgw_server_endpoint,
                      aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="x")
    assert dz.list_domains()["items"] == []
    assert mgw_server.client("datazone").list_domains()["items"] == []
    dz.create_domain(name="left-behind", domainExecutionRole=ROLE)


def test_mgw_server_endpoint_sets_fake_credentials(mgw_server_endpoint):
    assert os.environ["AWS_ACCESS_KEY_ID"] == "testing"
    glue = boto3.client("glue", region_name="us-east-1", endpoint_url=mgw_server_endpoint)
    glue.create_workflow(Name="w")
    assert glue.get_workflow(Name="w")["Workflow"]["Name"] == "w"


def test_mgw_server_control(mgw_server, mgw_server_control):
    record(server=mgw_server.endpoint_url)
    assert mgw_server_control.endpoint_url == mgw_server.endpoint_url
    dz = mgw_server.client("datazone")
    domain = dz.create_domain(name="d", domainExecutionRole=ROLE)["id"]
    mgw_server_control.seed_datazone_job_runs(domain_identifier=domain, job_identifier="j", runs=[{"status": "SUCCESS"}])
    assert dz.list_job_runs(domainIdentifier=domain, jobIdentifier="j")["items"][0]["status"] == "SUCCESS"
    with pytest.raises(ControlError) as info:
        mgw_server_control.seed_datazone_job_runs(domain_identifier=domain, job_identifier="j", runs=[{"status": "NOPE"}])
    assert (info.value.status, info.value.code) == (400, "ValidationException")


# The README's examples, verbatim.
def test_in_process(mgw_datazone_client, mgw_control):
    domain = mgw_datazone_client.create_domain(name="d", domainExecutionRole="arn:aws:iam::123456789012:role/r")["id"]
    mgw_control.seed_datazone_job_runs(domain_identifier=domain, job_identifier="j", runs=[{"status": "SUCCESS"}])
    assert len(mgw_datazone_client.list_job_runs(domainIdentifier=domain, jobIdentifier="j")["items"]) == 1


def test_against_a_server(mgw_server, mgw_server_control):
    dz = mgw_server.client("datazone")
    domain = dz.create_domain(name="d", domainExecutionRole="arn:aws:iam::123456789012:role/r")["id"]
    mgw_server_control.seed_datazone_job_runs(domain_identifier=domain, job_identifier="j", runs=[{"status": "SUCCESS"}])
    assert dz.list_job_runs(domainIdentifier=domain, jobIdentifier="j")["items"][0]["status"] == "SUCCESS"
"""
USER_TEST_COUNT = 15


def run_user_tests(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, *args: str) -> list[dict[str, str]]:
    record = pytester.path / "record.jsonl"
    monkeypatch.setenv("RECORD", str(record))
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION", "MOTO_ACCOUNT_ID"):
        monkeypatch.delenv(name, raising=False)
    # The outer run may itself be an xdist worker; the inner run must not think it is one.
    for name in ("PYTEST_XDIST_WORKER", "PYTEST_XDIST_WORKER_COUNT", "PYTEST_XDIST_TESTRUNUID"):
        monkeypatch.delenv(name, raising=False)
    pytester.makepyfile(test_user=USER_TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", *args, timeout=180)
    result.assert_outcomes(passed=USER_TEST_COUNT)
    return [json.loads(line) for line in Path(record).read_text().splitlines()]


def test_every_fixture_works_in_a_plain_run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    records = run_user_tests(pytester, monkeypatch)
    # mgw_server is session-scoped: one server for every test that used it.
    assert len(records) == 6
    assert len({r["server"] for r in records}) == 1


def test_every_fixture_works_under_xdist_with_a_server_per_worker(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = run_user_tests(pytester, monkeypatch, "-p", "xdist", "-n", "2", "--dist", "load")
    servers: dict[str, set[str]] = {}
    for seen in records:
        servers.setdefault(seen["worker"], set()).add(seen["server"])
    assert len(records) == 6
    # Each worker started one server of its own, on its own port.
    assert set(servers) <= {"gw0", "gw1"}
    assert all(len(urls) == 1 for urls in servers.values())
    assert len(set().union(*servers.values())) == len(servers)


def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_DEFAULT_REGION",
        "MOTO_ACCOUNT_ID",
        "TEST_SERVER_MODE",
    ):
        monkeypatch.delenv(name, raising=False)
    for name in ("PYTEST_XDIST_WORKER", "PYTEST_XDIST_WORKER_COUNT", "PYTEST_XDIST_TESTRUNUID"):
        monkeypatch.delenv(name, raising=False)


# A suite that neither imports the package nor uses a fixture of ours: nothing of ours, moto's or
# boto3's is imported at start-up, and moto behaves as plain moto (its own Glue handler, no DataZone).
PLAIN_MOTO_SUITE = """
import sys

LOADED_AT_COLLECTION = sorted(
    m for m in sys.modules if m.split(".")[0] in ("moto", "boto3", "botocore", "moto_glue_workflows")
)

import boto3
import pytest
from moto import mock_aws


def test_nothing_heavy_was_imported_at_start_up(pytestconfig):
    assert pytestconfig.pluginmanager.get_plugin("moto_glue_workflows") is not None  # loaded, unused
    assert LOADED_AT_COLLECTION == []


@mock_aws
def test_moto_is_plain_moto():
    import moto
    from moto.glue import urls
    from moto.glue.responses import GlueResponse

    glue = boto3.client("glue", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
    glue.create_workflow(Name="w")
    assert glue.get_workflow(Name="w")["Workflow"]["Name"] == "w"
    assert urls.url_paths["{0}/$"] == GlueResponse.dispatch
    assert "moto.datazone" not in sys.modules and not hasattr(moto, "datazone")
    assert not any(m.split(".")[0] == "moto_glue_workflows" for m in sys.modules)


def test_first_fixture_use_registers(mgw_glue_client):
    assert "moto_glue_workflows" in sys.modules
    import moto

    assert hasattr(moto, "datazone")  # registered: DataZone is served by moto now
    datazone = boto3.client("datazone", region_name="us-east-1")
    assert datazone.list_domains()["items"] == []
"""


def test_plugin_loaded_but_unused_changes_nothing(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    clean_env(monkeypatch)
    pytester.makepyfile(test_plain=PLAIN_MOTO_SUITE)
    # -p no:randomly: the last test must run last (it is the first to use a fixture of ours).
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly", timeout=180)
    result.assert_outcomes(passed=3)


def test_plugin_module_imports_nothing_but_pytest() -> None:
    probe = (
        "import sys, pytest; before = set(sys.modules); import pytest_moto_glue_workflows; "
        "print(sorted(set(sys.modules) - before))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert json.loads(out.replace("'", '"')) == ["pytest_moto_glue_workflows"]


REGION_SUITE = """
import boto3


def test_decorator_mode(mgw_glue_client, mgw_datazone_client, mgw_s3_client, mgw_control, mgw_credentials):
    assert mgw_credentials == "eu-west-1"
    assert {c.meta.region_name for c in (mgw_glue_client, mgw_datazone_client, mgw_s3_client)} == {"eu-west-1"}
    domain = mgw_datazone_client.create_domain(name="d", domainExecutionRole="arn:aws:iam::123456789012:role/r")["id"]
    mgw_control.seed_datazone_job_runs(domain_identifier=domain, job_identifier="j", runs=[{"status": "SUCCESS"}])
    assert len(mgw_datazone_client.list_job_runs(domainIdentifier=domain, jobIdentifier="j")["items"]) == 1


def test_server_mode(mgw_server, mgw_server_control):
    dz = mgw_server.client("datazone")
    assert dz.meta.region_name == "eu-west-1"
    domain = dz.create_domain(name="d", domainExecutionRole="arn:aws:iam::123456789012:role/r")["id"]
    mgw_server_control.seed_datazone_job_runs(domain_identifier=domain, job_identifier="j", runs=[{"status": "SUCCESS"}])
    assert len(dz.list_job_runs(domainIdentifier=domain, jobIdentifier="j")["items"]) == 1
"""


def test_fixtures_take_the_region_from_aws_default_region(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    clean_env(monkeypatch)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    pytester.makepyfile(test_region=REGION_SUITE)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", timeout=180)
    result.assert_outcomes(passed=2)


FIXTURES = (
    "mgw_credentials",
    "mgw_mock",
    "mgw_glue_client",
    "mgw_datazone_client",
    "mgw_s3_client",
    "mgw_control",
    "mgw_server",
    "mgw_server_endpoint",
    "mgw_server_control",
)


def test_every_fixture_has_a_docstring_that_pytest_fixtures_shows(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pytest_moto_glue_workflows as plugin

    clean_env(monkeypatch)
    pytester.makepyfile(test_nothing="def test_nothing():\n    pass\n")
    shown = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--fixtures", timeout=120).stdout.str()
    for name in FIXTURES:
        doc = getattr(plugin, name).__doc__
        assert doc, name
        assert re.search(rf"^{name}( \[session scope\])? -- .*pytest_moto_glue_workflows\.py", shown, re.M), name
        assert doc.split("\n")[0].strip() in shown, name
    # Nothing else of ours is a fixture: one prefix, no names a user's conftest might hold.
    ours = re.findall(r"^(\w+)(?: \[\w+ scope\])? -- .*pytest_moto_glue_workflows", shown, re.M)
    assert sorted(ours) == sorted(FIXTURES)
