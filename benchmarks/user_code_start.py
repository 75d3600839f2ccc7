"""Start to end of a trivial blueprint run and of a one-line Python shell job run, as ratios to a cold
``python -c "import boto3"`` measured in the same run; medians of 7 (after one warm-up).

    python -m benchmarks.user_code_start
    MOTO_GLUE_WORKFLOWS_USER_CODE_WALLS=process python -m benchmarks.user_code_start   # without namespaces

Each run starts a walled-in process of its own (docs/containment.md); the figures say what that costs.
"""

from __future__ import annotations

import functools
import io
import json
import os
import statistics
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable

LAYOUT = """from awsglue.blueprint.workflow import Entities, Workflow

def generate_layout(user_params, system_params):
    return Workflow(Name=user_params["WorkflowName"], Entities=Entities(Jobs=[]))
"""
ROLE = "arn:aws:iam::123456789012:role/bench"
ROUNDS = 8


def _cold_boto3() -> float:
    began = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import boto3"], check=True)
    return time.perf_counter() - began


def _archive() -> bytes:
    buffer = io.BytesIO()
    config = {"layoutGenerator": "tiny.layout.generate_layout", "parameterSpec": {"WorkflowName": {"type": "String"}}}
    with zipfile.ZipFile(buffer, "w") as zipped:
        zipped.writestr("tiny/blueprint.cfg", json.dumps(config))
        zipped.writestr("tiny/layout.py", LAYOUT)
    return buffer.getvalue()


def _timed(action: Callable[[], None]) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def main() -> None:
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
    import boto3
    from moto import mock_aws

    import moto_glue_workflows
    from moto_glue_workflows import wait_for_blueprint_run

    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="bench-user-code")
        s3.put_object(Bucket="bench-user-code", Key="tiny.zip", Body=_archive())
        s3.put_object(Bucket="bench-user-code", Key="one.py", Body=b"print('hello')\n")
        glue = boto3.client("glue", region_name="us-east-1")
        glue.create_blueprint(Name="tiny", BlueprintLocation="s3://bench-user-code/tiny.zip")
        command = {"Name": "pythonshell", "ScriptLocation": "s3://bench-user-code/one.py"}
        glue.create_job(Name="one", Role=ROLE, Command=command)
        moto_glue_workflows.set_job_execution(mode="script", job_name="one")

        def blueprint_run(index: int) -> None:
            parameters = json.dumps({"WorkflowName": f"bench-{index}"})
            run_id = glue.start_blueprint_run(BlueprintName="tiny", Parameters=parameters, RoleArn=ROLE)["RunId"]
            run = wait_for_blueprint_run(glue, "tiny", run_id, delay=0.005)
            if run["State"] != "SUCCEEDED":
                raise RuntimeError(f"blueprint run failed: {run}")

        def job_run() -> None:
            run_id = glue.start_job_run(JobName="one")["JobRunId"]
            while glue.get_job_run(JobName="one", RunId=run_id)["JobRun"]["JobRunState"] not in ("SUCCEEDED", "FAILED"):
                time.sleep(0.005)

        cold, blueprints, jobs = [], [], []
        for index in range(ROUNDS):
            cold.append(_cold_boto3())
            blueprints.append(_timed(functools.partial(blueprint_run, index)))
            jobs.append(_timed(job_run))
    floor = statistics.median(cold[1:])
    blueprint = statistics.median(blueprints[1:])
    job = statistics.median(jobs[1:])
    print(f"cold python -c 'import boto3': {floor * 1000:.0f} ms")
    print(f"blueprint run, start to SUCCEEDED: {blueprint * 1000:.0f} ms ({blueprint / floor:.2f}x)")
    print(f"Python shell job run, start to SUCCEEDED: {job * 1000:.0f} ms ({job / floor:.2f}x)")


if __name__ == "__main__":
    main()
