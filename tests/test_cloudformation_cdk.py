"""The CDK app's synthesized template (tests/cdk_app.py, committed in tests/templates/) deployed through boto3's
CloudFormation in both modes: every resource real, a run to COMPLETED, an update to the app's next release, a clean
delete. The CDK is not needed here; tests/test_cdk.py checks the committed templates equal a fresh synthesis."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.cloudformation_helpers import (
    nodes_run,
    outputs,
    physical_ids,
    settled_crawler,
    settled_run,
    stack_of,
    template,
)
from tests.conftest import ACCOUNT, AWS

STACK = "OrdersPipeline"
V1 = template("cdk_pipeline.json")
V2 = template("cdk_pipeline_v2.json")


def _types(body: str) -> dict[str, str]:
    return {logical: resource["Type"] for logical, resource in json.loads(body)["Resources"].items()}


def _deploy(aws: AWS) -> Any:
    cloudformation = aws.client("cloudformation")
    cloudformation.create_stack(StackName=STACK, TemplateBody=V1, Capabilities=["CAPABILITY_IAM"])
    return cloudformation


def test_the_synthesized_template_has_the_pipeline() -> None:
    types = _types(V1)
    assert sorted(t for t in types.values() if t.startswith(("AWS::Glue", "AWS::DataZone"))) == [
        "AWS::DataZone::Domain",
        "AWS::Glue::Crawler",
        "AWS::Glue::Database",
        "AWS::Glue::Job",
        "AWS::Glue::Job",
        "AWS::Glue::Trigger",
        "AWS::Glue::Trigger",
        "AWS::Glue::Trigger",
        "AWS::Glue::Workflow",
    ]
    triggers = {k: json.loads(V1)["Resources"][k]["Properties"] for k, t in types.items() if t == "AWS::Glue::Trigger"}
    assert sorted(p["Type"] for p in triggers.values()) == ["CONDITIONAL", "ON_DEMAND", "SCHEDULED"]


def test_the_cdk_stack_deploys_runs_updates_and_deletes(aws: AWS) -> None:
    cloudformation = _deploy(aws)
    glue, datazone = aws.client("glue"), aws.client("datazone")
    assert stack_of(cloudformation, STACK)["StackStatus"] == "CREATE_COMPLETE"
    ids = physical_ids(cloudformation, STACK)
    assert set(ids) == set(_types(V1)) and all(ids.values())

    # Every resource is real: the Glue and DataZone ones, and the CDK's role and bucket (moto's own types).
    # (ListRolePolicies: GetRole's answer carries the trust policy as botocore decodes it, a dict where the shape
    # check wants the string)
    iam = aws.client("iam")
    role = ids["GlueRoleDEDFFD2C"]
    policy = json.loads(V1)["Resources"]["GlueRoleDefaultPolicy83D85957"]["Properties"]["PolicyName"]
    assert iam.list_role_policies(RoleName=role)["PolicyNames"] == [policy]
    role_arn = f"arn:aws:iam::{ACCOUNT}:role/{role}"
    assert glue.get_job(JobName="orders-extract")["Job"]["Role"] == role_arn
    bucket = ids["Data666C94C7"]
    aws.client("s3").head_bucket(Bucket=bucket)
    script = glue.get_job(JobName="orders-transform")["Job"]["Command"]["ScriptLocation"]
    assert script == f"s3://{bucket}/scripts/orders-transform.py"
    crawler = glue.get_crawler(Name="orders-curated")["Crawler"]
    assert crawler["DatabaseName"] == "orders_lake" and crawler["Targets"]["S3Targets"] == [
        {"Path": f"s3://{bucket}/raw/"}
    ]
    assert glue.get_database(Name="orders_lake")["Database"]["Description"] == "Curated orders"
    domain = datazone.get_domain(identifier=ids["Catalog"])
    assert domain["domainExecutionRole"] == role_arn and domain["status"] == "AVAILABLE"
    assert outputs(cloudformation, STACK) == {
        "DomainId": domain["id"],
        "PortalUrl": domain["portalUrl"],
        "WorkflowName": "orders",
    }
    graph = glue.get_workflow(Name="orders", IncludeGraph=True)["Workflow"]["Graph"]
    assert {n["Name"] for n in graph["Nodes"] if n["Type"] == "JOB"} == {"orders-extract", "orders-transform"}

    # The ON_DEMAND start and the conditional chain run to COMPLETED; the scheduled trigger starts the crawler.
    run = settled_run(glue, "orders", glue.start_workflow_run(Name="orders")["RunId"])
    assert run["Status"] == "COMPLETED"
    assert nodes_run(run) == {"orders-extract": "SUCCEEDED", "orders-transform": "SUCCEEDED"}
    fired = aws.control.advance_clock(seconds=86400)["Fired"]
    assert [f["TriggerName"] for f in fired if f["Action"] == "TriggerFired"] == [ids["NightlyCrawl"]]
    assert settled_crawler(glue, "orders-curated")["LastCrawl"]["Status"] == "SUCCEEDED"

    # The app's next release: a publish job added to the chain, the extract job's arguments changed.
    cloudformation.update_stack(StackName=STACK, TemplateBody=V2, Capabilities=["CAPABILITY_IAM"])
    assert stack_of(cloudformation, STACK)["StackStatus"] == "UPDATE_COMPLETE"
    updated = physical_ids(cloudformation, STACK)
    assert {k: v for k, v in updated.items() if k in ids} == ids  # updated in place
    assert set(updated) - set(ids) == {"Publish", "AfterTransform"}
    run = settled_run(glue, "orders", glue.start_workflow_run(Name="orders")["RunId"])
    assert run["Status"] == "COMPLETED"
    assert nodes_run(run) == {
        "orders-extract": "SUCCEEDED",
        "orders-transform": "SUCCEEDED",
        "orders-publish": "SUCCEEDED",
    }
    assert glue.get_job(JobName="orders-extract")["Job"]["DefaultArguments"] == {"--source": "orders_v2"}
    assert glue.get_workflow(Name="orders")["Workflow"]["Description"] == "Orders pipeline v2"

    cloudformation.delete_stack(StackName=STACK)
    assert glue.list_workflows()["Workflows"] == [] and glue.list_jobs()["JobNames"] == []
    assert glue.list_crawlers()["CrawlerNames"] == [] and glue.get_triggers()["Triggers"] == []
    assert glue.get_databases()["DatabaseList"] == [] and datazone.list_domains()["items"] == []
    assert aws.client("s3").list_buckets()["Buckets"] == []
    with pytest.raises(ClientError) as gone:
        iam.list_role_policies(RoleName=role)
    assert gone.value.response["Error"]["Code"] == "NoSuchEntity"
