"""DataZone lineage: OpenLineage run events in through the OpenLineage client's DataZone transport,
the lineage graph out, under mock_aws and against the standalone server."""

from __future__ import annotations

import datetime
import json
import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError
from openlineage.client import OpenLineageClient
from openlineage.client.event_v2 import InputDataset, Job, OutputDataset, Run, RunEvent, RunState
from openlineage.client.transport.amazon_datazone import AmazonDataZoneConfig, AmazonDataZoneTransport

from tests.conftest import AWS

ROLE = "arn:aws:iam::123456789012:role/datazone-exec"
PRODUCER = "https://github.com/OpenLineage/OpenLineage/tree/1.0.0/client/python"
JOB_NS, JOB_NAME = "glue", "orders_daily"
GLUE_NS = "arn:aws:glue:us-east-1:123456789012"
RAW = ("s3://raw-bucket", "orders/2026")
CUSTOMERS = (GLUE_NS, "table/sales/customers")
CURATED = ("s3://curated-bucket", "orders_enriched")
CURATED_V2 = ("s3://curated-bucket", "orders_enriched_v2")
T0 = datetime.datetime(2026, 3, 1, 6, 0, tzinfo=datetime.UTC)


def at(minutes: int) -> datetime.datetime:
    return T0 + datetime.timedelta(minutes=minutes)


def error_of(call: Any, **kwargs: Any) -> tuple[str, int, str]:
    with pytest.raises(ClientError) as info:
        call(**kwargs)
    response = info.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Message"]


@pytest.fixture
def lineage(aws: AWS, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, str, OpenLineageClient]]:
    """A domain, a shape-checked DataZone client, and an OpenLineage client sending to the domain."""
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    dz = aws.client("datazone")
    domain = dz.create_domain(name="lineage", domainExecutionRole=ROLE)["id"]
    # In server mode the transport's endpoint override points boto3 at the server; under mock_aws
    # boto3 itself is intercepted.
    config = AmazonDataZoneConfig(domain_id=domain, region="us-east-1", endpoint_override=aws.endpoint_url)
    client = OpenLineageClient(transport=AmazonDataZoneTransport(config))
    yield dz, domain, client
    client.transport.close()


def emit(client: OpenLineageClient, state: RunState, run_id: str, when: datetime.datetime, outputs: list[Any]) -> None:
    client.emit(
        RunEvent(
            eventType=state,
            eventTime=when.isoformat(),
            producer=PRODUCER,
            run=Run(runId=run_id),
            job=Job(namespace=JOB_NS, name=JOB_NAME),
            inputs=[InputDataset(*RAW), InputDataset(*CUSTOMERS)],
            outputs=[OutputDataset(*dataset) for dataset in outputs],
        )
    )


def node(dz: Any, domain: str, identifier: str, **kwargs: Any) -> dict[str, Any]:
    found = dz.get_lineage_node(domainIdentifier=domain, identifier=identifier, **kwargs)
    found.pop("ResponseMetadata")
    return found  # type: ignore[no-any-return]


def ids(references: list[dict[str, Any]]) -> set[str]:
    return {reference["id"] for reference in references}


