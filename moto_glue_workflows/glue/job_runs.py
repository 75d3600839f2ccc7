"""Job runs and crawls as Glue reports them, extending moto's models so moto's own calls still see them.

They keep moto's state-manager models (``glue::job_run``, ``glue::crawl``), so tests choose
immediate, manual or time progression as before; what changes is where a run ends (the outcome a
test chose for its job or crawler), what it reports (no invented ExecutionTime or log group, no
CompletedOn while it runs), and what a workflow adds (TriggerName, PredecessorRuns).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from moto_glue_workflows._moto import FakeCrawl, FakeCrawler, FakeJob, FakeJobRun, ObservedState, utcnow
from moto_glue_workflows.crawlers.crawl import schema_change_policy
from moto_glue_workflows.glue.lifecycle import JobRunLifecycle

JOB_FINAL = frozenset({"SUCCEEDED", "FAILED", "STOPPED", "TIMEOUT", "ERROR", "EXPIRED"})
JOB_ACTIVE = frozenset({"STARTING", "RUNNING", "STOPPING"})
DEFAULT_TIMEOUT_MINUTES = 2880
# Python shell jobs log to /aws-glue/python-jobs, Spark jobs to /aws-glue/jobs (Glue developer guide,
# "Resuming a workflow run" example and "Monitoring with Amazon CloudWatch"; Airflow's Glue hook reads these).
LOG_GROUP = "/aws-glue/jobs"
PYTHON_SHELL_LOG_GROUP = "/aws-glue/python-jobs"
# "AWS Glue will retry for a maximum of 15 minutes or 10 attempts, whichever comes first" (guide, "AWS Glue
# job run statuses", WAITING): a queued run that could not start within 15 minutes ends EXPIRED.
QUEUE_LIMIT = datetime.timedelta(minutes=15)
_DPU_PER_WORKER = {"G.025X": 0.25, "G.1X": 1, "G.2X": 2, "G.4X": 4, "G.8X": 8, "G.12X": 12, "G.16X": 16, "Z.2X": 2}
# A job given neither workers nor capacity (the API reference's defaults for MaxCapacity).
_DEFAULT_DPUS = {"pythonshell": 0.0625, "glueetl": 10.0, "gluestreaming": 10.0}
_CRAWL_FINAL = {"SUCCEEDED": "COMPLETED", "FAILED": "FAILED", "CANCELLED": "STOPPED"}
# moto's crawl keeps crawler-history states; the workflow graph's Crawl reports CrawlState.
_CRAWL_STATE = {"RUNNING": "RUNNING", "STOPPING": "CANCELLING", "COMPLETED": "SUCCEEDED", "STOPPED": "CANCELLED"}


@dataclass(frozen=True)
class Outcome:
    """How one attempt of a job run (or one crawl) ends, as a test chose."""

    state: str
    error_message: str | None = None


Outcomes = tuple[Outcome, ...]


def outcome_for(outcomes: Outcomes | None, attempt: int) -> Outcome | None:
    """Attempt N ends as the Nth outcome given; the last one given holds for every later attempt."""
    if not outcomes:
        return None
    return outcomes[min(attempt, len(outcomes) - 1)]


def command_name(job: FakeJob) -> str | None:
    command: dict[str, Any] = job.command if isinstance(job.command, dict) else {}
    name = command.get("Name")
    return name if isinstance(name, str) else None


def log_group_for(job: FakeJob) -> str:
    return PYTHON_SHELL_LOG_GROUP if command_name(job) == "pythonshell" else LOG_GROUP


def _default_job_error(state: str, timeout: int) -> str | None:
    if state == "FAILED":
        return "An error occurred while running the job."
    if state == "TIMEOUT":
        return f"Job run timed out after {timeout} minutes."
    if state == "ERROR":
        return "An internal error occurred while starting the job run."
    if state == "EXPIRED":
        return "Job run expired: it waited in the queue longer than 15 minutes without resources to start."
    return None


def concurrency_error(job_name: str, limit: int) -> str:
    # Guide, "AWS Glue job run statuses": FAILED - "The job exceeded its maximum allowed concurrent runs".
    return f"Job {job_name} exceeded its maximum allowed concurrent runs (MaxConcurrentRuns {limit})."


class GlueJobRun(ObservedState, FakeJobRun):
    """A job run. Its life (start, each state found, end, retry) is reported to ``lifecycle``."""

    def __init__(
        self,
        job: FakeJob,
        arguments: dict[str, str],
        outcome: Outcome | None,
        *,
        trigger_name: str | None = None,
        predecessors: list[dict[str, str]] | None = None,
        previous_run_id: str | None = None,
        allocated_capacity: int | None = None,
        max_capacity: float | None = None,
        timeout: int | None = None,
        worker_type: str | None = None,
        number_of_workers: int | None = None,
        security_configuration: str | None = None,
        notification_property: dict[str, int] | None = None,
        attempt: int = 0,
        run_id: str | None = None,
        workflow_run_id: str | None = None,
        lifecycle: JobRunLifecycle | None = None,
    ) -> None:
        self.timeout_minutes = timeout or job.timeout or DEFAULT_TIMEOUT_MINUTES
        super().__init__(
            job_name=job.name,
            job_run_id=previous_run_id,
            arguments=arguments,
            allocated_capacity=allocated_capacity,
            max_capacity=max_capacity,
            timeout=self.timeout_minutes,
            worker_type=worker_type,
            notification_property=notification_property,
            security_configuration=security_configuration,
            number_of_workers=number_of_workers,
        )
        if run_id is not None:
            self.job_run_id = run_id
        final = outcome.state if outcome else "SUCCEEDED"
        if final in ("WAITING", "EXPIRED"):
            # A run a test holds in the queue: WAITING for good, or until it expires.
            self._transitions = [("WAITING", final), ("STOPPING", "STOPPED")]
            self._status = "WAITING"
        else:
            self._transitions = [("STARTING", "RUNNING"), ("RUNNING", final), ("STOPPING", "STOPPED")]
        self.error_message = (outcome.error_message if outcome else None) or _default_job_error(
            final, self.timeout_minutes
        )
        self.completed_on: datetime.datetime | None = None  # type: ignore[assignment]
        self.trigger_name = trigger_name
        self.predecessors = list(predecessors or [])
        self.glue_version = job.glue_version or "0.9"
        self.execution_class = job.execution_class
        self.log_group = log_group_for(job)
        self.command_name = command_name(job)
        self.attempt = attempt
        self.workflow_run_id = workflow_run_id
        self.lifecycle = lifecycle
        self.retry: GlueJobRun | None = None  # the attempt that took over when this one failed
        self.queued_since: datetime.datetime | None = None  # set while waiting for a free slot
        self.queuing = False  # whether job run queuing applies to this run
        self._observed: str | None = None
        # Asked at every read while the run waits in the queue: admit it, expire it, or leave it waiting.
        self.admission: Callable[[GlueJobRun], None] | None = None

    # Where the life of a run goes through: every state a read finds passes here once.

    def queue(self) -> None:
        """Wait for a free slot of the job (job run queuing): WAITING until admitted or expired."""
        self._status = "WAITING"
        self.queued_since = utcnow()

    def admit(self) -> None:
        """A queued run that got its slot starts now."""
        self.queued_since = None
        self._status = "STARTING"
        self.started_on = self.modified_on = utcnow()
        self._tick = 0
        self._time_progressed = datetime.datetime.now()
        if self.lifecycle is not None:
            self.lifecycle.admitted(self)

    def end_now(self, state: str, error_message: str | None) -> None:
        """End the run at once in ``state`` (over its limit, expired in the queue)."""
        self._status = state
        self.error_message = error_message
        self.queued_since = None

    def on_status(self, state: str) -> None:
        if state == "WAITING" and self.queued_since is not None and self.admission is not None:
            self.admission(self)  # may move the state; ObservedState then reads it again
            if self._status != state:
                return
        if state == self._observed:
            return
        previous, self._observed = self._observed, state
        if state in JOB_FINAL and self.completed_on is None:
            self.completed_on = utcnow()
            self.modified_on = self.completed_on
        if self.lifecycle is None:
            return
        self.lifecycle.state_changed(self, previous, state)
        if state in JOB_FINAL:
            self.lifecycle.ended(self)

    @property
    def ended(self) -> bool:
        """Whether the run has ended and a read has seen it end: from then on no read, and nothing else,
        changes it (a final state has no transitions; stopping and retries leave an ended run alone)."""
        return self._status in JOB_FINAL and self._observed == self._status

    @property
    def id(self) -> str:
        return str(self.job_run_id)

    @property
    def state(self) -> str:
        return self.status

    def poll(self) -> None:
        self.advance()

    def stop(self) -> None:
        if self.status in ("STARTING", "RUNNING", "WAITING"):
            self.queued_since = None
            self.status = "STOPPING"
            self.modified_on = utcnow()
            self._tick = 0
            self._time_progressed = datetime.datetime.now()

    def execution_seconds(self) -> int:
        end = self.completed_on or utcnow()
        return max(0, int((end - self.started_on).total_seconds()))

    def as_dict(self, predecessors_included: bool = False) -> dict[str, Any]:
        state = self.status
        data: dict[str, Any] = {
            "Id": self.job_run_id,
            "Attempt": self.attempt,
            "JobName": self.job_name,
            "StartedOn": self.started_on,
            "LastModifiedOn": self.modified_on,
            "JobRunState": state,
            "ExecutionTime": self.execution_seconds(),
            "Timeout": self.timeout_minutes,
            "LogGroupName": self.log_group,
            "GlueVersion": self.glue_version,
            "ExecutionClass": self.execution_class,
        }
        optional = {
            "CompletedOn": self.completed_on,
            "PreviousRunId": self.previous_run_id,
            "TriggerName": self.trigger_name,
            "Arguments": self.arguments or None,
            "WorkerType": self.worker_type,
            "NumberOfWorkers": self.number_of_workers,
            "SecurityConfiguration": self.security_configuration,
            "NotificationProperty": self.notification_property,
        }
        data.update({key: value for key, value in optional.items() if value is not None})
        if state in ("FAILED", "TIMEOUT", "ERROR", "EXPIRED") and self.error_message:
            data["ErrorMessage"] = self.error_message
        # Always there, as in every captured answer (aws-cli's get-job-run and get-job-runs examples, the Glue
        # guide's resuming-workflow page); the predecessors themselves when the caller asks for them.
        data["PredecessorRuns"] = list(self.predecessors) if predecessors_included else []
        dpus = self.dpus()
        if dpus is not None:
            # AllocatedCapacity (deprecated) is the whole DPUs: 10 workers of G.1X read 10 and 10.0 (aws-cli's
            # examples), a Python shell job 0 and 0.0625 (the Glue guide's resuming-workflow page).
            data["AllocatedCapacity"], data["MaxCapacity"] = int(dpus), float(dpus)
        if self.execution_class == "FLEX":
            data["DPUSeconds"] = float(self.execution_seconds() * (dpus or 0))
        return data

    def dpus(self) -> float | None:
        """The DPUs the run was given: its workers' (by worker type), else its capacity, else the defaults of its
        command (Python shell 0.0625, Spark 10); None for a command with no DPU default (Ray)."""
        if self.worker_type and self.number_of_workers:
            return _DPU_PER_WORKER.get(self.worker_type, 1) * self.number_of_workers
        given = self.max_capacity or self.allocated_capacity
        if given:
            return float(given)
        return _DEFAULT_DPUS.get(self.command_name or "")

    def as_detail(self) -> dict[str, Any]:
        """The run as a workflow graph's job node lists it: with an empty PredecessorRuns, as the Glue guide's
        resuming-workflow page shows for a node a conditional trigger started (GetJobRun with
        PredecessorsIncluded gives them)."""
        return self.as_dict(predecessors_included=False)


def job_run_arguments(job: FakeJob, arguments: dict[str, str] | None) -> dict[str, str]:
    """The job's defaults, overridden by the run's arguments, then its non-overridable ones."""
    merged = dict(job.default_arguments or {})
    merged.update(arguments or {})
    merged.update(job.non_overridable_arguments or {})
    return merged


class GlueCrawl(ObservedState, FakeCrawl):
    retry = None  # crawls are not retried

    def __init__(
        self,
        crawler_name: str,
        outcome: Outcome | None,
        *,
        trigger_name: str | None = None,
        workflow_run_id: str | None = None,
        on_end: Callable[[GlueCrawl], None] | None = None,
    ) -> None:
        super().__init__(crawler_name)
        self.crawler_name = crawler_name
        self.trigger_name = trigger_name
        self.workflow_run_id = workflow_run_id
        self.on_end = on_end
        final = _CRAWL_FINAL[outcome.state if outcome else "SUCCEEDED"]
        self._transitions = [("RUNNING", final), ("STOPPING", "STOPPED")]
        self.error_message = outcome.error_message if outcome else None
        if final == "FAILED" and not self.error_message:
            self.error_message = "Internal Service Exception"

    def on_status(self, state: str) -> None:
        if state not in ("RUNNING", "STOPPING") and self.end_time is None:
            self.end_time = utcnow()
            if self.on_end is not None:
                self.on_end(self)

    @property
    def id(self) -> str:
        return str(self.crawl_id)

    @property
    def state(self) -> str:
        history_state = self.status
        return _CRAWL_STATE.get(history_state, history_state)

    def poll(self) -> None:
        self.advance()

    def stop(self) -> None:
        if self.status == "RUNNING":
            self.status = "STOPPING"
            self._tick = 0
            self._time_progressed = datetime.datetime.now()

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = super().as_dict()
        if data.get("State") == "FAILED" and self.error_message:
            data["ErrorMessage"] = self.error_message
        return data

    def as_detail(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "State": self.state,
            "StartedOn": self.start_time,
            "LogGroup": self.log_group,
            "LogStream": self.log_stream,
        }
        if self.end_time is not None:
            data["CompletedOn"] = self.end_time
        if data["State"] == "FAILED" and self.error_message:
            data["ErrorMessage"] = self.error_message
        return data


_LAST_CRAWL_STATUS = {"COMPLETED": "SUCCEEDED", "STOPPED": "CANCELLED", "FAILED": "FAILED"}


def crawler_dict(crawler: FakeCrawler) -> dict[str, Any]:
    """moto's GetCrawler shape, with LastCrawl describing the last finished crawl as AWS does.

    A read that shows the crawler counts as a poll of its running crawl, as GetJobRun counts for a job run,
    through the crawl's state manager model (``glue::crawl``, as ListCrawls): the crawl's state is read first
    (which ends it when enough polls have been made: its on_end makes the crawler READY), the answer shows
    that, then the poll is counted. So, with moto's default of one poll, the first read after StartCrawler
    shows RUNNING and the next READY with LastCrawl filled: pollers of GetCrawler (Airflow's crawler_ready
    waiter, a ``while State != "READY"`` loop) see the crawl end.
    """
    latest = crawler.crawls[-1] if crawler.crawls else None
    latest_state = None if latest is None else latest.status  # the read that may end it
    data: dict[str, Any] = crawler.as_dict()
    data.pop("LastCrawl", None)
    data["SchemaChangePolicy"] = schema_change_policy(crawler)  # Glue's defaults where the crawler says nothing
    for crawl in reversed(crawler.crawls):
        status = _LAST_CRAWL_STATUS.get(crawl.status or "")
        if status is None:
            continue
        last = {
            "Status": status,
            "LogGroup": crawl.log_group,
            "LogStream": crawl.log_stream,
            "MessagePrefix": crawl.message_prefix,
            "StartTime": crawl.start_time,
        }
        error_message = getattr(crawl, "error_message", None)
        if status == "FAILED" and error_message:
            last["ErrorMessage"] = error_message
        data["LastCrawl"] = last
        break
    if latest is not None and latest_state in ("RUNNING", "STOPPING"):
        latest.advance()  # this read counted as a poll, for the next one
    return data
