"""Workflow definitions: create, read, update, delete, list, batch-get, graph, and input validation."""

from __future__ import annotations

import re

from botocore.config import Config

from tests.conftest import AWS
from tests.glue_helpers import chain, crawler, error_of, job, nodes_by_name, start_trigger, when


def test_create_get_update_delete(aws: AWS) -> None:
    glue = aws.client("glue")
    assert (
        glue.create_workflow(
            Name="nightly",
            Description="d",
            DefaultRunProperties={"env": "test"},
            MaxConcurrentRuns=3,
            Tags={"team": "x"},
        )["Name"]
        == "nightly"
    )
    workflow = glue.get_workflow(Name="nightly")["Workflow"]
    assert workflow["Name"] == "nightly" and workflow["Description"] == "d"
    assert workflow["DefaultRunProperties"] == {"env": "test"} and workflow["MaxConcurrentRuns"] == 3
    assert "Graph" not in workflow and "LastRun" not in workflow
    arn = "arn:aws:glue:us-east-1:123456789012:workflow/nightly"
    assert glue.get_tags(ResourceArn=arn)["Tags"] == {"team": "x"}

    assert glue.update_workflow(Name="nightly", Description="new", MaxConcurrentRuns=1)["Name"] == "nightly"
    updated = glue.get_workflow(Name="nightly")["Workflow"]
    assert updated["Description"] == "new" and updated["MaxConcurrentRuns"] == 1
    assert updated["DefaultRunProperties"] == {"env": "test"}
    assert updated["LastModifiedOn"] >= workflow["LastModifiedOn"]

    assert glue.delete_workflow(Name="nightly")["Name"] == "nightly"
    code, message = error_of(glue.get_workflow, Name="nightly")
    assert (code, message) == ("EntityNotFoundException", "Entity not found")
    assert glue.get_tags(ResourceArn=arn)["Tags"] == {}
    # AWS lists no EntityNotFoundException for DeleteWorkflow: deleting a missing one succeeds.
    assert glue.delete_workflow(Name="nightly")["Name"] == "nightly"


def test_create_existing_name_is_refused_not_overwritten(aws: AWS) -> None:
    glue = aws.client("glue")
    glue.create_workflow(Name="w", Description="first")
    code, message = error_of(glue.create_workflow, Name="w", Description="second")
    assert code == "AlreadyExistsException" and "w" in message
    assert glue.get_workflow(Name="w")["Workflow"]["Description"] == "first"
    assert error_of(glue.update_workflow, Name="missing")[0] == "EntityNotFoundException"


def test_list_workflows_pages(aws: AWS) -> None:
    glue = aws.client("glue")
    names = [f"wf-{i:02d}" for i in range(7)]
    for name in names:
        glue.create_workflow(Name=name)
    assert glue.list_workflows()["Workflows"] == names
    seen, token = [], None
    while True:
        page = glue.list_workflows(MaxResults=3, **({"NextToken": token} if token else {}))
        assert len(page["Workflows"]) <= 3
        seen += page["Workflows"]
        token = page.get("NextToken")
        if not token:
            break
    assert seen == names
    assert error_of(glue.list_workflows, NextToken="not-a-token")[0] == "InvalidInputException"


def test_batch_get_workflows_reports_missing(aws: AWS) -> None:
    glue = aws.client("glue")
    chain(glue, "etl", ["a", "b"])
    result = glue.batch_get_workflows(Names=["etl", "nope"], IncludeGraph=True)
    assert [w["Name"] for w in result["Workflows"]] == ["etl"]
    assert result["MissingWorkflows"] == ["nope"]
    assert len(result["Workflows"][0]["Graph"]["Nodes"]) == 4
    assert "Graph" not in glue.batch_get_workflows(Names=["etl"])["Workflows"][0]


def test_graph_nodes_and_edges_as_aws_draws_them(aws: AWS) -> None:
    glue = aws.client("glue")
    glue.create_workflow(Name="g")
    job(glue, "j1")
    job(glue, "j2")
    job(glue, "j3")
    crawler(glue, "c1")
    start_trigger(glue, "g", "start", "j1", "j2")
    when(glue, "g", "both", [("j1", "SUCCEEDED"), ("j2", "SUCCEEDED")], [{"CrawlerName": "c1"}])
    when(glue, "g", "after-crawl", [("crawler:c1", "SUCCEEDED")], [{"JobName": "j3"}], logical=None)

    workflow = glue.get_workflow(Name="g", IncludeGraph=True)["Workflow"]
    nodes = nodes_by_name(workflow)
    assert {name: node["Type"] for name, node in nodes.items()} == {
        "start": "TRIGGER",
        "j1": "JOB",
        "j2": "JOB",
        "both": "TRIGGER",
        "c1": "CRAWLER",
        "after-crawl": "TRIGGER",
        "j3": "JOB",
    }
    for node in nodes.values():
        assert re.fullmatch(r"wnode_[0-9a-f]{64}", node["UniqueId"])
    assert nodes["both"]["TriggerDetails"]["Trigger"]["Predicate"]["Logical"] == "AND"
    assert "Logical" not in nodes["after-crawl"]["TriggerDetails"]["Trigger"]["Predicate"]
    ids = {name: node["UniqueId"] for name, node in nodes.items()}
    edges = {(e["SourceId"], e["DestinationId"]) for e in workflow["Graph"]["Edges"]}
    expected = [
        ("start", "j1"),
        ("start", "j2"),
        ("j1", "both"),
        ("j2", "both"),
        ("both", "c1"),
        ("c1", "after-crawl"),
        ("after-crawl", "j3"),
    ]
    assert edges == {(ids[s], ids[d]) for s, d in expected}
    again = nodes_by_name(glue.get_workflow(Name="g", IncludeGraph=True)["Workflow"])
    assert {n: node["UniqueId"] for n, node in again.items()} == ids


