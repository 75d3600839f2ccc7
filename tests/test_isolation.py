"""Nothing leaves the machine, moto's settings hold for DataZone, and state is per account and region.

- With the network cut off, every DataZone call under ``mock_aws`` (served or not) still answers.
- moto's ``core.passthrough`` (services and URLs) and ``core.service_whitelist`` apply to DataZone.
- ``mock_aws`` start/stop and ``POST /moto-api/reset`` clear DataZone state.
- Accounts (SigV4 access key, STS-assumed role, ``x-moto-account-id``, ``MOTO_ACCOUNT_ID``) and
  regions never see each other's domains or runs, in every mode.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError, EndpointConnectionError
from moto import mock_aws
from moto.core.exceptions import ServiceNotWhitelisted

from moto_glue_workflows.datazone.models import datazone_backends
from tests.modes import Mode

pytest_plugins = ["tests.mode_fixtures"]

ROLE = "arn:aws:iam::123456789012:role/datazone-exec"
DEFAULT_ACCOUNT = "123456789012"
OTHER_ACCOUNT = "111111111111"
THIRD_ACCOUNT = "222222222222"
ONE_ATTEMPT = Config(retries={"total_max_attempts": 1})


class NetworkBlocked(OSError):
    pass


@pytest.fixture
def network_attempts(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Cut this process off the network; every attempt to resolve or connect is recorded and refused."""
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(args)
        raise NetworkBlocked(f"network access attempted: {args!r}")

    def refuse_method(self: socket.socket, *args: Any) -> Any:
        return refuse(*args)

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse_method)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse_method)
    return attempts


def error_of(call: Callable[..., Any], **kwargs: Any) -> tuple[str, int]:
    with pytest.raises(ClientError) as info:
        call(**kwargs)
    response = info.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


def test_datazone_calls_never_leave_the_machine(network_attempts: list[Any]) -> None:
    with mock_aws():
        aws = Mode("decorator", None)
        dz = aws.client("datazone", config=ONE_ATTEMPT)
        domain = dz.create_domain(name="sales", domainExecutionRole=ROLE)["id"]
        assert dz.get_domain(identifier=domain)["status"] == "AVAILABLE"
        assert [d["id"] for d in dz.list_domains()["items"]] == [domain]
        seeded = requests.post(
            "http://motoapi.amazonaws.com/moto-api/static/datazone/job-runs",
            json={"domainIdentifier": domain, "jobIdentifier": "job", "runs": [{"status": "SUCCESS"}]},
            timeout=5,
        )
        assert seeded.status_code == 200
        run_id = seeded.json()["ids"][0]
        assert dz.get_job_run(domainIdentifier=domain, identifier=run_id)["status"] == "SUCCESS"
        assert [r["runId"] for r in dz.list_job_runs(domainIdentifier=domain, jobIdentifier="job")["items"]] == [run_id]

        # Operations this package does not serve answer 501 here, not from AWS.
        assert error_of(dz.list_projects, domainIdentifier=domain) == ("NotImplementedException", 501)
        assert error_of(dz.create_project, domainIdentifier=domain, name="p") == ("NotImplementedException", 501)
        assert error_of(dz.get_asset, domainIdentifier=domain, identifier="n") == ("NotImplementedException", 501)
        # Lineage is served here too: an unknown node is DataZone's 404.
        assert error_of(dz.get_lineage_node, domainIdentifier=domain, identifier="n") == (
            "ResourceNotFoundException",
            404,
        )
        # So do DataZone requests that do not come from botocore.
        raw = requests.get("https://datazone.us-east-1.api.aws/v2/domains", timeout=5)
        assert raw.status_code == 200 and [d["id"] for d in raw.json()["items"]] == [domain]

        assert dz.delete_domain(identifier=domain)["status"] == "DELETING"
        assert error_of(dz.get_domain, identifier=domain) == ("AccessDeniedException", 403)  # a domain not there
    assert network_attempts == []
    assert aws.watcher.checked == 6


