"""Glue -> EventBridge: the events AWS Glue puts on the default bus as job runs and crawls change state.

Shapes (source ``aws.glue``; ``detail`` field names and value types as AWS shows them):
- "Glue Job State Change" for SUCCEEDED, FAILED, TIMEOUT and STOPPED (Glue developer guide, "Automating
  AWS Glue with EventBridge"); detail ``jobName``, ``severity``, ``state``, ``jobRunId``, ``message``, with
  severity INFO and "Job run succeeded" / "Job run stopped", WARN and "Job run timed out" for TIMEOUT, and
  ERROR and "JobName:<job> and JobRunId:<id> failed to execute with exception <the run's error>" for FAILED
  (the examples of the CloudWatch Events reference, "AWS Glue Events", awsdocs/amazon-cloudwatch-events-
  user-guide ``doc_source/EventTypes.md``; a captured FAILED message in that form is quoted in
  aws-samples' Kafka-to-Glue streaming walkthrough).
- "Glue Job Run Status" once for a run still STARTING, RUNNING or STOPPING past its NotifyDelayAfter
  ("Only one event is generated per job run status when the job delay notification threshold is
  exceeded", same guide page); detail adds ``notificationCondition: {"NotifyDelayAfter": <minutes>}``,
  ``message`` "Job is in <STATE> state" and ``startedOn`` (ISO 8601, milliseconds, "Z"), as the same
  reference's three examples show.
- "Glue Crawler State Change" for Started, Succeeded and Failed; every detail value is a string, counts
  too ("tablesCreated": "0", "runningTime (sec)": "62"), as in the CloudWatch Events reference example.
AWS emits no workflow event, so neither does this module. Nothing is put when emission is off
(events/settings.py) or when no rule on the default bus matches (``_moto.put_service_event``).
"""

from __future__ import annotations

from typing import Any

from moto_glue_workflows import _moto, clock
from moto_glue_workflows.events.settings import emission_enabled

SOURCE = "aws.glue"
JOB_STATE_CHANGE = "Glue Job State Change"
JOB_RUN_STATUS = "Glue Job Run Status"
CRAWLER_STATE_CHANGE = "Glue Crawler State Change"

_JOB_STATES = {
    "SUCCEEDED": ("INFO", "Job run succeeded"),
    "FAILED": ("ERROR", None),  # names the run and quotes its error (FAILED_MESSAGE)
    "TIMEOUT": ("WARN", "Job run timed out"),
    "STOPPED": ("INFO", "Job run stopped"),
}
FAILED_MESSAGE = "JobName:{job} and JobRunId:{run} failed to execute with exception {error}"
DELAY_MESSAGE = "Job is in {state} state"


def _put(account_id: str, region: str, detail_type: str, detail: dict[str, Any]) -> bool:
    if not emission_enabled():
        return False
    return _moto.put_service_event(account_id, region, SOURCE, detail_type, detail, [])


def job_state_change_detail(run: Any, state: str) -> dict[str, Any] | None:
    if state not in _JOB_STATES:
        return None
    severity, message = _JOB_STATES[state]
    return {
        "jobName": run.job_name,
        "severity": severity,
        "state": state,
        "jobRunId": run.id,
        "message": message
        or FAILED_MESSAGE.format(job=run.job_name, run=run.id, error=run.error_message or "Job run failed"),
    }


def job_run_status_detail(run: Any, state: str, delay_minutes: int) -> dict[str, Any]:
    return {
        "jobName": run.job_name,
        "severity": "INFO",
        "notificationCondition": {"NotifyDelayAfter": float(delay_minutes)},
        "state": state,
        "jobRunId": run.id,
        "message": DELAY_MESSAGE.format(state=state),
        "startedOn": _millis_iso(run.started_on),
    }


def _millis_iso(moment: Any) -> str:
    """``2018-04-24T20:55:47.941Z``, as AWS's "Glue Job Run Status" examples write ``startedOn``."""
    return f"{moment.strftime('%Y-%m-%dT%H:%M:%S')}.{moment.microsecond // 1000:03d}Z"


def _log_link(region: str, crawler_name: str) -> str:
    return (
        f"https://console.aws.amazon.com/cloudwatch/home?region={region}"
        f"#logEventViewer:group=/aws-glue/crawlers;stream={crawler_name}"
    )


def crawler_state_change_detail(account_id: str, region: str, crawl: Any, state: str) -> dict[str, Any] | None:
    name = crawl.crawler_name
    if state == "Started":
        return {
            "accountId": account_id,
            "crawlerName": name,
            "startTime": clock.iso(crawl.start_time),
            "state": "Started",
            "message": "Crawler Started",
        }
    if state == "Failed":
        return {
            "crawlerName": name,
            "errorMessage": crawl.error_message or "Internal Service Exception",
            "accountId": account_id,
            "cloudWatchLogLink": _log_link(region, name),
            "state": "Failed",
            "message": "Crawler Failed",
        }
    if state == "Succeeded":
        ended = crawl.end_time or clock.now()
        seconds = max(0, int((ended - crawl.start_time).total_seconds()))
        # What the crawl did to the catalog (crawlers/crawl.py); nothing for a crawl whose outcome a test set.
        changes = getattr(crawl, "catalog_changes", None)
        if changes is not None:
            counts = {key: str(value) for key, value in changes.event_counts().items()}
        else:
            counts = dict.fromkeys(
                (
                    "tablesCreated",
                    "tablesUpdated",
                    "tablesDeleted",
                    "partitionsCreated",
                    "partitionsUpdated",
                    "partitionsDeleted",
                ),
                "0",
            )
        return {
            **counts,
            "warningMessage": "N/A",
            "message": "Crawler Succeeded",
            "accountId": account_id,
            "runningTime (sec)": str(seconds),
            "crawlerName": name,
            "completionDate": clock.iso(ended),
            "state": "Succeeded",
            "cloudWatchLogLink": _log_link(region, name),
        }
    return None


_CRAWL_END_STATES = {"COMPLETED": "Succeeded", "FAILED": "Failed"}  # a cancelled crawl has no event


class GlueEvents:
    """A listener on one backend's job-run and crawl lifecycle (glue/lifecycle.py) that emits events."""

    def __init__(self, account_id: str, region: str) -> None:
        self.account_id = account_id
        self.region = region

    def job_run_state_changed(self, run: Any, previous: str | None, state: str) -> None:
        detail = job_state_change_detail(run, state)
        if detail is not None:
            _put(self.account_id, self.region, JOB_STATE_CHANGE, detail)

    def job_run_delayed(self, run: Any, state: str, delay_minutes: int) -> bool:
        return _put(self.account_id, self.region, JOB_RUN_STATUS, job_run_status_detail(run, state, delay_minutes))

    def crawl_started(self, crawl: Any) -> None:
        detail = crawler_state_change_detail(self.account_id, self.region, crawl, "Started")
        if detail is not None:
            _put(self.account_id, self.region, CRAWLER_STATE_CHANGE, detail)

    def crawl_ended(self, crawl: Any) -> None:
        state = _CRAWL_END_STATES.get(crawl._status)
        detail = crawler_state_change_detail(self.account_id, self.region, crawl, state) if state else None
        if detail is not None:
            _put(self.account_id, self.region, CRAWLER_STATE_CHANGE, detail)
