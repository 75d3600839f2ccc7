"""CloudFormation updates and rollbacks as CloudFormation orders them, in both modes through boto3: what an update
replaces or removes is deleted only once the update has succeeded (its cleanup phase), a rollback puts the originals
back untouched and deletes the replacements, the stack's parameters go back with it, a crawler updates in place, a
nested stack's failure fails its parent, and properties of the wrong JSON type are refused before any call."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.cloudformation_helpers import events, physical_ids, stack_of
from tests.conftest import ACCOUNT, AWS
from tests.glue_helpers import ROLE, error_of

COMMAND = {"Name": "glueetl", "ScriptLocation": "s3://scripts/step.py"}


def _body(resources: dict[str, Any], parameters: dict[str, Any] | None = None) -> str:
    template: dict[str, Any] = {"Resources": resources}
    if parameters:
        template["Parameters"] = parameters
    return json.dumps(template)


def _job(name: str, **properties: Any) -> dict[str, Any]:
    return {"Type": "AWS::Glue::Job", "Properties": {"Name": name, "Role": ROLE, "Command": COMMAND, **properties}}


def _workflow(max_runs: Any = 1) -> dict[str, Any]:
    return {"Type": "AWS::Glue::Workflow", "Properties": {"Name": "flow", "MaxConcurrentRuns": max_runs}}


def _crawler(description: str, schedule: str) -> dict[str, Any]:
    properties = {
        "Name": "curated",
        "Role": ROLE,
        "DatabaseName": "lake",
        "Description": description,
        "Schedule": {"ScheduleExpression": schedule},
        "Targets": {"S3Targets": [{"Path": "s3://data/curated/"}]},
    }
    return {"Type": "AWS::Glue::Crawler", "Properties": properties}


def _stack_events(cloudformation: Any, name: str) -> list[tuple[str, str]]:
    """(logical id, status) of the events after CreateStack's, oldest first."""
    return [(logical, status) for logical, status, _ in events(cloudformation, name)][2:]


def test_a_crawler_updates_in_place(aws: AWS) -> None:
    cloudformation, glue = aws.client("cloudformation"), aws.client("glue")
    cloudformation.create_stack(StackName="crawl", TemplateBody=_body({"C": _crawler("one", "cron(0 1 * * ? *)")}))
    assert stack_of(cloudformation, "crawl")["StackStatus"] == "CREATE_COMPLETE"
    before = glue.get_crawler(Name="curated")["Crawler"]

    cloudformation.update_stack(StackName="crawl", TemplateBody=_body({"C": _crawler("two", "cron(0 5 * * ? *)")}))
    assert stack_of(cloudformation, "crawl")["StackStatus"] == "UPDATE_COMPLETE"
    after = glue.get_crawler(Name="curated")["Crawler"]
    assert after["Description"] == "two" and after["Schedule"]["ScheduleExpression"] == "cron(0 5 * * ? *)"
    assert after["Version"] == before["Version"] + 1 and after["CreationTime"] == before["CreationTime"]
    assert physical_ids(cloudformation, "crawl") == {"C": "curated"}
    assert _stack_events(cloudformation, "crawl") == [("crawl", "UPDATE_IN_PROGRESS"), ("crawl", "UPDATE_COMPLETE")]


def _catalog(database: str) -> str:
    return _body(
        {
            "Db": {
                "Type": "AWS::Glue::Database",
                "Properties": {"CatalogId": {"Ref": "AWS::AccountId"}, "DatabaseInput": {"Name": database}},
            },
            "Orders": {
                "Type": "AWS::Glue::Table",
                "Properties": {
                    "CatalogId": {"Ref": "AWS::AccountId"},
                    "DatabaseName": {"Ref": "Db"},
                    "TableInput": {"Name": "orders", "Description": "kept"},
                },
            },
        }
    )


