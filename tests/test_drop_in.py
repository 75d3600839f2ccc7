"""A suite written for plain moto keeps passing with this package installed, and with it imported.

The suite below is what a moto user already has: its own ``aws_credentials``, ``s3_client`` and
``mocked_aws`` fixtures in its conftest (names our plugin must leave alone), and S3, SQS, Glue catalog
and Glue workflow calls, including the empty lists moto (and AWS) answer. It runs in a fresh pytest
process, as a user's run would: unchanged, then with ``import moto_glue_workflows`` in its conftest,
then that way against our standalone server with moto's ``TEST_SERVER_MODE=true``.
"""

from __future__ import annotations

import pytest

from tests.modes import standalone_server

pytest_plugins = ["pytester"]

USER_CONFTEST = """
import os

import boto3
import pytest
from moto import mock_aws


@pytest.fixture
def aws_credentials():
    os.environ["AWS_ACCESS_KEY_ID"] = "testing"
    os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"
    os.environ["AWS_SECURITY_TOKEN"] = "testing"
    os.environ["AWS_SESSION_TOKEN"] = "testing"
    os.environ["AWS_DEFAULT_REGION"] = "us-east-1"


@pytest.fixture
def mocked_aws(aws_credentials):
    with mock_aws():
        yield


@pytest.fixture
def s3_client(mocked_aws):
    return boto3.client("s3", region_name="us-east-1")


@pytest.fixture
def sqs_client(mocked_aws):
    return boto3.client("sqs", region_name="us-east-1")


@pytest.fixture
def glue_client(mocked_aws):
    return boto3.client("glue", region_name="us-east-1")


@pytest.fixture
def moto_server():
    return "the user's own fixture"
"""

USER_TESTS = """
import boto3
import pytest
from moto import mock_aws


def test_s3(s3_client):
    s3_client.create_bucket(Bucket="landing")
    s3_client.put_object(Bucket="landing", Key="a.csv", Body=b"x,y\\n1,2\\n")
    assert s3_client.get_object(Bucket="landing", Key="a.csv")["Body"].read() == b"x,y\\n1,2\\n"
    assert [o["Key"] for o in s3_client.list_objects_v2(Bucket="landing")["Contents"]] == ["a.csv"]


def test_sqs(sqs_client):
    url = sqs_client.create_queue(QueueName="events")["QueueUrl"]
    sqs_client.send_message(QueueUrl=url, MessageBody="hello")
    messages = sqs_client.receive_message(QueueUrl=url)["Messages"]
    assert [m["Body"] for m in messages] == ["hello"]


def test_glue_catalog(glue_client):
    glue_client.create_database(DatabaseInput={"Name": "raw"})
    glue_client.create_table(DatabaseName="raw", TableInput={"Name": "orders", "StorageDescriptor": {"Columns": [{"Name": "id", "Type": "int"}]}})
    assert [t["Name"] for t in glue_client.get_tables(DatabaseName="raw")["TableList"]] == ["orders"]
    assert glue_client.get_table(DatabaseName="raw", Name="orders")["Table"]["StorageDescriptor"]["Columns"][0]["Name"] == "id"


def test_glue_workflows(glue_client):
    glue_client.create_workflow(Name="nightly", Description="d")
    assert glue_client.list_workflows()["Workflows"] == ["nightly"]
    assert glue_client.get_workflow(Name="nightly")["Workflow"]["Description"] == "d"
    assert glue_client.get_workflow_runs(Name="nightly")["Runs"] == []
    batch = glue_client.batch_get_workflows(Names=["nightly", "missing"])
    assert [w["Name"] for w in batch["Workflows"]] == ["nightly"] and batch["MissingWorkflows"] == ["missing"]
    glue_client.delete_workflow(Name="nightly")
    assert glue_client.list_workflows()["Workflows"] == []


def test_glue_job_and_trigger(glue_client):
    glue_client.create_job(Name="etl", Role="arn:aws:iam::123456789012:role/glue", Command={"Name": "glueetl", "ScriptLocation": "s3://s/etl.py"})
    glue_client.create_trigger(Name="go", Type="ON_DEMAND", Actions=[{"JobName": "etl"}])
    assert glue_client.get_trigger(Name="go")["Trigger"]["Actions"] == [{"JobName": "etl"}]
    run_id = glue_client.start_job_run(JobName="etl")["JobRunId"]
    assert glue_client.get_job_run(JobName="etl", RunId=run_id)["JobRun"]["JobName"] == "etl"


def test_glue_operations_moto_serves(glue_client):
    # moto's own Glue operations, which moto 5.2.6 serves through new code (issue 20's list)
    glue_client.create_database(DatabaseInput={"Name": "db"})
    glue_client.update_database(Name="db", DatabaseInput={"Name": "db", "Description": "d"})
    glue_client.create_table(DatabaseName="db", TableInput={"Name": "t", "PartitionKeys": [{"Name": "dt", "Type": "string"}]})
    glue_client.create_partition(DatabaseName="db", TableName="t", PartitionInput={"Values": ["2026-01-01"]})
    assert [p["Values"] for p in glue_client.get_partitions(DatabaseName="db", TableName="t")["Partitions"]] == [["2026-01-01"]]
    glue_client.create_job(Name="j", Role="arn:aws:iam::123456789012:role/glue", Command={"Name": "glueetl", "ScriptLocation": "s3://s/j.py"})
    assert [j["Name"] for j in glue_client.get_jobs()["Jobs"]] == ["j"] and glue_client.list_jobs()["JobNames"] == ["j"]
    glue_client.create_trigger(Name="t", Type="ON_DEMAND", Actions=[{"JobName": "j"}])
    assert [t["Name"] for t in glue_client.get_triggers()["Triggers"]] == ["t"] and glue_client.list_triggers()["TriggerNames"] == ["t"]
    glue_client.create_crawler(Name="c", Role="arn:aws:iam::123456789012:role/glue", Targets={"S3Targets": [{"Path": "s3://b/p"}]})
    assert glue_client.list_crawlers()["CrawlerNames"] == ["c"] and glue_client.list_crawls(CrawlerName="c")["Crawls"] == []
    assert glue_client.list_sessions()["Ids"] == [] and glue_client.get_connections()["ConnectionList"] == []
    assert glue_client.get_security_configurations()["SecurityConfigurations"] == []
    assert glue_client.get_dev_endpoints()["DevEndpoints"] == []


@mock_aws
def test_decorator_with_own_fixture_names(aws_credentials, moto_server):
    assert moto_server == "the user's own fixture"
    assert boto3.client("s3", region_name="us-east-1").list_buckets()["Buckets"] == []
"""
USER_TEST_COUNT = 7
# A test early in the run imports the package (as a test using one of our fixtures does): the tests after
# it, moto's own Glue operations among them, give what they gave without it.
IMPORTING_TEST = """

def test_a_test_that_imports_the_package():
    import moto_glue_workflows  # noqa: F401
"""


