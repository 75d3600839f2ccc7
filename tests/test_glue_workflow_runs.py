"""Workflow runs: triggers firing, statistics, properties, progression, stop, resume and concurrency."""

from __future__ import annotations

import re
from typing import Any

import pytest

from moto_glue_workflows import ControlError
from tests.conftest import AWS
from tests.glue_helpers import chain, crawler, error_of, job, job_runs_of, nodes_by_name, start_trigger, when

MANUAL = {"progression": "manual", "times": 1}


def run_of(glue: Any, workflow: str, run_id: str, graph: bool = True) -> dict[str, Any]:
    return glue.get_workflow_run(Name=workflow, RunId=run_id, IncludeGraph=graph)["Run"]


def stats(run: dict[str, Any]) -> dict[str, int]:
    return {key: value for key, value in run["Statistics"].items() if value}


def test_chain_runs_to_completed_with_job_runs_wired_to_the_run(aws: AWS) -> None:
    glue = aws.client("glue")
    chain(
        glue,
        "etl",
        ["extract", "transform", "load"],
        job_kwargs={"transform": {"DefaultArguments": {"--mode": "default", "--keep": "yes"}}},
        DefaultRunProperties={"env": "test", "day": "mon"},
    )
    glue.delete_trigger(Name="etl-after-extract")
    when(
        glue,
        "etl",
        "etl-after-extract",
        [("extract", "SUCCEEDED")],
        [{"JobName": "transform", "Arguments": {"--mode": "trigger"}}],
    )

    run_id = glue.start_workflow_run(Name="etl", RunProperties={"day": "tue"})["RunId"]
    assert re.fullmatch(r"wr_[0-9a-f]{64}", run_id)
    run = run_of(glue, "etl", run_id)
    assert run["Status"] == "COMPLETED" and run["Name"] == "etl" and run["WorkflowRunId"] == run_id
    assert "PreviousRunId" not in run and "ErrorMessage" not in run
    assert run["CompletedOn"] >= run["StartedOn"]
    assert run["WorkflowRunProperties"] == {"env": "test", "day": "tue"}
    assert stats(run) == {"TotalActions": 3, "SucceededActions": 3}

    nodes = nodes_by_name(run)
    extract, transform, load = (job_runs_of(nodes[name])[0] for name in ("extract", "transform", "load"))
    for job_run in (extract, transform, load):
        assert re.fullmatch(r"jr_[0-9a-f]{64}", job_run["Id"])
        assert job_run["JobRunState"] == "SUCCEEDED"
        assert job_run["Arguments"]["--WORKFLOW_NAME"] == "etl"
        assert job_run["Arguments"]["--WORKFLOW_RUN_ID"] == run_id
    assert extract["TriggerName"] == "etl-start" and transform["TriggerName"] == "etl-after-extract"
    assert transform["Arguments"]["--mode"] == "trigger" and transform["Arguments"]["--keep"] == "yes"
    # A graph's job runs list no predecessors (the Glue guide's resuming-workflow page shows [] for a node a
    # trigger started); GetJobRun gives them when asked.
    assert extract["PredecessorRuns"] == transform["PredecessorRuns"] == load["PredecessorRuns"] == []

    read = glue.get_job_run(JobName="transform", RunId=transform["Id"])["JobRun"]
    assert read["PredecessorRuns"] == [] and read["TriggerName"] == "etl-after-extract"  # not asked for

    def predecessors(name: str, run_id: str) -> list[dict[str, str]]:
        return glue.get_job_run(JobName=name, RunId=run_id, PredecessorsIncluded=True)["JobRun"]["PredecessorRuns"]

    assert predecessors("extract", extract["Id"]) == []
    assert predecessors("transform", transform["Id"]) == [{"JobName": "extract", "RunId": extract["Id"]}]
    assert predecessors("load", load["Id"]) == [{"JobName": "transform", "RunId": transform["Id"]}]

    last = glue.get_workflow(Name="etl")["Workflow"]["LastRun"]
    assert last["WorkflowRunId"] == run_id and last["Status"] == "COMPLETED" and "Graph" not in last
    assert "Graph" in glue.get_workflow(Name="etl", IncludeGraph=True)["Workflow"]["LastRun"]


