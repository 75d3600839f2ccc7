"""Glue workflow state for one account and region, and the bridge to moto's jobs, crawlers and triggers.

Workflows and their runs live here; jobs, crawlers and triggers stay in moto's Glue backend of the
same account and region, so moto's own operations on them keep working. ``MotoExecutor`` is how the
engine starts job runs and crawls there.
"""

from __future__ import annotations

import datetime
import threading
from dataclasses import dataclass, field
from typing import Any

from moto_glue_workflows._moto import (
    BackendDict,
    BaseBackend,
    GlueResources,
    backend_for,
    get_partition,
    mock_random,
    moto_glue_backends,
    utcnow,
)
from moto_glue_workflows.crawlers.crawl import perform_crawl
from moto_glue_workflows.events.emission import GlueEvents
from moto_glue_workflows.glue import retention, trigger_actions
from moto_glue_workflows.glue.exceptions import (
    AlreadyExistsException,
    ConcurrentRunsExceededException,
    CrawlerRunningException,
    EntityNotFoundException,
    IllegalWorkflowStateException,
    InvalidInputException,
)
from moto_glue_workflows.glue.job_runs import (
    JOB_ACTIVE,
    JOB_FINAL,
    QUEUE_LIMIT,
    GlueCrawl,
    GlueJobRun,
    Outcomes,
    concurrency_error,
    job_run_arguments,
    outcome_for,
)
from moto_glue_workflows.glue.lifecycle import JobRunLifecycle
from moto_glue_workflows.glue.trigger_updates import TriggerUpdate
from moto_glue_workflows.jobs.execution import JobExecution
from moto_glue_workflows.protocol.pagination import InvalidToken, page, page_newest_first
from moto_glue_workflows.workflows.engine import ActionRun, InvalidNode, StartError, WorkflowRun
from moto_glue_workflows.workflows.graph import CRAWLER, JOB, Action, Graph, Trigger

ENTITY_NOT_FOUND = "Entity not found"


@dataclass
class Workflow:
    name: str
    description: str | None
    default_run_properties: dict[str, str]
    max_concurrent_runs: int | None
    created_on: datetime.datetime
    last_modified_on: datetime.datetime
    blueprint_details: dict[str, str] | None = None
    runs: dict[str, WorkflowRun] = field(default_factory=dict)
    # Runs not yet finished: concurrency checks look at these, not at the whole history.
    unfinished: list[WorkflowRun] = field(default_factory=list)
    # Runs forgotten after their history expired (glue/retention.py); page tokens count from the first run.
    pruned: int = 0

    def add_run(self, run: WorkflowRun) -> None:
        self.runs[run.id] = run
        self.unfinished.append(run)

    def to_api(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "Name": self.name,
            "CreatedOn": self.created_on,
            "LastModifiedOn": self.last_modified_on,
        }
        if self.description is not None:
            data["Description"] = self.description
        if self.default_run_properties:
            data["DefaultRunProperties"] = dict(self.default_run_properties)
        if self.max_concurrent_runs is not None:
            data["MaxConcurrentRuns"] = self.max_concurrent_runs
        if self.blueprint_details is not None:
            data["BlueprintDetails"] = dict(self.blueprint_details)
        return data


class MotoExecutor:
    """Starts job runs and crawls in moto's Glue backend for the engine."""

    def __init__(self, backend: GlueWorkflowBackend) -> None:
        self.backend = backend

    def now(self) -> datetime.datetime:
        return utcnow()

    def start_job(
        self, action: Action, *, trigger: str, predecessors: list[dict[str, str]], workflow: str, run_id: str
    ) -> ActionRun:
        arguments = {**action.arguments, "--WORKFLOW_NAME": workflow, "--WORKFLOW_RUN_ID": run_id}
        try:
            # A job at its own MaxConcurrentRuns gets a FAILED run (guide, "AWS Glue job run statuses").
            return self.backend.start_job_run(
                action.name,
                arguments,
                trigger_name=trigger,
                predecessors=predecessors,
                timeout=action.timeout,
                security_configuration=action.security_configuration,
                notification_property=action.notification_property,
                over_limit="fail",
                workflow_run_id=run_id,
            )
        except EntityNotFoundException as error:
            raise StartError(error.message) from None

    def start_crawl(self, action: Action, *, trigger: str, run_id: str) -> ActionRun:
        try:
            return self.backend.start_crawl(action.name, trigger_name=trigger, workflow_run_id=run_id)
        except (EntityNotFoundException, CrawlerRunningException) as error:
            raise StartError(error.message) from None


