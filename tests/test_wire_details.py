"""Wire details the AWS CLI and the JS SDK v3 showed (tests/test_cross_client.py runs those clients).

- A server answer carries one ``Date`` header: the WSGI handler sends its own, and a second one reached
  clients joined with it into one value (botocore printed ``"<date>, <date>"``; the JS SDK, which reads
  ``Date`` to correct clock skew, gets ``NaN`` from it).
- DataZone's own timestamps (domains, lineage events and nodes) follow the mock's clock, as
  Glue's do: a test that moves the clock sees ``createdAt`` move with it.
"""

from __future__ import annotations

import datetime
import gzip
import http.client
import json
from collections.abc import Iterator

import pytest

import moto_glue_workflows
from moto_glue_workflows.server import ThreadedServer
from tests.conftest import AWS

AUTH = "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=x"
EVENT = {
    "eventType": "COMPLETE",
    "eventTime": "2026-01-02T03:04:05.678Z",
    "producer": "https://example.com/etl",
    "run": {"runId": "0190b0a2-1c2d-7e3f-8a9b-0c1d2e3f4a5b"},
    "job": {"namespace": "glue", "name": "nightly.load"},
    "inputs": [],
    "outputs": [{"namespace": "s3://lake", "name": "orders"}],
}


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    moto_glue_workflows.register()
    threaded = ThreadedServer(ip_address="127.0.0.1", port=0, verbose=False)
    threaded.start()
    host, port = threaded.get_host_and_port()
    try:
        yield f"{host}:{port}"
    finally:
        threaded.stop()


def _date_headers(netloc: str, method: str, path: str, headers: dict[str, str], body: bytes = b"") -> list[str]:
    connection = http.client.HTTPConnection(netloc, timeout=30)
    try:
        connection.request(method, path, body=body, headers={"Content-Length": str(len(body)), **headers})
        response = connection.getresponse()
        response.read()
        assert response.status < 500, response.status
        return response.msg.get_all("Date") or []
    finally:
        connection.close()


@pytest.mark.parametrize(
    ("how", "extra"),
    [
        ("direct route", {}),
        ("moto's dispatch", {"Origin": "http://localhost:3000"}),
    ],
)
def test_a_server_answer_has_one_date_header(server: str, how: str, extra: dict[str, str]) -> None:
    glue = {"Authorization": AUTH.format(service="glue"), "Content-Type": "application/x-amz-json-1.1"}
    for target in ("AWSGlue.ListWorkflows", "AWSGlue.GetWorkflow"):  # a 200 and a 400
        dates = _date_headers(server, "POST", "/", {**glue, "X-Amz-Target": target, **extra}, b'{"Name": "none"}')
        assert len(dates) == 1, (how, target, dates)
    datazone = {"Authorization": AUTH.format(service="datazone"), **extra}
    dates = _date_headers(server, "GET", "/v2/domains/dzd_missing1/lineage/events/abcdefghijklmn", datazone)
    assert len(dates) == 1, (how, dates)


def test_a_refused_gzip_body_has_one_date_header(server: str) -> None:
    headers = {
        "Authorization": AUTH.format(service="glue"),
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "AWSGlue.ListWorkflows",
        "Content-Encoding": "gzip",
    }
    assert len(_date_headers(server, "POST", "/", headers, b"not gzip")) == 1
    assert len(_date_headers(server, "POST", "/", headers, gzip.compress(b"{}"))) == 1


def test_datazone_timestamps_follow_the_mock_clock(aws: AWS) -> None:
    moved = datetime.datetime.fromisoformat(aws.control.advance_clock(seconds=10 * 86400)["Now"])
    dz = aws.client("datazone")
    domain = dz.create_domain(name="clocked", domainExecutionRole="arn:aws:iam::123456789012:role/dz")
    event_id = dz.post_lineage_event(domainIdentifier=domain["id"], event=json.dumps(EVENT).encode())["id"]
    event = dz.get_lineage_event(domainIdentifier=domain["id"], identifier=event_id)
    node = dz.get_lineage_node(domainIdentifier=domain["id"], identifier="s3://lake/orders")
    got = dz.get_domain(identifier=domain["id"])
    # Ten days ahead of the wall clock: a stamp from the wall clock would be far before `moved`.
    slack = datetime.timedelta(minutes=5)
    for name, stamp in [
        ("domain.createdAt", got["createdAt"]),
        ("event.createdAt", event["createdAt"]),
        ("node.createdAt", node["createdAt"]),
        ("node.updatedAt", node["updatedAt"]),
    ]:
        assert moved - slack <= stamp <= moved + slack, (name, stamp, moved)
