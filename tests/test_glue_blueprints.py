"""Blueprints end to end: archive in mocked S3, registration, runs, created workflows that run."""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import Any

import pytest

from moto_glue_workflows import wait_for_blueprint_run
from tests.conftest import AWS
from tests.glue_helpers import error_of

ROLE = "arn:aws:iam::123456789012:role/blueprint-runner"
BUCKET = "blueprint-archives"

CHAIN = """
from awsglue.blueprint.workflow import Workflow, Entities
from awsglue.blueprint.job import Job
from awsglue.blueprint.crawler import Crawler
import boto3


def generate_layout(user_params, system_params):
    glue = boto3.client("glue")
    glue.create_database(DatabaseInput={"Name": user_params["DatabaseName"]})
    boto3.client("s3").put_object(Bucket=user_params["Bucket"], Key="marker.txt", Body=system_params["accountId"])
    crawler = Crawler(
        Name="raw",
        Role=user_params["Role"],
        DatabaseName=user_params["DatabaseName"],
        Targets={"S3Targets": [{"Path": "s3://data/raw/"}]},
    )
    jobs = []
    previous = crawler
    for index in range(user_params["Steps"]):
        step = Job(
            Name=f"step{index}",
            Role=user_params["Role"],
            Command={"Name": "glueetl", "ScriptLocation": f"s3://scripts/step{index}.py"},
            DependsOn={previous: "SUCCEEDED"},
        )
        jobs.append(step)
        previous = step
    schedule = user_params.get("Schedule")
    return Workflow(
        Name=user_params["WorkflowName"],
        Entities=Entities(Jobs=jobs, Crawlers=[crawler]),
        **({"OnSchedule": schedule} if schedule else {}),
    )
"""

SPEC = {
    "WorkflowName": {"type": "String", "collection": False},
    "DatabaseName": {"type": "String", "collection": False, "defaultValue": "blueprint_db"},
    "Bucket": {"type": "S3Bucket", "collection": False},
    "Role": {"type": "IAMRoleArn", "collection": False},
    "Steps": {"type": "Integer", "collection": False, "defaultValue": 2},
    "Schedule": {"type": "String", "collection": False, "defaultValue": ""},
}


def archive(
    layout: str = CHAIN, spec: dict[str, Any] | None = None, generator: str = "chain.layout.generate_layout"
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        zipped.writestr(
            "chain/blueprint.cfg", json.dumps({"layoutGenerator": generator, "parameterSpec": spec or SPEC})
        )
        zipped.writestr("chain/__init__.py", "")
        zipped.writestr("chain/layout.py", layout)
    return buffer.getvalue()


def upload(aws: AWS, key: str, data: bytes) -> str:
    s3 = aws.client("s3")
    if not s3.list_buckets()["Buckets"]:
        s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key=key, Body=data)
    return f"s3://{BUCKET}/{key}"


def params(**overrides: Any) -> str:
    return json.dumps({"WorkflowName": "generated", "Bucket": BUCKET, "Role": ROLE, **overrides})


def run_state(glue: Any, blueprint: str, run_id: str) -> dict[str, Any]:
    """The run once it has ended: StartBlueprintRun answers at once, the layout runs meanwhile."""
    return wait_for_blueprint_run(glue, blueprint, run_id)


def finish(glue: Any, workflow: str) -> dict[str, Any]:
    run_id = glue.start_workflow_run(Name=workflow)["RunId"]
    for _ in range(10):
        run = glue.get_workflow_run(Name=workflow, RunId=run_id, IncludeGraph=True)["Run"]
        if run["Status"] == "COMPLETED":
            return run
    raise AssertionError(f"workflow run did not complete: {run}")


