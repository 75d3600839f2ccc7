"""CloudFormation stacks with Glue and DataZone resources: created in dependency order, run, updated (in place
and by replacement), deleted, and rolled back when a resource fails; in both modes, through boto3."""

from __future__ import annotations

import datetime
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.cloudformation_helpers import (
    events,
    nodes_run,
    outputs,
    physical_ids,
    resources,
    settled_crawler,
    settled_run,
    stack_of,
    template,
)
from tests.conftest import ACCOUNT, AWS
from tests.glue_helpers import ROLE, error_of, job

PIPELINE = template("orders_pipeline.yaml")
PIPELINE_V2 = template("orders_pipeline_v2.yaml")
TYPES = {
    "LakeDatabase": "AWS::Glue::Database",
    "OrdersTable": "AWS::Glue::Table",
    "WarehouseConnection": "AWS::Glue::Connection",
    "OrdersWorkflow": "AWS::Glue::Workflow",
    "ExtractJob": "AWS::Glue::Job",
    "LoadJob": "AWS::Glue::Job",
    "CuratedCrawler": "AWS::Glue::Crawler",
    "StartTrigger": "AWS::Glue::Trigger",
    "AfterExtract": "AWS::Glue::Trigger",
    "AfterLoad": "AWS::Glue::Trigger",
    "NightlyCrawl": "AWS::Glue::Trigger",
    "CatalogDomain": "AWS::DataZone::Domain",
}


def _raw_orders(aws: AWS) -> None:
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="orders-dev")
    s3.put_object(Bucket="orders-dev", Key="raw/2025/orders.csv", Body=b"order_id,amount\n1,9.5\n2,12.0\n")


def _deploy(aws: AWS, body: str = PIPELINE, name: str = "orders") -> Any:
    cloudformation = aws.client("cloudformation")
    stack_id = cloudformation.create_stack(StackName=name, TemplateBody=body)["StackId"]
    assert stack_id.startswith(f"arn:aws:cloudformation:us-east-1:{ACCOUNT}:stack/{name}/")
    return cloudformation


def test_a_template_deploys_every_resource_for_real(aws: AWS) -> None:
    cloudformation = _deploy(aws)
    glue, datazone = aws.client("glue"), aws.client("datazone")
    assert stack_of(cloudformation, "orders")["StackStatus"] == "CREATE_COMPLETE"
    listed = resources(cloudformation, "orders")
    assert {logical: r["ResourceType"] for logical, r in listed.items()} == TYPES
    ids = physical_ids(cloudformation, "orders")
    # Ref is the name (a generated one where the template gives none); the domain's is its id.
    assert ids["OrdersWorkflow"] == "orders-dev" and ids["ExtractJob"] == "orders-extract-dev"
    assert re.fullmatch(r"orders-LoadJob-[A-Z0-9]+", ids["LoadJob"])
    assert re.fullmatch(r"orders-AfterExtract-[A-Z0-9]+", ids["AfterExtract"])
    assert ids["LakeDatabase"] == "orders_dev" and ids["OrdersTable"] == "orders"
    assert ids["WarehouseConnection"] == "warehouse-dev"

    workflow = glue.get_workflow(Name="orders-dev", IncludeGraph=True)["Workflow"]
    assert workflow["DefaultRunProperties"] == {"env": "dev"} and workflow["MaxConcurrentRuns"] == 1
    assert {n["Name"] for n in workflow["Graph"]["Nodes"]} == {
        "orders-start-dev",
        ids["AfterExtract"],
        "orders-after-load-dev",
        "orders-extract-dev",
        ids["LoadJob"],
        "orders-curated-dev",
    }
    extract = glue.get_job(JobName="orders-extract-dev")["Job"]
    assert extract["DefaultArguments"] == {"--source": "orders"} and extract["Timeout"] == 60
    assert extract["GlueVersion"] == "4.0" and extract["MaxRetries"] == 0
    load = glue.get_job(JobName=ids["LoadJob"])["Job"]
    assert load["Connections"] == {"Connections": ["warehouse-dev"]}
    assert glue.get_crawler(Name="orders-curated-dev")["Crawler"]["DatabaseName"] == "orders_dev"
    # StartOnCreation arms a trigger; an ON_DEMAND one stays CREATED.
    states = {t["Name"]: t["State"] for t in glue.get_triggers()["Triggers"]}
    assert states == {
        "orders-start-dev": "CREATED",
        ids["AfterExtract"]: "ACTIVATED",
        "orders-after-load-dev": "ACTIVATED",
        "orders-nightly-crawl-dev": "ACTIVATED",
    }
    table = glue.get_table(DatabaseName="orders_dev", Name="orders")["Table"]
    assert [c["Name"] for c in table["StorageDescriptor"]["Columns"]] == ["order_id", "amount"]
    connection = glue.get_connection(Name="warehouse-dev")["Connection"]
    assert connection["ConnectionProperties"]["USERNAME"] == "etl"

    domain = datazone.get_domain(identifier=ids["CatalogDomain"])
    assert domain["name"] == "orders-dev" and domain["status"] == "AVAILABLE" and domain["tags"] == {"team": "data"}
    # Outputs: Ref and Fn::GetAtt as the resource reference documents them.
    assert outputs(cloudformation, "orders") == {
        "WorkflowName": "orders-dev",
        "LoadJobName": ids["LoadJob"],
        "DomainId": domain["id"],
        "DomainArn": domain["arn"],
        "PortalUrl": domain["portalUrl"],
        "DomainStatus": "AVAILABLE",
        "ConnectionName": "warehouse-dev",
    }


