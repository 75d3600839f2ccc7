"""What the benchmarks measure: one table per kind of measurement, one entry per operation.

Adding an operation is one entry: a name, a setup function and the boto3 method to call.

* ``OPERATIONS``: per-call time. ``plugin=True`` entries are timed in a process that imported
  moto_glue_workflows; ``plugin=False`` entries are moto's own, timed in a process that never did
  (moto's ``glue.GetWorkflow`` is the reference column of the table). An operation both serve is
  two entries with the same setup.
* ``REGRESSION``: moto's own services, timed with and without the plugin imported.
* ``SCALING``: one page of a list operation with N and 10N stored items.
* ``STORED_ITEMS``: peak and retained memory per stored item (tracemalloc).
* ``SERVER_LOAD``: rows of the threaded-server load test, naming entries of ``OPERATIONS``.

This module must not import moto_glue_workflows (or moto) at import time: the process that
measures moto without the plugin imports it too. Setup functions import what they need.
"""

from __future__ import annotations

import json
import sys
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ACCOUNT_ID = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT_ID}:role/bench"

Kwargs = dict[str, Any]


@dataclass(frozen=True)
class Target:
    """Where a setup creates its resources: in this process (under ``mock_aws``) or a server."""

    endpoint_url: str | None = None
    region: str = "us-east-1"
    _sessions: list[Any] = field(default_factory=list, compare=False, repr=False)

    def client(self, service: str) -> Any:
        """A boto3 client, from this target's boto3 session (one session per client thread)."""
        import boto3
        from botocore.config import Config

        if not self._sessions:
            self._sessions.append(boto3.session.Session())
        session = self._sessions[0]
        config = Config(retries={"max_attempts": 1, "mode": "standard"})
        return session.client(
            service,
            region_name=self.region,
            endpoint_url=self.endpoint_url,
            config=config,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def seed_datazone_job_runs(self, domain: str, job: str, runs: list[dict[str, Any]]) -> list[str]:
        body = {"domainIdentifier": domain, "jobIdentifier": job, "runs": runs, "Region": self.region}
        if self.endpoint_url is None:
            import moto_glue_workflows

            return list(
                moto_glue_workflows.seed_datazone_job_runs(
                    domain_identifier=domain, job_identifier=job, runs=runs, region=self.region
                )["ids"]
            )
        request = urllib.request.Request(
            f"{self.endpoint_url}/moto-api/static/datazone/job-runs",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return list(json.loads(response.read())["ids"])


@dataclass(frozen=True)
class Operation:
    """One boto3 call: ``setup`` stores what it needs and returns the call's keyword arguments."""

    name: str
    service: str
    setup: Callable[[Target], Kwargs]
    call: str
    #: served by moto_glue_workflows (timed where it is imported) or moto's own (timed where it never was)
    plugin: bool = True

    @property
    def side(self) -> str:
        return "plugin" if self.plugin else "moto"

    @property
    def key(self) -> str:
        return f"{self.name}@{self.side}"


@dataclass(frozen=True)
class ListScaling:
    """One page of a list operation over ``n`` stored items; ``setup(target, n)`` stores them."""

    name: str
    service: str
    setup: Callable[[Target, int], Kwargs]
    call: str
    plugin: bool = True


@dataclass(frozen=True)
class StoredItem:
    """``prepare(target, n)`` builds every input and returns a function that stores ``n`` items."""

    name: str
    prepare: Callable[[Target, int], Callable[[], object]]
    plugin: bool = True
    #: how many to store, when not the run's default (storing is slow for some items)
    n: int | None = None


def _unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


# DataZone (ours)


def _domain(target: Target) -> str:
    datazone = target.client("datazone")
    return str(datazone.create_domain(name=_unique("bench"), domainExecutionRole=ROLE)["id"])


def _run_spec(index: int) -> dict[str, Any]:
    """A realistic seeded run: most succeed with lineage details, every fifth failed."""
    start = 1767322800 + index * 60
    if index % 5 == 4:
        return {"status": "FAILED", "error": {"message": "query history unavailable"}, "createdAt": start}
    return {
        "status": "SUCCESS",
        "runMode": "SCHEDULED",
        "createdAt": start,
        "startTime": start + 1,
        "endTime": start + 45,
        "details": {
            "lineageRunDetails": {
                "sqlQueryRunDetails": {
                    "queryStartTime": start + 1,
                    "queryEndTime": start + 40,
                    "totalQueriesProcessed": 120 + index % 7,
                    "numQueriesFailed": index % 3,
                }
            }
        },
    }


def _seed(target: Target, domain: str, job: str, n: int, chunk: int = 1000) -> list[str]:
    ids: list[str] = []
    for start in range(0, n, chunk):
        specs = [_run_spec(i) for i in range(start, min(n, start + chunk))]
        ids.extend(target.seed_datazone_job_runs(domain, job, specs))
    return ids


def setup_datazone_get_job_run(target: Target) -> Kwargs:
    domain = _domain(target)
    ids = _seed(target, domain, "redshift-lineage", 20)
    return {"domainIdentifier": domain, "identifier": ids[0]}


def setup_datazone_list_job_runs(target: Target) -> Kwargs:
    return setup_datazone_list_job_runs_n(target, 50)


def setup_datazone_list_job_runs_n(target: Target, n: int) -> Kwargs:
    domain = _domain(target)
    _seed(target, domain, "redshift-lineage", n)
    return {"domainIdentifier": domain, "jobIdentifier": "redshift-lineage", "maxResults": 50}


def prepare_datazone_job_runs(target: Target, n: int) -> Callable[[], object]:
    domain = _domain(target)
    specs = [_run_spec(i) for i in range(n)]
    return lambda: target.seed_datazone_job_runs(domain, "redshift-lineage", specs)


# Glue: moto's own in the moto-only process, moto_glue_workflows' in the plugin process. The same
# setup serves both: it goes through boto3, or through whichever backend serves Glue workflows.


def _plugin_loaded() -> bool:
    return "moto_glue_workflows" in sys.modules


def _job(glue: Any, name: str) -> str:
    glue.create_job(
        Name=name,
        Role=ROLE,
        Command={"Name": "glueetl", "ScriptLocation": f"s3://bench/{name}.py"},
        ExecutionProperty={"MaxConcurrentRuns": 100000},
    )
    return name


def _graph_workflow(target: Target) -> str:
    """extract -> transform -> (load, crawl): three jobs, a crawler, an on-demand and two conditional triggers."""
    glue = target.client("glue")
    name = _unique("wf")
    glue.create_workflow(Name=name, Description="nightly load", DefaultRunProperties={"env": "test"})
    extract, transform, load = (_job(glue, f"{name}-{step}") for step in ("extract", "transform", "load"))
    crawler = f"{name}-crawler"
    glue.create_crawler(
        Name=crawler, Role=ROLE, DatabaseName="bench", Targets={"S3Targets": [{"Path": "s3://bench/data/"}]}
    )
    glue.create_trigger(Name=f"{name}-start", WorkflowName=name, Type="ON_DEMAND", Actions=[{"JobName": extract}])
    for index, (watched, actions) in enumerate(
        [(extract, [{"JobName": transform}]), (transform, [{"JobName": load}, {"CrawlerName": crawler}])]
    ):
        glue.create_trigger(
            Name=f"{name}-then-{index}",
            WorkflowName=name,
            Type="CONDITIONAL",
            StartOnCreation=True,
            Predicate={
                "Logical": "AND",
                "Conditions": [{"LogicalOperator": "EQUALS", "JobName": watched, "State": "SUCCEEDED"}],
            },
            Actions=actions,
        )
    return name


def setup_glue_get_workflow(target: Target) -> Kwargs:
    glue = target.client("glue")
    name = _unique("wf")
    glue.create_workflow(
        Name=name,
        Description="nightly load",
        DefaultRunProperties={"env": "test", "owner": "bench"},
        MaxConcurrentRuns=2,
    )
    return {"Name": name}


def setup_glue_get_workflow_run_graph(target: Target) -> Kwargs:
    name = _graph_workflow(target)
    glue = target.client("glue")
    run = glue.start_workflow_run(Name=name)["RunId"]
    for _ in range(5):  # let the run finish (state advances when read), so every call returns the same
        glue.get_workflow_run(Name=name, RunId=run, IncludeGraph=True)
    return {"Name": name, "RunId": run, "IncludeGraph": True}


def setup_glue_get_job_run(target: Target) -> Kwargs:
    glue = target.client("glue")
    name = _job(glue, _unique("job"))
    run = glue.start_job_run(JobName=name, Arguments={"--day": "2026-01-02"})["JobRunId"]
    return {"JobName": name, "RunId": run}


def _workflow_backend(region: str) -> Any:
    """The backend that serves Glue workflows in this process: ours when imported, else moto's."""
    if _plugin_loaded():
        from moto_glue_workflows.glue.models import glue_workflow_backends

        return glue_workflow_backends[ACCOUNT_ID][region]
    from moto.glue.models import glue_backends

    return glue_backends[ACCOUNT_ID][region]


def setup_glue_list_workflows_n(target: Target, n: int) -> Kwargs:
    # Thousands of CreateWorkflow calls would take longer than the measurement: use the backend.
    backend = _workflow_backend(target.region)
    for index in range(n):  # (name, None, None, None, None) fits both backends' signatures
        backend.create_workflow(f"wf-{index:06d}", None, None, None, None)
    return {"MaxResults": 25}


def setup_glue_get_workflow_runs_n(target: Target, n: int) -> Kwargs:
    # A workflow without triggers: each run that starts a job makes the next start scan every earlier
    # run of that job (O(n) a start), and thousands of them would take longer than the measurement.
    name = _unique("wf")
    target.client("glue").create_workflow(Name=name, DefaultRunProperties={"env": "test"})
    backend = _workflow_backend(target.region)
    for _ in range(n):
        backend.start_workflow_run(name, None)
    return {"Name": name, "MaxResults": 100}


def prepare_glue_workflow_runs(target: Target, n: int) -> Callable[[], object]:
    name = _graph_workflow(target)
    backend = _workflow_backend(target.region)

    def store() -> object:
        return [backend.start_workflow_run(name, None) for _ in range(n)]

    return store


# moto's own services, for the no-regression check


def setup_glue_get_database(target: Target) -> Kwargs:
    name = _unique("db").replace("-", "_")
    target.client("glue").create_database(DatabaseInput={"Name": name, "Description": "bench"})
    return {"Name": name}


def setup_sqs_get_queue_url(target: Target) -> Kwargs:
    name = _unique("queue")
    target.client("sqs").create_queue(QueueName=name)
    return {"QueueName": name}


def setup_s3_head_object(target: Target) -> Kwargs:
    s3 = target.client("s3")
    bucket = _unique("bucket")
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="data/part-0000.json", Body=b'{"a": 1}\n' * 100)
    return {"Bucket": bucket, "Key": "data/part-0000.json"}


OPERATIONS: list[Operation] = [
    Operation("datazone.GetJobRun", "datazone", setup_datazone_get_job_run, "get_job_run"),
    Operation("datazone.ListJobRuns", "datazone", setup_datazone_list_job_runs, "list_job_runs"),
    Operation("glue.GetWorkflow", "glue", setup_glue_get_workflow, "get_workflow"),
    Operation("glue.GetWorkflowRun", "glue", setup_glue_get_workflow_run_graph, "get_workflow_run"),
    Operation("glue.GetJobRun", "glue", setup_glue_get_job_run, "get_job_run"),
    # moto's own Glue, timed where the plugin was never imported: the reference columns.
    Operation("glue.GetWorkflow", "glue", setup_glue_get_workflow, "get_workflow", plugin=False),
    Operation("glue.GetWorkflowRun", "glue", setup_glue_get_workflow_run_graph, "get_workflow_run", plugin=False),
    Operation("glue.GetJobRun", "glue", setup_glue_get_job_run, "get_job_run", plugin=False),
]

#: the reference every row of the per-call table is compared with
REFERENCE = "glue.GetWorkflow@moto"

REGRESSION: list[Operation] = [
    Operation("glue.GetDatabase", "glue", setup_glue_get_database, "get_database"),
    Operation("sqs.GetQueueUrl", "sqs", setup_sqs_get_queue_url, "get_queue_url"),
    Operation("s3.HeadObject", "s3", setup_s3_head_object, "head_object"),
]

SCALING: list[ListScaling] = [
    ListScaling("datazone.ListJobRuns", "datazone", setup_datazone_list_job_runs_n, "list_job_runs"),
    ListScaling("glue.ListWorkflows", "glue", setup_glue_list_workflows_n, "list_workflows"),
    ListScaling("glue.GetWorkflowRuns", "glue", setup_glue_get_workflow_runs_n, "get_workflow_runs"),
    ListScaling("glue.ListWorkflows", "glue", setup_glue_list_workflows_n, "list_workflows", plugin=False),
    # No moto row for GetWorkflowRuns: moto 5.2's own fails with KeyError 'workflow_run_id' once a
    # second page exists.
]

STORED_ITEMS: list[StoredItem] = [
    StoredItem("datazone job run (seeded, with lineage details)", prepare_datazone_job_runs),
    # Each start scans every earlier run of the started job: a few hundred keep this quick.
    StoredItem("glue workflow run with graph snapshot (3 jobs + crawler)", prepare_glue_workflow_runs, n=200),
    StoredItem("glue workflow run, same workflow (moto keeps no graph)", prepare_glue_workflow_runs, False, n=200),
]

#: (server, operation key): "plugin" is ``python -m moto_glue_workflows``, "moto" is ``python -m moto.server``
SERVER_LOAD: list[tuple[str, str]] = [
    ("plugin", "datazone.GetJobRun@plugin"),
    ("plugin", "glue.GetWorkflow@plugin"),
    ("moto", "glue.GetWorkflow@moto"),
]


def operation(key: str) -> Operation:
    for entry in OPERATIONS + REGRESSION:
        if entry.key == key:
            return entry
    raise KeyError(key)
