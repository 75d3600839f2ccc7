"""Job runs as AWS documents them: MaxRetries attempts, a job over its MaxConcurrentRuns, job run
queuing (WAITING, EXPIRED), log groups per job type, and outcomes chosen per attempt."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest

from moto_glue_workflows import ControlError
from tests.conftest import AWS
from tests.glue_helpers import ROLE, chain, error_of, job, job_runs_of, nodes_by_name, start_trigger, when

MANUAL = {"progression": "manual", "times": 1}


def settle_job(glue: Any, name: str, reads: int = 12) -> list[dict[str, Any]]:
    """Read a job's runs until nothing moves any more; newest first."""
    runs: list[dict[str, Any]] = []
    for _ in range(reads):
        runs = glue.get_job_runs(JobName=name)["JobRuns"]
    return runs


def settle_run(glue: Any, workflow: str, run_id: str, reads: int = 12) -> dict[str, Any]:
    run: dict[str, Any] = {}
    for _ in range(reads):
        run = glue.get_workflow_run(Name=workflow, RunId=run_id, IncludeGraph=True)["Run"]
    return run


def test_max_retries_retries_a_failed_run_as_new_attempts(aws: AWS) -> None:
    glue = aws.client("glue")
    job(glue, "flaky", MaxRetries=2)
    aws.control.set_job_run_outcome(job_name="flaky", state=["FAILED", "FAILED", "SUCCEEDED"])
    first = glue.start_job_run(JobName="flaky", Arguments={"--day": "1"})["JobRunId"]
    runs = settle_job(glue, "flaky")[::-1]
    assert [r["Id"] for r in runs] == [first, f"{first}_attempt_1", f"{first}_attempt_2"]
    assert [r["Attempt"] for r in runs] == [0, 1, 2]
    assert [r["JobRunState"] for r in runs] == ["FAILED", "FAILED", "SUCCEEDED"]
    assert [r.get("PreviousRunId") for r in runs] == [None, first, f"{first}_attempt_1"]
    assert all(r["Arguments"] == {"--day": "1"} for r in runs)
    assert runs[0]["ErrorMessage"] and "ErrorMessage" not in runs[2]
    assert glue.get_job_run(JobName="flaky", RunId=f"{first}_attempt_2")["JobRun"]["Attempt"] == 2


def test_retries_stop_at_max_retries_and_only_failures_are_retried(aws: AWS) -> None:
    glue = aws.client("glue")
    job(glue, "broken", MaxRetries=1)
    job(glue, "slow", MaxRetries=3)
    aws.control.set_job_run_outcome(job_name="broken", state="FAILED")
    aws.control.set_job_run_outcome(job_name="slow", state="TIMEOUT")
    glue.start_job_run(JobName="broken")
    glue.start_job_run(JobName="slow")
    assert [r["Attempt"] for r in settle_job(glue, "broken")] == [1, 0]
    assert [r["JobRunState"] for r in settle_job(glue, "slow")] == ["TIMEOUT"]


def test_a_retried_node_counts_by_its_latest_attempt(aws: AWS) -> None:
    glue = aws.client("glue")
    chain(glue, "wf", ["a", "b"], job_kwargs={"a": {"MaxRetries": 1}})
    when(glue, "wf", "on-a-failure", [("a", "FAILED")], [{"JobName": "alert"}])
    job(glue, "alert")
    aws.control.set_job_run_outcome(job_name="a", state=["FAILED", "SUCCEEDED"])
    run = settle_run(glue, "wf", glue.start_workflow_run(Name="wf")["RunId"])
    assert run["Status"] == "COMPLETED"
    assert run["Statistics"] == {
        "TotalActions": 3,
        "TimeoutActions": 0,
        "FailedActions": 0,
        "StoppedActions": 0,
        "SucceededActions": 2,
        "RunningActions": 0,
        "ErroredActions": 0,
        "WaitingActions": 0,
    }
    nodes = nodes_by_name(run)
    attempts = job_runs_of(nodes["a"])
    assert [(r["Attempt"], r["JobRunState"]) for r in attempts] == [(0, "FAILED"), (1, "SUCCEEDED")]
    assert attempts[1]["Id"] == attempts[0]["Id"] + "_attempt_1"
    assert attempts[1]["Arguments"]["--WORKFLOW_RUN_ID"] == run["WorkflowRunId"]
    (b_run,) = job_runs_of(nodes["b"])
    b_run = glue.get_job_run(JobName="b", RunId=b_run["Id"], PredecessorsIncluded=True)["JobRun"]
    assert b_run["PredecessorRuns"] == [{"JobName": "a", "RunId": attempts[1]["Id"]}]
    assert job_runs_of(nodes["alert"]) == []  # the failed first attempt fires nothing: its retry took over


