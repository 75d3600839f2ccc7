"""Apache Airflow's Amazon provider runs Glue jobs and crawlers against ours, to the end, in both modes.

GlueJobOperator (waiting, with the hook printing the run's CloudWatch output), GlueJobOperator without
waiting + GlueJobSensor, GlueCrawlerOperator + GlueCrawlerSensor (the provider's ``crawler_ready``
waiter polls GetCrawler), and a job whose script fails: real DAG runs (``dag.test()``, Airflow's own
way to run a DAG in one process) in a fresh Airflow home. Needs the ``clients`` extra (its own venv:
``pip install -e '.[test,clients]'``); skipped without it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("airflow.providers.amazon", reason="Airflow's Amazon provider is the clients extra")

from tests.modes import standalone_server

DAGS = Path(__file__).with_name("airflow_dags")


@pytest.fixture(scope="module")
def airflow_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """An Airflow home with its metadata database made (SQLite), reading DAGs from airflow_dags/."""
    home = tmp_path_factory.mktemp("airflow-home")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("AIRFLOW", "AWS_", "MOTO_"))}
    env |= {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "PYTHONPATH": str(Path(__file__).parents[2]),
    }
    airflow = Path(sys.executable).with_name("airflow")
    subprocess.run([str(airflow), "db", "migrate"], env=env, check=True, capture_output=True, timeout=300)
    yield env


def run_dags(env: dict[str, str], endpoint_url: str | None) -> tuple[dict[str, object], str]:
    command = [sys.executable, str(DAGS / "glue_pipeline.py")] + ([endpoint_url] if endpoint_url else [])
    if endpoint_url:
        # Airflow's AWS connection, as a user points it at a local endpoint
        env = env | {
            "AIRFLOW_CONN_AWS_DEFAULT": json.dumps(
                {"conn_type": "aws", "extra": {"endpoint_url": endpoint_url, "region_name": "us-east-1"}}
            )
        }
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    output = done.stdout + done.stderr
    summary = [line for line in done.stdout.splitlines() if line.startswith("SUMMARY ")]
    assert done.returncode == 0 and summary, output[-5000:]
    return json.loads(summary[-1].removeprefix("SUMMARY ")), output


@pytest.mark.parametrize("mode", ["decorator", "server"])
def test_airflow_runs_glue_jobs_and_crawlers_to_the_end(airflow_env: dict[str, str], mode: str) -> None:
    if mode == "server":
        with standalone_server(timeout=60) as url:
            summary, output = run_dags(airflow_env, url)
    else:
        summary, output = run_dags(airflow_env, None)

    assert summary["states"] == {"glue_pipeline": "success", "glue_failure": "failed"}, output[-5000:]
    assert summary["load_runs"] == ["SUCCEEDED", "SUCCEEDED"]
    assert (summary["tables"], summary["crawl"]) == (["orders"], "SUCCEEDED")
    # The hook's log printing: the run's output, read back from CloudWatch Logs after the clock moved
    assert "Glue Job Run /aws-glue/python-jobs/output Logs:" in output
    assert "rows loaded: 2" in output
    # The failing job: the hook prints the run's error stream, and the operator fails the task
    assert "Glue Job Run /aws-glue/python-jobs/error Logs:" in output
    assert "ValueError: bad row 7" in output
    assert "Run State: FAILED" in output