@pytest.mark.parametrize(
    ("region", "options", "partition"),
    [
        ("us-east-1", {"use_fips_endpoint": True}, "aws"),
        ("us-east-1", {"use_dualstack_endpoint": True}, "aws"),
        ("us-gov-west-1", {}, "aws-us-gov"),
        ("cn-north-1", {}, "aws-cn"),
    ],
    ids=["fips", "dualstack", "govcloud", "china"],
)
def test_every_datazone_endpoint_variant_is_served_locally(
    network_attempts: list[Any], region: str, options: dict[str, Any], partition: str
) -> None:
    with mock_aws():
        aws = Mode("decorator", None)
        dz = aws.client("datazone", region_name=region, config=Config(retries={"total_max_attempts": 1}, **options))
        domain = dz.create_domain(name="sales", domainExecutionRole=ROLE)
        assert domain["arn"].startswith(f"arn:{partition}:datazone:{region}:{DEFAULT_ACCOUNT}:domain/")
        assert dz.get_domain(identifier=domain["id"])["status"] == "AVAILABLE"
        assert error_of(dz.list_projects, domainIdentifier=domain["id"]) == ("NotImplementedException", 501)
    assert network_attempts == []
    assert aws.watcher.checked == 2


def test_the_network_block_does_catch_a_call_that_is_let_through(network_attempts: list[Any]) -> None:
    """The check above is not vacuous: a DataZone call moto passes through does try the network."""
    with mock_aws(config={"core": {"passthrough": {"services": ["datazone"]}}}):
        dz = Mode("decorator", None).client("datazone", config=ONE_ATTEMPT)
        with pytest.raises(EndpointConnectionError):
            dz.list_domains()
    assert network_attempts and network_attempts[0][0] == "datazone.us-east-1.api.aws"


def test_passthrough_urls_apply_to_datazone(network_attempts: list[Any]) -> None:
    config: Any = {"core": {"passthrough": {"urls": [r"https://datazone\.eu-west-1\.api\.aws/.*"]}}}
    with mock_aws(config=config):
        aws = Mode("decorator", None)
        with pytest.raises(EndpointConnectionError):
            aws.client("datazone", region_name="eu-west-1", config=ONE_ATTEMPT).list_domains()
        assert [a[0] for a in network_attempts] == ["datazone.eu-west-1.api.aws"]
        # Other regions, and other services, are still served by moto.
        assert aws.client("datazone", config=ONE_ATTEMPT).list_domains()["items"] == []
        aws.client("s3", config=ONE_ATTEMPT).create_bucket(Bucket="still-mocked")
    assert len(network_attempts) == 1


def test_passthrough_services_leave_other_services_mocked(network_attempts: list[Any]) -> None:
    with mock_aws(config={"core": {"passthrough": {"services": ["s3"]}}}):
        dz = Mode("decorator", None).client("datazone", config=ONE_ATTEMPT)
        domain = dz.create_domain(name="sales", domainExecutionRole=ROLE)["id"]
        assert dz.get_domain(identifier=domain)["status"] == "AVAILABLE"
    assert network_attempts == []


def test_service_whitelist_applies_to_datazone(network_attempts: list[Any]) -> None:
    with mock_aws(config={"core": {"service_whitelist": ["s3"]}}):
        aws = Mode("decorator", None)
        with pytest.raises(ServiceNotWhitelisted, match="datazone"):
            aws.client("datazone").list_domains()
        aws.client("s3").create_bucket(Bucket="allowed")
    with mock_aws(config={"core": {"service_whitelist": ["datazone"]}}):
        aws = Mode("decorator", None)
        dz = aws.client("datazone")
        domain = dz.create_domain(name="sales", domainExecutionRole=ROLE)["id"]
        assert dz.get_domain(identifier=domain)["status"] == "AVAILABLE"
        with pytest.raises(ServiceNotWhitelisted, match="s3"):
            aws.client("s3").list_buckets()
    assert network_attempts == []


def populate(aws: Mode) -> list[str]:
    """Domains and runs in two regions of the default account; returns the domain ids."""
    ids = []
    for region in ("us-east-1", "eu-west-1"):
        dz = aws.client("datazone", region_name=region)
        domain = dz.create_domain(name="sales", domainExecutionRole=ROLE)["id"]
        aws.control.seed_datazone_job_runs(
            region=region, domain_identifier=domain, job_identifier="job", runs=[{"status": "SUCCESS"}]
        )
        assert len(dz.list_job_runs(domainIdentifier=domain, jobIdentifier="job")["items"]) == 1
        ids.append(domain)
    return ids