def test_zip_to_finished_workflow_run(aws: AWS) -> None:
    glue = aws.client("glue")
    location = upload(aws, "chain.zip", archive())
    assert glue.create_blueprint(Name="chain", BlueprintLocation=location, Tags={"team": "data"})["Name"] == "chain"
    blueprint = glue.get_blueprint(Name="chain")["Blueprint"]
    assert blueprint["Status"] == "ACTIVE" and blueprint["BlueprintLocation"] == location
    assert "ParameterSpec" not in blueprint and "BlueprintServiceLocation" not in blueprint
    full = glue.get_blueprint(Name="chain", IncludeBlueprint=True, IncludeParameterSpec=True)["Blueprint"]
    assert json.loads(full["ParameterSpec"]) == json.loads(json.dumps(SPEC))
    assert full["BlueprintServiceLocation"].startswith("s3://") and full["BlueprintServiceLocation"].endswith(
        "chain.zip"
    )

    run_id = glue.start_blueprint_run(BlueprintName="chain", Parameters=params(Steps=3), RoleArn=ROLE)["RunId"]
    run = run_state(glue, "chain", run_id)
    assert run["State"] == "SUCCEEDED" and run["WorkflowName"] == "generated" and run["RoleArn"] == ROLE
    assert run["CompletedOn"] >= run["StartedOn"] and json.loads(run["Parameters"])["Steps"] == 3

    workflow = glue.get_workflow(Name="generated", IncludeGraph=True)["Workflow"]
    assert workflow["BlueprintDetails"] == {"BlueprintName": "chain", "RunId": run_id}
    names = {node["Name"]: node["Type"] for node in workflow["Graph"]["Nodes"]}
    jobs = sorted(name for name, kind in names.items() if kind == "JOB")
    crawlers = [name for name, kind in names.items() if kind == "CRAWLER"]
    assert len(jobs) == 3 and all(re.fullmatch(r"step\d_\w+", name) for name in jobs)
    assert len(crawlers) == 1 and crawlers[0].startswith("raw_")
    triggers = {t["Name"]: t for t in glue.get_triggers()["Triggers"]}
    assert triggers["generated_starting_trigger"]["Type"] == "ON_DEMAND"
    conditional = [t for t in triggers.values() if t["Type"] == "CONDITIONAL"]
    assert len(conditional) == 3 and all(t["State"] == "ACTIVATED" for t in conditional)
    assert all(re.fullmatch(r"generated_.+_trigger", name) for name in triggers)

    # The layout's own boto3 calls reached the same mocked account and region.
    assert glue.get_database(Name="blueprint_db")["Database"]["Name"] == "blueprint_db"
    marker = aws.client("s3").get_object(Bucket=BUCKET, Key="marker.txt")["Body"].read()
    assert marker == b"123456789012"

    finished = finish(glue, "generated")
    assert {k: v for k, v in finished["Statistics"].items() if v} == {"TotalActions": 4, "SucceededActions": 4}


def test_scheduled_start(aws: AWS) -> None:
    glue = aws.client("glue")
    glue.create_blueprint(Name="chain", BlueprintLocation=upload(aws, "chain.zip", archive()))
    run_id = glue.start_blueprint_run(
        BlueprintName="chain", Parameters=params(Steps=1, Schedule="cron(0 5 * * ? *)"), RoleArn=ROLE
    )["RunId"]
    assert run_state(glue, "chain", run_id)["State"] == "SUCCEEDED"
    start = glue.get_trigger(Name="generated_starting_trigger")["Trigger"]
    assert start["Type"] == "SCHEDULED" and start["Schedule"] == "cron(0 5 * * ? *)"
    assert finish(glue, "generated")["Status"] == "COMPLETED"


RAISES = """
def generate_layout(user_params, system_params):
    raise RuntimeError("cannot reach the source database")
"""


def test_layout_that_raises_fails_the_run(aws: AWS) -> None:
    glue = aws.client("glue")
    glue.create_blueprint(Name="broken", BlueprintLocation=upload(aws, "raises/chain.zip", archive(RAISES)))
    run_id = glue.start_blueprint_run(BlueprintName="broken", Parameters=params(), RoleArn=ROLE)["RunId"]
    run = run_state(glue, "broken", run_id)
    assert run["State"] == "FAILED" and "cannot reach the source database" in run["ErrorMessage"]
    assert "WorkflowName" not in run
    assert glue.list_workflows().get("Workflows", []) == []
    assert glue.get_blueprint_runs(BlueprintName="broken")["BlueprintRuns"][0]["RunId"] == run_id


