"""Small builders for Glue workflow scenarios, shared by the Glue tests."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from botocore.exceptions import ClientError

ROLE = "arn:aws:iam::123456789012:role/glue-service"


def error_of(call: Any, **kwargs: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as info:
        call(**kwargs)
    error = info.value.response["Error"]
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    return error["Code"], error["Message"]


def job(glue: Any, name: str, **kwargs: Any) -> str:
    glue.create_job(
        Name=name, Role=ROLE, Command={"Name": "glueetl", "ScriptLocation": f"s3://scripts/{name}.py"}, **kwargs
    )
    return name


def crawler(glue: Any, name: str) -> str:
    glue.create_crawler(
        Name=name, Role=ROLE, DatabaseName="db", Targets={"S3Targets": [{"Path": f"s3://data/{name}/"}]}
    )
    return name


def start_trigger(glue: Any, workflow: str, name: str, *jobs: str, crawlers: tuple[str, ...] = ()) -> None:
    actions = [{"JobName": j} for j in jobs] + [{"CrawlerName": c} for c in crawlers]
    glue.create_trigger(Name=name, WorkflowName=workflow, Type="ON_DEMAND", Actions=actions)


def when(
    glue: Any,
    workflow: str,
    name: str,
    watched: list[tuple[str, str]],
    actions: list[dict[str, Any]],
    logical: str | None = "AND",
    activate: bool = True,
) -> None:
    """A conditional trigger: ``watched`` is [(job name, state)] or [("crawler:<name>", crawl state)]."""
    conditions = []
    for name_or_crawler, state in watched:
        if name_or_crawler.startswith("crawler:"):
            conditions.append({"LogicalOperator": "EQUALS", "CrawlerName": name_or_crawler[8:], "CrawlState": state})
        else:
            conditions.append({"LogicalOperator": "EQUALS", "JobName": name_or_crawler, "State": state})
    predicate: dict[str, Any] = {"Conditions": conditions}
    if logical:
        predicate["Logical"] = logical
    glue.create_trigger(
        Name=name,
        WorkflowName=workflow,
        Type="CONDITIONAL",
        Predicate=predicate,
        Actions=actions,
        StartOnCreation=activate,
    )


def chain(
    glue: Any,
    workflow: str,
    jobs: list[str],
    job_kwargs: dict[str, dict[str, Any]] | None = None,
    **workflow_kwargs: Any,
) -> None:
    """A workflow running ``jobs`` one after another, each on its predecessor's success."""
    glue.create_workflow(Name=workflow, **workflow_kwargs)
    for name in jobs:
        job(glue, name, **(job_kwargs or {}).get(name, {}))
    start_trigger(glue, workflow, f"{workflow}-start", jobs[0])
    for previous, following in itertools.pairwise(jobs):
        when(glue, workflow, f"{workflow}-after-{previous}", [(previous, "SUCCEEDED")], [{"JobName": following}])


def nodes_by_name(run_or_workflow: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {node["Name"]: node for node in run_or_workflow["Graph"]["Nodes"]}


def job_runs_of(node: dict[str, Any]) -> list[dict[str, Any]]:
    return list(node.get("JobDetails", {}).get("JobRuns", []))