def test_a_node_failing_every_attempt_fails_once_in_the_statistics(aws: AWS) -> None:
    glue = aws.client("glue")
    glue.create_workflow(Name="wf")
    job(glue, "a", MaxRetries=2)
    job(glue, "alert")
    start_trigger(glue, "wf", "wf-start", "a")
    when(glue, "wf", "on-a-failure", [("a", "FAILED")], [{"JobName": "alert"}])
    aws.control.set_job_run_outcome(job_name="a", state="FAILED", error_message="boom")
    run = settle_run(glue, "wf", glue.start_workflow_run(Name="wf")["RunId"])
    assert run["Status"] == "COMPLETED"
    assert run["Statistics"]["FailedActions"] == 1 and run["Statistics"]["SucceededActions"] == 1
    nodes = nodes_by_name(run)
    assert [r["Attempt"] for r in job_runs_of(nodes["a"])] == [0, 1, 2]
    assert all(r["ErrorMessage"] == "boom" for r in job_runs_of(nodes["a"]))
    (alert,) = job_runs_of(nodes["alert"])
    alert = glue.get_job_run(JobName="alert", RunId=alert["Id"], PredecessorsIncluded=True)["JobRun"]
    assert alert["PredecessorRuns"][0]["RunId"].endswith("_attempt_2")


def test_a_job_over_its_max_concurrent_runs_started_by_a_workflow_gets_a_failed_run(aws: AWS) -> None:
    glue = aws.client("glue")
    chain(glue, "wf", ["busy"], job_kwargs={"busy": {"ExecutionProperty": {"MaxConcurrentRuns": 1}}})
    aws.set_transition("glue::job_run", MANUAL)
    outside = glue.start_job_run(JobName="busy")["JobRunId"]
    assert error_of(glue.start_job_run, JobName="busy")[0] == "ConcurrentRunsExceededException"
    run = glue.get_workflow_run(Name="wf", RunId=glue.start_workflow_run(Name="wf")["RunId"], IncludeGraph=True)["Run"]
    assert run["Status"] == "COMPLETED"
    assert run["Statistics"]["FailedActions"] == 1 and run["Statistics"]["ErroredActions"] == 0
    (failed,) = job_runs_of(nodes_by_name(run)["busy"])
    assert failed["JobRunState"] == "FAILED" and failed["TriggerName"] == "wf-start"
    assert "exceeded its maximum allowed concurrent runs" in failed["ErrorMessage"]
    assert failed["CompletedOn"] >= failed["StartedOn"]
    listed = [r["Id"] for r in glue.get_job_runs(JobName="busy")["JobRuns"]]
    assert listed == [failed["Id"], outside]


def test_queued_runs_wait_and_start_when_a_slot_frees(aws: AWS) -> None:
    glue = aws.client("glue")
    chain(
        glue,
        "wf",
        ["queued"],
        job_kwargs={"queued": {"ExecutionProperty": {"MaxConcurrentRuns": 1}, "JobRunQueuingEnabled": True}},
    )
    aws.set_transition("glue::job_run", MANUAL)
    outside = glue.start_job_run(JobName="queued")["JobRunId"]
    run_id = glue.start_workflow_run(Name="wf")["RunId"]
    run = glue.get_workflow_run(Name="wf", RunId=run_id, IncludeGraph=True)["Run"]
    assert run["Status"] == "RUNNING"
    assert run["Statistics"]["WaitingActions"] == 1 and run["Statistics"]["RunningActions"] == 0
    (waiting,) = job_runs_of(nodes_by_name(run)["queued"])
    assert waiting["JobRunState"] == "WAITING" and "CompletedOn" not in waiting
    states = []
    for _ in range(8):
        states.append(glue.get_job_run(JobName="queued", RunId=outside)["JobRun"]["JobRunState"])
    assert states[-1] == "SUCCEEDED"
    run = settle_run(glue, "wf", run_id)
    assert run["Status"] == "COMPLETED"
    assert run["Statistics"]["SucceededActions"] == 1 and run["Statistics"]["WaitingActions"] == 0
    (done,) = job_runs_of(nodes_by_name(run)["queued"])
    assert done["Id"] == waiting["Id"] and done["JobRunState"] == "SUCCEEDED"