def test_a_run_that_cannot_create_everything_rolls_back(aws: AWS) -> None:
    glue = aws.client("glue")
    glue.create_blueprint(Name="chain", BlueprintLocation=upload(aws, "chain.zip", archive()))
    glue.create_workflow(Name="generated")
    run_id = glue.start_blueprint_run(BlueprintName="chain", Parameters=params(), RoleArn=ROLE)["RunId"]
    run = run_state(glue, "chain", run_id)
    assert run["State"] == "FAILED" and "generated" in run["ErrorMessage"]
    assert glue.list_jobs()["JobNames"] == [] and glue.list_crawlers()["CrawlerNames"] == []
    assert "BlueprintDetails" not in glue.get_workflow(Name="generated")["Workflow"]


@pytest.mark.parametrize(
    ("parameters", "named"),
    [
        (json.dumps({"Bucket": BUCKET, "Role": ROLE}), "WorkflowName"),
        (params(Steps="three"), "Steps"),
        (params(Role="not-an-arn"), "Role"),
        (params(Unknown=1), "Unknown"),
        ("{not json", "Parameters"),
    ],
)
def test_parameters_are_checked_against_the_spec(aws: AWS, parameters: str, named: str) -> None:
    glue = aws.client("glue")
    glue.create_blueprint(Name="chain", BlueprintLocation=upload(aws, "chain.zip", archive()))
    code, message = error_of(glue.start_blueprint_run, BlueprintName="chain", Parameters=parameters, RoleArn=ROLE)
    assert code == "InvalidInputException" and named in message
    assert glue.get_blueprint_runs(BlueprintName="chain")["BlueprintRuns"] == []


def test_missing_or_broken_archives_fail_registration(aws: AWS) -> None:
    glue = aws.client("glue")
    upload(aws, "unrelated.txt", b"x")
    glue.create_blueprint(Name="missing", BlueprintLocation=f"s3://{BUCKET}/nope.zip")
    missing = glue.get_blueprint(Name="missing")["Blueprint"]
    assert missing["Status"] == "FAILED" and f"s3://{BUCKET}/nope.zip" in missing["ErrorMessage"]
    glue.create_blueprint(Name="notzip", BlueprintLocation=upload(aws, "notzip/chain.zip", b"plain text"))
    assert glue.get_blueprint(Name="notzip")["Blueprint"]["Status"] == "FAILED"
    bad_spec = archive(spec={"X": {"collection": False}})
    glue.create_blueprint(Name="badspec", BlueprintLocation=upload(aws, "badspec/chain.zip", bad_spec))
    failed = glue.get_blueprint(Name="badspec")["Blueprint"]
    assert failed["Status"] == "FAILED" and "type" in failed["ErrorMessage"]
    code, message = error_of(glue.start_blueprint_run, BlueprintName="missing", Parameters=params(), RoleArn=ROLE)
    assert code == "IllegalBlueprintStateException" and "missing" in message


def test_failed_update_keeps_the_last_good_version(aws: AWS) -> None:
    glue = aws.client("glue")
    good = upload(aws, "chain.zip", archive())
    glue.create_blueprint(Name="chain", BlueprintLocation=good, Description="v1")
    glue.update_blueprint(
        Name="chain", BlueprintLocation=upload(aws, "broken/chain.zip", b"PK broken"), Description="v2"
    )
    blueprint = glue.get_blueprint(Name="chain", IncludeParameterSpec=True)["Blueprint"]
    assert blueprint["Status"] == "FAILED" and blueprint["ErrorMessage"]
    last = blueprint["LastActiveDefinition"]
    assert last["BlueprintLocation"] == good and last["Description"] == "v1" and json.loads(last["ParameterSpec"])
    run_id = glue.start_blueprint_run(BlueprintName="chain", Parameters=params(Steps=1), RoleArn=ROLE)["RunId"]
    assert run_state(glue, "chain", run_id)["State"] == "SUCCEEDED"


