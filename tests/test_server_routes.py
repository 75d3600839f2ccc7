"""In the servers, our operations skip Flask's dispatch and answer exactly what moto's dispatch answers.

A request with an ``Origin`` header (a browser's CORS request) is always left to moto's dispatch, whose
Flask app adds the CORS headers; the same request without it takes the direct route. Both answers are
captured as bytes and compared.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

import moto_glue_workflows
from moto_glue_workflows.server import ThreadedServer
from tests.glue_helpers import chain

Raw = tuple[int, dict[str, str], bytes]


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, ThreadedServer]]:
    moto_glue_workflows.register()
    threaded = ThreadedServer(ip_address="127.0.0.1", port=0, verbose=False)
    threaded.start()
    host, port = threaded.get_host_and_port()
    try:
        yield f"http://{host}:{port}", threaded
    finally:
        threaded.stop()


def _client(endpoint: str, service: str, seen: list[Raw], origin: bool) -> Any:
    client = boto3.client(
        service,
        region_name="us-east-1",
        endpoint_url=endpoint,
        aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
        aws_secret_access_key="secret",
        config=Config(parameter_validation=False),  # so that the server, not botocore, refuses bad input
    )
    if origin:
        client.meta.events.register(
            "before-sign.*.*", lambda request, **_: request.headers.__setitem__("Origin", "http://localhost:3000")
        )

    def capture(http_response: Any, **_: Any) -> None:
        seen.append((http_response.status_code, dict(http_response.headers), http_response.content))

    client.meta.events.register("after-call.*.*", capture)
    return client


def _both(endpoint: str, service: str, call: Callable[[Any], Any]) -> tuple[Raw, Raw]:
    answers: list[Raw] = []
    for origin in (False, True):
        seen: list[Raw] = []
        client = _client(endpoint, service, seen, origin)
        with contextlib.suppress(ClientError):
            call(client)
        answers.append(seen[-1])
    return answers[0], answers[1]


COMPARED_HEADERS = ("content-type", "x-amzn-errortype")


def _assert_same(direct: Raw, dispatched: Raw) -> None:
    assert direct[0] == dispatched[0]
    assert direct[2] == dispatched[2]
    for name in COMPARED_HEADERS:
        assert direct[1].get(name) == dispatched[1].get(name), name
    assert "access-control-allow-origin" in {name.lower() for name in dispatched[1]}  # moto's dispatch answered
    assert "access-control-allow-origin" not in {name.lower() for name in direct[1]}  # the direct route answered


def test_glue_answers_are_the_same_bytes_as_moto_dispatch(server: tuple[str, ThreadedServer]) -> None:
    endpoint, _ = server
    glue = boto3.client(
        "glue",
        region_name="us-east-1",
        endpoint_url=endpoint,
        aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
        aws_secret_access_key="secret",
    )
    chain(glue, "routes", ["a", "b"])
    run_id = glue.start_workflow_run(Name="routes")["RunId"]
    glue.get_workflow_run(Name="routes", RunId=run_id)
    job_run = glue.get_job_runs(JobName="a")["JobRuns"][0]["Id"]
    calls: list[Callable[[Any], Any]] = [
        lambda c: c.get_workflow(Name="routes", IncludeGraph=True),
        lambda c: c.get_workflow_run(Name="routes", RunId=run_id, IncludeGraph=True),
        lambda c: c.get_job_run(JobName="a", RunId=job_run),
        lambda c: c.list_workflows(),
        lambda c: c.get_workflow(Name="missing"),  # EntityNotFoundException
        lambda c: c.get_workflow(Name=""),  # refused by the model
    ]
    for call in calls:
        _assert_same(*_both(endpoint, "glue", call))


def test_datazone_answers_are_the_same_bytes_as_moto_dispatch(server: tuple[str, ThreadedServer]) -> None:
    endpoint, _ = server
    control = moto_glue_workflows.Control(endpoint_url=endpoint)
    dz = boto3.client(
        "datazone",
        region_name="us-east-1",
        endpoint_url=endpoint,
        aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
        aws_secret_access_key="secret",
    )
    domain = dz.create_domain(name="routes", domainExecutionRole="arn:aws:iam::123456789012:role/r")["id"]
    run = control.seed_datazone_job_runs(
        domain_identifier=domain,
        job_identifier="j",
        runs=[{"status": "SUCCESS", "createdAt": "2026-01-02T03:00:00Z", "startTime": "2026-01-02T03:00:00Z"}],
    )["ids"][0]
    calls: list[Callable[[Any], Any]] = [
        lambda c: c.get_job_run(domainIdentifier=domain, identifier=run),
        lambda c: c.list_job_runs(domainIdentifier=domain, jobIdentifier="j"),
        lambda c: c.get_job_run(domainIdentifier=domain, identifier="nope"),  # ResourceNotFoundException
        lambda c: c.list_job_runs(domainIdentifier=domain, jobIdentifier="j", maxResults=51),  # ValidationException
    ]
    for call in calls:
        _assert_same(*_both(endpoint, "datazone", call))


def test_moto_services_still_go_through_moto_dispatch(server: tuple[str, ThreadedServer]) -> None:
    endpoint, _ = server
    kwargs: dict[str, Any] = dict(
        region_name="us-east-1",
        endpoint_url=endpoint,
        aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
        aws_secret_access_key="secret",
    )
    glue = boto3.client("glue", **kwargs)
    glue.create_database(DatabaseInput={"Name": "still_moto"})
    assert glue.get_database(Name="still_moto")["Database"]["Name"] == "still_moto"
    s3 = boto3.client("s3", **kwargs)
    s3.create_bucket(Bucket="still-moto")
    s3.put_object(Bucket="still-moto", Key="k", Body=b"v")
    assert s3.get_object(Bucket="still-moto", Key="k")["Body"].read() == b"v"
