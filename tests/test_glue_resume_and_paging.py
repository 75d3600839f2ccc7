"""ResumeWorkflowRun on large and cyclic graphs, and GetWorkflowRuns paging under concurrent starts."""

from __future__ import annotations

from typing import Any

from tests.conftest import AWS
from tests.glue_helpers import job, job_runs_of, nodes_by_name, start_trigger, when


def settle_run(glue: Any, workflow: str, run_id: str, reads: int = 3) -> dict[str, Any]:
    run: dict[str, Any] = {}
    for _ in range(reads):
        run = glue.get_workflow_run(Name=workflow, RunId=run_id, IncludeGraph=True)["Run"]
    return run


def test_resuming_every_node_of_a_large_fan_out_reruns_each_once(aws: AWS) -> None:
    # benchmarks/resume_fanout.py times this shape at 1,000 nodes; the test checks what it does.
    glue = aws.client("glue")
    size = 300
    glue.create_workflow(Name="fan")
    names = [f"job-{i}" for i in range(size)]
    for name in names:
        job(glue, name)
        aws.control.set_job_run_outcome(job_name=name, state="FAILED")
    glue.create_trigger(Name="start", WorkflowName="fan", Type="ON_DEMAND", Actions=[{"JobName": n} for n in names])
    run = settle_run(glue, "fan", glue.start_workflow_run(Name="fan")["RunId"])
    assert run["Status"] == "COMPLETED" and run["Statistics"]["FailedActions"] == size
    node_ids = [node["UniqueId"] for node in run["Graph"]["Nodes"] if node["Type"] == "JOB"]
    for name in names[: size // 2]:
        aws.control.set_job_run_outcome(job_name=name, state="SUCCEEDED")
    resumed = glue.resume_workflow_run(Name="fan", RunId=run["WorkflowRunId"], NodeIds=node_ids)
    assert resumed["NodeIds"] == node_ids
    again = settle_run(glue, "fan", resumed["RunId"])
    assert again["PreviousRunId"] == run["WorkflowRunId"] and again["Status"] == "COMPLETED"
    assert again["Statistics"]["SucceededActions"] == size // 2
    assert again["Statistics"]["FailedActions"] == size - size // 2
    assert all(len(job_runs_of(node)) == 1 for node in again["Graph"]["Nodes"] if node["Type"] == "JOB")


def test_resuming_both_nodes_of_a_cycle_restarts_the_first_named(aws: AWS) -> None:
    glue = aws.client("glue")
    glue.create_workflow(Name="loop")
    job(glue, "a")
    job(glue, "b")
    aws.control.set_job_run_outcome(job_name="a", state="FAILED")
    aws.control.set_job_run_outcome(job_name="b", state="FAILED")
    start_trigger(glue, "loop", "loop-start", "a")
    when(glue, "loop", "a-failed", [("a", "FAILED")], [{"JobName": "b"}])
    when(glue, "loop", "b-failed", [("b", "FAILED")], [{"JobName": "a"}])
    run = settle_run(glue, "loop", glue.start_workflow_run(Name="loop")["RunId"])
    assert run["Status"] == "COMPLETED" and run["Statistics"]["FailedActions"] == 2
    nodes = nodes_by_name(run)
    assert len(job_runs_of(nodes["a"])) == 2 and len(job_runs_of(nodes["b"])) == 1  # each trigger fires once
    a_id, b_id = nodes["a"]["UniqueId"], nodes["b"]["UniqueId"]
    aws.control.set_job_run_outcome(job_name="a", state="SUCCEEDED")
    resumed = glue.resume_workflow_run(Name="loop", RunId=run["WorkflowRunId"], NodeIds=[b_id, a_id])
    assert resumed["NodeIds"] == [b_id]  # b named first restarts; a reruns as its consequence
    again = settle_run(glue, "loop", resumed["RunId"])
    assert again["Status"] == "COMPLETED"
    assert again["Statistics"]["SucceededActions"] == 1 and again["Statistics"]["FailedActions"] == 1
    again_nodes = nodes_by_name(again)
    assert [r["JobRunState"] for r in job_runs_of(again_nodes["b"])] == ["FAILED"]
    assert [r["JobRunState"] for r in job_runs_of(again_nodes["a"])] == ["SUCCEEDED"]
    assert job_runs_of(again_nodes["a"])[0]["TriggerName"] == "b-failed"


def test_get_workflow_runs_pages_stay_stable_when_runs_start_between_pages(aws: AWS) -> None:
    glue = aws.client("glue")
    glue.create_workflow(Name="wf")
    job(glue, "a", ExecutionProperty={"MaxConcurrentRuns": 100})
    start_trigger(glue, "wf", "wf-start", "a")
    existing = [glue.start_workflow_run(Name="wf")["RunId"] for _ in range(7)]
    seen: list[str] = []
    page = glue.get_workflow_runs(Name="wf", MaxResults=3)
    seen += [run["WorkflowRunId"] for run in page["Runs"]]
    while page.get("NextToken"):
        glue.start_workflow_run(Name="wf")  # a new run between pages
        page = glue.get_workflow_runs(Name="wf", MaxResults=3, NextToken=page["NextToken"])
        seen += [run["WorkflowRunId"] for run in page["Runs"]]
    assert seen == existing[::-1]
    newest = glue.get_workflow_runs(Name="wf", MaxResults=2)["Runs"]
    assert newest[0]["StartedOn"] >= newest[1]["StartedOn"] and newest[1]["WorkflowRunId"] not in existing


def test_get_job_runs_pages_stay_stable_when_runs_start_between_pages(aws: AWS) -> None:
    glue = aws.client("glue")
    job(glue, "j", ExecutionProperty={"MaxConcurrentRuns": 100})
    existing = [glue.start_job_run(JobName="j")["JobRunId"] for _ in range(5)]
    page = glue.get_job_runs(JobName="j", MaxResults=2)
    seen = [run["Id"] for run in page["JobRuns"]]
    while page.get("NextToken"):
        glue.start_job_run(JobName="j")
        page = glue.get_job_runs(JobName="j", MaxResults=2, NextToken=page["NextToken"])
        seen += [run["Id"] for run in page["JobRuns"]]
    assert seen == existing[::-1]