def assert_empty(aws: Mode, domain_ids: list[str]) -> None:
    for region, domain in zip(("us-east-1", "eu-west-1"), domain_ids, strict=True):
        dz = aws.client("datazone", region_name=region)
        assert dz.list_domains()["items"] == []
        assert error_of(dz.list_job_runs, domainIdentifier=domain, jobIdentifier="job")[1] == 403  # not there


def test_mock_aws_start_and_stop_clear_datazone_state() -> None:
    with mock_aws():
        aws = Mode("decorator", None)
        domains = populate(aws)
    assert len(datazone_backends) == 0  # stop cleared every account
    # State left outside any mock (here written to the backend directly) is cleared by start.
    stale = datazone_backends[DEFAULT_ACCOUNT]["us-east-1"].create_domain(
        {"name": "stale", "domainExecutionRole": ROLE}
    )
    with mock_aws():
        aws = Mode("decorator", None)
        assert_empty(aws, domains)
        assert error_of(aws.client("datazone").get_domain, identifier=stale.id)[1] == 403


def test_moto_api_reset_clears_datazone_state(mode: Mode) -> None:
    domains = populate(mode)
    response = requests.post(f"{mode.base_url}/moto-api/reset", timeout=10)
    assert response.status_code == 200
    assert_empty(mode, domains)


def with_account_header(client: Any, account: str) -> Any:
    def add_header(request: Any, **_: Any) -> None:
        request.headers["x-moto-account-id"] = account

    client.meta.events.register("before-sign", add_header)
    return client


def assumed_role(aws: Mode, account: str) -> dict[str, str]:
    credentials = aws.client("sts").assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/lineage", RoleSessionName="isolation"
    )["Credentials"]
    return {
        "aws_access_key_id": credentials["AccessKeyId"],
        "aws_secret_access_key": credentials["SecretAccessKey"],
        "aws_session_token": credentials["SessionToken"],
    }


def visible(client: Any) -> list[tuple[str, str]]:
    return sorted((d["managedAccountId"], d["id"]) for d in client.list_domains()["items"])


def test_an_assumed_role_sees_its_own_account_only(mode: Mode) -> None:
    credentials = assumed_role(mode, OTHER_ACCOUNT)
    assert mode.client("sts", **credentials).get_caller_identity()["Account"] == OTHER_ACCOUNT
    other = mode.client("datazone", **credentials)
    default = mode.client("datazone")

    theirs = other.create_domain(name="sales", domainExecutionRole=ROLE)
    ours = default.create_domain(name="sales", domainExecutionRole=ROLE)  # same name, other account: no conflict
    assert theirs["arn"] == f"arn:aws:datazone:us-east-1:{OTHER_ACCOUNT}:domain/{theirs['id']}"
    assert ours["arn"] == f"arn:aws:datazone:us-east-1:{DEFAULT_ACCOUNT}:domain/{ours['id']}"
    assert visible(other) == [(OTHER_ACCOUNT, theirs["id"])]
    assert visible(default) == [(DEFAULT_ACCOUNT, ours["id"])]
    # Another account's domain is one this caller may not use (DataZone's answer for a domain not there)
    assert error_of(default.get_domain, identifier=theirs["id"]) == ("AccessDeniedException", 403)
    assert error_of(other.get_domain, identifier=ours["id"]) == ("AccessDeniedException", 403)

    mode.control.seed_datazone_job_runs(
        account_id=OTHER_ACCOUNT, domain_identifier=theirs["id"], job_identifier="job", runs=[{"status": "FAILED"}]
    )
    assert [r["status"] for r in other.list_job_runs(domainIdentifier=theirs["id"], jobIdentifier="job")["items"]] == [
        "FAILED"
    ]
    assert error_of(default.list_job_runs, domainIdentifier=theirs["id"], jobIdentifier="job")[1] == 403
    assert error_of(other.delete_domain, identifier=ours["id"])[1] == 403
    assert default.get_domain(identifier=ours["id"])["status"] == "AVAILABLE"