def test_the_deployed_workflow_runs_to_completed_and_its_schedule_fires(aws: AWS) -> None:
    _raw_orders(aws)
    cloudformation = _deploy(aws)
    glue = aws.client("glue")
    ids = physical_ids(cloudformation, "orders")
    run_id = glue.start_workflow_run(Name="orders-dev")["RunId"]
    run = settled_run(glue, "orders-dev", run_id)
    assert run["Status"] == "COMPLETED" and run["WorkflowRunProperties"] == {"env": "dev"}
    assert run["Statistics"]["SucceededActions"] == 3 and run["Statistics"]["FailedActions"] == 0
    assert nodes_run(run) == {
        "orders-extract-dev": "SUCCEEDED",
        ids["LoadJob"]: "SUCCEEDED",
        "orders-curated-dev": "SUCCEEDED",
    }
    # the crawl the workflow ran catalogued the raw files
    assert "raw" in {t["Name"] for t in glue.get_tables(DatabaseName="orders_dev")["TableList"]}

    # The SCHEDULED trigger (cron(0 2 * * ? *)) fires on the clock: once a day, starting the crawler.
    fired = aws.control.advance_clock(seconds=86400)["Fired"]
    nightly = [f for f in fired if f["Action"] == "TriggerFired" and f["TriggerName"] == "orders-nightly-crawl-dev"]
    assert len(nightly) == 1
    assert datetime.datetime.fromisoformat(nightly[0]["Time"]).hour == 2
    crawler = settled_crawler(glue, "orders-curated-dev")
    assert crawler["LastCrawl"]["Status"] == "SUCCEEDED"
    metrics = glue.get_crawler_metrics(CrawlerNameList=["orders-curated-dev"])["CrawlerMetricsList"]
    assert metrics[0]["LastRuntimeSeconds"] >= 0


