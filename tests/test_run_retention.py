"""Run history expires as in AWS once the mock's clock moves past it: workflow runs after 90 days, job runs
and crawls after 365 (glue/retention.py, docs/run-retention.md)."""

from __future__ import annotations

from typing import Any

from tests.conftest import AWS
from tests.glue_helpers import crawler, job, start_trigger

DAY = 86400


def _workflow(glue: Any) -> None:
    glue.create_workflow(Name="nightly")
    job(glue, "load")
    start_trigger(glue, "nightly", "go", "load")


def _finished_run(glue: Any) -> str:
    run_id = str(glue.start_workflow_run(Name="nightly")["RunId"])
    assert glue.get_workflow_run(Name="nightly", RunId=run_id)["Run"]["Status"] == "COMPLETED"
    return run_id


def _run_ids(glue: Any) -> list[str]:
    return [run["WorkflowRunId"] for run in glue.get_workflow_runs(Name="nightly")["Runs"]]


def _job_run_ids(glue: Any, name: str = "load", **kwargs: Any) -> list[str]:
    return [run["Id"] for run in glue.get_job_runs(JobName=name, **kwargs)["JobRuns"]]


def test_workflow_runs_older_than_90_days_are_gone_younger_ones_stay(aws: AWS) -> None:
    glue = aws.client("glue")
    _workflow(glue)
    old = _finished_run(glue)
    aws.control.advance_clock(seconds=30 * DAY)
    young = _finished_run(glue)
    aws.control.advance_clock(seconds=61 * DAY)  # old finished 91 days ago, young 61
    assert _run_ids(glue) == [young]
    code = glue.exceptions.EntityNotFoundException
    try:
        glue.get_workflow_run(Name="nightly", RunId=old)
    except code as gone:
        assert gone.response["Error"]["Message"] == "Entity not found"
    else:
        raise AssertionError("a run older than 90 days was still found")
    assert glue.get_workflow(Name="nightly")["Workflow"]["LastRun"]["WorkflowRunId"] == young
    # Job runs keep 365 days of history: both runs' job runs are still listed.
    assert len(_job_run_ids(glue)) == 2


def test_job_runs_and_crawls_older_than_365_days_are_gone(aws: AWS) -> None:
    glue = aws.client("glue")
    job(glue, "solo")
    crawler(glue, "scan")
    first = glue.start_job_run(JobName="solo")["JobRunId"]
    assert glue.get_job_run(JobName="solo", RunId=first)["JobRun"]["JobRunState"] == "SUCCEEDED"
    glue.start_crawler(Name="scan")
    assert [crawl["State"] for crawl in glue.list_crawls(CrawlerName="scan")["Crawls"]] == ["COMPLETED"]
    assert glue.get_crawler(Name="scan")["Crawler"]["LastCrawl"]["Status"] == "SUCCEEDED"
    aws.control.advance_clock(seconds=100 * DAY)
    second = glue.start_job_run(JobName="solo")["JobRunId"]
    assert glue.get_job_run(JobName="solo", RunId=second)["JobRun"]["JobRunState"] == "SUCCEEDED"
    aws.control.advance_clock(seconds=300 * DAY)  # the first run finished 400 days ago, the second 300
    assert _job_run_ids(glue, "solo") == [second]
    assert glue.get_job_run(JobName="solo", RunId=second)["JobRun"]["Id"] == second
    try:
        glue.get_job_run(JobName="solo", RunId=first)
    except glue.exceptions.EntityNotFoundException:
        pass
    else:
        raise AssertionError("a job run older than 365 days was still found")
    assert glue.list_crawls(CrawlerName="scan")["Crawls"] == []
    assert "LastCrawl" not in glue.get_crawler(Name="scan")["Crawler"]


def test_unfinished_runs_never_expire(aws: AWS) -> None:
    glue = aws.client("glue")
    _workflow(glue)
    run_id = str(glue.start_workflow_run(Name="nightly")["RunId"])  # not read again: RUNNING as last seen
    aws.control.advance_clock(seconds=120 * DAY)
    # Read now, it finishes now: its history starts today.
    assert _run_ids(glue) == [run_id]
    aws.control.advance_clock(seconds=89 * DAY)
    assert _run_ids(glue) == [run_id]


def test_paging_across_an_expiry_neither_repeats_nor_skips(aws: AWS) -> None:
    glue = aws.client("glue")
    _workflow(glue)
    old = [_finished_run(glue) for _ in range(2)]
    aws.control.advance_clock(seconds=50 * DAY)
    young = [_finished_run(glue) for _ in range(3)]
    page = glue.get_workflow_runs(Name="nightly", MaxResults=2)
    assert [run["WorkflowRunId"] for run in page["Runs"]] == young[::-1][:2]
    aws.control.advance_clock(seconds=45 * DAY)  # the two old runs expire between pages
    rest = glue.get_workflow_runs(Name="nightly", MaxResults=2, NextToken=page["NextToken"])
    assert [run["WorkflowRunId"] for run in rest["Runs"]] == [young[0]]
    assert "NextToken" not in rest
    assert not set(old) & set(_run_ids(glue))


def test_runs_nobody_polls_still_expire(aws: AWS) -> None:
    glue = aws.client("glue")
    _workflow(glue)
    glue.start_workflow_run(Name="nightly")  # never read: RUNNING as last seen
    # The advance looks at it (as a read would): it finishes then, on the moved clock ...
    aws.control.advance_clock(seconds=91 * DAY)
    # ... and is gone 90 days later, with no read in between.
    aws.control.advance_clock(seconds=91 * DAY)
    assert _run_ids(glue) == []
    assert glue.get_job_runs(JobName="load")["JobRuns"][0]["JobRunState"] == "SUCCEEDED"
