"""How long ResumeWorkflowRun takes on a fan-out of N failed jobs (every node named).

Run: python benchmarks/resume_fanout.py [N]   (default 1000). Prints the seconds the resume call took.
"""

from __future__ import annotations

import sys
import time

import boto3
from moto import mock_aws

import moto_glue_workflows  # noqa: F401  (registers the workflow engine with moto)

ROLE = "arn:aws:iam::123456789012:role/glue-service"


def main(size: int) -> float:
    with mock_aws():
        glue = boto3.client("glue", region_name="us-east-1")
        glue.create_workflow(Name="fan")
        names = [f"job-{i}" for i in range(size)]
        for name in names:
            glue.create_job(Name=name, Role=ROLE, Command={"Name": "glueetl", "ScriptLocation": "s3://s/x.py"})
            control_fail(name)
        glue.create_trigger(Name="start", WorkflowName="fan", Type="ON_DEMAND", Actions=[{"JobName": n} for n in names])
        run_id = glue.start_workflow_run(Name="fan")["RunId"]
        run = glue.get_workflow_run(Name="fan", RunId=run_id, IncludeGraph=True)["Run"]
        assert run["Status"] == "COMPLETED" and run["Statistics"]["FailedActions"] == size
        node_ids = [n["UniqueId"] for n in run["Graph"]["Nodes"] if n["Type"] == "JOB"]
        began = time.perf_counter()
        resumed = glue.resume_workflow_run(Name="fan", RunId=run_id, NodeIds=node_ids)
        took = time.perf_counter() - began
        assert len(resumed["NodeIds"]) == size
        return took


def control_fail(name: str) -> None:
    from moto_glue_workflows.control.helpers import Control

    Control().set_job_run_outcome(job_name=name, state="FAILED")


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    print(f"ResumeWorkflowRun, fan-out of {size} failed jobs: {main(size):.2f} s")
