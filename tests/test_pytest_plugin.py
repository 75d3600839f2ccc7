"""The pytest plugin, as a user meets it: installed, loaded by its ``pytest11`` entry point, no conftest.

Each test writes a small test file with ``pytester`` and runs pytest on it in a subprocess (the
plugin is loaded at start-up, as in a user's run), once plainly and once under ``-n 2``.
"""

from __future__ import annotations

import json
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
    assert plugin is not None and plugin.__name__ == "moto_glue_workflows.pytest_plugin"


def test_aws_credentials(aws_credentials):
    assert os.environ["AWS_ACCESS_KEY_ID"] == "testing"
    assert os.environ["AWS_SECRET_ACCESS_KEY"] == "testing"
    assert os.environ["AWS_DEFAULT_REGION"] == "us-east-1"


@pytest.mark.parametrize("attempt", [1, 2])
def test_mocked_aws_is_active_and_starts_empty(mocked_aws, attempt):
    assert boto3.client("sts").get_caller_identity()["Account"] == "123456789012"
    dz = boto3.client("datazone")
    assert dz.list_domains()["items"] == []
    dz.create_domain(name="left-behind", domainExecutionRole=ROLE)


def test_clients(glue_client, datazone_client, s3_client):
    assert glue_client.meta.region_name == datazone_client.meta.region_name == "us-east-1"
    glue_client.create_database(DatabaseInput={"Name": "lineage"})
    assert [d["Name"] for d in glue_client.get_databases()["DatabaseList"]] == ["lineage"]
    s3_client.create_bucket(Bucket="lineage")
    assert [b["Name"] for b in boto3.client("s3").list_buckets()["Buckets"]] == ["lineage"]
    domain = datazone_client.create_domain(name="d", domainExecutionRole=ROLE)
    assert datazone_client.get_domain(identifier=domain["id"])["status"] == "AVAILABLE"


def test_moto_control(datazone_client, moto_control):
    domain = datazone_client.create_domain(name="d", domainExecutionRole=ROLE)["id"]
    ids = moto_control.seed_datazone_job_runs(domain_identifier=domain, job_identifier="j", runs=[{"status": "SUCCESS"}])["ids"]
    assert [r["runId"] for r in datazone_client.list_job_runs(domainIdentifier=domain, jobIdentifier="j")["items"]] == ids
    with pytest.raises(ControlError) as info:
        moto_control.seed_datazone_job_runs(domain_identifier="dzd_unknown0000000", job_identifier="j", runs=[{"status": "SUCCESS"}])
    assert (info.value.status, info.value.code) == (404, "ResourceNotFoundException")


@pytest.mark.parametrize("attempt", [1, 2, 3])
def test_moto_server(moto_server, attempt):
    assert re.fullmatch(r"http://127\\.0\\.0\\.1:\\d+", moto_server.endpoint_url)
    record(server=moto_server.endpoint_url)
    dz = moto_server.client("datazone")
    dz.create_domain(name=f"kept-{attempt}", domainExecutionRole=ROLE)  # moto_server alone does not reset
    assert f"kept-{attempt}" in [d["name"] for d in dz.list_domains()["items"]]
    moto_server.reset()
    assert dz.list_domains()["items"] == []
    dz.create_domain(name="left-behind", domainExecutionRole=ROLE)


@pytest.mark.parametrize("attempt", [1, 2])
def test_server_endpoint_starts_empty(moto_server, server_endpoint, attempt):
    assert server_endpoint == moto_server.endpoint_url
    record(server=server_endpoint)
    dz = boto3.client("datazone", region_name="eu-west-1", endpoint_url=server_endpoint,
                      aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="x")
    assert dz.list_domains()["items"] == []
    assert moto_server.client("datazone").list_domains()["items"] == []
    dz.create_domain(name="left-behind", domainExecutionRole=ROLE)


def test_server_control(moto_server, server_control):
    record(server=moto_server.endpoint_url)
    assert server_control.endpoint_url == moto_server.endpoint_url
    dz = moto_server.client("datazone")
    domain = dz.create_domain(name="d", domainExecutionRole=ROLE)["id"]
    server_control.seed_datazone_job_runs(domain_identifier=domain, job_identifier="j", runs=[{"status": "SUCCESS"}])
    assert dz.list_job_runs(domainIdentifier=domain, jobIdentifier="j")["items"][0]["status"] == "SUCCESS"
    with pytest.raises(ControlError) as info:
        server_control.seed_datazone_job_runs(domain_identifier=domain, job_identifier="j", runs=[{"status": "NOPE"}])
    assert (info.value.status, info.value.code) == (400, "ValidationException")


# The README's examples, verbatim.
def test_in_process(datazone_client, moto_control):
    domain = datazone_client.create_domain(name="d", domainExecutionRole="arn:aws:iam::123456789012:role/r")["id"]
    moto_control.seed_datazone_job_runs(domain_identifier=domain, job_identifier="j", runs=[{"status": "SUCCESS"}])
    assert len(datazone_client.list_job_runs(domainIdentifier=domain, jobIdentifier="j")["items"]) == 1


def test_against_a_server(moto_server, server_control):
    dz = moto_server.client("datazone")
    domain = dz.create_domain(name="d", domainExecutionRole="arn:aws:iam::123456789012:role/r")["id"]
    server_control.seed_datazone_job_runs(domain_identifier=domain, job_identifier="j", runs=[{"status": "SUCCESS"}])
    assert dz.list_job_runs(domainIdentifier=domain, jobIdentifier="j")["items"][0]["status"] == "SUCCESS"
"""
USER_TEST_COUNT = 14


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
    # moto_server is session-scoped: one server for every test that used it.
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
