"""Workflow runs to draw, built through boto3 (either mode) as a user would."""

from __future__ import annotations

import itertools
from typing import Any

from tests.glue_helpers import chain, crawler, job, start_trigger, when


def chain_of_three(aws: Any, fail: str | None = None) -> tuple[Any, str]:
    glue = aws.client("glue")
    chain(glue, "nightly", ["extract", "transform", "load"])
    if fail:
        aws.control.set_job_run_outcome(job_name=fail, state="FAILED", error_message="bad row 7")
    return glue, glue.start_workflow_run(Name="nightly")["RunId"]


def fan_out_fan_in(aws: Any, width: int = 20) -> tuple[Any, str]:
    """start → ``width`` jobs in parallel → one trigger watching them all (AND) → publish."""
    glue = aws.client("glue")
    glue.create_workflow(Name="fan")
    parts = [job(glue, f"part-{index:02d}") for index in range(width)]
    job(glue, "publish")
    start_trigger(glue, "fan", "fan-start", *parts)
    when(glue, "fan", "all-parts-done", [(name, "SUCCEEDED") for name in parts], [{"JobName": "publish"}])
    return glue, glue.start_workflow_run(Name="fan")["RunId"]


def crawler_and_failed_start(aws: Any) -> tuple[Any, str]:
    """A crawl that fails, and a job whose start fails (deleted after its trigger was made)."""
    glue = aws.client("glue")
    glue.create_workflow(Name="ingest")
    crawler(glue, "raw")
    job(glue, "clean")
    job(glue, "gone")
    start_trigger(glue, "ingest", "ingest-start", "gone", crawlers=("raw",))
    when(glue, "ingest", "after-raw", [("crawler:raw", "FAILED")], [{"JobName": "clean"}])
    glue.delete_job(JobName="gone")
    aws.control.set_crawl_outcome(crawler_name="raw", state="FAILED", error_message="access denied to s3://data/raw/")
    return glue, glue.start_workflow_run(Name="ingest")["RunId"]


def finish(glue: Any, workflow: str, run_id: str) -> dict[str, Any]:
    for _ in range(50):
        run: dict[str, Any] = glue.get_workflow_run(Name=workflow, RunId=run_id, IncludeGraph=True)["Run"]
        if run["Status"] not in ("RUNNING", "STOPPING"):
            return run
    raise AssertionError(f"run {run_id} still {run['Status']}")


def failed_then_resumed(aws: Any) -> tuple[Any, str, str]:
    glue, first = chain_of_three(aws, fail="transform")
    run = finish(glue, "nightly", first)
    aws.control.set_job_run_outcome(job_name="transform", state="SUCCEEDED")
    transform = next(n["UniqueId"] for n in run["Graph"]["Nodes"] if n["Name"] == "transform")
    resumed = glue.resume_workflow_run(Name="nightly", RunId=first, NodeIds=[transform])["RunId"]
    finish(glue, "nightly", resumed)
    return glue, first, resumed


def dag_with_cycle(size: int = 50) -> tuple[list[str], list[tuple[str, str]]]:
    """``size`` nodes in a ragged DAG (long edges included) plus edges that close cycles."""
    nodes = [f"n{index}" for index in range(size)]
    edges = [
        (nodes[i], nodes[j]) for i, j in itertools.product(range(size), repeat=2) if i < j and (j - i) in (5, 7, 13)
    ]
    edges += [(nodes[size - 1], nodes[0]), (nodes[30], nodes[10])]
    return nodes, edges