def test_logical_needed_with_several_conditions(aws: AWS) -> None:
    glue = aws.client("glue")
    glue.create_workflow(Name="w")
    job(glue, "a")
    job(glue, "b")
    job(glue, "c")
    code, message = error_of(
        glue.create_trigger,
        Name="t",
        WorkflowName="w",
        Type="CONDITIONAL",
        Predicate={
            "Conditions": [
                {"LogicalOperator": "EQUALS", "JobName": "a", "State": "SUCCEEDED"},
                {"LogicalOperator": "EQUALS", "JobName": "b", "State": "SUCCEEDED"},
            ]
        },
        Actions=[{"JobName": "c"}],
    )
    assert code == "InvalidInputException" and "Logical" in message


def test_bad_input_is_refused_as_aws_validation_does(aws: AWS) -> None:
    """Values the model forbids: ValidationException, AWS's wording, lowerCamelCase paths (boto/boto3#3229)."""
    glue = aws.client("glue")
    glue.create_workflow(Name="w")
    prefix = "1 validation error detected: "
    code, message = error_of(glue.create_workflow, Name="x" * 300)
    assert code == "ValidationException"
    assert message == (
        f"{prefix}Value '{'x' * 300}' at 'name' failed to satisfy constraint: "
        "Member must have length less than or equal to 255"
    )
    code, message = error_of(glue.list_workflows, MaxResults=26)
    assert (code, message) == (
        "ValidationException",
        f"{prefix}Value '26' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 25",
    )
    code, message = error_of(glue.get_workflow_runs, Name="w", MaxResults=1001)
    assert code == "ValidationException" and "at 'maxResults'" in message and "less than or equal to 1000" in message
    names = [f"w{i}" for i in range(26)]
    code, message = error_of(glue.batch_get_workflows, Names=names)
    assert (code, message) == (
        "ValidationException",
        f"{prefix}Value '[{', '.join(names)}]' at 'names' failed to satisfy constraint: "
        "Member must have length less than or equal to 25",
    )
    code, message = error_of(glue.create_workflow, Name="tagged", Tags={f"k{i}": "v" for i in range(51)})
    assert code == "ValidationException" and "at 'tags'" in message and "less than or equal to 50" in message
    code, message = error_of(glue.create_workflow, Name="bad\nname")
    assert code == "ValidationException" and "Value 'bad\nname' at 'name'" in message
    assert "Member must satisfy regular expression pattern: " in message
    assert glue.list_workflows()["Workflows"] == ["w"]  # nothing stored from a refused request

    # Other SDKs validate nothing on the client: wrong JSON types must still be refused.
    raw = aws.client("glue", config=Config(parameter_validation=False))
    code, message = error_of(raw.create_workflow, Name=123)
    assert code == "ValidationException" and "at 'name'" in message
    code, message = error_of(raw.create_workflow, Name="n", MaxConcurrentRuns="many")
    assert code == "ValidationException" and "at 'maxConcurrentRuns'" in message
    code, message = error_of(raw.start_workflow_run, Name="w", RunProperties={"k": 5})
    assert code == "ValidationException" and "at 'runProperties'" in message
    code, message = error_of(raw.get_workflow, Name="w", IncludeGraph="yes")
    assert code == "ValidationException" and "at 'includeGraph'" in message
    code, message = error_of(raw.get_workflow)
    assert (code, message) == (
        "ValidationException",
        "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
    )
    assert glue.list_workflows()["Workflows"] == ["w"]


def test_moto_glue_operations_keep_working(aws: AWS) -> None:
    glue = aws.client("glue")
    job(glue, "plain", DefaultArguments={"--a": "1"})
    crawler(glue, "c")
    assert glue.get_job(JobName="plain")["Job"]["DefaultArguments"] == {"--a": "1"}
    glue.create_trigger(Name="t", Type="ON_DEMAND", Actions=[{"JobName": "plain"}])
    assert glue.get_trigger(Name="t")["Trigger"]["Actions"] == [{"JobName": "plain"}]
    glue.start_crawler(Name="c")
    assert glue.get_crawler(Name="c")["Crawler"]["Name"] == "c"
    assert len(glue.list_crawls(CrawlerName="c")["Crawls"]) == 1
    glue.create_database(DatabaseInput={"Name": "db"})
    assert glue.get_database(Name="db")["Database"]["Name"] == "db"


def test_member_values_that_look_like_query_strings(aws: AWS) -> None:
    glue = aws.client("glue")
    glue.create_workflow(Name="w", Description="a&Action=GetJob&x=1")
    assert glue.get_workflow(Name="w")["Workflow"]["Description"] == "a&Action=GetJob&x=1"