def run_suite(
    pytester: pytest.Pytester,
    monkeypatch: pytest.MonkeyPatch,
    conftest: str,
    tests: str = USER_TESTS,
    count: int = USER_TEST_COUNT,
) -> pytest.RunResult:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION", "AWS_PROFILE", "MOTO_ACCOUNT_ID"):
        monkeypatch.delenv(name, raising=False)
    for name in ("PYTEST_XDIST_WORKER", "PYTEST_XDIST_WORKER_COUNT", "PYTEST_XDIST_TESTRUNUID"):
        monkeypatch.delenv(name, raising=False)
    pytester.makeconftest(conftest)
    pytester.makepyfile(test_user_suite=tests)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly", "-v", timeout=180)
    result.assert_outcomes(passed=count)
    return result


def test_plain_moto_suite_passes_unchanged(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEST_SERVER_MODE", raising=False)
    run_suite(pytester, monkeypatch, USER_CONFTEST)


def test_plain_moto_suite_gives_the_same_results_when_a_test_imports_the_package_midway(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TEST_SERVER_MODE", raising=False)
    head, _, tail = USER_TESTS.partition("\n\ndef test_sqs(")
    midway = head + IMPORTING_TEST + "\n\ndef test_sqs(" + tail
    result = run_suite(pytester, monkeypatch, USER_CONFTEST, midway, USER_TEST_COUNT + 1)
    order = [line.split("::")[1].split()[0] for line in result.outlines if "::test_" in line and "PASSED" in line]
    assert order.index("test_a_test_that_imports_the_package") < order.index("test_glue_operations_moto_serves")


def test_plain_moto_suite_passes_with_the_package_imported(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TEST_SERVER_MODE", raising=False)
    run_suite(pytester, monkeypatch, "import moto_glue_workflows\n" + USER_CONFTEST)


def test_plain_moto_suite_passes_against_our_server_in_test_server_mode(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    with standalone_server("console") as url:
        monkeypatch.setenv("TEST_SERVER_MODE", "true")
        monkeypatch.setenv("TEST_SERVER_MODE_ENDPOINT", url)
        run_suite(pytester, monkeypatch, "import moto_glue_workflows\n" + USER_CONFTEST)
