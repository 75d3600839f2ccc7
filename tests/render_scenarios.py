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


# Long names, as teams name their jobs, for the pictures that must fit a laptop's screen.
STAGES = [
    "extract_orders_from_the_raw_bucket",
    "validate_order_schema_v2",
    "deduplicate_orders_by_order_id_and_day",
    "enrich_orders_with_customers",
    "convert_currencies_to_eur",
    "aggregate_daily_revenue_by_region",
    "publish_revenue_to_the_curated_zone",
    "notify-finance-dashboard-refresh",
]
LONG_ERROR = (
    "An error occurred while calling o187.pyWriteDynamicFrame. Job aborted due to stage failure: Task 3 in "
    "stage 12.0 failed 4 times, most recent failure: Lost task 3.3 (TID 91) (executor 2): "
    "java.io.FileNotFoundException: No such file or directory: s3://curated-zone/revenue/_temporary/0"
)


def chain_of_eight(aws: Any) -> tuple[Any, str]:
    """Eight jobs with long names, one after another; a crawler joins the chain (a fan-in into the trigger
    of the fifth job), and the last job fails with a long Spark error."""
    glue = aws.client("glue")
    chain(glue, "revenue", STAGES)
    crawler(glue, "raw-orders-crawler")
    trigger = glue.get_trigger(Name=f"revenue-after-{STAGES[3]}")["Trigger"]
    glue.update_trigger(
        Name=trigger["Name"],
        TriggerUpdate={
            "Actions": trigger["Actions"],
            "Predicate": {
                "Logical": "AND",
                "Conditions": [
                    *trigger["Predicate"]["Conditions"],
                    {"LogicalOperator": "EQUALS", "CrawlerName": "raw-orders-crawler", "CrawlState": "SUCCEEDED"},
                ],
            },
        },
    )
    start = glue.get_trigger(Name="revenue-start")["Trigger"]
    glue.update_trigger(
        Name="revenue-start", TriggerUpdate={"Actions": [*start["Actions"], {"CrawlerName": "raw-orders-crawler"}]}
    )
    aws.control.set_job_run_outcome(job_name=STAGES[-1], state="FAILED", error_message=LONG_ERROR)
    return glue, glue.start_workflow_run(Name="revenue")["RunId"]


# An OpenLineage run event: a job reading two datasets and writing a third of the same name as an input,
# in another namespace, so only the namespace tells them apart.
THREE_DATASETS_EVENT = {
    "eventType": "COMPLETE",
    "eventTime": "2026-03-01T06:05:00+00:00",
    "producer": "https://github.com/OpenLineage/OpenLineage/tree/1.0.0/client/python",
    "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/definitions/RunEvent",
    "run": {"runId": "0f6c3b7e-8a1d-4c47-9a39-2f4de2a0c002"},
    "job": {"namespace": "glue", "name": "curate_orders_with_customer_segments"},
    "inputs": [{"namespace": "s3://raw", "name": "orders"}, {"namespace": "s3://raw", "name": "customers"}],
    "outputs": [{"namespace": "s3://curated", "name": "orders"}],
}


def lineage_of_three_datasets(aws: Any) -> tuple[Any, str, list[dict[str, Any]]]:
    """A domain whose lineage holds THREE_DATASETS_EVENT; its nodes as GetLineageNode answers."""
    import json

    dz = aws.client("datazone")
    domain = dz.create_domain(name="sales", domainExecutionRole="arn:aws:iam::123456789012:role/dz")["id"]
    dz.post_lineage_event(domainIdentifier=domain, event=json.dumps(THREE_DATASETS_EVENT).encode())
    job = THREE_DATASETS_EVENT["job"]
    run_id = THREE_DATASETS_EVENT["run"]["runId"]
    sources = [f"{job['namespace']}.{job['name']}", f"{job['namespace']}.{job['name']}/{run_id}"]
    sources += [
        f"{d['namespace']}/{d['name']}" for d in THREE_DATASETS_EVENT["inputs"] + THREE_DATASETS_EVENT["outputs"]
    ]  # type: ignore[operator]
    answers = [dz.get_lineage_node(domainIdentifier=domain, identifier=source) for source in sources]
    return dz, domain, answers