def test_an_update_changes_the_definition_and_a_run_in_flight_keeps_its_graph(aws: AWS) -> None:
    _raw_orders(aws)
    cloudformation = _deploy(aws)
    glue = aws.client("glue")
    before = physical_ids(cloudformation, "orders")
    # A run in flight: its first job run held RUNNING (manual progression) while the stack updates.
    aws.set_transition("glue::job_run", {"progression": "manual", "times": 1000})
    in_flight = glue.start_workflow_run(Name="orders-dev")["RunId"]

    cloudformation.update_stack(StackName="orders", TemplateBody=PIPELINE_V2)
    assert stack_of(cloudformation, "orders")["StackStatus"] == "UPDATE_COMPLETE"
    after = physical_ids(cloudformation, "orders")
    # Updated in place: the same physical resources; added and removed as the template says.
    assert {k: v for k, v in after.items() if k in before} == {k: v for k, v in before.items() if k in after}
    assert set(after) - set(before) == {"PublishJob", "AfterPublish"} and set(before) - set(after) == {"NightlyCrawl"}
    extract = glue.get_job(JobName="orders-extract-dev")["Job"]
    assert extract["DefaultArguments"] == {"--source": "orders_v2"} and extract["Timeout"] == 120
    assert extract["CreatedOn"] < extract["LastModifiedOn"]
    assert glue.get_workflow(Name="orders-dev")["Workflow"]["Description"] == "Extract, load, publish, then crawl"
    assert "orders-nightly-crawl-dev" not in {t["Name"] for t in glue.get_triggers()["Triggers"]}
    assert glue.get_job(JobName="orders-publish-dev")["Job"]["Command"]["Name"] == "pythonshell"

    # The run in flight finishes with the graph it started with; the next run has the new one.
    aws.set_transition("glue::job_run", {"progression": "immediate"})
    old = settled_run(glue, "orders-dev", in_flight)
    assert old["Status"] == "COMPLETED"
    assert set(nodes_run(old)) == {"orders-extract-dev", before["LoadJob"], "orders-curated-dev"}
    old_extract = glue.get_job_run(JobName="orders-extract-dev", RunId=_job_run(old, "orders-extract-dev"))["JobRun"]
    assert old_extract["Arguments"]["--source"] == "orders"  # as the job was when the run started it
    new_id = glue.start_workflow_run(Name="orders-dev")["RunId"]
    new = settled_run(glue, "orders-dev", new_id)
    assert new["Status"] == "COMPLETED" and new["Statistics"]["SucceededActions"] == 4
    assert nodes_run(new) == {
        "orders-extract-dev": "SUCCEEDED",
        before["LoadJob"]: "SUCCEEDED",
        "orders-publish-dev": "SUCCEEDED",
        "orders-curated-dev": "SUCCEEDED",
    }
    new_extract = glue.get_job_run(JobName="orders-extract-dev", RunId=_job_run(new, "orders-extract-dev"))["JobRun"]
    assert new_extract["Arguments"]["--source"] == "orders_v2"
    # The removed schedule no longer fires.
    assert aws.control.advance_clock(seconds=86400)["Fired"] == []


def _job_run(run: dict[str, Any], job_name: str) -> str:
    for node in run["Graph"]["Nodes"]:
        if node["Name"] == job_name:
            return str(node["JobDetails"]["JobRuns"][0]["Id"])
    raise AssertionError(f"{job_name} did not run")


def test_a_change_that_requires_replacement_replaces_the_resource(aws: AWS) -> None:
    cloudformation = _deploy(aws)
    glue = aws.client("glue")
    before = physical_ids(cloudformation, "orders")
    # A trigger's Type is replaced, not updated: the generated-name trigger gets a new one.
    changed = PIPELINE.replace(
        """      Type: CONDITIONAL
      StartOnCreation: true
      WorkflowName: !Ref OrdersWorkflow
      Predicate:
        Conditions:
          - LogicalOperator: EQUALS
            JobName: !Ref ExtractJob""",
        """      Type: CONDITIONAL
      StartOnCreation: true
      WorkflowName: !Ref OrdersWorkflow
      Predicate:
        Logical: ANY
        Conditions:
          - LogicalOperator: EQUALS
            JobName: !Ref ExtractJob""",
    ).replace('Name: !Sub "orders-curated-${Env}"', 'Name: !Sub "orders-curated-v2-${Env}"')
    cloudformation.update_stack(StackName="orders", TemplateBody=changed)
    assert stack_of(cloudformation, "orders")["StackStatus"] == "UPDATE_COMPLETE"
    after = physical_ids(cloudformation, "orders")
    # A predicate changes in place; a new crawler name replaces the crawler (and the trigger naming it follows).
    assert after["AfterExtract"] == before["AfterExtract"]
    assert glue.get_trigger(Name=after["AfterExtract"])["Trigger"]["Predicate"]["Logical"] == "ANY"
    assert after["CuratedCrawler"] == "orders-curated-v2-dev"
    assert [c["Name"] for c in glue.get_crawlers()["Crawlers"]] == ["orders-curated-v2-dev"]
    actions = glue.get_trigger(Name="orders-after-load-dev")["Trigger"]["Actions"]
    assert actions == [{"CrawlerName": "orders-curated-v2-dev"}]


