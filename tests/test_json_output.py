"""The compiled serializer answers exactly what moto's model-driven serializer would."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.core.responses import ActionContext, ActionResult
from moto.core.serialize import get_serializer_class

import moto_glue_workflows.protocol.json_output as json_output
import moto_glue_workflows.protocol.model_response as model_response
from moto_glue_workflows import seed_datazone_job_runs, set_job_run_outcome, wait_for_blueprint_run
from tests.glue_helpers import chain, crawler, when
from tests.test_glue_blueprints import BUCKET, ROLE, archive, params


def moto_body(operation: Any, result: dict[str, Any]) -> Any:
    service = operation.service_model
    serializer = get_serializer_class(service.service_name, service.protocol)
    context = ActionContext(service, operation, serializer, None)  # type: ignore[arg-type]
    _, _, body = ActionResult(copy.deepcopy(result)).execute_result(context)
    return json.loads(body)


@pytest.fixture
def compared(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    counts: dict[str, int] = {}
    original = model_response.output_converter

    def checking(operation: Any) -> Callable[[Any], Any] | None:
        convert = original(operation)
        if convert is None:
            return None

        def both(result: Any) -> Any:
            ours = convert(result)
            assert json.loads(json.dumps(ours)) == moto_body(operation, result), operation.name
            assert json_output.dumps(ours) == json.dumps(ours), operation.name  # the encoder built once
            key = f"{operation.service_model.service_name}:{operation.name}"
            counts[key] = counts.get(key, 0) + 1
            return ours

        return both

    monkeypatch.setattr(model_response, "output_converter", checking)
    model_response._plan.cache_clear()  # each operation's plan takes its converter from the checking one
    yield counts
    model_response._plan.cache_clear()


def test_fast_answers_equal_motos_serializer(compared: dict[str, int]) -> None:
    with mock_aws():
        glue = boto3.client("glue", region_name="us-east-1")
        chain(glue, "etl", ["a", "b"], DefaultRunProperties={"k": "v"}, Description="d", MaxConcurrentRuns=5)
        crawler(glue, "c")
        when(glue, "etl", "extra", [("a", "SUCCEEDED")], [{"CrawlerName": "c"}])  # one starting trigger per workflow
        set_job_run_outcome(job_name="b", state="FAILED", error_message="boom")
        run_id = glue.start_workflow_run(Name="etl")["RunId"]
        for _ in range(3):
            run = glue.get_workflow_run(Name="etl", RunId=run_id, IncludeGraph=True)["Run"]
        glue.get_workflow_runs(Name="etl", IncludeGraph=True)
        glue.get_workflow(Name="etl", IncludeGraph=True)
        glue.batch_get_workflows(Names=["etl", "missing"], IncludeGraph=True)
        glue.list_workflows()
        glue.get_workflow_run_properties(Name="etl", RunId=run_id)
        node = next(n["UniqueId"] for n in run["Graph"]["Nodes"] if n["Name"] == "b")
        glue.resume_workflow_run(Name="etl", RunId=run_id, NodeIds=[node])
        job_run = glue.start_job_run(JobName="a", Arguments={"--x": "1"})["JobRunId"]
        glue.get_job_run(JobName="a", RunId=job_run, PredecessorsIncluded=True)
        glue.get_job_runs(JobName="a")

        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        s3.put_object(Bucket=BUCKET, Key="chain.zip", Body=archive())
        glue.create_blueprint(Name="chain", BlueprintLocation=f"s3://{BUCKET}/chain.zip", Tags={"t": "1"})
        glue.get_blueprint(Name="chain", IncludeBlueprint=True, IncludeParameterSpec=True)
        blueprint_run = glue.start_blueprint_run(BlueprintName="chain", Parameters=params(), RoleArn=ROLE)["RunId"]
        glue.get_blueprint_run(BlueprintName="chain", RunId=blueprint_run)  # RUNNING
        wait_for_blueprint_run(glue, "chain", blueprint_run)  # then SUCCEEDED, each read shape-checked
        glue.get_blueprint_runs(BlueprintName="chain")
        glue.list_blueprints()
        glue.batch_get_blueprints(Names=["chain", "nope"], IncludeParameterSpec=True)

        dz = boto3.client("datazone", region_name="us-east-1")
        domain = dz.create_domain(
            name="d", domainExecutionRole="arn:aws:iam::123456789012:role/r", tags={"a": "b"}, description="x"
        )["id"]
        dz.get_domain(identifier=domain)
        dz.list_domains()
        ids = seed_datazone_job_runs(
            domain_identifier=domain,
            job_identifier="j",
            runs=[
                {
                    "status": "SUCCESS",
                    "createdAt": "2026-01-01T00:00:00.123456Z",
                    "details": {"lineageRunDetails": {"sqlQueryRunDetails": {"queryStartTime": 1767225600.5}}},
                },
                {"status": "FAILED", "error": {"message": "m"}},
            ],
        )["ids"]
        dz.get_job_run(domainIdentifier=domain, identifier=ids[0])
        dz.list_job_runs(domainIdentifier=domain, jobIdentifier="j")

    glue_ops = [
        "GetWorkflowRun",
        "GetWorkflowRuns",
        "GetWorkflow",
        "BatchGetWorkflows",
        "ListWorkflows",
        "ResumeWorkflowRun",
        "GetJobRun",
        "GetJobRuns",
        "GetBlueprint",
        "GetBlueprintRun",
        "GetBlueprintRuns",
        "BatchGetBlueprints",
    ]
    datazone_ops = ["CreateDomain", "GetDomain", "ListDomains", "GetJobRun", "ListJobRuns"]
    assert set(compared) >= {f"glue:{op}" for op in glue_ops} | {f"datazone:{op}" for op in datazone_ops}
