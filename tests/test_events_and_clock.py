"""Event-driven and scheduled workflows: EventBridge -> Glue (workflow targets, batching), Glue ->
EventBridge (job and crawler events on the default bus), and the clock tests move."""

from __future__ import annotations

import datetime
import itertools
import json
from typing import Any

import pytest
import requests

from moto_glue_workflows.control.endpoints import ControlError
from tests.conftest import ACCOUNT, AWS, REGION
from tests.glue_helpers import crawler, job, when

WORKFLOW_ARN = f"arn:aws:glue:{REGION}:{ACCOUNT}:workflow/ingest"
EVENT_ROLE = f"arn:aws:iam::{ACCOUNT}:role/events-start-glue"
S3_PATTERN = {"source": ["aws.s3"], "detail-type": ["Object Created"], "detail": {"bucket": {"name": ["landing"]}}}


def _event_workflow(aws: AWS, batching: dict[str, int] | None) -> Any:
    glue, events = aws.client("glue"), aws.client("events")
    glue.create_workflow(Name="ingest")
    job(glue, "load")
    extra: dict[str, Any] = {"EventBatchingCondition": batching} if batching else {}
    glue.create_trigger(Name="on-upload", WorkflowName="ingest", Type="EVENT", Actions=[{"JobName": "load"}], **extra)
    events.put_rule(Name="uploads", EventPattern=json.dumps(S3_PATTERN))
    events.put_targets(Rule="uploads", Targets=[{"Id": "wf", "Arn": WORKFLOW_ARN, "RoleArn": EVENT_ROLE}])
    return glue, events


def _runs(glue: Any, workflow: str) -> list[dict[str, Any]]:
    return list(glue.get_workflow_runs(Name=workflow, MaxResults=100).get("Runs", []))


def _upload(events: Any, key: str, bucket: str = "landing") -> str:
    detail = {"bucket": {"name": bucket}, "object": {"key": key, "size": 5}}
    entries = events.put_events(
        Entries=[{"Source": "aws.s3", "DetailType": "Object Created", "Detail": json.dumps(detail)}]
    )["Entries"]
    return str(entries[0]["EventId"])


def test_uploads_start_the_workflow_when_the_batch_fills(aws: AWS) -> None:
    glue, events = _event_workflow(aws, {"BatchSize": 3, "BatchWindow": 300})
    ids = [_upload(events, "a.csv"), _upload(events, "b.csv")]
    assert _runs(glue, "ingest") == []
    _upload(events, "elsewhere.csv", bucket="other")  # matches no rule: changes nothing
    assert _runs(glue, "ingest") == []
    ids.append(_upload(events, "c.csv"))
    [run] = _runs(glue, "ingest")
    assert run["StartingEventBatchCondition"] == {"BatchSize": 3}
    properties = glue.get_workflow_run_properties(Name="ingest", RunId=run["WorkflowRunId"])["RunProperties"]
    assert properties["aws:eventIds"] == "[" + ", ".join(ids) + "]"
    assert glue.get_workflow_run(Name="ingest", RunId=run["WorkflowRunId"])["Run"]["Status"] == "COMPLETED"
    assert [r["TriggerName"] for r in glue.get_job_runs(JobName="load")["JobRuns"]] == ["on-upload"]


def test_the_batch_window_closing_starts_the_workflow_with_fewer_events(aws: AWS) -> None:
    glue, events = _event_workflow(aws, {"BatchSize": 10, "BatchWindow": 300})
    first = _upload(events, "a.csv")
    aws.control.advance_clock(seconds=120)
    second = _upload(events, "b.csv")
    assert aws.control.advance_clock(seconds=179)["Fired"] == []
    assert _runs(glue, "ingest") == []
    answer = aws.control.advance_clock(seconds=60)
    [fired] = answer["Fired"]
    assert fired["Action"] == "EventBatchStarted" and fired["WorkflowName"] == "ingest" and fired["BatchSize"] == 2
    [run] = _runs(glue, "ingest")
    assert run["WorkflowRunId"] == fired["RunId"]
    assert run["StartingEventBatchCondition"] == {"BatchWindow": 300}
    assert run["WorkflowRunProperties"]["aws:eventIds"] == f"[{first}, {second}]"
    # The run started when the window closed, 300 s after the first event, on the moved clock.
    opened = datetime.datetime.fromisoformat(fired["Time"])
    assert abs(run["StartedOn"] - opened) < datetime.timedelta(seconds=1)