def test_run_properties_are_per_run(aws: AWS) -> None:
    glue = aws.client("glue")
    chain(glue, "w", ["a"], DefaultRunProperties={"k": "default"})
    first = glue.start_workflow_run(Name="w")["RunId"]
    second = glue.start_workflow_run(Name="w", RunProperties={"k": "given"})["RunId"]
    glue.put_workflow_run_properties(Name="w", RunId=first, RunProperties={"added": "1", "k": "changed"})
    assert glue.get_workflow_run_properties(Name="w", RunId=first)["RunProperties"] == {"k": "changed", "added": "1"}
    assert glue.get_workflow_run_properties(Name="w", RunId=second)["RunProperties"] == {"k": "given"}
    assert glue.get_workflow(Name="w")["Workflow"]["DefaultRunProperties"] == {"k": "default"}
    assert error_of(glue.get_workflow_run_properties, Name="w", RunId="wr_missing")[0] == "EntityNotFoundException"
    assert error_of(glue.get_workflow_run, Name="w", RunId="wr_missing") == (
        "EntityNotFoundException",
        "Entity not found",
    )


def test_any_and_and_predicates_and_crawlers(aws: AWS) -> None:
    glue = aws.client("glue")
    glue.create_workflow(Name="w")
    for name in ("ok", "bad", "on-any", "on-all", "after-crawl", "on-crawl-failure"):
        job(glue, name)
    crawler(glue, "crawl")
    aws.control.set_job_run_outcome(job_name="bad", state="FAILED")
    aws.control.set_crawl_outcome(crawler_name="crawl", state="FAILED", error_message="S3 path not found")
    start_trigger(glue, "w", "start", "ok", "bad", crawlers=("crawl",))
    when(glue, "w", "any", [("ok", "FAILED"), ("bad", "FAILED")], [{"JobName": "on-any"}], logical="ANY")
    when(glue, "w", "all", [("ok", "SUCCEEDED"), ("bad", "SUCCEEDED")], [{"JobName": "on-all"}])
    when(glue, "w", "crawled", [("crawler:crawl", "SUCCEEDED")], [{"JobName": "after-crawl"}])
    when(glue, "w", "crawl-failed", [("crawler:crawl", "FAILED")], [{"JobName": "on-crawl-failure"}], logical=None)

    run_id = glue.start_workflow_run(Name="w")["RunId"]
    run = run_of(glue, "w", run_id)
    # moto's crawls finish after one poll (state manager model glue::crawl), so poll until done.
    for _ in range(3):
        if run["Status"] == "COMPLETED":
            break
        run = run_of(glue, "w", run_id)
    assert run["Status"] == "COMPLETED"
    nodes = nodes_by_name(run)
    ran = {name for name, node in nodes.items() if job_runs_of(node)}
    assert ran == {"ok", "bad", "on-any", "on-crawl-failure"}
    crawls = nodes["crawl"]["CrawlerDetails"]["Crawls"]
    assert len(crawls) == 1 and crawls[0]["State"] == "FAILED" and crawls[0]["ErrorMessage"] == "S3 path not found"
    assert "CompletedOn" in crawls[0]
    assert job_runs_of(nodes["bad"])[0]["ErrorMessage"]
    assert stats(run) == {"TotalActions": 7, "SucceededActions": 3, "FailedActions": 2}
    assert glue.get_crawler(Name="crawl")["Crawler"]["LastCrawl"]["Status"] == "FAILED"


def test_conditional_trigger_not_activated_does_not_fire(aws: AWS) -> None:
    glue = aws.client("glue")
    glue.create_workflow(Name="w")
    job(glue, "a")
    job(glue, "b")
    start_trigger(glue, "w", "start", "a")
    when(glue, "w", "then", [("a", "SUCCEEDED")], [{"JobName": "b"}], activate=False)
    run = run_of(glue, "w", glue.start_workflow_run(Name="w")["RunId"])
    assert run["Status"] == "COMPLETED" and stats(run) == {"TotalActions": 2, "SucceededActions": 1}
    glue.start_trigger(Name="then")
    run = run_of(glue, "w", glue.start_workflow_run(Name="w")["RunId"])
    assert stats(run) == {"TotalActions": 2, "SucceededActions": 2}


