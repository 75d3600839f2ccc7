"""What a trigger outside any workflow does when it fires: start its jobs and crawlers.

A CONDITIONAL trigger outside a workflow watches jobs and crawlers that triggers started: "For the
trigger to fire, the watched jobs must have been started by triggers" (Glue developer guide, "Adding
triggers"; "AWS Glue triggers"). Runs started by a workflow fire only that workflow's triggers, and
runs started by StartJobRun or StartCrawler fire none.
"""

from __future__ import annotations

import contextlib
from typing import Any

from moto_glue_workflows.glue.exceptions import CrawlerRunningException, EntityNotFoundException
from moto_glue_workflows.workflows.graph import CRAWLER, JOB, Trigger


def start_actions(backend: Any, trigger: Trigger) -> dict[str, Any]:
    """Start every action of ``trigger``; a job over its limit gets a FAILED run, as from any trigger."""
    job_runs, crawls = [], []
    for action in trigger.actions:
        if action.kind == JOB:
            run = backend.start_job_run(
                action.name,
                action.arguments,
                trigger_name=trigger.name,
                timeout=action.timeout,
                security_configuration=action.security_configuration,
                notification_property=action.notification_property,
                over_limit="fail",
            )
            job_runs.append({"JobName": action.name, "RunId": run.job_run_id})
        else:
            crawl = backend.start_crawl(action.name, trigger_name=trigger.name)
            crawls.append({"CrawlerName": action.name, "CrawlId": crawl.crawl_id})
    return {"JobRuns": job_runs, "Crawls": crawls}


def _latest_state(backend: Any, kind: str, name: str) -> str | None:
    """The state of the latest run of a job (or crawl of a crawler) that a trigger outside workflows started."""
    if kind == JOB:
        job = backend.glue.job(name)
        runs = job.job_runs if job is not None else []
    else:
        crawler = backend.glue.crawler(name)
        runs = crawler.crawls if crawler is not None else []
    for run in reversed(runs):
        if getattr(run, "trigger_name", None) and getattr(run, "workflow_run_id", None) is None:
            return str(run.state)
    return None


def fire_watchers(backend: Any, kind: str, name: str) -> None:
    """Fire the activated conditional triggers outside workflows that watch ``name`` and now hold."""
    for moto_trigger in list(backend.glue.backend.triggers.values()):
        if moto_trigger.workflow_name or moto_trigger.trigger_type != "CONDITIONAL":
            continue
        if moto_trigger.state != "ACTIVATED":
            continue
        trigger = Trigger.from_definition(moto_trigger.as_dict())
        if not any((c.kind, c.name) == (kind, name) for c in trigger.conditions):
            continue
        results = [_latest_state(backend, c.kind, c.name) == c.state for c in trigger.conditions]
        # The run that just ended must be one the trigger waits for, in the state it waits for.
        if not any(
            held for c, held in zip(trigger.conditions, results, strict=True) if (c.kind, c.name) == (kind, name)
        ):
            continue
        if any(results) if trigger.logical == "ANY" else all(results):
            # An action that cannot start (deleted job, crawler busy) starts nothing.
            with contextlib.suppress(EntityNotFoundException, CrawlerRunningException):
                start_actions(backend, trigger)


__all__ = ["CRAWLER", "JOB", "fire_watchers", "start_actions"]