def test_openlineage_events_build_the_lineage_graph(lineage: tuple[Any, str, OpenLineageClient]) -> None:
    dz, domain, client = lineage
    run1, run2 = str(uuid.uuid4()), str(uuid.uuid4())
    emit(client, RunState.START, run1, at(0), [CURATED])
    emit(client, RunState.COMPLETE, run1, at(5), [CURATED])

    # The events, as posted and summarised
    events = dz.list_lineage_events(domainIdentifier=domain, sortOrder="ASCENDING")["items"]
    assert [e["eventSummary"]["openLineageRunEventSummary"]["eventType"] for e in events] == ["START", "COMPLETE"]
    for event, when in zip(events, (at(0), at(5)), strict=True):
        assert re.fullmatch(r"[a-z0-9]{14}", event["id"]) and event["domainId"] == domain
        assert event["processingStatus"] == "SUCCESS" and event["eventTime"] == when
        summary = event["eventSummary"]["openLineageRunEventSummary"]
        assert summary["runId"] == run1 and summary["job"] == {"namespace": JOB_NS, "name": JOB_NAME}
        assert summary["inputs"] == [{"namespace": ns, "name": name} for ns, name in (RAW, CUSTOMERS)]
        assert summary["outputs"] == [{"namespace": CURATED[0], "name": CURATED[1]}]
    got = dz.get_lineage_event(domainIdentifier=domain, identifier=events[0]["id"])
    posted = json.loads(got["event"].read())
    assert posted["eventType"] == "START" and posted["run"]["runId"] == run1 and posted["producer"] == PRODUCER
    assert got["processingStatus"] == "SUCCESS" and got["eventTime"] == at(0) and got["id"] == events[0]["id"]
    assert got["domainId"] == domain and got["createdBy"].startswith("arn:aws:")

    # Every node, by sourceIdentifier and by the id DataZone generated
    sources = {
        "job": f"{JOB_NS}.{JOB_NAME}",
        "run": f"{JOB_NS}.{JOB_NAME}/{run1}",
        "raw": "s3://raw-bucket/orders/2026",
        "customers": "arn:aws:glue:us-east-1:123456789012:table/sales/customers",
        "curated": "s3://curated-bucket/orders_enriched",
    }
    nodes = {key: node(dz, domain, source) for key, source in sources.items()}
    for key, found in nodes.items():
        assert found["sourceIdentifier"] == sources[key] and found["domainId"] == domain
        assert node(dz, domain, found["id"]) == found
        assert found["formsOutput"] and all(form["formName"] for form in found["formsOutput"])
    assert nodes["run"]["typeName"] == "amazon.datazone.JobRunLineageNodeType"
    assert nodes["job"]["typeName"] == "amazon.datazone.JobLineageNodeType"
    for key in ("raw", "customers", "curated"):
        assert nodes[key]["typeName"] == "amazon.datazone.DatasetLineageNodeType"
    assert len({found["id"] for found in nodes.values()}) == 5

    # The links: inputs -> run -> output, job -> run
    run_id = nodes["run"]["id"]
    assert ids(nodes["run"]["upstreamNodes"]) == {nodes[k]["id"] for k in ("job", "raw", "customers")}
    assert ids(nodes["run"]["downstreamNodes"]) == {nodes["curated"]["id"]}
    assert ids(nodes["raw"]["downstreamNodes"]) == ids(nodes["customers"]["downstreamNodes"]) == {run_id}
    assert ids(nodes["curated"]["upstreamNodes"]) == {run_id} and nodes["curated"]["downstreamNodes"] == []
    assert ids(nodes["job"]["downstreamNodes"]) == {run_id}
    assert nodes["run"]["eventTimestamp"] == at(5)
    assert json.loads(nodes["run"]["formsOutput"][0]["content"])["state"] == "COMPLETE"
    as_started = node(dz, domain, sources["run"], eventTimestamp=at(1))
    assert as_started["eventTimestamp"] == at(0)
    assert json.loads(as_started["formsOutput"][0]["content"])["state"] == "START"

    # A second run writes another dataset: history shows the job's outputs changing
    emit(client, RunState.START, run2, at(60), [CURATED_V2])
    emit(client, RunState.COMPLETE, run2, at(65), [CURATED_V2])
    run2_node = node(dz, domain, f"{JOB_NS}.{JOB_NAME}/{run2}")
    v2 = node(dz, domain, "s3://curated-bucket/orders_enriched_v2")
    assert ids(run2_node["downstreamNodes"]) == {v2["id"]} and ids(v2["upstreamNodes"]) == {run2_node["id"]}
    job_now = node(dz, domain, sources["job"])
    assert ids(job_now["downstreamNodes"]) == {run_id, run2_node["id"]}
    assert ids(node(dz, domain, sources["job"], eventTimestamp=at(30))["downstreamNodes"]) == {run_id}
    assert ids(node(dz, domain, sources["raw"])["downstreamNodes"]) == {run_id, run2_node["id"]}
    assert ids(node(dz, domain, sources["curated"])["upstreamNodes"]) == {run_id}  # not written again

    history = dz.list_lineage_node_history(domainIdentifier=domain, identifier=sources["job"])["nodes"]
    assert [h["eventTimestamp"] for h in history] == [at(65), at(60), at(5), at(0)]
    assert all(h["id"] == nodes["job"]["id"] and h["sourceIdentifier"] == sources["job"] for h in history)
    window = dz.list_lineage_node_history(
        domainIdentifier=domain,
        identifier=nodes["raw"]["id"],
        eventTimestampGTE=at(5),
        eventTimestampLTE=at(60),
        sortOrder="ASCENDING",
    )["nodes"]
    assert [h["eventTimestamp"] for h in window] == [at(5), at(60)]
    upstream = dz.list_lineage_node_history(domainIdentifier=domain, identifier=sources["raw"], direction="UPSTREAM")
    assert upstream["nodes"] == []
    downstream = dz.list_lineage_node_history(
        domainIdentifier=domain, identifier=sources["curated"], direction="UPSTREAM"
    )["nodes"]
    assert [h["eventTimestamp"] for h in downstream] == [at(5), at(0)]