def test_replacing_a_custom_named_resource_fails_the_update_and_rolls_it_back(aws: AWS) -> None:
    cloudformation = _deploy(aws)
    glue = aws.client("glue")
    before = physical_ids(cloudformation, "orders")
    # Type requires replacement, and the trigger keeps its custom name: CloudFormation refuses.
    changed = PIPELINE.replace("Type: SCHEDULED\n      Schedule: cron(0 2 * * ? *)", "Type: ON_DEMAND").replace(
        "Description: Extract, load, then crawl", "Description: changed"
    )
    cloudformation.update_stack(StackName="orders", TemplateBody=changed)
    assert stack_of(cloudformation, "orders")["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
    failed = [e for e in events(cloudformation, "orders") if e[1] == "UPDATE_FAILED"]
    assert failed == [
        (
            "NightlyCrawl",
            "UPDATE_FAILED",
            "CloudFormation cannot update a stack when a custom-named resource requires replacing. "
            "Rename orders-nightly-crawl-dev and update the stack again.",
        )
    ]
    assert physical_ids(cloudformation, "orders") == before
    assert glue.get_trigger(Name="orders-nightly-crawl-dev")["Trigger"]["Type"] == "SCHEDULED"
    # What the update changed before the failure went back with it.
    assert glue.get_workflow(Name="orders-dev")["Workflow"]["Description"] == "Extract, load, then crawl"


def test_a_resource_the_service_refuses_rolls_the_stack_back_leaving_nothing(aws: AWS) -> None:
    glue = aws.client("glue")
    job(glue, "orders-extract-dev", Description="made before the stack")
    cloudformation = _deploy(aws)
    stack = stack_of(cloudformation, "orders")
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE" and "Outputs" not in stack
    history = events(cloudformation, "orders")
    failed = [e for e in history if e[1] == "CREATE_FAILED"]
    assert len(failed) == 1 and failed[0][0] == "ExtractJob"
    reason = failed[0][2] or ""
    assert reason.startswith('Resource handler returned message: "Job with name orders-extract-dev already exists.')
    assert reason.endswith("HandlerErrorCode: AlreadyExists)") and "(Service: Glue, Status Code: 400" in reason
    assert (
        "orders",
        "ROLLBACK_IN_PROGRESS",
        "The following resource(s) failed to create: [ExtractJob]. Rollback requested by user.",
    ) in history
    assert history[-1] == ("orders", "ROLLBACK_COMPLETE", None)
    # Made before the failure, deleted by the rollback; the job that was there stays as it was.
    deleted = {e[0] for e in history if e[1] == "DELETE_COMPLETE"}
    assert {"LakeDatabase", "OrdersTable", "WarehouseConnection", "OrdersWorkflow"} <= deleted
    assert glue.list_workflows()["Workflows"] == [] and glue.get_databases()["DatabaseList"] == []
    assert glue.get_connections()["ConnectionList"] == []
    assert glue.list_jobs()["JobNames"] == ["orders-extract-dev"]
    assert glue.get_job(JobName="orders-extract-dev")["Job"]["Description"] == "made before the stack"
    assert resources(cloudformation, "orders") == {}
    # A stack rolled back is deleted as any other.
    cloudformation.delete_stack(StackName="orders")
    assert glue.list_jobs()["JobNames"] == ["orders-extract-dev"]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        # the schema's check, before any call
        (
            ("      MaxRetries: 0\n", "      MaxRetries: 0\n      Retries: 2\n"),
            "Properties validation failed for resource ExtractJob with message: #: extraneous key [Retries] is not permitted",
        ),
        (
            ("      Role: !Ref GlueRole\n      GlueVersion", "      GlueVersion"),
            "Properties validation failed for resource ExtractJob with message: #: required key [Role] not found",
        ),
        # the service's own checks, in its words
        (
            ("cron(0 2 * * ? *)", "cron(0 2 * * *)"),
            'Resource handler returned message: "The schedule cron(0 2 * * *) is invalid',
        ),
        (
            ("      MaxConcurrentRuns: 1\n", "      MaxConcurrentRuns: many\n"),
            "Resource handler returned message: \"1 validation error detected: Value 'many' at 'maxConcurrentRuns' failed to satisfy constraint",
        ),
        (
            ("DomainExecutionRole: arn:aws:iam::123456789012:role/datazone-execution", "Description: none"),
            "Resource handler returned message: \"1 validation error detected: Value null at 'domainExecutionRole'",
        ),
    ],
)
def test_bad_properties_fail_the_resource_with_the_reason(aws: AWS, change: tuple[str, str], reason: str) -> None:
    body = PIPELINE.replace(*change)
    assert body != PIPELINE
    cloudformation = _deploy(aws, body)
    assert stack_of(cloudformation, "orders")["StackStatus"] == "ROLLBACK_COMPLETE"
    failed = [e for e in events(cloudformation, "orders") if e[1] == "CREATE_FAILED"]
    assert len(failed) == 1 and (failed[0][2] or "").startswith(reason), failed
    assert aws.client("glue").list_workflows()["Workflows"] == []
    assert aws.client("datazone").list_domains()["items"] == []