def test_failed_job_completes_the_run_then_resume_reruns_it(aws: AWS) -> None:
    glue = aws.client("glue")
    chain(glue, "etl", ["extract", "transform", "load"])
    aws.control.set_job_run_outcome(job_name="transform", state="FAILED", error_message="bad row 7")
    run_id = glue.start_workflow_run(Name="etl")["RunId"]
    run = run_of(glue, "etl", run_id)
    assert run["Status"] == "COMPLETED"
    assert stats(run) == {"TotalActions": 3, "SucceededActions": 1, "FailedActions": 1}
    nodes = nodes_by_name(run)
    failed = job_runs_of(nodes["transform"])[0]
    assert failed["JobRunState"] == "FAILED" and failed["ErrorMessage"] == "bad row 7"
    assert "JobDetails" not in nodes["load"]

    aws.control.set_job_run_outcome(job_name="transform", state="SUCCEEDED")
    transform_id = nodes["transform"]["UniqueId"]
    resumed = glue.resume_workflow_run(Name="etl", RunId=run_id, NodeIds=[transform_id])
    assert resumed["NodeIds"] == [transform_id] and resumed["RunId"] != run_id
    second = run_of(glue, "etl", resumed["RunId"])
    assert second["PreviousRunId"] == run_id and second["Status"] == "COMPLETED"
    assert stats(second) == {"TotalActions": 3, "SucceededActions": 3}
    second_nodes = nodes_by_name(second)
    assert job_runs_of(second_nodes["extract"]) == job_runs_of(nodes["extract"])
    assert [r["JobRunState"] for r in job_runs_of(second_nodes["transform"])] == ["SUCCEEDED"]
    assert job_runs_of(second_nodes["load"])[0]["Arguments"]["--WORKFLOW_RUN_ID"] == resumed["RunId"]
    assert [r["WorkflowRunId"] for r in glue.get_workflow_runs(Name="etl")["Runs"]] == [resumed["RunId"], run_id]

    # Naming a node and one downstream of it restarts only the first; the other reruns as a consequence.
    named = [second_nodes["load"]["UniqueId"], second_nodes["transform"]["UniqueId"]]
    again = glue.resume_workflow_run(Name="etl", RunId=resumed["RunId"], NodeIds=named)
    assert again["NodeIds"] == [second_nodes["transform"]["UniqueId"]]
    third = run_of(glue, "etl", again["RunId"])
    assert third["PreviousRunId"] == resumed["RunId"] and third["Status"] == "COMPLETED"
    third_nodes = nodes_by_name(third)
    assert job_runs_of(third_nodes["extract"]) == job_runs_of(nodes["extract"])
    assert job_runs_of(third_nodes["load"])[0]["Id"] != job_runs_of(second_nodes["load"])[0]["Id"]


def test_resume_refuses_what_aws_refuses(aws: AWS) -> None:
    glue = aws.client("glue")
    chain(glue, "etl", ["a", "b", "c"])
    aws.control.set_job_run_outcome(job_name="a", state="FAILED")
    run_id = glue.start_workflow_run(Name="etl")["RunId"]
    nodes = nodes_by_name(run_of(glue, "etl", run_id))
    code, message = error_of(
        glue.resume_workflow_run, Name="etl", RunId=run_id, NodeIds=[nodes["etl-start"]["UniqueId"]]
    )
    assert code == "InvalidInputException" and "trigger" in message
    code, message = error_of(glue.resume_workflow_run, Name="etl", RunId=run_id, NodeIds=[nodes["c"]["UniqueId"]])
    assert code == "InvalidInputException" and "not attempted" in message
    code, _ = error_of(glue.resume_workflow_run, Name="etl", RunId=run_id, NodeIds=["wnode_" + "0" * 64])
    assert code == "InvalidInputException"
    assert (
        error_of(glue.resume_workflow_run, Name="etl", RunId="wr_nope", NodeIds=["x"])[0] == "EntityNotFoundException"
    )

    aws.set_transition("glue::job_run", MANUAL)
    running = glue.start_workflow_run(Name="etl")["RunId"]
    code, message = error_of(glue.resume_workflow_run, Name="etl", RunId=running, NodeIds=[nodes["a"]["UniqueId"]])
    assert code == "IllegalWorkflowStateException" and "RUNNING" in message