def post(dz: Any, domain: str, event: Any, **kwargs: Any) -> dict[str, Any]:
    body = event if isinstance(event, bytes) else json.dumps(event).encode()
    return dz.post_lineage_event(domainIdentifier=domain, event=body, **kwargs)  # type: ignore[no-any-return]


def run_event(**overrides: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "eventType": "COMPLETE",
        "eventTime": "2026-03-01T06:00:00Z",
        "producer": PRODUCER,
        "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
        "run": {"runId": str(uuid.uuid4())},
        "job": {"namespace": JOB_NS, "name": JOB_NAME},
        "inputs": [{"namespace": RAW[0], "name": RAW[1]}],
        "outputs": [],
    }
    event.update(overrides)
    return event


def test_refused_events_name_the_field_and_store_nothing(aws: AWS) -> None:
    dz = aws.client("datazone")
    domain = dz.create_domain(name="lineage", domainExecutionRole=ROLE)["id"]
    cases = [
        (b"not json", "'event'"),
        (b"[1, 2]", "'event'"),
        (run_event(eventTime=None), "event.eventTime"),
        (run_event(eventTime="yesterday"), "event.eventTime"),
        (run_event(eventType="FINISHED"), "event.eventType"),
        (run_event(run={}), "event.run.runId"),
        (run_event(job={"namespace": JOB_NS}), "event.job.name"),
        (run_event(inputs={"namespace": "s3://x"}), "event.inputs"),
        (json.dumps(run_event(padding="x" * 300_000)).encode(), "'event'"),
    ]
    for event, field in cases:
        code, status, message = error_of(
            dz.post_lineage_event,
            domainIdentifier=domain,
            event=event if isinstance(event, bytes) else json.dumps(event).encode(),
        )
        assert (code, status) == ("ValidationException", 400), message
        assert field in message, message
    assert dz.list_lineage_events(domainIdentifier=domain).get("items", []) == []
    code, status, message = error_of(
        dz.post_lineage_event, domainIdentifier="dzd_missing000", event=json.dumps(run_event()).encode()
    )
    assert (code, status) == ("AccessDeniedException", 403) and message.endswith("operation: PostLineageEvent")


def test_unprocessable_event_is_stored_and_fails(aws: AWS) -> None:
    dz = aws.client("datazone")
    domain = dz.create_domain(name="lineage", domainExecutionRole=ROLE)["id"]
    failed = post(dz, domain, run_event(run={"runId": "not-a-uuid"}))["id"]
    half = post(dz, domain, run_event(outputs=[{"namespace": "s3://x"}]))["id"]
    ok = post(dz, domain, run_event())["id"]
    assert dz.get_lineage_event(domainIdentifier=domain, identifier=failed)["processingStatus"] == "FAILED"
    assert dz.get_lineage_event(domainIdentifier=domain, identifier=half)["processingStatus"] == "FAILED"
    listed = dz.list_lineage_events(domainIdentifier=domain, processingStatus="FAILED")["items"]
    assert {e["id"] for e in listed} == {failed, half}
    assert [e["id"] for e in dz.list_lineage_events(domainIdentifier=domain, processingStatus="SUCCESS")["items"]] == [
        ok
    ]
    code, status, _ = error_of(
        dz.get_lineage_node, domainIdentifier=domain, identifier=f"{JOB_NS}.{JOB_NAME}/not-a-uuid"
    )
    assert (code, status) == ("ResourceNotFoundException", 404)


def test_processing_follows_the_state_manager(aws: AWS) -> None:
    aws.set_transition("datazone::lineage_event", {"progression": "manual", "times": 1})
    dz = aws.client("datazone")
    domain = dz.create_domain(name="lineage", domainExecutionRole=ROLE)["id"]
    event = run_event()
    posted = post(dz, domain, event)["id"]
    source = f"{JOB_NS}.{JOB_NAME}/{event['run']['runId']}"
    seen = [dz.get_lineage_event(domainIdentifier=domain, identifier=posted)["processingStatus"] for _ in range(3)]
    assert seen == ["PROCESSING", "SUCCESS", "SUCCESS"]
    assert node(dz, domain, source)["typeName"] == "amazon.datazone.JobRunLineageNodeType"


def test_client_token_makes_a_retry_idempotent(aws: AWS) -> None:
    dz = aws.client("datazone")
    domain = dz.create_domain(name="lineage", domainExecutionRole=ROLE)["id"]
    event = run_event()
    first = post(dz, domain, event, clientToken="retry-1")
    again = post(dz, domain, event, clientToken="retry-1")
    assert first["id"] == again["id"]
    code, status, _ = error_of(
        dz.post_lineage_event, domainIdentifier=domain, event=json.dumps(run_event()).encode(), clientToken="retry-1"
    )
    assert (code, status) == ("ConflictException", 409)
    assert len(dz.list_lineage_events(domainIdentifier=domain)["items"]) == 1


