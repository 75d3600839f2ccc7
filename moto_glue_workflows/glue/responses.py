"""Glue's handlers for workflows, the runs they start, blueprints, and the few moto operations whose
answers we own (CreateTrigger, GetCrawler, GetCrawlers); every other Glue operation stays moto's, reached
through ``glue/routing.py`` without passing through this class."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from moto_glue_workflows._moto import ActionResult, EmptyResult, backend_for, glue_exceptions
from moto_glue_workflows.glue import triggers
from moto_glue_workflows.glue.blueprint_responses import BLUEPRINT_OPERATIONS, BlueprintHandlers
from moto_glue_workflows.glue.exceptions import (
    AccessDeniedException,
    EntityNotFoundException,
    InvalidInputException,
    ValidationException,
    glue_error,
)
from moto_glue_workflows.glue.job_runs import crawler_dict, job_run_arguments
from moto_glue_workflows.glue.models import GlueWorkflowBackend, glue_workflow_backends
from moto_glue_workflows.glue.retention import job_runs_pruned
from moto_glue_workflows.glue.trigger_updates import trigger_as_read
from moto_glue_workflows.jobs.script_mode import unusable_script_location
from moto_glue_workflows.protocol.model_response import SERIALIZATION_ERROR, ModelResponse, Settled
from moto_glue_workflows.protocol.pagination import InvalidToken, page, page_newest_first


def _found_and_missing(
    names: list[str], lookup: Callable[[str], Any], render: Callable[[Any], dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[str]]:
    """A BatchGet's answer: what ``lookup`` finds, rendered, and the names it does not."""
    found, missing = [], []
    for name in names:
        item = lookup(name)
        if item is None:
            missing.append(name)
        else:
            found.append(render(item))
    return found, missing


def _with_token(result: dict[str, Any], token: str | None) -> ActionResult:
    if token:
        result["NextToken"] = token
    return ActionResult(result)


