"""What falls due in Glue while the mock's clock moves forward (``POST /moto-api/static/clock``,
events/timeline.py handles it in time order with the other services'):
- an ACTIVATED SCHEDULED trigger fires once per occurrence of its cron schedule (events/cron.py), as
  ``trigger-fires`` fires it: a workflow's start trigger starts a run (an ERROR run over the
  workflow's MaxConcurrentRuns), a trigger outside workflows starts its actions;
- an event batch whose window has expired starts its workflow with the events received (events/batches.py);
- a job run still STARTING or RUNNING at ``StartedOn + Timeout`` ends TIMEOUT ("the maximum time that a job
  run can consume resources before it is terminated and enters TIMEOUT status", API reference, JobRun.Timeout);
- a job run still STARTING, RUNNING or STOPPING at ``StartedOn + NotifyDelayAfter`` gets its one
  "Glue Job Run Status" event (events/emission.py).
Runs on moto's ``time`` progression see the moved time too: their last progression moves back by it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from moto_glue_workflows import clock
from moto_glue_workflows._moto import existing_backends, moto_glue_backends
from moto_glue_workflows.events import batches
from moto_glue_workflows.events.cron import next_occurrence
from moto_glue_workflows.events.due import Due
from moto_glue_workflows.events.emission import GlueEvents
from moto_glue_workflows.glue.exceptions import EntityNotFoundException, InvalidInputException
from moto_glue_workflows.glue.job_runs import GlueCrawl, GlueJobRun
from moto_glue_workflows.glue.models import glue_workflow_backends
from moto_glue_workflows.glue.trigger_fires import fire_trigger

TIMEOUT_STATES = frozenset({"STARTING", "RUNNING"})
DELAY_STATES = frozenset({"STARTING", "RUNNING", "STOPPING"})
ACTIVE_STATES = DELAY_STATES | {"WAITING"}


def _scope(account_id: str, region: str) -> dict[str, str]:
    return {"AccountId": account_id, "Region": region}


def _schedules(cursor: datetime.datetime, until: datetime.datetime) -> list[Due]:
    found = []
    for account_id, region, glue in existing_backends(moto_glue_backends):
        for trigger in list(glue.triggers.values()):
            if trigger.trigger_type != "SCHEDULED" or trigger.state != "ACTIVATED":
                continue
            moment = next_occurrence(trigger, trigger.schedule or "", cursor)
            if moment is not None and moment <= until:
                found.append(
                    Due(
                        moment,
                        1,
                        ("trigger", account_id, region, trigger.name, moment),
                        _fire(account_id, region, trigger.name, trigger.workflow_name),
                    )
                )
    return found


def _fire(account_id: str, region: str, name: str, workflow: str | None) -> Callable[[], dict[str, Any] | None]:
    def act() -> dict[str, Any] | None:
        try:
            started = fire_trigger(glue_workflow_backends[account_id][region], name)
        except (EntityNotFoundException, InvalidInputException):
            return None
        done = {"Action": "TriggerFired", **_scope(account_id, region), "TriggerName": name}
        if workflow:
            done["WorkflowName"] = workflow
        return {**done, **started}

    return act


def _batch_windows(cursor: datetime.datetime, until: datetime.datetime) -> list[Due]:
    found = []
    for account_id, region, workflow, batch in batches.open_batches():
        if batch.closes_at <= until:

            def act(
                account_id: str = account_id,
                region: str = region,
                workflow: str = workflow,
                batch: batches.Batch = batch,
            ) -> dict[str, Any] | None:
                run_id = batches.close_window(account_id, region, workflow)
                if run_id is None:
                    return None
                return {
                    "Action": "EventBatchStarted",
                    **_scope(account_id, region),
                    "WorkflowName": workflow,
                    "TriggerName": batch.trigger_name,
                    "RunId": run_id,
                    "BatchSize": len(batch.event_ids),
                }

            found.append(Due(max(batch.closes_at, cursor), 0, ("batch", account_id, region, workflow, id(batch)), act))
    return found


def _active_runs() -> list[tuple[str, str, Any]]:
    runs: list[tuple[str, str, Any]] = []
    for account_id, region, glue in existing_backends(moto_glue_backends):
        for job in list(glue.jobs.values()):
            runs.extend(
                (account_id, region, run)
                for run in list(job.job_runs)
                if isinstance(run, GlueJobRun) and run._status in ACTIVE_STATES
            )
        for crawler in list(glue.crawlers.values()):
            runs.extend(
                (account_id, region, crawl)
                for crawl in list(crawler.crawls)
                if isinstance(crawl, GlueCrawl) and crawl._status in ("RUNNING", "STOPPING")
            )
    return runs


def _job_deadlines(cursor: datetime.datetime, until: datetime.datetime) -> list[Due]:
    found = []
    for account_id, region, run in _active_runs():
        if not isinstance(run, GlueJobRun) or run._status == "WAITING":
            continue
        # A deadline past the last time Python represents never comes (a Timeout of millions of minutes).
        timeout_at = clock.later(run.started_on, datetime.timedelta(minutes=run.timeout_minutes))
        if run._status in TIMEOUT_STATES and timeout_at is not None and timeout_at <= until:
            found.append(Due(max(timeout_at, cursor), 2, ("timeout", id(run)), _time_out(account_id, region, run)))
        delay = (run.notification_property or {}).get("NotifyDelayAfter")
        if delay and not getattr(run, "delay_notified", False):
            notify_at = clock.later(run.started_on, datetime.timedelta(minutes=int(delay)))
            if notify_at is not None and notify_at <= until:
                found.append(
                    Due(max(notify_at, cursor), 3, ("delay", id(run)), _notify(account_id, region, run, int(delay)))
                )
    return found


def _time_out(account_id: str, region: str, run: GlueJobRun) -> Callable[[], dict[str, Any] | None]:
    def act() -> dict[str, Any] | None:
        with glue_workflow_backends[account_id][region].lock:
            if run.status not in TIMEOUT_STATES:  # the state manager may have ended it meanwhile
                return None
            run.end_now("TIMEOUT", f"Job run timed out after {run.timeout_minutes} minutes.")
            _ = run.status  # the lifecycle sees the TIMEOUT now, stamped with this moment
        return {"Action": "JobRunTimedOut", **_scope(account_id, region), "JobName": run.job_name, "JobRunId": run.id}

    return act


def _notify(account_id: str, region: str, run: GlueJobRun, delay: int) -> Callable[[], dict[str, Any] | None]:
    def act() -> dict[str, Any] | None:
        with glue_workflow_backends[account_id][region].lock:
            run.delay_notified = True  # type: ignore[attr-defined]
            state = run.status
            if state not in DELAY_STATES:
                return None
            GlueEvents(account_id, region).job_run_delayed(run, state, delay)
        return {
            "Action": "JobRunDelayNotified",
            **_scope(account_id, region),
            "JobName": run.job_name,
            "JobRunId": run.id,
            "State": state,
        }

    return act


def glue_due(cursor: datetime.datetime, until: datetime.datetime) -> list[Due]:
    """What falls due in Glue from ``cursor`` to ``until``: batch windows, schedules, job-run deadlines."""
    return [*_batch_windows(cursor, until), *_schedules(cursor, until), *_job_deadlines(cursor, until)]


def let_time_pass(seconds: float) -> None:
    """Runs on moto's ``time`` progression: their last progression is that much further in the past."""
    if seconds <= 0:
        return
    moved = datetime.timedelta(seconds=seconds)
    for _, _, run in _active_runs():
        run._time_progressed = clock.earlier(run._time_progressed, moved)


def prune_history() -> None:
    """History older than AWS keeps is gone once the clock has moved past it (glue/retention.py)."""
    for _, _, backend in existing_backends(glue_workflow_backends):
        backend.prune()
