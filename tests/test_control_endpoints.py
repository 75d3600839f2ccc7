"""``POST /moto-api/static/datazone/job-runs`` answers the same under ``mock_aws`` and in both servers.

Decorator mode is reached the way a test would reach it, ``requests.post`` to
``http://motoapi.amazonaws.com`` under ``mock_aws``; server modes by HTTP to the server.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
from botocore.exceptions import ClientError
from moto import mock_aws

from moto_glue_workflows import ControlError
from moto_glue_workflows.pytest_plugin import MotoServer
from tests.modes import Mode, reset

pytest_plugins = ["tests.mode_fixtures"]

ROLE = "arn:aws:iam::123456789012:role/datazone-exec"
OTHER_ACCOUNT = "111111111111"
UNKNOWN_DOMAIN = "dzd_unknown0000000"
RUN_ID = re.compile(r"[a-z0-9]{14}")


def valid(domain: str, **extra: Any) -> dict[str, Any]:
    return {"domainIdentifier": domain, "jobIdentifier": "job", "runs": [{"status": "SUCCESS"}], **extra}


# name -> (how to send it, given the domain id; status; error type; text the message must contain,
# where "{domain}" stands for the domain id)
Send = Callable[[Mode, str], requests.Response]
REFUSALS: dict[str, tuple[Send, int, str | None, str]] = {
    "malformed-json": (lambda m, d: m.post_control(data=b'{"domainIdentifier": '), 400, "ValidationException", "JSON"),
    "not-an-object": (lambda m, d: m.post_control([valid(d)]), 400, "ValidationException", "JSON object"),
    "empty-body": (lambda m, d: m.post_control(data=b""), 400, "ValidationException", "domainIdentifier"),
    "unknown-field": (lambda m, d: m.post_control(valid(d, Colour="blue")), 400, "ValidationException", "Colour"),
    "lowercase-account-id": (
        lambda m, d: m.post_control(valid(d, accountId="123456789012")),
        400,
        "ValidationException",
        "accountId",
    ),
    "account-id-number": (
        lambda m, d: m.post_control(valid(d, AccountId=123456789012)),
        400,
        "ValidationException",
        "AccountId",
    ),
    "account-id-empty": (lambda m, d: m.post_control(valid(d, AccountId="")), 400, "ValidationException", "AccountId"),
    "region-list": (
        lambda m, d: m.post_control(valid(d, Region=["us-east-1"])),
        400,
        "ValidationException",
        "Region",
    ),
    "region-null": (lambda m, d: m.post_control(valid(d, Region=None)), 400, "ValidationException", "Region"),
    "missing-runs": (
        lambda m, d: m.post_control({"domainIdentifier": d, "jobIdentifier": "job"}),
        400,
        "ValidationException",
        "runs",
    ),
    "bad-run": (
        lambda m, d: m.post_control(valid(d, runs=[{"status": "DONE"}])),
        400,
        "ValidationException",
        "runs.1.status",
    ),
    "unknown-region": (lambda m, d: m.post_control(valid(d, Region="moon-1")), 400, "ValidationException", "moon-1"),
    "unknown-domain": (
        lambda m, d: m.post_control(valid(UNKNOWN_DOMAIN)),
        404,
        "ResourceNotFoundException",
        UNKNOWN_DOMAIN,
    ),
    "domain-of-another-region": (
        lambda m, d: m.post_control(valid(d, Region="eu-west-1")),
        404,
        "ResourceNotFoundException",
        "{domain}",
    ),
    "domain-of-another-account": (
        lambda m, d: m.post_control(valid(d, AccountId=OTHER_ACCOUNT)),
        404,
        "ResourceNotFoundException",
        "{domain}",
    ),
    "get": (
        lambda m, d: requests.get(m.base_url + "/moto-api/static/datazone/job-runs", timeout=10),
        405,
        None,
        "POST",
    ),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_refusal(mode: Mode, case: str) -> None:
    send, status, error_type, text = REFUSALS[case]
    dz = mode.client("datazone")
    domain = dz.create_domain(name="sales", domainExecutionRole=ROLE)["id"]
    response = send(mode, domain)
    got_status, got_type, body = mode.answer(response)
    assert (got_status, got_type) == (status, error_type), body
    assert response.headers["Content-Type"] == "application/json"
    assert text.format(domain=domain) in body["message"]
    if error_type:
        assert body["code"] == error_type
    # A refused request stores nothing, anywhere.
    assert dz.list_job_runs(domainIdentifier=domain, jobIdentifier="job")["items"] == []
    assert mode.watcher.checked == 2


def test_seeding_answers_ids_in_order_and_the_runs_are_served(mode: Mode) -> None:
    dz = mode.client("datazone")
    domain = dz.create_domain(name="sales", domainExecutionRole=ROLE)["id"]
    response = mode.post_control(
        {
            "AccountId": "123456789012",
            "Region": "us-east-1",
            "domainIdentifier": domain,
            "jobIdentifier": "job",
            "runs": [
                {"status": "SUCCESS", "createdAt": "2026-01-02T03:00:00Z"},
                {"status": "FAILED", "error": {"message": "boom"}, "createdAt": 1767322860},
            ],
        }
    )
    assert mode.answer(response)[:2] == (200, None)
    ids = response.json()["ids"]
    assert list(response.json()) == ["ids"] and len(ids) == 2 and all(RUN_ID.fullmatch(i) for i in ids)
    runs = dz.list_job_runs(domainIdentifier=domain, jobIdentifier="job", sortOrder="ASCENDING")["items"]
    assert [(r["runId"], r["status"]) for r in runs] == [(ids[0], "SUCCESS"), (ids[1], "FAILED")]
    failed = dz.get_job_run(domainIdentifier=domain, identifier=ids[1])
    assert failed["error"] == {"message": "boom"} and failed["domainId"] == domain
    assert mode.watcher.checked == 3


def assumed_role_client(mode: Mode, service: str, account: str, region: str) -> Any:
    sts = mode.client("sts")
    credentials = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/lineage", RoleSessionName="tests")[
        "Credentials"
    ]
    return mode.client(
        service,
        region_name=region,
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )


def test_account_id_and_region_select_whose_clients_see_the_run(mode: Mode) -> None:
    other_eu = assumed_role_client(mode, "datazone", OTHER_ACCOUNT, "eu-west-1")
    domain = other_eu.create_domain(name="sales", domainExecutionRole=ROLE)
    assert f":{OTHER_ACCOUNT}:" in domain["arn"] and ":eu-west-1:" in domain["arn"]

    # An omitted AccountId or Region means 123456789012 or us-east-1: unless both name the domain's, it is not found.
    for scope in ({}, {"AccountId": OTHER_ACCOUNT}, {"Region": "eu-west-1"}):
        assert mode.answer(mode.post_control(valid(domain["id"], **scope)))[:2] == (404, "ResourceNotFoundException")

    response = mode.post_control(valid(domain["id"], AccountId=OTHER_ACCOUNT, Region="eu-west-1"))
    assert response.status_code == 200
    run_id = response.json()["ids"][0]

    run = other_eu.get_job_run(domainIdentifier=domain["id"], identifier=run_id)
    assert run["createdBy"] == f"arn:aws:sts::{OTHER_ACCOUNT}:user/moto"
    assert [
        r["runId"] for r in other_eu.list_job_runs(domainIdentifier=domain["id"], jobIdentifier="job")["items"]
    ] == [run_id]
    for client in (mode.client("datazone", region_name="eu-west-1"), mode.client("datazone")):
        with pytest.raises(ClientError) as info:
            client.get_job_run(domainIdentifier=domain["id"], identifier=run_id)
        assert info.value.response["Error"]["Code"] == "AccessDeniedException"  # no such domain there

    # The Python helper selects the same way, in-process or through the server.
    ids = mode.control.seed_datazone_job_runs(
        account_id=OTHER_ACCOUNT,
        region="eu-west-1",
        domain_identifier=domain["id"],
        job_identifier="job",
        runs=[{"status": "IN_PROGRESS"}],
    )["ids"]
    statuses = {
        r["runId"]: r["status"]
        for r in other_eu.list_job_runs(domainIdentifier=domain["id"], jobIdentifier="job")["items"]
    }
    assert statuses == {run_id: "SUCCESS", ids[0]: "IN_PROGRESS"}


@pytest.mark.parametrize(
    ("scope", "field"),
    [
        ({"account_id": 123456789012}, "AccountId"),
        ({"account_id": ""}, "AccountId"),
        ({"region": ["us-east-1"]}, "Region"),
    ],
)
def test_python_helper_refuses_a_bad_scope_as_the_endpoint_does(mode: Mode, scope: dict[str, Any], field: str) -> None:
    domain = mode.client("datazone").create_domain(name="sales", domainExecutionRole=ROLE)["id"]
    with pytest.raises(ControlError) as info:
        mode.control.seed_datazone_job_runs(
            domain_identifier=domain, job_identifier="job", runs=[{"status": "SUCCESS"}], **scope
        )
    assert (info.value.status, info.value.code) == (400, "ValidationException")
    assert info.value.message == f"{field} must be a non-empty string"
    assert mode.client("datazone").list_job_runs(domainIdentifier=domain, jobIdentifier="job")["items"] == []


@pytest.fixture
def servers(mgw_server: MotoServer, standalone_url: str) -> Iterator[dict[str, str]]:
    urls = {"threaded": mgw_server.endpoint_url, "standalone": standalone_url}
    for url in urls.values():
        reset(url)
    yield urls
    for url in urls.values():
        reset(url)


def test_every_answer_is_identical_in_the_three_modes(servers: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")

    def answers(mode: Mode) -> dict[str, Any]:
        domain = mode.client("datazone").create_domain(name="sales", domainExecutionRole=ROLE)["id"]
        seen = {}
        for case, (send, *_) in REFUSALS.items():
            status, error_type, body = mode.answer(send(mode, domain))
            seen[case] = (status, error_type, body["message"].replace(domain, "<domain>"), body.get("code"))
        ok = mode.answer(mode.post_control(valid(domain, runs=[{"status": "SUCCESS"}] * 3)))
        seen["ok"] = (ok[0], ok[1], sorted(ok[2]), len(ok[2]["ids"]))
        return seen

    with mock_aws():
        by_mode = {"decorator": answers(Mode("decorator", None))}
    for name, url in servers.items():
        by_mode[name] = answers(Mode(name, url))
    assert by_mode["decorator"] == by_mode["threaded"] == by_mode["standalone"]
    assert by_mode["decorator"]["ok"] == (200, None, ["ids"], 3)