def test_start_job_run_can_ask_for_queuing_and_a_queued_run_expires(aws: AWS, monkeypatch: pytest.MonkeyPatch) -> None:
    glue = aws.client("glue")
    job(glue, "j", ExecutionProperty={"MaxConcurrentRuns": 1})
    aws.set_transition("glue::job_run", MANUAL)
    glue.start_job_run(JobName="j")
    queued = glue.start_job_run(JobName="j", JobRunQueuingEnabled=True)["JobRunId"]
    assert glue.get_job_run(JobName="j", RunId=queued)["JobRun"]["JobRunState"] == "WAITING"
    monkeypatch.setattr("moto_glue_workflows.glue.models.QUEUE_LIMIT", datetime.timedelta(0))
    expired = glue.get_job_run(JobName="j", RunId=queued)["JobRun"]
    assert expired["JobRunState"] == "EXPIRED" and "queue" in expired["ErrorMessage"]
    assert "CompletedOn" in expired


def test_waiting_and_expired_outcomes(aws: AWS) -> None:
    glue = aws.client("glue")
    glue.create_workflow(Name="wf")
    job(glue, "held")
    job(glue, "gone")
    start_trigger(glue, "wf", "wf-start", "held", "gone")
    aws.control.set_job_run_outcome(job_name="held", state="WAITING")
    aws.control.set_job_run_outcome(job_name="gone", state="EXPIRED")
    run = settle_run(glue, "wf", glue.start_workflow_run(Name="wf")["RunId"])
    assert run["Status"] == "RUNNING"
    assert run["Statistics"]["WaitingActions"] == 1 and run["Statistics"]["ErroredActions"] == 1
    nodes = nodes_by_name(run)
    assert job_runs_of(nodes["held"])[0]["JobRunState"] == "WAITING"
    assert job_runs_of(nodes["gone"])[0]["JobRunState"] == "EXPIRED"
    glue.stop_workflow_run(Name="wf", RunId=run["WorkflowRunId"])
    run = settle_run(glue, "wf", run["WorkflowRunId"])
    assert run["Status"] == "STOPPED" and run["Statistics"]["StoppedActions"] == 1


def test_log_group_follows_the_job_type(aws: AWS) -> None:
    glue = aws.client("glue")
    glue.create_job(
        Name="shell",
        Role=ROLE,
        Command={"Name": "pythonshell", "ScriptLocation": "s3://s/x.py", "PythonVersion": "3.9"},
    )
    job(glue, "spark")
    for name, group in (("shell", "/aws-glue/python-jobs"), ("spark", "/aws-glue/jobs")):
        run_id = glue.start_job_run(JobName=name)["JobRunId"]
        assert glue.get_job_run(JobName=name, RunId=run_id)["JobRun"]["LogGroupName"] == group


def test_outcome_control_takes_one_state_or_one_per_attempt(aws: AWS) -> None:
    glue = aws.client("glue")
    job(glue, "j", MaxRetries=1)
    glue.create_crawler(Name="c", Role=ROLE, DatabaseName="db", Targets={"S3Targets": [{"Path": "s3://d/"}]})
    assert aws.control.set_job_run_outcome(job_name="j", state=["FAILED", "SUCCEEDED"]) == {
        "JobName": "j",
        "State": ["FAILED", "SUCCEEDED"],
    }
    for bad, field in ((["FAILED", "RUNNING"], "State.2"), ([], "State"), (["SUCCEEDED"] * 12, "State")):
        with pytest.raises(ControlError) as info:
            aws.control.set_job_run_outcome(job_name="j", state=bad)
        assert info.value.status == 400 and field in info.value.message
    with pytest.raises(ControlError) as info:
        aws.control.set_job_run_outcome(job_name="j", state=["FAILED", "FAILED"], error_message=["only one"])
    assert info.value.status == 400 and "ErrorMessage" in info.value.message
    with pytest.raises(ControlError) as info:
        aws.control.set_crawl_outcome(crawler_name="c", state=["FAILED", "SUCCEEDED"])
    assert info.value.status == 400
    with pytest.raises(ControlError) as info:
        aws.control.set_crawl_outcome(crawler_name="c", state="WAITING")
    assert info.value.status == 400
    first = glue.start_job_run(JobName="j")["JobRunId"]
    runs = settle_job(glue, "j")
    assert [(r["Id"], r["JobRunState"]) for r in runs] == [(f"{first}_attempt_1", "SUCCEEDED"), (first, "FAILED")]
    assert re.fullmatch(r"jr_[0-9a-f]{64}", first)
