"""Deploying templates through boto3's CloudFormation, shared by the CloudFormation and CDK tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).with_name("templates")


def template(name: str) -> str:
    return (TEMPLATES / name).read_text()


def stack_of(cloudformation: Any, name: str) -> dict[str, Any]:
    return cloudformation.describe_stacks(StackName=name)["Stacks"][0]  # type: ignore[no-any-return]


def outputs(cloudformation: Any, name: str) -> dict[str, str]:
    return {o["OutputKey"]: o["OutputValue"] for o in stack_of(cloudformation, name).get("Outputs", [])}


def resources(cloudformation: Any, name: str) -> dict[str, dict[str, Any]]:
    """The stack's resources by logical id. (DescribeStackResources: moto 5.2.4's ListStackResources answers
    ``LastUpdateTimestamp`` for the required ``LastUpdatedTimestamp``, which the shape check refuses.)"""
    described = cloudformation.describe_stack_resources(StackName=name)["StackResources"]
    return {r["LogicalResourceId"]: r for r in described}


def physical_ids(cloudformation: Any, name: str) -> dict[str, str]:
    return {logical: r["PhysicalResourceId"] for logical, r in resources(cloudformation, name).items()}


def events(cloudformation: Any, name: str) -> list[tuple[str, str, str | None]]:
    """(logical id, status, reason) of every event, oldest first."""
    listed = cloudformation.describe_stack_events(StackName=name)["StackEvents"]
    return [(e["LogicalResourceId"], e["ResourceStatus"], e.get("ResourceStatusReason")) for e in reversed(listed)]


def settled_run(glue: Any, workflow: str, run_id: str, polls: int = 20) -> dict[str, Any]:
    """The run once it has ended; each read moves its crawls and job runs on (as AWS's reads see them progress)."""
    for _ in range(polls):
        run: dict[str, Any] = glue.get_workflow_run(Name=workflow, RunId=run_id, IncludeGraph=True)["Run"]
        if run["Status"] != "RUNNING":
            return run
    raise AssertionError(f"run {run_id} of {workflow} still {run['Status']} after {polls} reads")


def nodes_run(run: dict[str, Any]) -> dict[str, str]:
    """Each node of a run's graph that ran, with its outcome (job run state or crawl state)."""
    ran = {}
    for node in run["Graph"]["Nodes"]:
        job_runs = node.get("JobDetails", {}).get("JobRuns", [])
        crawls = node.get("CrawlerDetails", {}).get("Crawls", [])
        if job_runs:
            ran[node["Name"]] = job_runs[0]["JobRunState"]
        elif crawls:
            ran[node["Name"]] = crawls[0]["State"]
    return ran


def settled_crawler(glue: Any, name: str, polls: int = 20) -> dict[str, Any]:
    """The crawler once its crawl has ended (each GetCrawler moves a running crawl on)."""
    for _ in range(polls):
        crawler: dict[str, Any] = glue.get_crawler(Name=name)["Crawler"]
        if crawler["State"] == "READY":
            return crawler
    raise AssertionError(f"crawler {name} still {crawler['State']} after {polls} reads")