def test_without_a_batching_condition_each_event_starts_a_run(aws: AWS) -> None:
    glue, events = _event_workflow(aws, None)
    _upload(events, "a.csv")
    _upload(events, "b.csv")
    runs = _runs(glue, "ingest")
    assert [r["StartingEventBatchCondition"] for r in runs] == [{"BatchSize": 1}, {"BatchSize": 1}]


def test_events_over_max_concurrent_runs_record_an_error_run(aws: AWS) -> None:
    glue, events = _event_workflow(aws, None)
    aws.set_transition("glue::job_run", {"progression": "manual", "times": 1000})
    glue.update_workflow(Name="ingest", MaxConcurrentRuns=1)
    _upload(events, "a.csv")
    event_id = _upload(events, "b.csv")
    newest, oldest = _runs(glue, "ingest")
    assert oldest["Status"] == "RUNNING"
    assert newest["Status"] == "ERROR" and newest["WorkflowRunProperties"]["aws:eventIds"] == f"[{event_id}]"


def _queue_behind_rule(aws: AWS, pattern: dict[str, Any]) -> tuple[Any, str]:
    sqs, events = aws.client("sqs"), aws.client("events")
    url = sqs.create_queue(QueueName="glue-events")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name="glue-watch", EventPattern=json.dumps(pattern))
    events.put_targets(Rule="glue-watch", Targets=[{"Id": "q", "Arn": arn}])
    return sqs, url


def _received(sqs: Any, url: str) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = []
    while True:
        batch = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        if not batch:
            return messages
        messages.extend(json.loads(m["Body"]) for m in batch)


def test_a_queue_behind_a_job_state_change_rule_gets_a_failing_runs_events_in_order(aws: AWS) -> None:
    sqs, url = _queue_behind_rule(aws, {"source": ["aws.glue"], "detail-type": ["Glue Job State Change"]})
    glue = aws.client("glue")
    glue.create_workflow(Name="nightly")
    job(glue, "extract")
    job(glue, "cleanup")
    glue.create_trigger(Name="go", WorkflowName="nightly", Type="ON_DEMAND", Actions=[{"JobName": "extract"}])
    when(glue, "nightly", "on-failure", [("extract", "FAILED")], [{"JobName": "cleanup"}])
    aws.control.set_job_run_outcome(job_name="extract", state="FAILED", error_message="AnalysisException: no path")
    run_id = glue.start_workflow_run(Name="nightly")["RunId"]
    assert glue.get_workflow_run(Name="nightly", RunId=run_id)["Run"]["Status"] == "COMPLETED"
    received = _received(sqs, url)
    extract = glue.get_job_runs(JobName="extract")["JobRuns"][0]["Id"]
    cleanup = glue.get_job_runs(JobName="cleanup")["JobRuns"][0]["Id"]
    assert [m["detail"] for m in received] == [
        {
            "jobName": "extract",
            "severity": "ERROR",
            "state": "FAILED",
            "jobRunId": extract,
            # The CloudWatch Events reference's FAILED example, in form (doc_source/EventTypes.md).
            "message": f"JobName:extract and JobRunId:{extract} failed to execute with exception AnalysisException: no path",
        },
        {
            "jobName": "cleanup",
            "severity": "INFO",
            "state": "SUCCEEDED",
            "jobRunId": cleanup,
            "message": "Job run succeeded",
        },
    ]
    for message in received:
        assert message["source"] == "aws.glue" and message["detail-type"] == "Glue Job State Change"
        assert message["region"] == REGION and message["resources"] == []  # moto's SQS delivery drops "account"
        assert message["version"] == "0" and message["time"].endswith("Z")


def test_crawler_events_and_nothing_when_emission_is_off(aws: AWS, monkeypatch: pytest.MonkeyPatch) -> None:
    sqs, url = _queue_behind_rule(aws, {"source": ["aws.glue"], "detail-type": ["Glue Crawler State Change"]})
    glue = aws.client("glue")
    crawler(glue, "landing")
    glue.start_crawler(Name="landing")
    glue.list_crawls(CrawlerName="landing")
    started, succeeded = (m["detail"] for m in _received(sqs, url))
    assert started["state"] == "Started" and started["message"] == "Crawler Started"
    assert started["crawlerName"] == "landing" and started["accountId"] == ACCOUNT
    assert succeeded["state"] == "Succeeded" and succeeded["message"] == "Crawler Succeeded"
    assert all(isinstance(value, str) for value in succeeded.values())
    assert succeeded["tablesCreated"] == "0" and succeeded["runningTime (sec)"].isdigit()
    if aws.mode == "decorator":  # the setting is per process: the server reads its environment
        monkeypatch.setenv("MOTO_GLUE_EVENTS", "false")
        glue.start_crawler(Name="landing")
        glue.list_crawls(CrawlerName="landing")
        assert _received(sqs, url) == []


