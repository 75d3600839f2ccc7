"""How long Glue keeps finished runs: older history is gone, as in AWS, so a long-lived server stays bounded.

- Workflow runs: 90 days. "Job run history is accessible for 90 days for your workflow and job run"
  (AWS Glue developer guide, Workflows API chapter, https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-workflow.html;
  and the GetWorkflowRun API reference).
- Job runs: 365 days. The GetJobRun API reference now says "Job run history is accessible for 365 days for
  your workflow and job run" (https://docs.aws.amazon.com/glue/latest/webapi/API_GetJobRun.html), while the
  Job runs API chapter still carries the older 90 days; the operation's own reference wins.
- Crawls: 12 months. ListCrawls "only retains up to 12 months of crawls. Older crawls will not be returned"
  (https://docs.aws.amazon.com/glue/latest/webapi/API_ListCrawls.html).

A run is forgotten once it is finished (as last seen) and finished longer ago than its history lasts; a run
still going is never dropped. Nothing runs on a timer: the scheduler prunes every backend after the clock
moves (``POST /moto-api/static/clock``, both modes), and reads and starts of one workflow or job prune it
first, so wall time passing in a long-lived server bounds memory too. Histories are in start order and a
run finishes after it starts, so a prune looks only at runs started before the cut-off.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from moto_glue_workflows._moto import utcnow
from moto_glue_workflows.glue.job_runs import JOB_FINAL
from moto_glue_workflows.workflows.engine import FINISHED as WORKFLOW_FINISHED

WORKFLOW_RUN_HISTORY = datetime.timedelta(days=90)
JOB_RUN_HISTORY = datetime.timedelta(days=365)
CRAWL_HISTORY = datetime.timedelta(days=365)
# moto's crawl history states (glue/job_runs.py maps them to the workflow graph's CrawlState).
CRAWL_FINAL = frozenset({"COMPLETED", "FAILED", "STOPPED"})

T = TypeVar("T")


def _expired_positions(
    runs: Sequence[T],
    cutoff: datetime.datetime,
    started: Callable[[T], datetime.datetime | None],
    finished_at: Callable[[T], datetime.datetime | None],
) -> list[int]:
    """Positions (in start order) of the runs that finished before ``cutoff``."""
    expired = []
    for position, run in enumerate(runs):
        began = started(run)
        if began is not None and began >= cutoff:
            break  # started after the cut-off: this run and every later one finished after it
        ended = finished_at(run)
        if ended is not None and ended < cutoff:
            expired.append(position)
    return expired


def prune_workflow_runs(
    workflow: Any, now: datetime.datetime | None = None, settle: Callable[[Any], None] | None = None
) -> int:
    """Forget ``workflow``'s runs finished more than 90 days ago; how many were forgotten. ``settle``
    brings a run not yet seen finished up to date first (as a read would), so runs nobody polled go too."""
    runs = workflow.runs
    if not runs:
        return 0
    cutoff = (now or utcnow()) - WORKFLOW_RUN_HISTORY
    if next(iter(runs.values())).started_on >= cutoff:
        return 0  # the common case, in O(1): the oldest run started within the history
    expired = _expired_positions(
        list(runs.values()),
        cutoff,
        lambda run: run.started_on,
        lambda run: _workflow_run_finished_at(run, settle),
    )
    ordered = list(runs)
    for position in expired:
        del runs[ordered[position]]
    workflow.unfinished = [run for run in workflow.unfinished if run.id in runs]
    workflow.pruned += len(expired)
    return len(expired)


def _workflow_run_finished_at(run: Any, settle: Callable[[Any], None] | None) -> datetime.datetime | None:
    if run.status not in WORKFLOW_FINISHED and settle is not None:
        settle(run)
    return run.completed_on if run.status in WORKFLOW_FINISHED else None


def _job_run_finished_at(run: Any) -> datetime.datetime | None:
    state = getattr(run, "_status", None)
    if state is not None and state not in JOB_FINAL:
        state = run.status  # read, as GetJobRun would: the state manager moves it on
    return getattr(run, "completed_on", None) if state in JOB_FINAL else None


def prune_job_runs(job: Any, now: datetime.datetime | None = None) -> list[int]:
    """Forget ``job``'s runs finished more than 365 days ago; the positions they had."""
    runs = job.job_runs
    if not runs:
        return []
    cutoff = (now or utcnow()) - JOB_RUN_HISTORY
    # Runs are kept in start order: none expired while the first started within the period (every read
    # of a job's runs asks, so this is the whole cost of the usual case).
    if (getattr(runs[0], "started_on", None) or cutoff) >= cutoff:
        return []
    expired = _expired_positions(runs, cutoff, lambda run: getattr(run, "started_on", None), _job_run_finished_at)
    if expired:
        gone = set(expired)
        job.job_runs[:] = [run for position, run in enumerate(runs) if position not in gone]
        job.job_runs_pruned = job_runs_pruned(job) + len(expired)
    return expired


def job_runs_pruned(job: Any) -> int:
    """How many of ``job``'s runs were forgotten so far (page tokens count positions from the first run)."""
    return int(getattr(job, "job_runs_pruned", 0))


def prune_crawls(crawler: Any, now: datetime.datetime | None = None) -> int:
    """Forget ``crawler``'s crawls finished more than 12 months ago."""
    cutoff = (now or utcnow()) - CRAWL_HISTORY
    crawls = crawler.crawls
    if not crawls or (getattr(crawls[0], "start_time", None) or cutoff) >= cutoff:
        return 0
    expired = _expired_positions(
        crawls,
        cutoff,
        lambda crawl: getattr(crawl, "start_time", None),
        lambda crawl: getattr(crawl, "end_time", None) if getattr(crawl, "_status", None) in CRAWL_FINAL else None,
    )
    if expired:
        gone = set(expired)
        crawler.crawls[:] = [crawl for position, crawl in enumerate(crawls) if position not in gone]
    return len(expired)
