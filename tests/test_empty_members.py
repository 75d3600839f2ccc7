"""A list or map with nothing in it is answered present and empty, as AWS and moto answer it
(``{"Workflows": []}`` for an empty account), never left out: the model's ``min: 1`` constrains requests.

Two views: the serializer, walked over every collection member of every output shape we serve (each
one made empty in turn, everything above it present), and the operations themselves in their empty
states, in both modes.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.model import OperationModel, Shape
from moto.core.responses import ActionContext, ActionResult
from moto.core.serialize import get_serializer_class

from moto_glue_workflows.datazone.responses import DataZoneResponse
from moto_glue_workflows.glue.responses import GlueWorkflowResponse
from moto_glue_workflows.protocol.json_output import output_converter
from moto_glue_workflows.protocol.model_response import operation_model
from tests.conftest import AWS
from tests.glue_helpers import crawler, job
from tests.test_glue_blueprints import archive, upload

SERVED = [("glue", name) for name in sorted(GlueWorkflowResponse.OPERATIONS)]
SERVED += [("datazone", name) for name in sorted(DataZoneResponse.OPERATIONS)]

Path = tuple[str, ...]  # member names, "[]" for a list item, "{}" for a map value


def collection_paths(shape: Shape, path: Path = (), seen: frozenset[str] = frozenset()) -> Iterator[Path]:
    """Every list or map reachable in ``shape``, once per place (recursive shapes entered once)."""
    if shape.name in seen:
        return
    seen = seen | {shape.name}
    kind = shape.type_name
    if kind == "structure" and not shape.is_document_type:
        for name, member in shape.members.items():
            yield from collection_paths(member, (*path, name), seen)
    elif kind == "list":
        yield path
        yield from collection_paths(shape.member, (*path, "[]"), seen)
    elif kind == "map":
        yield path
        yield from collection_paths(shape.value, (*path, "{}"), seen)


def value_with_empty(shape: Shape, path: Path) -> Any:
    """A value of ``shape`` holding just what leads to ``path``, with the collection at ``path`` empty."""
    kind = shape.type_name
    if not path:
        return [] if kind == "list" else {}
    step, rest = path[0], path[1:]
    if kind == "list":
        return [value_with_empty(shape.member, rest)]
    if kind == "map":
        return {"key": value_with_empty(shape.value, rest)}
    return {step: value_with_empty(shape.members[step], rest)}


def find(value: Any, shape: Shape, path: Path) -> Any:
    """The wire value at ``path`` (member names mapped to their wire names)."""
    for step in path:
        if shape.type_name == "list":
            value, shape = value[0], shape.member
        elif shape.type_name == "map":
            value, shape = value["key"], shape.value
        else:
            member = shape.members[step]
            value, shape = value[member.serialization.get("name", step)], member
    return value


def moto_body(operation: OperationModel, result: dict[str, Any]) -> Any:
    service = operation.service_model
    serializer = get_serializer_class(service.service_name, service.protocol)
    context = ActionContext(service, operation, serializer, None)  # type: ignore[arg-type]
    _, _, body = ActionResult(copy.deepcopy(result)).execute_result(context)
    return json.loads(body)


@pytest.mark.parametrize(("service", "name"), SERVED, ids=[f"{s}:{n}" for s, n in SERVED])
def test_every_collection_of_every_output_is_serialized_when_empty(service: str, name: str) -> None:
    operation = operation_model(service, name)
    shape = operation.output_shape
    if shape is None:
        pytest.skip(f"{name} has no output")
    payload = shape.serialization.get("payload")
    if payload and shape.members[payload].type_name == "blob":
        pytest.skip(f"{name}'s body is the blob itself (its other members are headers)")
    convert = output_converter(operation)
    assert convert is not None, f"{name}'s output is not one our serializer writes"
    paths = list(collection_paths(shape))
    for path in paths:
        result = value_with_empty(shape, path)
        ours = json.loads(json.dumps(convert(result)))
        assert find(ours, shape, path) in ([], {}), f"{name}: {'.'.join(path)} left out when empty"
        # byte for byte what moto's model-driven serializer writes
        assert ours == moto_body(operation, result), f"{name}: {'.'.join(path)}"


# The operations themselves. Top-level collections that cannot be empty: ResumeWorkflowRun's NodeIds echo
# the nodes asked for (at least one); DataZone's tags and failureReasons are absent unless given or failed.
NEVER_EMPTY = {("glue", "ResumeWorkflowRun", "NodeIds"), ("datazone", "CreateDomain", "tags")}
NEVER_EMPTY |= {("datazone", "GetDomain", "tags"), ("datazone", "GetDomain", "failureReasons")}
# A connection always has its endpoint, a lineage node its one form; a connection's configurations are
# Glue connection settings, absent from the Redshift, S3 and IAM connections served here.
NEVER_EMPTY |= {
    ("datazone", op, member)
    for op in ("CreateConnection", "GetConnection")
    for member in ("physicalEndpoints", "configurations")
}
NEVER_EMPTY |= {("datazone", "GetLineageNode", "formsOutput")}
EXERCISED: set[tuple[str, str, str]] = set()


def answered(service: str, operation: str, member: str, answer: dict[str, Any]) -> Any:
    EXERCISED.add((service, operation, member))
    assert member in answer, f"{operation} left out {member}"
    return answer[member]


def test_empty_answers_keep_their_collections(aws: AWS) -> None:
    glue = aws.client("glue")
    assert answered("glue", "ListWorkflows", "Workflows", glue.list_workflows()) == []
    glue.create_workflow(Name="w")
    assert answered("glue", "GetWorkflowRuns", "Runs", glue.get_workflow_runs(Name="w")) == []
    found = glue.batch_get_workflows(Names=["w"])
    assert answered("glue", "BatchGetWorkflows", "MissingWorkflows", found) == []
    missing = glue.batch_get_workflows(Names=["nope"])
    assert answered("glue", "BatchGetWorkflows", "Workflows", missing) == []
    graph = glue.get_workflow(Name="w", IncludeGraph=True)["Workflow"]["Graph"]
    assert graph == {"Nodes": [], "Edges": []}
    run_id = glue.start_workflow_run(Name="w")["RunId"]
    properties = glue.get_workflow_run_properties(Name="w", RunId=run_id)
    assert answered("glue", "GetWorkflowRunProperties", "RunProperties", properties) == {}
    run = glue.get_workflow_run(Name="w", RunId=run_id, IncludeGraph=True)["Run"]
    assert run["WorkflowRunProperties"] == {} and run["Graph"] == {"Nodes": [], "Edges": []}
    glue.delete_workflow(Name="w")
    assert glue.list_workflows()["Workflows"] == []  # after deleting the last one (moto's test_delete_workflow)

    job(glue, "j")
    assert answered("glue", "GetJobRuns", "JobRuns", glue.get_job_runs(JobName="j")) == []
    stopped = glue.batch_stop_job_run(JobName="j", JobRunIds=["jr_missing"])
    assert answered("glue", "BatchStopJobRun", "SuccessfulSubmissions", stopped) == []
    run_id = glue.start_job_run(JobName="j")["JobRunId"]
    glue.get_job_run(JobName="j", RunId=run_id)
    aws.set_transition("glue::job_run", {"progression": "manual", "times": 1})
    running = glue.start_job_run(JobName="j")["JobRunId"]
    assert (
        answered("glue", "BatchStopJobRun", "Errors", glue.batch_stop_job_run(JobName="j", JobRunIds=[running])) == []
    )
    metrics = glue.get_crawler_metrics()
    assert answered("glue", "GetCrawlerMetrics", "CrawlerMetricsList", metrics) == []
    assert answered("glue", "GetCrawlers", "Crawlers", glue.get_crawlers()) == []
    missing_crawler = glue.batch_get_crawlers(CrawlerNames=["missing"])
    assert answered("glue", "BatchGetCrawlers", "Crawlers", missing_crawler) == []
    crawler(glue, "found")
    found_crawler = glue.batch_get_crawlers(CrawlerNames=["found"])
    assert answered("glue", "BatchGetCrawlers", "CrawlersNotFound", found_crawler) == []
    no_triggers = glue.get_triggers(DependentJobName="nobody")
    assert answered("glue", "GetTriggers", "Triggers", no_triggers) == []
    missing_trigger = glue.batch_get_triggers(TriggerNames=["missing"])
    assert answered("glue", "BatchGetTriggers", "Triggers", missing_trigger) == []
    glue.create_trigger(Name="found", Type="ON_DEMAND", Actions=[{"JobName": "j"}])
    found_trigger = glue.batch_get_triggers(TriggerNames=["found"])
    assert answered("glue", "BatchGetTriggers", "TriggersNotFound", found_trigger) == []

    assert answered("glue", "ListBlueprints", "Blueprints", glue.list_blueprints()) == []
    missing = glue.batch_get_blueprints(Names=["nope"])
    assert answered("glue", "BatchGetBlueprints", "Blueprints", missing) == []
    glue.create_blueprint(Name="b", BlueprintLocation=upload(aws, "b.zip", archive()))
    found = glue.batch_get_blueprints(Names=["b"])
    assert answered("glue", "BatchGetBlueprints", "MissingBlueprints", found) == []
    runs = glue.get_blueprint_runs(BlueprintName="b")
    assert answered("glue", "GetBlueprintRuns", "BlueprintRuns", runs) == []

    dz = aws.client("datazone")
    assert answered("datazone", "ListDomains", "items", dz.list_domains()) == []
    domain = dz.create_domain(name="d", domainExecutionRole="arn:aws:iam::123456789012:role/r")["id"]
    runs = dz.list_job_runs(domainIdentifier=domain, jobIdentifier="j")
    assert answered("datazone", "ListJobRuns", "items", runs) == []
    assert answered("datazone", "ListConnections", "items", dz.list_connections(domainIdentifier=domain)) == []
    events = dz.list_lineage_events(domainIdentifier=domain)
    assert answered("datazone", "ListLineageEvents", "items", events) == []
    event = {
        "eventType": "COMPLETE",
        "eventTime": "2026-03-01T06:00:00Z",
        "producer": "https://example.com/pipeline",
        "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
        "run": {"runId": "3f5e83fa-3480-44ff-99c5-ff943904e5e8"},
        "job": {"namespace": "glue", "name": "copy"},
        "inputs": [{"namespace": "s3://raw", "name": "in"}],
        "outputs": [{"namespace": "s3://curated", "name": "out"}],
    }
    dz.post_lineage_event(domainIdentifier=domain, event=json.dumps(event).encode())
    source = dz.get_lineage_node(domainIdentifier=domain, identifier="s3://raw/in")
    assert answered("datazone", "GetLineageNode", "upstreamNodes", source) == []
    sink = dz.get_lineage_node(domainIdentifier=domain, identifier="s3://curated/out")
    assert answered("datazone", "GetLineageNode", "downstreamNodes", sink) == []
    history = dz.list_lineage_node_history(
        domainIdentifier=domain, identifier=sink["id"], eventTimestampLTE=datetime(2000, 1, 1, tzinfo=UTC)
    )
    assert answered("datazone", "ListLineageNodeHistory", "nodes", history) == []

    with_collections = {
        (service, name, member)
        for service, name in SERVED
        if (shape := operation_model(service, name).output_shape) is not None
        for member, member_shape in shape.members.items()
        if member_shape.type_name in ("list", "map")
    }
    assert with_collections - NEVER_EMPTY <= EXERCISED, sorted(with_collections - NEVER_EMPTY - EXERCISED)