def test_delete_stack_removes_every_resource(aws: AWS) -> None:
    cloudformation = _deploy(aws)
    glue, datazone = aws.client("glue"), aws.client("datazone")
    domain_id = physical_ids(cloudformation, "orders")["CatalogDomain"]
    glue.start_workflow_run(Name="orders-dev")
    cloudformation.delete_stack(StackName="orders")
    assert glue.list_workflows()["Workflows"] == [] and glue.list_jobs()["JobNames"] == []
    assert glue.list_crawlers()["CrawlerNames"] == [] and glue.get_triggers()["Triggers"] == []
    assert glue.get_databases()["DatabaseList"] == [] and glue.get_connections()["ConnectionList"] == []
    assert datazone.list_domains()["items"] == []
    with pytest.raises(ClientError) as gone:  # DataZone's answer for a domain not there (datazone/exceptions.py)
        datazone.get_domain(identifier=domain_id)
    assert gone.value.response["Error"]["Code"] == "AccessDeniedException"
    deleted = cloudformation.describe_stacks(StackName=_stack_id(cloudformation))["Stacks"][0]
    assert deleted["StackStatus"] == "DELETE_COMPLETE"


def _stack_id(cloudformation: Any) -> str:
    deleted = cloudformation.list_stacks(StackStatusFilter=["DELETE_COMPLETE"])["StackSummaries"]
    return str(deleted[0]["StackId"])


def test_resources_go_to_the_stacks_account_and_region(aws: AWS) -> None:
    body = """
Resources:
  Flow:
    Type: AWS::Glue::Workflow
    Properties: {Name: regional}
  Step:
    Type: AWS::Glue::Job
    Properties:
      Name: regional-step
      Role: ROLE
      Command: {Name: glueetl, ScriptLocation: s3://scripts/step.py}
""".replace("ROLE", ROLE)
    cloudformation = aws.client("cloudformation", region_name="eu-west-1")
    cloudformation.create_stack(StackName="regional", TemplateBody=body)
    assert stack_of(cloudformation, "regional")["StackStatus"] == "CREATE_COMPLETE"
    assert aws.client("glue", region_name="eu-west-1").list_workflows()["Workflows"] == ["regional"]
    assert aws.client("glue").list_workflows()["Workflows"] == []
    assert aws.client("glue").list_jobs()["JobNames"] == []