def test_manual_progression_moves_a_run_one_poll_at_a_time(aws: AWS) -> None:
    glue = aws.client("glue")
    chain(glue, "etl", ["a", "b"])
    aws.set_transition("glue::job_run", MANUAL)
    run_id = glue.start_workflow_run(Name="etl")["RunId"]
    seen = []
    for _ in range(10):
        run = run_of(glue, "etl", run_id)
        nodes = nodes_by_name(run)
        seen.append(
            (run["Status"], *(job_runs_of(nodes[n])[0]["JobRunState"] if job_runs_of(nodes[n]) else "-" for n in "ab"))
        )
        if run["Status"] == "COMPLETED":
            break
    assert seen == [
        ("RUNNING", "RUNNING", "-"),
        ("RUNNING", "SUCCEEDED", "STARTING"),
        ("RUNNING", "SUCCEEDED", "RUNNING"),
        ("COMPLETED", "SUCCEEDED", "SUCCEEDED"),
    ]
    runs = [job_runs_of(nodes_by_name(run)[n])[0] for n in "ab"]
    for job_run in runs:
        assert job_run["CompletedOn"] >= job_run["StartedOn"]
        assert job_run["ExecutionTime"] == int((job_run["CompletedOn"] - job_run["StartedOn"]).total_seconds())


def test_stop_stops_running_jobs_and_starts_nothing_more(aws: AWS) -> None:
    glue = aws.client("glue")
    chain(glue, "etl", ["a", "b"])
    aws.set_transition("glue::job_run", MANUAL)
    run_id = glue.start_workflow_run(Name="etl")["RunId"]
    job_run_id = job_runs_of(nodes_by_name(run_of(glue, "etl", run_id))["a"])[0]["Id"]
    glue.stop_workflow_run(Name="etl", RunId=run_id)
    states = []
    for _ in range(4):
        run = run_of(glue, "etl", run_id)
        states.append(run["Status"])
        if run["Status"] == "STOPPED":
            break
    assert states[0] in ("STOPPING", "STOPPED") and states[-1] == "STOPPED"
    assert glue.get_job_run(JobName="a", RunId=job_run_id)["JobRun"]["JobRunState"] == "STOPPED"
    nodes = nodes_by_name(run)
    assert "JobDetails" not in nodes["b"]
    assert stats(run) == {"TotalActions": 2, "StoppedActions": 1}
    code, message = error_of(glue.stop_workflow_run, Name="etl", RunId=run_id)
    assert code == "IllegalWorkflowStateException" and "STOPPED" in message


def test_max_concurrent_runs_is_enforced(aws: AWS) -> None:
    glue = aws.client("glue")
    chain(glue, "etl", ["a"], MaxConcurrentRuns=1)
    aws.set_transition("glue::job_run", MANUAL)
    first = glue.start_workflow_run(Name="etl")["RunId"]
    code, message = error_of(glue.start_workflow_run, Name="etl")
    assert code == "ConcurrentRunsExceededException" and "etl" in message
    assert len(glue.get_workflow_runs(Name="etl")["Runs"]) == 1
    while run_of(glue, "etl", first, graph=False)["Status"] != "COMPLETED":
        pass
    assert glue.start_workflow_run(Name="etl")["RunId"] != first


def test_runs_snapshot_triggers_and_ignore_jobs_started_outside(aws: AWS) -> None:
    glue = aws.client("glue")
    chain(glue, "etl", ["a", "b"], job_kwargs={"a": {"ExecutionProperty": {"MaxConcurrentRuns": 5}}})
    aws.set_transition("glue::job_run", MANUAL)
    run_id = glue.start_workflow_run(Name="etl")["RunId"]
    glue.delete_trigger(Name="etl-after-a")
    outside = glue.start_job_run(JobName="a")["JobRunId"]
    for _ in range(10):
        run = run_of(glue, "etl", run_id)
        if run["Status"] == "COMPLETED":
            break
    nodes = nodes_by_name(run)
    assert "etl-after-a" in nodes and len(job_runs_of(nodes["b"])) == 1
    assert outside not in [r["Id"] for r in job_runs_of(nodes["a"])]
    # Without the trigger, a new run no longer reaches b.
    later = run_of(glue, "etl", glue.start_workflow_run(Name="etl")["RunId"])
    assert set(nodes_by_name(later)) == {"etl-start", "a"}


def test_get_workflow_runs_pages_newest_first(aws: AWS) -> None:
    glue = aws.client("glue")
    chain(glue, "etl", ["a"])
    ids = [glue.start_workflow_run(Name="etl")["RunId"] for _ in range(5)]
    listed = glue.get_workflow_runs(Name="etl")["Runs"]
    assert [r["WorkflowRunId"] for r in listed] == ids[::-1] and "Graph" not in listed[0]
    seen, token = [], None
    while True:
        page = glue.get_workflow_runs(
            Name="etl", MaxResults=2, IncludeGraph=True, **({"NextToken": token} if token else {})
        )
        assert all("Graph" in r for r in page["Runs"])
        seen += [r["WorkflowRunId"] for r in page["Runs"]]
        token = page.get("NextToken")
        if not token:
            break
    assert seen == ids[::-1]
    assert error_of(glue.get_workflow_runs, Name="missing")[0] == "EntityNotFoundException"