def test_list_events_filters_sorts_and_pages(aws: AWS) -> None:
    dz = aws.client("datazone")
    domain = dz.create_domain(name="lineage", domainExecutionRole=ROLE)["id"]
    posted = [post(dz, domain, run_event(eventTime=at(m).isoformat()))["id"] for m in (10, 0, 20, 30)]
    by_time = [posted[1], posted[0], posted[2], posted[3]]
    listed = dz.list_lineage_events(domainIdentifier=domain)["items"]
    assert [e["id"] for e in listed] == by_time[::-1]  # newest first by default
    window = dz.list_lineage_events(
        domainIdentifier=domain, timestampAfter=at(5), timestampBefore=at(25), sortOrder="ASCENDING"
    )["items"]
    assert [e["id"] for e in window] == [posted[0], posted[2]]
    pages, token = [], None
    while True:
        kwargs = {"nextToken": token} if token else {}
        answer = dz.list_lineage_events(domainIdentifier=domain, maxResults=3, sortOrder="ASCENDING", **kwargs)
        pages.append([e["id"] for e in answer["items"]])
        token = answer.get("nextToken")
        if not token:
            break
    assert pages == [by_time[:3], by_time[3:]]
    code, status, message = error_of(
        dz.list_lineage_events, domainIdentifier=domain, timestampAfter=at(30), timestampBefore=at(0)
    )
    assert (code, status) == ("ValidationException", 400) and "timestampAfter" in message
    code, status, message = error_of(
        dz.list_lineage_node_history,
        domainIdentifier=domain,
        identifier="s3://raw-bucket/orders/2026",
        eventTimestampGTE=at(30),
        eventTimestampLTE=at(0),
    )
    assert (code, status) == ("ValidationException", 400) and "eventTimestampGTE" in message


def test_unknown_domain_event_and_node(aws: AWS) -> None:
    dz = aws.client("datazone")
    domain = dz.create_domain(name="lineage", domainExecutionRole=ROLE)["id"]
    post(dz, domain, run_event(eventTime=at(10).isoformat()))
    for call, kwargs in [
        (dz.get_lineage_event, {"domainIdentifier": domain, "identifier": "abcdefghijklmn"}),
        (dz.get_lineage_node, {"domainIdentifier": domain, "identifier": "s3://nowhere/at-all"}),
        (
            dz.get_lineage_node,
            {"domainIdentifier": domain, "identifier": f"{JOB_NS}.{JOB_NAME}", "eventTimestamp": at(0)},
        ),
        (dz.list_lineage_node_history, {"domainIdentifier": domain, "identifier": "nosuchnode"}),
    ]:
        code, status, _ = error_of(call, **kwargs)
        assert (code, status) == ("ResourceNotFoundException", 404), (call, kwargs)
    # A domain that is not there is one the caller may not use, whatever the operation
    for call, kwargs in [
        (dz.get_lineage_event, {"domainIdentifier": "dzd_missing000", "identifier": "abcdefghijklmn"}),
        (dz.list_lineage_events, {"domainIdentifier": "dzd_missing000"}),
    ]:
        code, status, _ = error_of(call, **kwargs)
        assert (code, status) == ("AccessDeniedException", 403), (call, kwargs)
    assert node(dz, domain, f"{JOB_NS}.{JOB_NAME}", eventTimestamp=at(10))["eventTimestamp"] == at(10)


def test_an_event_processed_after_its_domain_was_deleted_adds_nothing() -> None:
    """A read that found an event just before DeleteDomain (the server is threaded) may move it to SUCCESS
    after the delete: the dropped event must not bring the domain's lineage graph back."""
    from moto import mock_aws
    from moto.moto_api import state_manager

    from moto_glue_workflows.datazone.models import datazone_backends

    with mock_aws():
        import boto3

        dz = boto3.client("datazone", region_name="us-east-1")
        state_manager.set_transition("datazone::lineage_event", {"progression": "manual", "times": 1})
        try:
            domain = dz.create_domain(name="gone", domainExecutionRole=ROLE)["id"]
            event_id = post(dz, domain, run_event())["id"]
            backend = datazone_backends["123456789012"]["us-east-1"]
            in_flight = backend.get_lineage_event(domain, event_id)  # found by a read, not yet processed
            dz.delete_domain(identifier=domain)
            for _ in range(5):  # the read goes on polling it until processing is done
                in_flight.advance()
                if in_flight.status == "SUCCESS":
                    break
            assert in_flight.status == "SUCCESS"
            assert domain not in backend.lineage_graphs and domain not in backend.lineage_events
        finally:
            state_manager.unset_transition("datazone::lineage_event")