def test_an_attribute_a_type_does_not_have_is_a_template_error(aws: AWS) -> None:
    body = """
Resources:
  Flow:
    Type: AWS::Glue::Workflow
    Properties: {Name: flow}
Outputs:
  Nope:
    Value: !GetAtt Flow.Arn
"""
    code, message = error_of(aws.client("cloudformation").create_stack, StackName="bad", TemplateBody=body)
    # (moto's check of Outputs names the type, where AWS names the resource: moto's wording, kept)
    assert code == "ValidationError" and message.endswith("does not support attribute type Arn in Fn::GetAtt")
    # In a property, the resource is named.
    body = (
        body.replace("Outputs:\n  Nope:\n    Value: !GetAtt Flow.Arn\n", "")
        + """  Start:
    Type: AWS::Glue::Trigger
    Properties:
      Type: ON_DEMAND
      Description: !GetAtt Flow.Arn
      Actions: [{JobName: none}]
"""
    )
    code, message = error_of(aws.client("cloudformation").create_stack, StackName="bad2", TemplateBody=body)
    assert (code, message) == (
        "ValidationError",
        "Template error: resource Flow does not support attribute type Arn in Fn::GetAtt",
    )


PROBE = Path(__file__).with_name("cloudformation_import_probe.py")


@pytest.mark.parametrize("order", ["without", "after-cloudformation-used"])
def test_the_types_exist_once_the_package_is_imported_whatever_moto_listed_before(
    order: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    done = subprocess.run([sys.executable, str(PROBE), order], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    if order == "without":  # a suite that never imports this package: moto's CloudFormation as it ships
        assert seen == {
            "status": "CREATE_COMPLETE",
            "warnings": [
                "Tried to parse AWS::Glue::Workflow but it's not supported by moto's CloudFormation implementation"
            ],
            "workflows": [],
            "ours": False,
        }
    else:  # moto listed its types (an SQS stack) before the import: the list is made again with ours
        assert seen == {
            "queue": "CREATE_COMPLETE",
            "status": "CREATE_COMPLETE",
            "warnings": [],
            "workflows": ["probe"],
            "ours": True,
        }


CATALOG = """
Parameters:
  Description: {Type: String, Default: first}
  DomainVersion: {Type: String, Default: V1}
  DomainName: {Type: String, Default: sales}
Resources:
  Db:
    Type: AWS::Glue::Database
    Properties:
      CatalogId: !Ref AWS::AccountId
      DatabaseInput: {Name: sales, Description: !Ref Description}
  Orders:
    Type: AWS::Glue::Table
    Properties:
      CatalogId: !Ref AWS::AccountId
      DatabaseName: !Ref Db
      TableInput:
        Name: orders
        Description: !Ref Description
        StorageDescriptor: {Columns: [{Name: id, Type: string}]}
  Warehouse:
    Type: AWS::Glue::Connection
    Properties:
      CatalogId: !Ref AWS::AccountId
      ConnectionInput:
        Name: warehouse
        Description: !Ref Description
        ConnectionType: JDBC
        ConnectionProperties: {JDBC_CONNECTION_URL: "jdbc:postgresql://db:5432/sales"}
  Arrivals:
    Type: AWS::Glue::Trigger
    Properties:
      Name: on-arrival
      Type: EVENT
      Description: !Ref Description
      EventBatchingCondition: {BatchSize: 5, BatchWindow: 300}
      Actions: [{JobName: ingest}]
  Domain:
    Type: AWS::DataZone::Domain
    Properties:
      Name: !Ref DomainName
      Description: !Ref Description
      DomainVersion: !Ref DomainVersion
      DomainExecutionRole: arn:aws:iam::123456789012:role/dz
"""


def test_the_catalog_an_event_trigger_and_a_domain_update_in_place_or_are_replaced(aws: AWS) -> None:
    cloudformation = aws.client("cloudformation")
    glue, datazone = aws.client("glue"), aws.client("datazone")
    cloudformation.create_stack(StackName="catalog", TemplateBody=CATALOG)
    assert stack_of(cloudformation, "catalog")["StackStatus"] == "CREATE_COMPLETE"
    before = physical_ids(cloudformation, "catalog")
    trigger = glue.get_trigger(Name="on-arrival")["Trigger"]
    assert trigger["Type"] == "EVENT" and trigger["State"] == "CREATED"  # EVENT triggers are never activated
    assert trigger["EventBatchingCondition"] == {"BatchSize": 5, "BatchWindow": 300}
    created = glue.get_connection(Name="warehouse")["Connection"]["CreationTime"]

    # A parameter's new value: every resource updated in place, the domain's version replaces it.
    parameters = [{"ParameterKey": "Description", "ParameterValue": "second"}]
    cloudformation.update_stack(StackName="catalog", TemplateBody=CATALOG, Parameters=parameters)
    assert stack_of(cloudformation, "catalog")["StackStatus"] == "UPDATE_COMPLETE"
    assert physical_ids(cloudformation, "catalog") == before
    assert glue.get_database(Name="sales")["Database"]["Description"] == "second"
    table = glue.get_table(DatabaseName="sales", Name="orders")["Table"]
    assert table["Description"] == "second" and table["VersionId"] == "2"
    connection = glue.get_connection(Name="warehouse")["Connection"]
    assert connection["Description"] == "second" and connection["CreationTime"] == created
    assert glue.get_trigger(Name="on-arrival")["Trigger"]["Description"] == "second"
    assert datazone.get_domain(identifier=before["Domain"])["description"] == "second"

    # A new version replaces the domain; the new one is made first, so keeping its name fails (DataZone's names are
    # unique) and the update goes back: the descriptions it had changed too, and the parameters.
    third = [{"ParameterKey": "Description", "ParameterValue": "third"}]
    version = [{"ParameterKey": "DomainVersion", "ParameterValue": "V2"}]
    cloudformation.update_stack(StackName="catalog", TemplateBody=CATALOG, Parameters=third + version)
    stack = stack_of(cloudformation, "catalog")
    assert stack["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
    assert {p["ParameterKey"]: p["ParameterValue"] for p in stack["Parameters"]}["Description"] == "second"
    failed = [e for e in events(cloudformation, "catalog") if e[1] == "CREATE_FAILED"]
    assert [e[0] for e in failed] == ["Domain"] and "A domain with name sales already exists." in (failed[0][2] or "")
    assert physical_ids(cloudformation, "catalog") == before
    assert glue.get_database(Name="sales")["Database"]["Description"] == "second"
    assert glue.get_trigger(Name="on-arrival")["Trigger"]["Description"] == "second"
    assert [d["description"] for d in datazone.list_domains()["items"]] == ["second"]

    renamed = [{"ParameterKey": "DomainName", "ParameterValue": "sales-v2"}]
    cloudformation.update_stack(StackName="catalog", TemplateBody=CATALOG, Parameters=parameters + version + renamed)
    assert stack_of(cloudformation, "catalog")["StackStatus"] == "UPDATE_COMPLETE"
    after = physical_ids(cloudformation, "catalog")
    assert after["Domain"] != before["Domain"] and {k: v for k, v in after.items() if k != "Domain"} == {
        k: v for k, v in before.items() if k != "Domain"
    }
    assert [d["id"] for d in datazone.list_domains()["items"]] == [after["Domain"]]
    assert datazone.get_domain(identifier=after["Domain"])["domainVersion"] == "V2"

    cloudformation.delete_stack(StackName="catalog")
    assert glue.get_databases()["DatabaseList"] == [] and glue.get_connections()["ConnectionList"] == []
    assert glue.get_triggers()["Triggers"] == [] and datazone.list_domains()["items"] == []
