"""Start to end of a trivial blueprint run and of a one-line Python shell job run, as ratios to a cold
``python -c "import boto3"`` measured in the same run; medians over rounds (after one warm-up round).

    python -m benchmarks.user_code_start [--rounds N]
    MOTO_GLUE_WORKFLOWS_USER_CODE_WALLS=process python -m benchmarks.user_code_start   # without namespaces

Each run is walled in (docs/containment.md). Runs are forked from the warm process (the rows that
matter); each round also times the same two runs started cold, in a new interpreter
(``MOTO_GLUE_WORKFLOWS_USER_CODE_START=cold``), interleaved, so one run shows what the warm runner saves.
Then the same two runs in tests of their own (a ``mock_aws`` each, as a suite using the decorator per test
has them): moto's reset at each test's end ends the warm process the run was forked from and starts its
successor in the background, which the next test's run is forked from if it is ready (else it waits for it).
``python -m benchmarks`` runs this too, as its "User code start" section.
"""

from __future__ import annotations

import argparse
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
from typing import Any

from moto_glue_workflows.runner.warm import START_ENV

LAYOUT = """from awsglue.blueprint.workflow import Entities, Workflow

def generate_layout(user_params, system_params):
    return Workflow(Name=user_params["WorkflowName"], Entities=Entities(Jobs=[]))
"""
ROLE = "arn:aws:iam::123456789012:role/bench"
ROUNDS = 8  # the first is a warm-up (it starts the warm process); medians of the rest


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


def _cold_start(action: Callable[[], None]) -> Callable[[], None]:
    """``action`` with every run started in a new interpreter, as before the warm runner."""

    def cold() -> None:
        os.environ[START_ENV] = "cold"
        try:
            action()
        finally:
            del os.environ[START_ENV]

    return cold


def measure(rounds: int = ROUNDS) -> str:
    """The section's text: one line per measurement."""
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
    import boto3
    from moto import mock_aws

    import moto_glue_workflows
    from moto_glue_workflows import wait_for_blueprint_run

    rounds = max(2, rounds)
    timings: dict[str, list[float]] = {}

    def in_a_test(per_test: bool) -> tuple[Callable[[], None], Callable[[], None]]:
        """The blueprint run and the job run, inside one ``mock_aws`` (``per_test``: each in a ``mock_aws`` of
        its own, as a test with the decorator has it: moto's reset between runs ends the warm process)."""
        names = iter(range(10**6))

        def set_up() -> tuple[object, object]:
            s3 = boto3.client("s3", region_name="us-east-1")
            s3.create_bucket(Bucket="bench-user-code")
            s3.put_object(Bucket="bench-user-code", Key="tiny.zip", Body=_archive())
            s3.put_object(Bucket="bench-user-code", Key="one.py", Body=b"print('hello')\n")
            glue = boto3.client("glue", region_name="us-east-1")
            glue.create_blueprint(Name="tiny", BlueprintLocation="s3://bench-user-code/tiny.zip")
            command = {"Name": "pythonshell", "ScriptLocation": "s3://bench-user-code/one.py"}
            glue.create_job(Name="one", Role=ROLE, Command=command)
            moto_glue_workflows.set_job_execution(mode="script", job_name="one")
            return s3, glue

        def blueprint_run(glue: Any) -> None:
            parameters = json.dumps({"WorkflowName": f"bench-{next(names)}"})
            run_id = glue.start_blueprint_run(BlueprintName="tiny", Parameters=parameters, RoleArn=ROLE)["RunId"]
            run = wait_for_blueprint_run(glue, "tiny", run_id, delay=0.005)
            if run["State"] != "SUCCEEDED":
                raise RuntimeError(f"blueprint run failed: {run}")

        def job_run(glue: Any) -> None:
            run_id = glue.start_job_run(JobName="one")["JobRunId"]
            while True:
                run = glue.get_job_run(JobName="one", RunId=run_id)["JobRun"]
                if run["JobRunState"] == "SUCCEEDED":
                    return
                if run["JobRunState"] == "FAILED":
                    raise RuntimeError(f"job run failed: {run}")
                time.sleep(0.005)

        def test_of(run: Callable[[Any], None], name: str) -> Callable[[], None]:
            def one_test() -> None:  # the timing starts once the test's own set-up is done
                with mock_aws():
                    _, glue = set_up()
                    timings.setdefault(name, []).append(_timed(functools.partial(run, glue)))

            return one_test

        if per_test:
            return test_of(blueprint_run, "blueprint per test"), test_of(job_run, "job per test")
        _, glue = set_up()
        return functools.partial(blueprint_run, glue), functools.partial(job_run, glue)

    with mock_aws():
        blueprint_run, job_run = in_a_test(per_test=False)
        steps: list[tuple[str, Callable[[], None]]] = [
            ("cold", functools.partial(subprocess.run, [sys.executable, "-c", "import boto3"], check=True)),
            ("blueprint", blueprint_run),
            ("job", job_run),
            ("blueprint cold", _cold_start(blueprint_run)),
            ("job cold", _cold_start(job_run)),
        ]
        for _ in range(rounds):
            for name, action in steps:
                timings.setdefault(name, []).append(_timed(action))
    # Per test: each run in a mock_aws of its own; what is timed is the run, start to SUCCEEDED.
    blueprint_test, job_test = in_a_test(per_test=True)
    for _ in range(rounds):
        blueprint_test()
        job_test()
    medians = {name: statistics.median(values[1:]) for name, values in timings.items()}
    floor = medians["cold"]

    def row(label: str, name: str) -> str:
        return f"{label}: {medians[name] * 1000:.0f} ms ({medians[name] / floor:.2f}x)"

    walls = os.environ.get("MOTO_GLUE_WORKFLOWS_USER_CODE_WALLS") or "namespaces where the OS offers them"
    return "\n".join(
        [
            f"User code start (medians of {rounds - 1} rounds after a warm-up; walls: {walls})",
            f"cold python -c 'import boto3': {floor * 1000:.0f} ms",
            row("blueprint run, start to SUCCEEDED", "blueprint"),
            row("Python shell job run, start to SUCCEEDED", "job"),
            row("  the same blueprint run started cold (a new interpreter)", "blueprint cold"),
            row("  the same job run started cold (a new interpreter)", "job cold"),
            row(
                "blueprint run in a test of its own (moto's reset before it ended the warm process)",
                "blueprint per test",
            ),
            row("Python shell job run in a test of its own (likewise)", "job per test"),
            f"first blueprint run, which started the warm process: {timings['blueprint'][0] * 1000:.0f} ms",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.user_code_start", description=__doc__)
    parser.add_argument("--rounds", type=int, default=ROUNDS, help=f"rounds, the first a warm-up (default {ROUNDS})")
    print(measure(parser.parse_args().rounds))


if __name__ == "__main__":
    main()