def test_a_rolled_back_rename_keeps_the_original_database_and_its_table(aws: AWS) -> None:
    cloudformation, glue = aws.client("cloudformation"), aws.client("glue")
    cloudformation.create_stack(StackName="lake", TemplateBody=_catalog("lake_v1"))
    created = glue.get_table(DatabaseName="lake_v1", Name="orders")["Table"]["CreateTime"]

    # The new name replaces the database; the table follows it, and its custom name forbids that: rollback.
    cloudformation.update_stack(StackName="lake", TemplateBody=_catalog("lake_v2"))
    assert stack_of(cloudformation, "lake")["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
    assert physical_ids(cloudformation, "lake") == {"Db": "lake_v1", "Orders": "orders"}
    # The original database was never deleted (moto's DeleteDatabase would have taken its tables with it).
    assert [d["Name"] for d in glue.get_databases()["DatabaseList"]] == ["lake_v1"]
    table = glue.get_table(DatabaseName="lake_v1", Name="orders")["Table"]
    assert table["CreateTime"] == created and table["Description"] == "kept"
    # The replacement goes in the rollback's cleanup; no UPDATE_COMPLETE was ever recorded.
    assert _stack_events(cloudformation, "lake") == [
        ("lake", "UPDATE_IN_PROGRESS"),
        ("Orders", "UPDATE_FAILED"),
        ("lake", "UPDATE_ROLLBACK_IN_PROGRESS"),
        ("Db", "DELETE_IN_PROGRESS"),
        ("Db", "DELETE_COMPLETE"),
        ("lake", "UPDATE_ROLLBACK_COMPLETE"),
    ]

    cloudformation.delete_stack(StackName="lake")
    assert glue.get_databases()["DatabaseList"] == []


def _pipeline(job_name: str, max_runs: Any = 1) -> str:
    trigger = {
        "Type": "AWS::Glue::Trigger",
        "Properties": {"Type": "ON_DEMAND", "Actions": [{"JobName": {"Ref": "J"}}]},
    }
    return _body({"J": _job(job_name), "T": trigger, "W": _workflow(max_runs)})


def test_a_rolled_back_job_rename_keeps_the_job_its_runs_and_creation_time(aws: AWS) -> None:
    cloudformation, glue = aws.client("cloudformation"), aws.client("glue")
    cloudformation.create_stack(StackName="etl", TemplateBody=_pipeline("extract"))
    trigger = physical_ids(cloudformation, "etl")["T"]
    run_id = glue.start_job_run(JobName="extract")["JobRunId"]
    created = glue.get_job(JobName="extract")["Job"]["CreatedOn"]

    # The job's new name replaces it (and the trigger follows), then the workflow fails: all goes back.
    cloudformation.update_stack(StackName="etl", TemplateBody=_pipeline("extract-v2", "many"))
    assert stack_of(cloudformation, "etl")["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
    assert physical_ids(cloudformation, "etl") == {"J": "extract", "T": trigger, "W": "flow"}
    assert glue.list_jobs()["JobNames"] == ["extract"]
    assert glue.get_job(JobName="extract")["Job"]["CreatedOn"] == created
    assert [r["Id"] for r in glue.get_job_runs(JobName="extract")["JobRuns"]] == [run_id]
    assert glue.get_trigger(Name=trigger)["Trigger"]["Actions"] == [{"JobName": "extract"}]
    statuses = [status for _, status in _stack_events(cloudformation, "etl")]
    assert "UPDATE_COMPLETE" not in statuses and statuses[-1] == "UPDATE_ROLLBACK_COMPLETE"


def test_a_successful_update_deletes_what_it_replaced_or_removed_in_its_cleanup(aws: AWS) -> None:
    cloudformation, glue = aws.client("cloudformation"), aws.client("glue")
    extra = _body({"J": _job("extract"), "Old": _job("old")})
    cloudformation.create_stack(StackName="etl", TemplateBody=extra)

    # A removed job stays while the update fails, and is the stack's again after the rollback.
    failing = json.loads(_pipeline("extract", "many"))
    cloudformation.update_stack(StackName="etl", TemplateBody=json.dumps(failing))
    assert stack_of(cloudformation, "etl")["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
    assert physical_ids(cloudformation, "etl") == {"J": "extract", "Old": "old"}
    assert sorted(glue.list_jobs()["JobNames"]) == ["extract", "old"]

    cloudformation.update_stack(StackName="etl", TemplateBody=_pipeline("extract-v2"))
    assert stack_of(cloudformation, "etl")["StackStatus"] == "UPDATE_COMPLETE"
    assert glue.list_jobs()["JobNames"] == ["extract-v2"]
    trigger = physical_ids(cloudformation, "etl")["T"]
    assert glue.get_trigger(Name=trigger)["Trigger"]["Actions"] == [{"JobName": "extract-v2"}]
    # The originals go after every change is made (the cleanup), then the stack is UPDATE_COMPLETE.
    history = _stack_events(cloudformation, "etl")
    started = len(history) - 1 - history[::-1].index(("etl", "UPDATE_IN_PROGRESS"))
    assert sorted(history[started + 1 : -1]) == [
        ("J", "DELETE_COMPLETE"),
        ("J", "DELETE_IN_PROGRESS"),
        ("Old", "DELETE_COMPLETE"),
        ("Old", "DELETE_IN_PROGRESS"),
    ]
    assert history[-1] == ("etl", "UPDATE_COMPLETE")
    assert ("etl", "UPDATE_COMPLETE") not in history[: history.index(("etl", "UPDATE_ROLLBACK_COMPLETE"))]

    # A database renamed for good: the new one has the table, the old one is gone.
    body = _catalog("lake_v1").replace('"Name": "orders", ', "")
    cloudformation.create_stack(StackName="lake", TemplateBody=body)
    cloudformation.update_stack(StackName="lake", TemplateBody=body.replace("lake_v1", "lake_v2"))
    assert stack_of(cloudformation, "lake")["StackStatus"] == "UPDATE_COMPLETE"
    table = physical_ids(cloudformation, "lake")["Orders"]
    assert [d["Name"] for d in glue.get_databases()["DatabaseList"]] == ["lake_v2"]
    assert [t["Name"] for t in glue.get_tables(DatabaseName="lake_v2")["TableList"]] == [table]


DATABASE_BY_PARAMETER = {
    "Db": {
        "Type": "AWS::Glue::Database",
        "Properties": {
            "CatalogId": {"Ref": "AWS::AccountId"},
            "DatabaseInput": {"Name": {"Ref": "DbName"}, "Description": {"Ref": "Note"}},
        },
    },
    "Orders": {
        "Type": "AWS::Glue::Table",
        "Properties": {
            "CatalogId": {"Ref": "AWS::AccountId"},
            "DatabaseName": {"Ref": "Db"},
            "TableInput": {"Name": "orders"},
        },
    },
}


def test_a_failure_after_moto_updated_the_resources_leaves_the_previous_parameters(aws: AWS) -> None:
    cloudformation, glue = aws.client("cloudformation"), aws.client("glue")
    parameters = {"DbName": {"Type": "String"}, "Note": {"Type": "String", "Default": "first"}}
    body = _body(DATABASE_BY_PARAMETER, parameters)
    cloudformation.create_stack(
        StackName="lake", TemplateBody=body, Parameters=[{"ParameterKey": "DbName", "ParameterValue": "lake_v1"}]
    )
    # moto's diff sees no change (the template's text is the same); the table following the new database fails.
    cloudformation.update_stack(
        StackName="lake", TemplateBody=body, Parameters=[{"ParameterKey": "DbName", "ParameterValue": "lake_v2"}]
    )
    stack = stack_of(cloudformation, "lake")
    assert stack["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
    assert {p["ParameterKey"]: p["ParameterValue"] for p in stack["Parameters"]} == {
        "DbName": "lake_v1",
        "Note": "first",
    }
    statuses = [status for _, status in _stack_events(cloudformation, "lake")]
    assert statuses.index("UPDATE_FAILED") < statuses.index("UPDATE_ROLLBACK_COMPLETE")
    assert "UPDATE_COMPLETE" not in statuses

    # UsePreviousValue takes the value the stack went back to.
    kept = [
        {"ParameterKey": "DbName", "UsePreviousValue": True},
        {"ParameterKey": "Note", "ParameterValue": "second"},
    ]
    cloudformation.update_stack(StackName="lake", TemplateBody=body, Parameters=kept)
    stack = stack_of(cloudformation, "lake")
    assert stack["StackStatus"] == "UPDATE_COMPLETE"
    assert {p["ParameterKey"]: p["ParameterValue"] for p in stack["Parameters"]}["DbName"] == "lake_v1"
    assert glue.get_database(Name="lake_v1")["Database"]["Description"] == "second"
    assert [t["Name"] for t in glue.get_tables(DatabaseName="lake_v1")["TableList"]] == ["orders"]


def _domains(second: bool) -> str:
    def domain(name: str, version: str) -> dict[str, Any]:
        properties = {"Name": name, "DomainExecutionRole": ROLE, "DomainVersion": version}
        return {"Type": "AWS::DataZone::Domain", "Properties": properties}

    return _body(
        {
            "First": domain("b" if second else "a", "V1"),
            "Second": domain("a" if second else "x", "V2" if second else "V1"),
            "W": _workflow("many" if second else 1),
        }
    )


def test_a_stack_whose_rollback_failed_refuses_updates(aws: AWS) -> None:
    cloudformation = aws.client("cloudformation")
    stack_id = cloudformation.create_stack(StackName="dz", TemplateBody=_domains(False))["StackId"]
    # First takes the name b, Second's replacement the name a; the workflow fails. Going back, First cannot have
    # its name a again while Second's replacement (deleted only in the rollback's cleanup) holds it.
    cloudformation.update_stack(StackName="dz", TemplateBody=_domains(True))
    stack = stack_of(cloudformation, "dz")
    assert stack["StackStatus"] == "UPDATE_ROLLBACK_FAILED"
    assert "A domain with name a already exists." in (events(cloudformation, "dz")[-1][2] or "")
    code, message = error_of(cloudformation.update_stack, StackName="dz", TemplateBody=_domains(False))
    assert (code, message) == (
        "ValidationError",
        f"Stack:{stack_id} is in UPDATE_ROLLBACK_FAILED state and can not be updated.",
    )
    cloudformation.delete_stack(StackName="dz")


def test_a_nested_stack_that_fails_fails_and_rolls_back_its_parent(aws: AWS) -> None:
    cloudformation, glue, s3 = aws.client("cloudformation"), aws.client("glue"), aws.client("s3")
    glue.create_workflow(Name="taken")
    s3.create_bucket(Bucket="templates")
    child = {
        "Made": {"Type": "AWS::Glue::Workflow", "Properties": {"Name": "child-made"}},
        "Clash": {"Type": "AWS::Glue::Workflow", "DependsOn": "Made", "Properties": {"Name": "taken"}},
    }
    s3.put_object(Bucket="templates", Key="child.json", Body=_body(child).encode())
    parent = {
        "Flow": {"Type": "AWS::Glue::Workflow", "Properties": {"Name": "parent-made"}},
        "Child": {
            "Type": "AWS::CloudFormation::Stack",
            "DependsOn": "Flow",
            "Properties": {"TemplateURL": "https://templates.s3.amazonaws.com/child.json"},
        },
    }
    cloudformation.create_stack(StackName="parent", TemplateBody=_body(parent))
    assert stack_of(cloudformation, "parent")["StackStatus"] == "ROLLBACK_COMPLETE"
    summaries = cloudformation.list_stacks()["StackSummaries"]
    nested = next(s for s in summaries if s["StackName"].startswith("parent-Child-"))
    assert nested["StackStatus"] == "DELETE_COMPLETE"  # the parent's rollback deleted it
    failed = [e for e in events(cloudformation, "parent") if e[1] == "CREATE_FAILED"]
    assert failed == [
        (
            "Child",
            "CREATE_FAILED",
            f"Embedded stack {nested['StackId']} was not successfully created: "
            "The following resource(s) failed to create: [Clash]. Rollback requested by user.",
        )
    ]
    assert glue.list_workflows()["Workflows"] == ["taken"]


def _unset(present: bool) -> str:
    trigger: dict[str, Any] = {"Name": "start", "Type": "ON_DEMAND", "Actions": [{"JobName": {"Ref": "J"}}]}
    domain: dict[str, Any] = {"Name": "sales", "DomainExecutionRole": ROLE}
    if present:
        trigger["Description"] = domain["Description"] = "first"
        domain["Tags"] = [{"Key": "team", "Value": "data"}]
    return _body(
        {
            "J": _job("extract"),
            "T": {"Type": "AWS::Glue::Trigger", "Properties": trigger},
            "D": {"Type": "AWS::DataZone::Domain", "Properties": domain},
        }
    )


def test_what_the_template_drops_is_unset(aws: AWS) -> None:
    cloudformation, glue, datazone = aws.client("cloudformation"), aws.client("glue"), aws.client("datazone")
    cloudformation.create_stack(StackName="unset", TemplateBody=_unset(True))
    domain_id = physical_ids(cloudformation, "unset")["D"]
    assert glue.get_trigger(Name="start")["Trigger"]["Description"] == "first"
    assert datazone.get_domain(identifier=domain_id)["tags"] == {"team": "data"}

    cloudformation.update_stack(StackName="unset", TemplateBody=_unset(False))
    assert stack_of(cloudformation, "unset")["StackStatus"] == "UPDATE_COMPLETE"
    assert "Description" not in glue.get_trigger(Name="start")["Trigger"]
    domain = datazone.get_domain(identifier=domain_id)
    assert domain.get("tags", {}) == {} and "description" not in domain


@pytest.mark.parametrize(
    ("resource", "reason"),
    [
        (
            {"Type": "AWS::Glue::Database", "Properties": {"CatalogId": ACCOUNT, "DatabaseInput": "lake"}},
            "#/DatabaseInput: expected type: JSONObject, found: String",
        ),
        (
            {
                "Type": "AWS::Glue::Table",
                "Properties": {"CatalogId": ACCOUNT, "DatabaseName": "lake", "TableInput": [{"Name": "t"}]},
            },
            "#/TableInput: expected type: JSONObject, found: JSONArray",
        ),
        (
            {
                "Type": "AWS::Glue::Crawler",
                "Properties": {"Role": ROLE, "Targets": {"S3Targets": [{"Path": "s3://data/"}]}, "Schedule": 5},
            },
            "#/Schedule: expected type: JSONObject, found: Integer",
        ),
        (
            {
                "Type": "AWS::DataZone::Domain",
                "Properties": {"Name": "d", "DomainExecutionRole": ROLE, "SingleSignOn": "x"},
            },
            "#/SingleSignOn: expected type: JSONObject, found: String",
        ),
        (
            {"Type": "AWS::DataZone::Domain", "Properties": {"Name": "d", "DomainExecutionRole": ROLE, "Tags": [1, 2]}},
            "#/Tags/0: expected type: JSONObject, found: Integer",
        ),
        (
            _job("extract", Tags=[{"Key": "team", "Value": "data"}]),
            "#/Tags: expected type: JSONObject, found: JSONArray",
        ),
    ],
)
def test_a_property_of_the_wrong_json_type_is_refused(aws: AWS, resource: dict[str, Any], reason: str) -> None:
    cloudformation = aws.client("cloudformation")
    cloudformation.create_stack(StackName="typed", TemplateBody=_body({"X": resource}))
    assert stack_of(cloudformation, "typed")["StackStatus"] == "ROLLBACK_COMPLETE"
    failed = [e for e in events(cloudformation, "typed") if e[1] == "CREATE_FAILED"]
    assert failed == [("X", "CREATE_FAILED", f"Properties validation failed for resource X with message: {reason}")]
    assert aws.client("glue").get_databases()["DatabaseList"] == []
    assert aws.client("datazone").list_domains()["items"] == []


def test_another_accounts_catalog_is_refused(aws: AWS) -> None:
    cloudformation, glue = aws.client("cloudformation"), aws.client("glue")
    database = {"CatalogId": "999999999999", "DatabaseInput": {"Name": "theirs"}}
    cloudformation.create_stack(
        StackName="cross", TemplateBody=_body({"Db": {"Type": "AWS::Glue::Database", "Properties": database}})
    )
    assert stack_of(cloudformation, "cross")["StackStatus"] == "ROLLBACK_COMPLETE"
    reason = next(e[2] for e in events(cloudformation, "cross") if e[1] == "CREATE_FAILED") or ""
    assert reason.startswith(
        f'Resource handler returned message: "User: arn:aws:iam::{ACCOUNT}:root is not authorized to perform: '
        "glue:CreateDatabase on resource: arn:aws:glue:us-east-1:999999999999:catalog (Service: Glue, Status Code: 400"
    )
    assert reason.endswith("HandlerErrorCode: AccessDenied)")
    assert glue.get_databases()["DatabaseList"] == []