def test_an_hourly_schedule_fires_24_times_in_a_day(aws: AWS) -> None:
    glue = aws.client("glue")
    glue.create_workflow(Name="hourly")
    job(glue, "refresh")
    glue.create_trigger(
        Name="every-hour",
        WorkflowName="hourly",
        Type="SCHEDULED",
        Schedule="cron(0 * * * ? *)",
        Actions=[{"JobName": "refresh"}],
        StartOnCreation=True,
    )
    answer = aws.control.advance_clock(seconds=86400)
    fired = [f for f in answer["Fired"] if f["Action"] == "TriggerFired"]
    assert len(fired) == 24 and {f["TriggerName"] for f in fired} == {"every-hour"}
    times = [datetime.datetime.fromisoformat(f["Time"]) for f in fired]
    assert all(t.minute == 0 and t.second == 0 for t in times)
    assert all(later - earlier == datetime.timedelta(hours=1) for earlier, later in itertools.pairwise(times))
    runs = _runs(glue, "hourly")
    assert len(runs) == 24
    # Each run starts at its occurrence (the clock stands there; a few ms of wall time pass while it does).
    started = sorted(r["StartedOn"] for r in runs)
    assert all(abs(s - t) < datetime.timedelta(seconds=1) for s, t in zip(started, times, strict=True))
    # A deactivated schedule does not fire.
    glue.stop_trigger(Name="every-hour")
    assert aws.control.advance_clock(seconds=7200)["Fired"] == []


def test_a_job_run_past_its_timeout_ends_timeout_and_is_announced(aws: AWS) -> None:
    sqs, url = _queue_behind_rule(aws, {"source": ["aws.glue"], "detail-type": [{"prefix": "Glue Job"}]})
    aws.set_transition("glue::job_run", {"progression": "manual", "times": 1000})
    glue = aws.client("glue")
    job(glue, "slow", Timeout=30, NotificationProperty={"NotifyDelayAfter": 10})
    run_id = glue.start_job_run(JobName="slow")["JobRunId"]
    glue.get_job_run(JobName="slow", RunId=run_id)
    fired = aws.control.advance_clock(seconds=1800)["Fired"]
    assert [(f["Action"], f["JobRunId"]) for f in fired] == [
        ("JobRunDelayNotified", run_id),
        ("JobRunTimedOut", run_id),
    ]
    run = glue.get_job_run(JobName="slow", RunId=run_id)["JobRun"]
    assert run["JobRunState"] == "TIMEOUT"
    # Ended at StartedOn + Timeout (give or take the milliseconds of wall time the advance took).
    assert abs(run["CompletedOn"] - run["StartedOn"] - datetime.timedelta(minutes=30)) < datetime.timedelta(seconds=1)
    delayed, timed_out = _received(sqs, url)
    assert delayed["detail-type"] == "Glue Job Run Status"
    assert delayed["detail"]["notificationCondition"] == {"NotifyDelayAfter": 10.0}
    assert delayed["detail"]["state"] in ("STARTING", "RUNNING") and delayed["detail"]["jobRunId"] == run_id
    # As the reference's "Job Run is in Running State" example: the state in words, and StartedOn in milliseconds.
    assert delayed["detail"]["message"] == f"Job is in {delayed['detail']['state']} state"
    started = glue.get_job_run(JobName="slow", RunId=run_id)["JobRun"]["StartedOn"]
    assert (
        delayed["detail"]["startedOn"] == started.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    )
    assert timed_out["detail"] == {
        "jobName": "slow",
        "severity": "WARN",
        "state": "TIMEOUT",
        "jobRunId": run_id,
        "message": "Job run timed out",
    }


