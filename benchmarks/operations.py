"""What the benchmarks measure: one table per kind of measurement, one entry per operation.

Adding an operation is one entry: a name, a setup function and the boto3 method to call.

* ``OPERATIONS``: per-call time. ``plugin=True`` entries are timed in a process that imported
  moto_glue_workflows; ``plugin=False`` entries are moto's own, timed in a process that never did
  (moto's ``glue.GetWorkflow`` is the reference column of the table). An operation both serve is
  two entries with the same setup.
* ``REGRESSION``: moto's own services, timed with and without the plugin imported.
* ``SCALING``: one page of a list operation with N and 10N stored items.
* ``CHAINS``: a workflow run from StartWorkflowRun to COMPLETED, with N and 4N nodes.
* ``STORED_ITEMS``: peak and retained memory per stored item (tracemalloc).
* ``SERVER_LOAD``: rows of the threaded-server load test, naming entries of ``OPERATIONS``.

This module must not import moto_glue_workflows (or moto) at import time: the process that
measures moto without the plugin imports it too. Setup functions import what they need.
"""

from __future__ import annotations

import io
import json
import sys
import urllib.request
import uuid
import zipfile
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
    #: N is the run's N divided by this (storing some items is slow); 10N is ten times that
    divisor: int = 1
    #: the regions of N and 10N, when what the setup stores would show in another entry's regions
    regions: tuple[str, str] | None = None


@dataclass(frozen=True)
class WorkflowChain:
    """A workflow run to COMPLETED: ``setup(target, n)`` builds a workflow of ``n`` nodes, returns its name."""

    name: str
    setup: Callable[[Target, int], str]
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


def setup_datazone_get_lineage_node(target: Target) -> Kwargs:
    """A job run's lineage node, from an OpenLineage run (START, COMPLETE) reading two datasets, writing one."""
    datazone = target.client("datazone")
    domain = _domain(target)
    run_id = str(uuid.uuid4())
    for state, when in (("START", "2026-03-01T06:00:00Z"), ("COMPLETE", "2026-03-01T06:05:00Z")):
        event = {
            "eventType": state,
            "eventTime": when,
            "producer": "https://example.com/bench",
            "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
            "run": {"runId": run_id},
            "job": {"namespace": "glue", "name": "orders_daily"},
            "inputs": [
                {"namespace": "s3://raw", "name": "orders"},
                {"namespace": "arn:aws:glue:us-east-1:123456789012", "name": "table/sales/customers"},
            ],
            "outputs": [{"namespace": "s3://curated", "name": "orders_enriched"}],
        }
        datazone.post_lineage_event(domainIdentifier=domain, event=json.dumps(event).encode())
    return {"domainIdentifier": domain, "identifier": f"glue.orders_daily/{run_id}"}


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


def setup_glue_job_chain(target: Target, n: int) -> str:
    """``n`` jobs in a line: an ON_DEMAND trigger starts the first, and each next one is started by an
    activated CONDITIONAL trigger watching its predecessor for SUCCEEDED."""
    glue = target.client("glue")
    name = _unique("chain")
    glue.create_workflow(Name=name)
    jobs = [_job(glue, f"{name}-{index:03d}") for index in range(n)]
    glue.create_trigger(Name=f"{name}-start", WorkflowName=name, Type="ON_DEMAND", Actions=[{"JobName": jobs[0]}])
    for index in range(1, n):
        glue.create_trigger(
            Name=f"{name}-then-{index:03d}",
            WorkflowName=name,
            Type="CONDITIONAL",
            StartOnCreation=True,
            Predicate={
                "Logical": "AND",
                "Conditions": [{"LogicalOperator": "EQUALS", "JobName": jobs[index - 1], "State": "SUCCEEDED"}],
            },
            Actions=[{"JobName": jobs[index]}],
        )
    return name


def prepare_glue_workflow_runs(target: Target, n: int) -> Callable[[], object]:
    name = _graph_workflow(target)
    backend = _workflow_backend(target.region)

    def store() -> object:
        return [backend.start_workflow_run(name, None) for _ in range(n)]

    return store


# Glue blueprints (ours only: moto has none)

#: the smallest useful layout: a workflow named by a parameter, with one job
TINY_LAYOUT = """
from awsglue.blueprint.job import Job
from awsglue.blueprint.workflow import Entities, Workflow


def generate_layout(user_params, system_params):
    job = Job(
        Name="load",
        Role=user_params["Role"],
        Command={"Name": "glueetl", "ScriptLocation": "s3://bench/load.py"},
    )
    return Workflow(Name=user_params["WorkflowName"], Entities=Entities(Jobs=[job]))
"""
TINY_SPEC = {
    "WorkflowName": {"type": "String", "collection": False},
    "Role": {"type": "IAMRoleArn", "collection": False},
}