class GlueWorkflowBackend(BaseBackend):
    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.workflows: dict[str, Workflow] = {}
        self.job_outcomes: dict[str, Outcomes] = {}
        self.crawl_outcomes: dict[str, Outcomes] = {}
        self.trigger_updates: dict[str, TriggerUpdate] = {}  # by trigger name, while UPDATING shows
        # Per job: (the job, its runs not yet seen finished, how many of job.job_runs were looked at).
        self._job_run_tracking: dict[str, tuple[Any, list[Any], int]] = {}
        self.executor = MotoExecutor(self)
        # Where every job run's life goes through; the backend's own rules listen first.
        self.lifecycle = JobRunLifecycle()
        self.lifecycle.add_listener(self)
        self.lifecycle.add_listener(JobExecution(self))  # runs of jobs with a handler do their work
        self.lifecycle.add_listener(GlueEvents(account_id, region_name))  # Glue -> EventBridge (events/)
        # One lock per account and region: runs read and write jobs and triggers of the same backend.
        self.lock = threading.RLock()

    @property
    def glue(self) -> GlueResources:
        """Jobs, crawlers and triggers: moto's Glue backend of the same account and region."""
        return GlueResources(backend_for(moto_glue_backends, self.account_id, self.region_name))

    def workflow_arn(self, name: str) -> str:
        return f"arn:{get_partition(self.region_name)}:glue:{self.region_name}:{self.account_id}:workflow/{name}"

    # Workflows

    def create_workflow(
        self,
        name: str,
        description: str | None,
        default_run_properties: dict[str, str] | None,
        max_concurrent_runs: int | None,
        tags: dict[str, str] | None,
        blueprint_details: dict[str, str] | None = None,
    ) -> Workflow:
        with self.lock:
            if name in self.workflows:
                raise AlreadyExistsException(f"Workflow with name {name} already exists.")
            now = utcnow()
            workflow = Workflow(
                name=name,
                description=description,
                default_run_properties=dict(default_run_properties or {}),
                max_concurrent_runs=max_concurrent_runs,
                created_on=now,
                last_modified_on=now,
                blueprint_details=blueprint_details,
            )
            self.workflows[name] = workflow
            if tags:
                self.glue.tag(self.workflow_arn(name), tags)
            return workflow

    def get_workflow(self, name: str) -> Workflow:
        workflow = self.workflows.get(name)
        if workflow is None:
            raise EntityNotFoundException(ENTITY_NOT_FOUND)
        return workflow

    def update_workflow(
        self,
        name: str,
        description: str | None,
        default_run_properties: dict[str, str] | None,
        max_concurrent_runs: int | None,
    ) -> str:
        with self.lock:
            workflow = self.get_workflow(name)
            if description is not None:
                workflow.description = description
            if default_run_properties is not None:
                workflow.default_run_properties = dict(default_run_properties)
            if max_concurrent_runs is not None:
                workflow.max_concurrent_runs = max_concurrent_runs
            workflow.last_modified_on = utcnow()
            return name

    def delete_workflow(self, name: str) -> str:
        with self.lock:
            if self.workflows.pop(name, None) is not None:
                self.glue.untag_all(self.workflow_arn(name))
            return name

    def list_workflows(self, max_results: int | None, next_token: str | None) -> tuple[list[str], str | None]:
        try:
            return page(list(self.workflows), max_results or 25, next_token, {"op": "ListWorkflows"})
        except InvalidToken:
            raise InvalidInputException(f"Invalid NextToken: {next_token}") from None

    def graph(self, name: str) -> Graph:
        """The workflow's graph from its triggers as they are now."""
        definitions = self.glue.trigger_definitions(name)
        return Graph.build(name, [Trigger.from_definition(definition) for definition in definitions])

    def describe_workflow(self, name: str, include_graph: bool) -> dict[str, Any]:
        with self.lock:
            workflow = self.get_workflow(name)
            self.prune_workflow_runs(workflow)
            data = workflow.to_api()
            if workflow.runs:
                last = next(reversed(workflow.runs.values()))  # not a copy of the whole history
                last.refresh(self.executor, poll=False)
                data["LastRun"] = last.to_api(include_graph)
            if include_graph:
                data["Graph"] = self.graph(name).to_api()
            return data

    # Runs

    def _active_runs(self, workflow: Workflow) -> int:
        for run in workflow.unfinished:
            run.refresh(self.executor, poll=False)
        workflow.unfinished = [run for run in workflow.unfinished if run.status in ("RUNNING", "STOPPING")]
        return len(workflow.unfinished)

    def _check_concurrency(self, workflow: Workflow) -> None:
        limit = workflow.max_concurrent_runs
        if limit is not None and limit > 0 and self._active_runs(workflow) >= limit:
            raise ConcurrentRunsExceededException(f"Concurrent runs exceeded for workflow: {workflow.name}.")

    @staticmethod
    def new_run_id() -> str:
        return f"wr_{mock_random.get_random_hex(64)}"

    def start_workflow_run(self, name: str, run_properties: dict[str, str] | None) -> str:
        with self.lock:
            workflow = self.get_workflow(name)
            self.prune_workflow_runs(workflow)
            self._check_concurrency(workflow)
            graph = self.graph(name)
            properties = {**workflow.default_run_properties, **(run_properties or {})}
            run = WorkflowRun(name, self.new_run_id(), graph, properties, utcnow())
            workflow.add_run(run)
            run.start(self.executor)
            return run.id

    def get_run(self, name: str, run_id: str, poll: bool = False) -> WorkflowRun:
        with self.lock:
            workflow = self.get_workflow(name)
            self.prune_workflow_runs(workflow)
            run = workflow.runs.get(run_id)
            if run is None:
                raise EntityNotFoundException(ENTITY_NOT_FOUND)
            run.refresh(self.executor, poll=poll)
            return run

    def get_runs(
        self, name: str, max_results: int | None, next_token: str | None
    ) -> tuple[list[WorkflowRun], str | None]:
        with self.lock:
            workflow = self.get_workflow(name)
            self.prune_workflow_runs(workflow)
            try:
                # Tokens count from the first run, so runs started or expired between pages shift nothing.
                runs, token = page_newest_first(
                    list(workflow.runs.values()),
                    max_results or 100,
                    next_token,
                    {"op": "GetWorkflowRuns", "name": name},
                    dropped=workflow.pruned,
                )
            except InvalidToken:
                raise InvalidInputException(f"Invalid NextToken: {next_token}") from None
            for run in runs:
                run.refresh(self.executor, poll=True)
            return runs, token

    def stop_workflow_run(self, name: str, run_id: str) -> None:
        with self.lock:
            # The run as last seen, not brought up to date first: a stop sent while the run was seen RUNNING
            # stops it, as in AWS where the stop and the run's own completion race.
            run = self.get_workflow(name).runs.get(run_id)
            if run is None:
                raise EntityNotFoundException(ENTITY_NOT_FOUND)
            if run.status != "RUNNING":
                raise IllegalWorkflowStateException(
                    f"Workflow run {run_id} of workflow {name} is {run.status}; only a RUNNING run can be stopped."
                )
            run.stop(self.executor)

    def resume_workflow_run(self, name: str, run_id: str, node_ids: list[str]) -> tuple[str, list[str]]:
        with self.lock:
            workflow = self.get_workflow(name)
            original = self.get_run(name, run_id)
            if original.status != "COMPLETED":
                raise IllegalWorkflowStateException(
                    f"Workflow run {run_id} of workflow {name} is {original.status}; only a COMPLETED run can be resumed."
                )
            if not node_ids:
                raise InvalidInputException("NodeIds must name at least one job or crawler node to resume.")
            self._check_concurrency(workflow)
            try:
                # Listed before its jobs start: their handlers may read the new run's properties.
                resumed, roots = original.resume(
                    self.new_run_id(), node_ids, self.executor, on_created=workflow.add_run
                )
            except InvalidNode as invalid:
                raise InvalidInputException(str(invalid)) from None
            return resumed.id, roots

    def get_run_properties(self, name: str, run_id: str) -> dict[str, str]:
        return dict(self.get_run(name, run_id).properties)

    def put_run_properties(self, name: str, run_id: str, properties: dict[str, str]) -> None:
        with self.lock:
            run = self.get_workflow(name).runs.get(run_id)
            if run is None:
                raise EntityNotFoundException(ENTITY_NOT_FOUND)
            run.properties.update(properties)

    # Job runs and crawls, whoever starts them

    def start_job_run(
        self,
        job_name: str,
        arguments: dict[str, str] | None,
        *,
        trigger_name: str | None = None,
        predecessors: list[dict[str, str]] | None = None,
        previous_run_id: str | None = None,
        timeout: int | None = None,
        allocated_capacity: int | None = None,
        max_capacity: float | None = None,
        worker_type: str | None = None,
        number_of_workers: int | None = None,
        security_configuration: str | None = None,
        notification_property: dict[str, int] | None = None,
        queuing: bool | None = None,
        over_limit: str = "raise",
        workflow_run_id: str | None = None,
        attempt: int = 0,
        run_id: str | None = None,
    ) -> GlueJobRun:
        """Start a run of ``job_name``: the one place every job run begins (API, trigger, workflow, retry).

        Over the job's MaxConcurrentRuns the run waits (WAITING) when job run queuing is on for the run
        or the job; otherwise StartJobRun callers (``over_limit="raise"``) get
        ConcurrentRunsExceededException and triggers and workflows (``"fail"``) a FAILED run.
        """
        with self.lock:
            job = self.glue.job(job_name)
            if job is None:
                raise EntityNotFoundException(f"Job {job_name} not found.")
            self.prune_job_runs(job)
            limit = (job.execution_property or {}).get("MaxConcurrentRuns") or 1
            running = self._running_job_runs(job)
            if running >= limit and not self._queuing(job, queuing) and over_limit == "raise":
                # AWS's wording, quoted from a real answer in aws-solutions/amazon-marketing-cloud-uploader-from-aws
                # issue 51 (moto says "Job with name ... already running").
                raise ConcurrentRunsExceededException(f"Concurrent runs exceeded for {job_name}")
            if worker_type is None and number_of_workers is None and max_capacity is None:
                worker_type, number_of_workers = job.worker_type, job.number_of_workers
                max_capacity = job.max_capacity if worker_type is None else None
                allocated_capacity = allocated_capacity or job.allocated_capacity
            run = GlueJobRun(
                job,
                job_run_arguments(job, arguments),
                outcome_for(self.job_outcomes.get(job_name), attempt),
                trigger_name=trigger_name,
                predecessors=predecessors,
                previous_run_id=previous_run_id,
                allocated_capacity=allocated_capacity,
                max_capacity=max_capacity,
                timeout=timeout,
                worker_type=worker_type,
                number_of_workers=number_of_workers,
                security_configuration=security_configuration or job.security_configuration,
                notification_property=notification_property or job.notification_property,
                attempt=attempt,
                run_id=run_id,
                workflow_run_id=workflow_run_id,
                lifecycle=self.lifecycle,
            )
            run.admission = self._admission
            run.queuing = self._queuing(job, queuing)
            if running >= limit:
                if run.queuing:
                    run.queue()
                else:
                    run.end_now("FAILED", concurrency_error(job_name, limit))
            job.job_runs.append(run)
            self.lifecycle.started(run)
            return run

    @staticmethod
    def _queuing(job: Any, queuing: bool | None) -> bool:
        # The run's JobRunQueuingEnabled wins over the job's (API reference, Job.JobRunQueuingEnabled:
        # "If this field does not match the value set in the job run, then the value from the job run
        # field will be used").
        return bool(getattr(job, "job_run_queuing_enabled", False) if queuing is None else queuing)

    def prune_job_runs(self, job: Any) -> None:
        """Forget ``job``'s expired runs (glue/retention.py), keeping the slot tracking in step."""
        expired = retention.prune_job_runs(job)
        if not expired:
            return
        tracking = self._job_run_tracking.get(job.name)
        if tracking is not None and tracking[0] is job:
            _, tracked, seen = tracking
            # The tracked runs are unfinished, so none expired; positions before ``seen`` moved forward.
            self._job_run_tracking[job.name] = (job, tracked, seen - sum(1 for p in expired if p < seen))

    def prune_workflow_runs(self, workflow: Workflow) -> None:
        """Forget ``workflow``'s expired runs (glue/retention.py); runs not seen finished are brought up to date."""
        retention.prune_workflow_runs(workflow, settle=lambda run: run.refresh(self.executor, poll=True))

    def prune(self) -> None:
        """Forget every expired workflow run, job run and crawl of this account and region."""
        with self.lock:
            for workflow in list(self.workflows.values()):
                self.prune_workflow_runs(workflow)
            glue = self.glue.backend
            for job in list(glue.jobs.values()):
                self.prune_job_runs(job)
            for crawler in list(glue.crawlers.values()):
                retention.prune_crawls(crawler)

    def _running_job_runs(self, job: Any) -> int:
        """Runs of ``job`` holding a slot (STARTING, RUNNING, STOPPING); finished runs are looked at once."""
        known, tracked, seen = self._job_run_tracking.get(job.name, (None, [], 0))
        if known is not job:  # a job deleted and created again starts afresh
            tracked, seen = [], 0
        start = len(job.job_runs)
        tracked = tracked + job.job_runs[seen:start]
        still, running = [], 0
        for run in tracked:
            # A run waiting in the queue is not read here: reading it asks for a slot.
            state = run._status if getattr(run, "queued_since", None) is not None else run.status
            if state in JOB_FINAL:
                continue
            still.append(run)
            running += state in JOB_ACTIVE
        self._job_run_tracking[job.name] = (job, still, start)
        return running

    # The backend's own rules on the job-run lifecycle (see glue/lifecycle.py).

    def _admission(self, run: GlueJobRun) -> None:
        """A queued run asks for a slot at each read: admitted first come first served, EXPIRED after 15 minutes."""
        if run.queued_since is not None and utcnow() - run.queued_since >= QUEUE_LIMIT:
            run.end_now("EXPIRED", None)
            run.error_message = "Job run expired: it waited in the queue for 15 minutes without a free slot."
            return
        job = self.glue.job(run.job_name)
        if job is None:
            return
        oldest = next((r for r in job.job_runs if getattr(r, "queued_since", None) is not None), None)
        if oldest is not run:
            return
        limit = (job.execution_property or {}).get("MaxConcurrentRuns") or 1
        if self._running_job_runs(job) < limit:
            run.admit()

    def job_run_ended(self, run: GlueJobRun) -> None:
        with self.lock:  # reads that end a run may come from moto's own handlers, outside our lock
            if run._status == "FAILED":
                self._retry(run)
            if run.trigger_name and run.workflow_run_id is None:
                trigger_actions.fire_watchers(self, JOB, run.job_name)

    def _retry(self, run: GlueJobRun) -> None:
        """MaxRetries: a FAILED attempt is retried as a new run, Attempt N, id ``<first id>_attempt_N``."""
        job = self.glue.job(run.job_name)
        if job is None or run.attempt >= int(job.max_retries or 0):
            return
        attempt = run.attempt + 1
        first_id = run.id.split("_attempt_")[0]
        retry = self.start_job_run(
            run.job_name,
            run.arguments,
            trigger_name=run.trigger_name,
            predecessors=run.predecessors,
            previous_run_id=run.id,
            timeout=run.timeout_minutes,
            allocated_capacity=run.allocated_capacity,
            max_capacity=run.max_capacity,
            worker_type=run.worker_type,
            number_of_workers=run.number_of_workers,
            security_configuration=run.security_configuration,
            notification_property=run.notification_property,
            queuing=getattr(run, "queuing", None),
            over_limit="fail",
            workflow_run_id=run.workflow_run_id,
            attempt=attempt,
            run_id=f"{first_id}_attempt_{attempt}",
        )
        run.retry = retry
        self.lifecycle.retried(run, retry)

    def start_crawl(
        self, crawler_name: str, *, trigger_name: str | None = None, workflow_run_id: str | None = None
    ) -> GlueCrawl:
        with self.lock:
            crawler = self.glue.crawler(crawler_name)
            if crawler is None:
                raise EntityNotFoundException(f"Crawler entry with name {crawler_name} does not exist")
            retention.prune_crawls(crawler)
            if crawler.crawls and crawler.crawls[-1].status in ("RUNNING", "STOPPING"):
                raise CrawlerRunningException(f"Crawler with name {crawler_name} has already started")
            crawl = GlueCrawl(
                crawler_name,
                outcome_for(self.crawl_outcomes.get(crawler_name), 0),
                trigger_name=trigger_name,
                workflow_run_id=workflow_run_id,
                on_end=self._crawl_ended,
            )
            # The crawl fills the catalog now, unless a test chose its outcome.
            perform_crawl(
                self.account_id, self.region_name, crawler, crawl, decided_by_test=crawler_name in self.crawl_outcomes
            )
            crawler.crawls.append(crawl)
            self.lifecycle.crawl_started(crawl)
            return crawl

    def _crawl_ended(self, crawl: GlueCrawl) -> None:
        self.lifecycle.crawl_ended(crawl)
        if crawl.trigger_name and crawl.workflow_run_id is None:
            with self.lock:
                trigger_actions.fire_watchers(self, CRAWLER, crawl.crawler_name)

    def set_job_outcome(self, job_name: str, outcomes: Outcomes) -> None:
        self.job_outcomes[job_name] = outcomes

    def set_crawl_outcome(self, crawler_name: str, outcomes: Outcomes) -> None:
        self.crawl_outcomes[crawler_name] = outcomes


glue_workflow_backends = BackendDict(GlueWorkflowBackend, "glue")