def test_blueprint_lifecycle_and_errors(aws: AWS) -> None:
    glue = aws.client("glue")
    location = upload(aws, "chain.zip", archive())
    for name, team in (("a", "x"), ("b", "y"), ("c", "x")):
        glue.create_blueprint(Name=name, BlueprintLocation=location, Tags={"team": team})
    assert error_of(glue.create_blueprint, Name="a", BlueprintLocation=location)[0] == "AlreadyExistsException"
    assert glue.list_blueprints()["Blueprints"] == ["a", "b", "c"]
    assert glue.list_blueprints(Tags={"team": "x"})["Blueprints"] == ["a", "c"]
    first = glue.list_blueprints(MaxResults=2)
    assert first["Blueprints"] == ["a", "b"]
    assert glue.list_blueprints(MaxResults=2, NextToken=first["NextToken"])["Blueprints"] == ["c"]
    batch = glue.batch_get_blueprints(Names=["a", "zzz"], IncludeParameterSpec=True)
    assert [b["Name"] for b in batch["Blueprints"]] == ["a"] and batch["MissingBlueprints"] == ["zzz"]
    assert "ParameterSpec" in batch["Blueprints"][0]
    assert glue.delete_blueprint(Name="b")["Name"] == "b"
    assert glue.delete_blueprint(Name="b")["Name"] == "b"
    assert error_of(glue.get_blueprint, Name="b")[0] == "EntityNotFoundException"
    assert error_of(glue.update_blueprint, Name="b", BlueprintLocation=location)[0] == "EntityNotFoundException"
    code, message = error_of(glue.start_blueprint_run, BlueprintName="b", RoleArn=ROLE)
    assert code == "EntityNotFoundException"
    assert error_of(glue.get_blueprint_run, BlueprintName="a", RunId="nope")[0] == "EntityNotFoundException"
    code, message = error_of(glue.create_blueprint, Name="bad name!", BlueprintLocation=location)
    assert code == "ValidationException" and "Value 'bad name!' at 'name' failed to satisfy constraint" in message
    code, message = error_of(glue.create_blueprint, Name="x", BlueprintLocation="https://example.com/a.zip")
    assert code == "ValidationException" and "at 'blueprintLocation'" in message
    code, message = error_of(glue.start_blueprint_run, BlueprintName="a", RoleArn="role")
    assert code == "ValidationException" and "Value 'role' at 'roleArn'" in message


def test_manual_progression_of_registration_and_runs(aws: AWS) -> None:
    glue = aws.client("glue")
    aws.set_transition("glue::blueprint", {"progression": "manual", "times": 1})
    aws.set_transition("glue::blueprint_run", {"progression": "manual", "times": 2})
    glue.create_blueprint(Name="chain", BlueprintLocation=upload(aws, "chain.zip", archive()))
    assert glue.get_blueprint(Name="chain")["Blueprint"]["Status"] in ("CREATING", "ACTIVE")
    code, _ = (
        error_of(glue.start_blueprint_run, BlueprintName="chain", Parameters=params(), RoleArn=ROLE)
        if (glue.get_blueprint(Name="chain")["Blueprint"]["Status"] == "CREATING")
        else ("IllegalBlueprintStateException", "")
    )
    assert code == "IllegalBlueprintStateException"
    for _ in range(3):
        if glue.get_blueprint(Name="chain")["Blueprint"]["Status"] == "ACTIVE":
            break
    run_id = glue.start_blueprint_run(BlueprintName="chain", Parameters=params(), RoleArn=ROLE)["RunId"]
    # RUNNING while the layout runs (no read waits for it), then reads move it on.
    states = [glue.get_blueprint_run(BlueprintName="chain", RunId=run_id)["BlueprintRun"]["State"]]
    while states[-1] == "RUNNING":
        states.append(glue.get_blueprint_run(BlueprintName="chain", RunId=run_id)["BlueprintRun"]["State"])
    assert states[0] == "RUNNING" and states[-1] == "SUCCEEDED"
    assert run_state(glue, "chain", run_id)["State"] == "SUCCEEDED"


def test_execution_can_be_switched_off(aws: AWS) -> None:
    from moto_glue_workflows import set_blueprint_execution_enabled

    glue = aws.client("glue")
    glue.create_blueprint(Name="chain", BlueprintLocation=upload(aws, "chain.zip", archive()))
    set_blueprint_execution_enabled(False)
    try:
        run_id = glue.start_blueprint_run(BlueprintName="chain", Parameters=params(), RoleArn=ROLE)["RunId"]
    finally:
        set_blueprint_execution_enabled(None)
    run = run_state(glue, "chain", run_id)
    assert run["State"] == "FAILED" and "disabled" in run["ErrorMessage"]
    assert glue.list_workflows().get("Workflows", []) == []
    with pytest.raises(Exception, match="blueprint_db"):
        glue.get_database(Name="blueprint_db")