def test_outcome_control_refuses_bad_requests(aws: AWS) -> None:
    glue = aws.client("glue")
    job(glue, "a")
    crawler(glue, "c")
    with pytest.raises(ControlError) as info:
        aws.control.set_job_run_outcome(job_name="missing", state="FAILED")
    assert (info.value.status, info.value.code) == (400, "EntityNotFoundException")
    with pytest.raises(ControlError) as info:
        aws.control.set_job_run_outcome(job_name="a", state="CANCELLED")
    assert info.value.code == "InvalidInputException" and "'State'" in info.value.message
    with pytest.raises(ControlError) as info:
        aws.control.set_crawl_outcome(crawler_name="c", state="TIMEOUT")
    assert info.value.code == "InvalidInputException" and "'State'" in info.value.message
    assert aws.control.set_job_run_outcome(job_name="a", state="TIMEOUT") == {"JobName": "a", "State": "TIMEOUT"}
    run_id = glue.start_job_run(JobName="a")["JobRunId"]
    timed_out = glue.get_job_run(JobName="a", RunId=run_id)["JobRun"]
    assert timed_out["JobRunState"] == "TIMEOUT" and "timed out" in timed_out["ErrorMessage"]


def test_scheduled_start_fires_or_records_an_error_run_over_the_limit(aws: AWS) -> None:
    glue = aws.client("glue")
    glue.create_workflow(Name="hourly", MaxConcurrentRuns=1, DefaultRunProperties={"p": "1"})
    job(glue, "a")
    glue.create_trigger(
        Name="every-hour",
        WorkflowName="hourly",
        Type="SCHEDULED",
        Schedule="cron(0 * * * ? *)",
        Actions=[{"JobName": "a"}],
        StartOnCreation=True,
    )
    aws.set_transition("glue::job_run", MANUAL)
    first = aws.control.fire_trigger(trigger_name="every-hour")["RunId"]
    second = aws.control.fire_trigger(trigger_name="every-hour")["RunId"]
    running, errored = run_of(glue, "hourly", first), run_of(glue, "hourly", second)
    assert running["Status"] == "RUNNING"
    assert errored["Status"] == "ERROR" and errored["ErrorMessage"] == "Concurrent runs exceeded for workflow: hourly."
    assert errored["CompletedOn"] == errored["StartedOn"] and stats(errored) == {"TotalActions": 1}
    assert errored["WorkflowRunProperties"] == {"p": "1"}
    # StartWorkflowRun itself still refuses rather than recording a run.
    assert error_of(glue.start_workflow_run, Name="hourly")[0] == "ConcurrentRunsExceededException"

    glue.stop_trigger(Name="every-hour")
    with pytest.raises(ControlError) as info:
        aws.control.fire_trigger(trigger_name="every-hour")
    assert info.value.code == "InvalidInputException" and "DEACTIVATED" in info.value.message
    with pytest.raises(ControlError) as info:
        aws.control.fire_trigger(trigger_name="missing")
    assert info.value.code == "EntityNotFoundException"


def test_firing_a_trigger_outside_workflows_starts_its_actions(aws: AWS) -> None:
    glue = aws.client("glue")
    job(glue, "nightly")
    glue.create_trigger(
        Name="t", Type="SCHEDULED", Schedule="cron(0 1 * * ? *)", Actions=[{"JobName": "nightly"}], StartOnCreation=True
    )
    fired = aws.control.fire_trigger(trigger_name="t")
    run = glue.get_job_run(JobName="nightly", RunId=fired["JobRuns"][0]["RunId"])["JobRun"]
    assert run["TriggerName"] == "t" and run["JobRunState"] == "SUCCEEDED"
    glue.create_trigger(Name="od", Type="ON_DEMAND", Actions=[{"JobName": "nightly"}])
    with pytest.raises(ControlError) as info:
        aws.control.fire_trigger(trigger_name="od")
    assert "ON_DEMAND" in info.value.message