class GlueWorkflowResponse(BlueprintHandlers, ModelResponse):
    SERVICE = "glue"
    ACCESS_DENIED = AccessDeniedException
    # Glue's request validation answers ValidationException, not the service's own InvalidInputException:
    # "An error occurred (ValidationException) when calling the GetTables operation: 1 validation error
    # detected: Value '...' at 'expression' failed to satisfy constraint: Member must have length less than
    # or equal to 255" (https://github.com/boto/boto3/issues/3229).
    VALIDATION_ERROR = ValidationException
    MALFORMED_BODY_TYPE = SERIALIZATION_ERROR
    OPERATIONS = (
        frozenset(
            {
                "CreateWorkflow",
                "UpdateWorkflow",
                "DeleteWorkflow",
                "GetWorkflow",
                "ListWorkflows",
                "BatchGetWorkflows",
                "StartWorkflowRun",
                "StopWorkflowRun",
                "ResumeWorkflowRun",
                "GetWorkflowRun",
                "GetWorkflowRuns",
                "GetWorkflowRunProperties",
                "PutWorkflowRunProperties",
                "StartJobRun",
                "GetJobRun",
                "GetJobRuns",
                "BatchStopJobRun",
                "GetCrawlerMetrics",
                "StartCrawler",
                "CreateTrigger",
                "StartTrigger",
                "StopTrigger",
                "UpdateTrigger",
                # moto stores triggers; we answer UPDATING while an update shows (glue/trigger_updates.py)
                "GetTrigger",
                "GetTriggers",
                "BatchGetTriggers",
                # moto stores crawlers; we answer LastCrawl as AWS does (the last finished crawl)
                "GetCrawler",
                "GetCrawlers",
                "BatchGetCrawlers",
            }
        )
        | BLUEPRINT_OPERATIONS
    )

    @property
    def workflows(self) -> GlueWorkflowBackend:
        return backend_for(glue_workflow_backends, self.current_account, self.region)  # type: ignore[no-any-return]

    # Workflows

    def create_workflow(self) -> ActionResult:
        workflow = self.workflows.create_workflow(
            self.params["Name"],
            self.param("Description"),
            self.param("DefaultRunProperties"),
            self.param("MaxConcurrentRuns"),
            self.param("Tags"),
        )
        return ActionResult({"Name": workflow.name})

    def update_workflow(self) -> ActionResult:
        name = self.workflows.update_workflow(
            self.params["Name"],
            self.param("Description"),
            self.param("DefaultRunProperties"),
            self.param("MaxConcurrentRuns"),
        )
        return ActionResult({"Name": name})

    def delete_workflow(self) -> ActionResult:
        return ActionResult({"Name": self.workflows.delete_workflow(self.params["Name"])})

    def get_workflow(self) -> ActionResult:
        include_graph = bool(self.param("IncludeGraph"))
        return ActionResult({"Workflow": self.workflows.describe_workflow(self.params["Name"], include_graph)})

    def list_workflows(self) -> ActionResult:
        names, token = self.workflows.list_workflows(self.param("MaxResults"), self.param("NextToken"))
        return _with_token({"Workflows": names}, token)

    def batch_get_workflows(self) -> ActionResult:
        include_graph = bool(self.param("IncludeGraph"))
        found, missing = [], []
        for name in self.params["Names"]:
            try:
                found.append(self.workflows.describe_workflow(name, include_graph))
            except EntityNotFoundException:
                missing.append(name)
        return ActionResult({"Workflows": found, "MissingWorkflows": missing})

    # Runs

    def start_workflow_run(self) -> ActionResult:
        run_id = self.workflows.start_workflow_run(self.params["Name"], self.param("RunProperties"))
        return ActionResult({"RunId": run_id})

    def stop_workflow_run(self) -> ActionResult:
        self.workflows.stop_workflow_run(self.params["Name"], self.params["RunId"])
        return EmptyResult()

    def resume_workflow_run(self) -> ActionResult:
        run_id, node_ids = self.workflows.resume_workflow_run(
            self.params["Name"], self.params["RunId"], self.params["NodeIds"]
        )
        return ActionResult({"RunId": run_id, "NodeIds": node_ids})

    def get_workflow_run(self) -> ActionResult:
        backend = self.workflows
        with backend.lock:  # report the run as refreshed, before another request moves it
            run = backend.get_run(self.params["Name"], self.params["RunId"], poll=True)
            return ActionResult({"Run": run.to_api(bool(self.param("IncludeGraph")))})

    def get_workflow_runs(self) -> ActionResult:
        backend = self.workflows
        include_graph = bool(self.param("IncludeGraph"))
        with backend.lock:  # as in get_workflow_run
            runs, token = backend.get_runs(self.params["Name"], self.param("MaxResults"), self.param("NextToken"))
            return _with_token({"Runs": [run.to_api(include_graph) for run in runs]}, token)

    def get_workflow_run_properties(self) -> ActionResult:
        properties = self.workflows.get_run_properties(self.params["Name"], self.params["RunId"])
        return ActionResult({"RunProperties": properties})

    def put_workflow_run_properties(self) -> ActionResult:
        self.workflows.put_run_properties(self.params["Name"], self.params["RunId"], self.params["RunProperties"])
        return EmptyResult()

    # Job runs and crawls

    def start_job_run(self) -> ActionResult:
        if self.param("AllocatedCapacity") is not None and self.param("MaxCapacity") is not None:
            raise InvalidInputException("Please set only Allocated Capacity or Max Capacity")
        job = self._job(self.params["JobName"])
        problem = unusable_script_location(
            job, job_run_arguments(job, self.param("Arguments")), self.current_account, self.region
        )
        if problem is not None:
            raise InvalidInputException(problem)
        run = self.workflows.start_job_run(
            self.params["JobName"],
            self.param("Arguments"),
            previous_run_id=self.param("JobRunId"),
            timeout=self.param("Timeout"),
            allocated_capacity=self.param("AllocatedCapacity"),
            max_capacity=self.param("MaxCapacity"),
            worker_type=self.param("WorkerType"),
            number_of_workers=self.param("NumberOfWorkers"),
            security_configuration=self.param("SecurityConfiguration"),
            notification_property=self.param("NotificationProperty"),
            queuing=self.param("JobRunQueuingEnabled"),
        )
        return ActionResult({"JobRunId": run.job_run_id})

    def _job(self, name: str) -> Any:
        job = self.workflows.glue.job(name)
        if job is None:
            raise EntityNotFoundException(f"Job {name} not found.")
        return job

    @staticmethod
    def _run_dict(run: Any, predecessors_included: bool) -> dict[str, Any]:
        if hasattr(run, "trigger_name"):
            return run.as_dict(predecessors_included=predecessors_included)  # type: ignore[no-any-return]
        return run.as_dict()  # type: ignore[no-any-return]  # a run moto made before we were imported

    @classmethod
    def _job_run_answer(cls, lock: Any, run: Any, predecessors_included: bool) -> dict[str, Any]:
        with lock:  # also when an ended run's answer is built after the handler returned (Settled)
            return {"JobRun": cls._run_dict(run, predecessors_included)}

    def get_job_run(self) -> ActionResult | Settled:
        workflows = self.workflows
        with workflows.lock:
            job = self._job(self.params["JobName"])
            workflows.prune_job_runs(job)
            run_id = self.params["RunId"]
            for run in job.job_runs:
                if run.job_run_id == run_id:
                    run.advance()
                    predecessors = bool(self.param("PredecessorsIncluded"))
                    answer = functools.partial(self._job_run_answer, workflows.lock, run, predecessors)
                    if getattr(run, "ended", False):  # polled after it ended: the same answer every time
                        return Settled(run, predecessors, answer)
                    return ActionResult(answer())
        raise EntityNotFoundException(f"Job run {run_id} not found.")

    def get_job_runs(self) -> ActionResult:
        with self.workflows.lock:
            job = self._job(self.params["JobName"])
            self.workflows.prune_job_runs(job)
            try:
                runs, token = page_newest_first(
                    list(job.job_runs),
                    self.param("MaxResults") or 100,
                    self.param("NextToken"),
                    {"op": "GetJobRuns", "job": job.name},
                    dropped=job_runs_pruned(job),
                )
            except InvalidToken:
                raise InvalidInputException(f"Invalid NextToken: {self.param('NextToken')}") from None
            for run in runs:
                run.advance()
            return _with_token({"JobRuns": [self._run_dict(run, False) for run in runs]}, token)

    def batch_stop_job_run(self) -> ActionResult:
        from moto_glue_workflows.jobs.stopping import batch_stop

        with self.workflows.lock:
            name = self.params["JobName"]
            stopped, errors = batch_stop(name, self.workflows.glue.job(name), self.params["JobRunIds"])
        return ActionResult({"SuccessfulSubmissions": stopped, "Errors": errors})

    def get_crawler_metrics(self) -> ActionResult:
        from moto_glue_workflows.crawlers.metrics import crawler_metrics

        with self.workflows.lock:
            metrics, token = crawler_metrics(
                self.workflows.glue.crawlers(),
                self.param("CrawlerNameList"),
                self.param("MaxResults"),
                self.param("NextToken"),
            )
        return _with_token({"CrawlerMetricsList": metrics}, token)

    def start_crawler(self) -> ActionResult:
        self.workflows.start_crawl(self.params["Name"])
        return EmptyResult()

    # GetCrawler(s), BatchGetCrawlers: moto's crawlers, each read moving a running crawl on (as GetJobRun moves a
    # job run), with LastCrawl as AWS gives it: the last finished crawl, in LastCrawlStatus.

    def get_crawler(self) -> ActionResult:
        with self.workflows.lock:
            try:  # moto's lookup, so a missing crawler is refused in moto's words, in Glue's error shape
                crawler = self.workflows.glue.backend.get_crawler(self.params["Name"])
            except glue_exceptions.GlueClientError as refused:
                raise glue_error(refused.error_type, refused.message) from None
            return ActionResult({"Crawler": crawler_dict(crawler)})

    def get_crawlers(self) -> ActionResult:
        with self.workflows.lock:
            crawlers = [crawler_dict(c) for c in self.workflows.glue.crawlers()]
        try:  # every crawler when no MaxResults is given, as moto answered
            found, token = page(
                crawlers,
                self.param("MaxResults") or max(len(crawlers), 1),
                self.param("NextToken"),
                {"op": "GetCrawlers"},
            )
        except InvalidToken:  # GetCrawlers lists no InvalidInputException: as GetCrawlerMetrics answers
            raise ValidationException(f"Invalid NextToken: {self.param('NextToken')}") from None
        return _with_token({"Crawlers": found}, token)

    def batch_get_crawlers(self) -> ActionResult:
        with self.workflows.lock:
            found, missing = _found_and_missing(self.params["CrawlerNames"], self.workflows.glue.crawler, crawler_dict)
        return ActionResult({"Crawlers": found, "CrawlersNotFound": missing})

    # Triggers: CreateTrigger with Glue's rules (glue/triggers.py), stored in moto's Glue; Start/Stop/UpdateTrigger.

    def create_trigger(self) -> ActionResult:
        triggers.create_trigger(self.workflows, dict(self.params))
        return ActionResult({"Name": self.params["Name"]})

    def start_trigger(self) -> ActionResult:
        triggers.start_trigger(self.workflows, self.params["Name"])
        return ActionResult({"Name": self.params["Name"]})

    def stop_trigger(self) -> ActionResult:
        triggers.stop_trigger(self.workflows, self.params["Name"])
        return ActionResult({"Name": self.params["Name"]})

    # GetTrigger(s), BatchGetTriggers: moto's triggers, with UPDATING while an update shows.

    def get_trigger(self) -> ActionResult:
        with self.workflows.lock:
            try:  # moto's lookup, so a missing trigger is refused in moto's words, in Glue's error shape
                found = self.workflows.glue.backend.get_trigger(self.params["Name"])
            except glue_exceptions.GlueClientError as refused:
                raise glue_error(refused.error_type, refused.message) from None
            return ActionResult({"Trigger": trigger_as_read(self.workflows.trigger_updates, found)})

    def get_triggers(self) -> ActionResult:
        job = self.param("DependentJobName")
        with self.workflows.lock:
            listed = self.workflows.glue.triggers(job)
            try:  # every trigger when no MaxResults is given, as moto answered
                found, token = page(
                    listed,
                    self.param("MaxResults") or max(len(listed), 1),
                    self.param("NextToken"),
                    {"op": "GetTriggers", "job": job},
                )
            except InvalidToken:
                raise InvalidInputException(f"Invalid NextToken: {self.param('NextToken')}") from None
            # only the triggers answered are read (a read counts as a poll of an update in progress)
            shown = [trigger_as_read(self.workflows.trigger_updates, trigger) for trigger in found]
        return _with_token({"Triggers": shown}, token)

    def batch_get_triggers(self) -> ActionResult:
        updates = self.workflows.trigger_updates
        with self.workflows.lock:
            found, missing = _found_and_missing(
                self.params["TriggerNames"],
                self.workflows.glue.trigger,
                lambda trigger: trigger_as_read(updates, trigger),
            )
        return ActionResult({"Triggers": found, "TriggersNotFound": missing})

    def update_trigger(self) -> ActionResult:
        trigger = triggers.update_trigger(self.workflows, self.params["Name"], self.params["TriggerUpdate"])
        return ActionResult({"Trigger": trigger})