def _blueprint_archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        config = {"layoutGenerator": "tiny.layout.generate_layout", "parameterSpec": TINY_SPEC}
        zipped.writestr("tiny/blueprint.cfg", json.dumps(config))
        zipped.writestr("tiny/__init__.py", "")
        zipped.writestr("tiny/layout.py", TINY_LAYOUT)
    return buffer.getvalue()


def _upload_blueprint_archive(target: Target) -> str:
    """The archive in a new bucket of moto's S3 (bucket names are global, so a unique one)."""
    s3 = target.client("s3")
    bucket = _unique("blueprints")
    if target.region == "us-east-1":
        s3.create_bucket(Bucket=bucket)
    else:
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": target.region})
    s3.put_object(Bucket=bucket, Key="tiny.zip", Body=_blueprint_archive())
    return f"s3://{bucket}/tiny.zip"


def setup_glue_list_blueprints_n(target: Target, n: int) -> Kwargs:
    # Each CreateBlueprint reads and checks the archive; through the backend, thousands take ~1 s.
    from moto_glue_workflows.glue.blueprint_models import glue_blueprint_backends

    location = _upload_blueprint_archive(target)
    backend = glue_blueprint_backends[ACCOUNT_ID][target.region]
    for index in range(n):
        backend.create(f"bp-{index:06d}", None, location, None)
    return {"MaxResults": 25}


def setup_glue_get_blueprint_runs_n(target: Target, n: int) -> Kwargs:
    # Every run executes the layout in its own walled-in process, and StartBlueprintRun answers at once:
    # each run is waited for before the next starts, so the machine runs one layout at a time.
    from moto_glue_workflows import wait_for_blueprint_run

    glue = target.client("glue")
    name = _unique("bp")
    glue.create_blueprint(Name=name, BlueprintLocation=_upload_blueprint_archive(target))
    prefix = _unique("bpwf")
    for index in range(n):
        parameters = json.dumps({"WorkflowName": f"{prefix}-{index:06d}", "Role": ROLE})
        run_id = glue.start_blueprint_run(BlueprintName=name, Parameters=parameters, RoleArn=ROLE)["RunId"]
        run = wait_for_blueprint_run(glue, name, run_id, delay=0.01)
        if run["State"] != "SUCCEEDED":
            raise RuntimeError(f"blueprint run {index} did not succeed: {run}")
    return {"BlueprintName": name, "MaxResults": 10}


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
    Operation("datazone.GetLineageNode", "datazone", setup_datazone_get_lineage_node, "get_lineage_node"),
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
    ListScaling("glue.ListBlueprints", "glue", setup_glue_list_blueprints_n, "list_blueprints"),
    # Runs execute layout code in a process each: N is a tenth of the run's N. Each run creates a
    # workflow, so they get regions of their own, out of ListWorkflows' store.
    ListScaling(
        "glue.GetBlueprintRuns",
        "glue",
        setup_glue_get_blueprint_runs_n,
        "get_blueprint_runs",
        divisor=10,
        regions=("ap-southeast-1", "ap-southeast-2"),
    ),
    ListScaling("glue.ListWorkflows", "glue", setup_glue_list_workflows_n, "list_workflows", plugin=False),
    # No moto row for GetWorkflowRuns: moto 5.2's own fails with KeyError 'workflow_run_id' once a
    # second page exists. None for blueprints: moto has none.
]

#: No moto rows: moto's workflow runs start nothing, so they never run a chain.
CHAINS: list[WorkflowChain] = [
    WorkflowChain("glue job chain", setup_glue_job_chain),
]

STORED_ITEMS: list[StoredItem] = [
    StoredItem("datazone job run (seeded, with lineage details)", prepare_datazone_job_runs),
    # Each start scans every earlier run of the started job: a few hundred keep this quick.
    StoredItem("glue workflow run with graph snapshot (3 jobs + crawler)", prepare_glue_workflow_runs, n=200),
    StoredItem("glue workflow run, same workflow (moto keeps no graph)", prepare_glue_workflow_runs, False, n=200),
]

#: (server, operation key): "plugin" is ``python -m moto_glue_workflows``, "moto" is ``python -m moto.server``.
#: moto's own operations run on both servers: the plugin's server must serve them no slower.
SERVER_LOAD: list[tuple[str, str]] = [
    ("plugin", "datazone.GetJobRun@plugin"),
    ("plugin", "datazone.GetLineageNode@plugin"),
    ("plugin", "glue.GetWorkflow@plugin"),
    ("plugin", "glue.GetWorkflowRun@plugin"),
    ("plugin", "glue.GetJobRun@plugin"),
    ("moto", "glue.GetWorkflow@moto"),
    ("plugin", "glue.GetDatabase@plugin"),
    ("moto", "glue.GetDatabase@plugin"),
    ("plugin", "sqs.GetQueueUrl@plugin"),
    ("moto", "sqs.GetQueueUrl@plugin"),
]


def operation(key: str) -> Operation:
    for entry in OPERATIONS + REGRESSION:
        if entry.key == key:
            return entry
    raise KeyError(key)