def test_an_iam_users_access_key_selects_its_account(mode: Mode) -> None:
    iam = with_account_header(mode.client("iam"), THIRD_ACCOUNT)
    iam.create_user(UserName="lineage")
    key = iam.create_access_key(UserName="lineage")["AccessKey"]
    user = mode.client("datazone", aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
    domain = user.create_domain(name="sales", domainExecutionRole=ROLE)
    assert f":{THIRD_ACCOUNT}:" in domain["arn"]
    assert visible(user) == [(THIRD_ACCOUNT, domain["id"])]
    assert visible(mode.client("datazone")) == []
    assert visible(with_account_header(mode.client("datazone"), THIRD_ACCOUNT)) == [(THIRD_ACCOUNT, domain["id"])]


def test_the_account_header_selects_the_account(mode: Mode) -> None:
    other = with_account_header(mode.client("datazone"), OTHER_ACCOUNT)
    domain = other.create_domain(name="sales", domainExecutionRole=ROLE)
    assert f":{OTHER_ACCOUNT}:" in domain["arn"]
    assert visible(mode.client("datazone")) == []
    assert visible(mode.client("datazone", **assumed_role(mode, OTHER_ACCOUNT))) == [(OTHER_ACCOUNT, domain["id"])]


@pytest.mark.parametrize("mode", ["decorator", "threaded"], indirect=True)
def test_moto_account_id_selects_the_account(mode: Mode, monkeypatch: pytest.MonkeyPatch) -> None:
    """MOTO_ACCOUNT_ID is read where requests are served: this process, in these modes."""
    monkeypatch.setenv("MOTO_ACCOUNT_ID", OTHER_ACCOUNT)
    domain = mode.client("datazone").create_domain(name="sales", domainExecutionRole=ROLE)
    assert f":{OTHER_ACCOUNT}:" in domain["arn"]
    monkeypatch.delenv("MOTO_ACCOUNT_ID")
    assert visible(mode.client("datazone")) == []
    assert visible(with_account_header(mode.client("datazone"), OTHER_ACCOUNT)) == [(OTHER_ACCOUNT, domain["id"])]


def test_regions_are_isolated(mode: Mode) -> None:
    east = mode.client("datazone", region_name="us-east-1")
    west = mode.client("datazone", region_name="eu-west-1")
    in_east = east.create_domain(name="sales", domainExecutionRole=ROLE)
    in_west = west.create_domain(name="sales", domainExecutionRole=ROLE)  # same name, other region: no conflict
    assert ":us-east-1:" in in_east["arn"] and ":eu-west-1:" in in_west["arn"]
    assert in_west["portalUrl"].endswith(".datazone.eu-west-1.on.aws")
    assert visible(east) == [(DEFAULT_ACCOUNT, in_east["id"])]
    assert visible(west) == [(DEFAULT_ACCOUNT, in_west["id"])]
    assert error_of(west.get_domain, identifier=in_east["id"]) == ("AccessDeniedException", 403)
    mode.control.seed_datazone_job_runs(
        region="eu-west-1", domain_identifier=in_west["id"], job_identifier="job", runs=[{"status": "SUCCESS"}]
    )
    assert len(west.list_job_runs(domainIdentifier=in_west["id"], jobIdentifier="job")["items"]) == 1
    assert error_of(east.list_job_runs, domainIdentifier=in_west["id"], jobIdentifier="job")[1] == 403


# Glue workflows, their runs, job runs and outcomes: the same per account and region.

GLUE_ROLE = "arn:aws:iam::123456789012:role/glue-service"


def iam_user_credentials(aws: Mode, account: str) -> dict[str, str]:
    """An IAM user's access key in ``account``; moto maps the key to that account."""
    iam = with_account_header(aws.client("iam"), account)
    iam.create_user(UserName="etl")
    key = iam.create_access_key(UserName="etl")["AccessKey"]
    return {"aws_access_key_id": key["AccessKeyId"], "aws_secret_access_key": key["SecretAccessKey"]}


def glue_scopes(aws: Mode) -> dict[tuple[str, str], Any]:
    """Glue clients for (account, region): the default key, an STS-assumed role and an IAM user's key."""
    assumed = assumed_role(aws, OTHER_ACCOUNT)
    user = iam_user_credentials(aws, THIRD_ACCOUNT)
    return {
        (DEFAULT_ACCOUNT, "us-east-1"): aws.client("glue"),
        (DEFAULT_ACCOUNT, "eu-west-1"): aws.client("glue", region_name="eu-west-1"),
        (OTHER_ACCOUNT, "us-east-1"): aws.client("glue", **assumed),
        (THIRD_ACCOUNT, "us-east-1"): aws.client("glue", **user),
    }


def build_workflow(glue: Any, description: str, before_run: Callable[[], Any] | None = None) -> str:
    """The same names in every scope: job ``etl``, workflow ``nightly``; returns a run's id."""
    glue.create_job(Name="etl", Role=GLUE_ROLE, Command={"Name": "glueetl", "ScriptLocation": "s3://scripts/etl.py"})
    glue.create_workflow(Name="nightly", Description=description, DefaultRunProperties={"scope": description})
    glue.create_trigger(Name="start", WorkflowName="nightly", Type="ON_DEMAND", Actions=[{"JobName": "etl"}])
    if before_run is not None:
        before_run()
    return str(glue.start_workflow_run(Name="nightly")["RunId"])


def test_glue_workflows_runs_and_outcomes_are_per_account_and_region(mode: Mode) -> None:
    scopes = glue_scopes(mode)
    # An outcome chosen in one scope: only that scope's runs of "etl" fail.
    failing = (OTHER_ACCOUNT, "us-east-1")
    runs = {}
    for (account, region), glue in scopes.items():

        def fail_here(account: str = account, region: str = region) -> None:
            mode.control.set_job_run_outcome(account_id=account, region=region, job_name="etl", state="FAILED")

        runs[(account, region)] = build_workflow(
            glue, f"{account}/{region}", fail_here if (account, region) == failing else None
        )

    for scope, glue in scopes.items():
        account, region = scope
        assert glue.list_workflows().get("Workflows", []) == ["nightly"]
        workflow = glue.get_workflow(Name="nightly", IncludeGraph=True)["Workflow"]
        assert workflow["Description"] == f"{account}/{region}"
        assert workflow["LastRun"]["WorkflowRunId"] == runs[scope]
        assert [n["Name"] for n in workflow["Graph"]["Nodes"]] == ["start", "etl"]
        assert [r["WorkflowRunId"] for r in glue.get_workflow_runs(Name="nightly")["Runs"]] == [runs[scope]]
        assert glue.get_workflow_run_properties(Name="nightly", RunId=runs[scope])["RunProperties"] == {
            "scope": f"{account}/{region}"
        }
        job_runs = glue.get_job_runs(JobName="etl")["JobRuns"]
        assert len(job_runs) == 1
        assert job_runs[0]["Arguments"]["--WORKFLOW_RUN_ID"] == runs[scope]
        assert job_runs[0]["JobRunState"] == ("FAILED" if scope == failing else "SUCCEEDED")
        for other, other_run in runs.items():
            if other == scope:
                continue
            assert error_of(glue.get_workflow_run, Name="nightly", RunId=other_run) == ("EntityNotFoundException", 400)
            assert error_of(glue.stop_workflow_run, Name="nightly", RunId=other_run)[0] == "EntityNotFoundException"
            assert error_of(
                glue.put_workflow_run_properties, Name="nightly", RunId=other_run, RunProperties={"x": "y"}
            ) == ("EntityNotFoundException", 400)

    # Deleting one scope's workflow leaves the others'.
    scopes[(DEFAULT_ACCOUNT, "eu-west-1")].delete_workflow(Name="nightly")
    assert scopes[(DEFAULT_ACCOUNT, "eu-west-1")].list_workflows().get("Workflows", []) == []
    for scope, glue in scopes.items():
        if scope != (DEFAULT_ACCOUNT, "eu-west-1"):
            assert glue.list_workflows().get("Workflows", []) == ["nightly"]


def test_glue_outcomes_and_workflows_in_an_unknown_account_stay_there(mode: Mode) -> None:
    """The control endpoints' AccountId reaches only that account."""
    glue = mode.client("glue")
    glue.create_job(Name="etl", Role=GLUE_ROLE, Command={"Name": "glueetl", "ScriptLocation": "s3://scripts/etl.py"})
    other = with_account_header(mode.client("glue"), OTHER_ACCOUNT)
    other.create_job(Name="etl", Role=GLUE_ROLE, Command={"Name": "glueetl", "ScriptLocation": "s3://scripts/etl.py"})
    mode.control.set_job_run_outcome(account_id=OTHER_ACCOUNT, job_name="etl", state="TIMEOUT")
    ours = glue.start_job_run(JobName="etl")["JobRunId"]
    theirs = other.start_job_run(JobName="etl")["JobRunId"]
    assert glue.get_job_run(JobName="etl", RunId=ours)["JobRun"]["JobRunState"] == "SUCCEEDED"
    assert other.get_job_run(JobName="etl", RunId=theirs)["JobRun"]["JobRunState"] == "TIMEOUT"
    assert error_of(glue.get_job_run, JobName="etl", RunId=theirs) == ("EntityNotFoundException", 400)


def populate_glue(aws: Mode) -> list[tuple[str, str]]:
    """Workflows with runs, jobs with runs and an outcome, in two regions of the default account."""
    runs = []
    for region in ("us-east-1", "eu-west-1"):
        glue = aws.client("glue", region_name=region)
        run_id = build_workflow(glue, region)
        glue.create_job(
            Name="flaky", Role=GLUE_ROLE, Command={"Name": "glueetl", "ScriptLocation": "s3://scripts/flaky.py"}
        )
        aws.control.set_job_run_outcome(region=region, job_name="flaky", state="FAILED")
        assert glue.get_workflow_run(Name="nightly", RunId=run_id)["Run"]["Status"] == "COMPLETED"
        runs.append((region, run_id))
    return runs


def assert_glue_empty(aws: Mode, runs: list[tuple[str, str]]) -> None:
    for region, run_id in runs:
        glue = aws.client("glue", region_name=region)
        assert glue.list_workflows().get("Workflows", []) == []
        assert error_of(glue.get_workflow_run, Name="nightly", RunId=run_id) == ("EntityNotFoundException", 400)
        assert error_of(glue.get_job_runs, JobName="etl")[0] == "EntityNotFoundException"
        # The outcome chosen before is gone too: a new job of the same name succeeds.
        glue.create_job(
            Name="flaky", Role=GLUE_ROLE, Command={"Name": "glueetl", "ScriptLocation": "s3://scripts/flaky.py"}
        )
        run = glue.start_job_run(JobName="flaky")["JobRunId"]
        assert glue.get_job_run(JobName="flaky", RunId=run)["JobRun"]["JobRunState"] == "SUCCEEDED"
        # And a workflow of the same name can be created again.
        glue.create_workflow(Name="nightly")


def test_moto_api_reset_clears_glue_workflow_state(mode: Mode) -> None:
    runs = populate_glue(mode)
    domains = populate(mode)
    response = requests.post(f"{mode.base_url}/moto-api/reset", timeout=10)
    assert response.status_code == 200
    assert_glue_empty(mode, runs)
    assert_empty(mode, domains)


def test_mock_aws_start_and_stop_clear_glue_workflow_state() -> None:
    from moto_glue_workflows.glue.models import glue_workflow_backends

    with mock_aws():
        runs = populate_glue(Mode("decorator", None))
    assert len(glue_workflow_backends) == 0  # stop cleared every account
    # State left outside any mock (written to the backend directly) is cleared by start.
    glue_workflow_backends[DEFAULT_ACCOUNT]["us-east-1"].create_workflow("stale", None, None, None, None)
    with mock_aws():
        aws = Mode("decorator", None)
        assert_glue_empty(aws, runs)
        assert aws.client("glue").list_workflows().get("Workflows", []) == ["nightly"]