def test_the_clock_reads_moves_only_forward_and_resets(aws: AWS) -> None:
    glue = aws.client("glue")
    before = aws.control.advance_clock(seconds=0)["Now"]
    now = datetime.datetime.fromisoformat(aws.control.advance_clock(seconds=3600)["Now"])
    assert now - datetime.datetime.fromisoformat(before) >= datetime.timedelta(hours=1)
    glue.create_workflow(Name="later")
    assert glue.get_workflow(Name="later")["Workflow"]["CreatedOn"] >= now
    target = (now + datetime.timedelta(days=2)).isoformat()
    assert datetime.datetime.fromisoformat(aws.control.advance_clock(to=target)["Now"]) >= now + datetime.timedelta(
        days=2
    )
    with pytest.raises(ControlError) as backwards:
        aws.control.advance_clock(to=now.isoformat())
    assert backwards.value.status == 400 and backwards.value.code == "ValidationException"
    for bad in ({"seconds": -1}, {"seconds": "soon"}, {}, {"seconds": 1, "to": target}, {"to": "tomorrow"}):
        with pytest.raises(ControlError) as refused:
            aws.control.advance_clock(**bad)
        assert refused.value.status == 400
    if aws.endpoint_url:
        read = requests.get(f"{aws.endpoint_url}/moto-api/static/clock", timeout=10).json()
        assert datetime.datetime.fromisoformat(read["Now"]) >= now + datetime.timedelta(days=2)
        requests.post(f"{aws.endpoint_url}/moto-api/reset", timeout=10).raise_for_status()
        read = requests.get(f"{aws.endpoint_url}/moto-api/static/clock", timeout=10).json()
    else:
        from moto_glue_workflows import clock_now
        from moto_glue_workflows.clock import offset
        from moto_glue_workflows.registration import register

        register()
        assert datetime.datetime.fromisoformat(clock_now()) >= now + datetime.timedelta(days=2)
        from moto.core.base_backend import BackendDict

        BackendDict.reset()
        assert offset() == datetime.timedelta(0)
        read = {"Now": clock_now()}
    wall = datetime.datetime.now(datetime.UTC)
    assert abs(datetime.datetime.fromisoformat(read["Now"]) - wall) < datetime.timedelta(minutes=5)


def test_freezegun_time_plus_the_clock(aws: AWS) -> None:
    freezegun = pytest.importorskip("freezegun")
    if aws.endpoint_url:
        pytest.skip("freezegun freezes this process only, not the server's")
    glue = aws.client("glue")
    with freezegun.freeze_time("2030-01-01T00:00:00Z"):
        aws.control.advance_clock(seconds=90)
        glue.create_workflow(Name="frozen")
        created = glue.get_workflow(Name="frozen")["Workflow"]["CreatedOn"]
    assert created == datetime.datetime(2030, 1, 1, 0, 1, 30, tzinfo=created.tzinfo)


# AWS's cron rules (Glue guide, "Time-based schedules for jobs and crawlers"): 1 is Sunday, ? in one day field,
# L last (6L: last Friday), W nearest weekday (15W; LW last weekday), # nth weekday (MON#1), names, year field.
# Expected times read off the 2031 calendar; the interval (2031-01-01T00:00, 2031-03-01T00:00] excludes its start.
SCHEDULES = {
    "cron(15 10 ? * 6L 2031)": ["2031-01-31T10:15:00Z", "2031-02-28T10:15:00Z"],
    "cron(0 8 15W * ? *)": ["2031-01-15T08:00:00Z", "2031-02-14T08:00:00Z"],  # Feb 15 is a Saturday
    "cron(0 18 LW * ? *)": ["2031-01-31T18:00:00Z", "2031-02-28T18:00:00Z"],
    "cron(30 9 ? * MON#1 *)": ["2031-01-06T09:30:00Z", "2031-02-03T09:30:00Z"],
    "cron(0 0/12 1 JAN,FEB ? 2031)": ["2031-01-01T12:00:00Z", "2031-02-01T00:00:00Z", "2031-02-01T12:00:00Z"],
    "cron(0 12 L * ? 2032)": [],
}


def test_cron_schedules_fire_as_aws_reads_them(aws: AWS) -> None:
    glue = aws.client("glue")
    aws.control.advance_clock(to="2031-01-01T00:00:00Z")
    for index, schedule in enumerate(SCHEDULES):
        job(glue, f"job-{index}")
        glue.create_trigger(
            Name=f"schedule-{index}",
            Type="SCHEDULED",
            Schedule=schedule,
            Actions=[{"JobName": f"job-{index}"}],
            StartOnCreation=True,
        )
    fired = aws.control.advance_clock(to="2031-03-01T00:00:00Z")["Fired"]
    for index, (schedule, expected) in enumerate(SCHEDULES.items()):
        times = [f["Time"] for f in fired if f.get("TriggerName") == f"schedule-{index}"]
        assert [t[:19] + "Z" for t in times] == expected, schedule
        started = glue.get_job_runs(JobName=f"job-{index}").get("JobRuns", [])
        assert len(started) == len(expected) and all(r["TriggerName"] == f"schedule-{index}" for r in started)
