"""Two DAGs of Apache Airflow's Amazon provider, run against our Glue by tests/clients/test_airflow.py.

``python glue_pipeline.py [ENDPOINT_URL]`` sets up the scripts, bucket and database (under ``mock_aws``,
or on the server at ENDPOINT_URL), runs both DAGs with ``dag.test()`` and prints a last line
``SUMMARY {...}``. Airflow finds the DAGs by parsing this file from its dags folder.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import sys

from airflow.providers.amazon.aws.operators.glue import GlueJobOperator
from airflow.providers.amazon.aws.operators.glue_crawler import GlueCrawlerOperator
from airflow.providers.amazon.aws.sensors.glue import GlueJobSensor
from airflow.providers.amazon.aws.sensors.glue_crawler import GlueCrawlerSensor
from airflow.sdk import DAG

START = datetime.datetime(2026, 1, 1)
PYTHON_SHELL = {"Name": "pythonshell", "PythonVersion": "3.9"}

with DAG("glue_pipeline", schedule=None, start_date=START) as pipeline:
    load = GlueJobOperator(
        task_id="load",
        job_name="load",
        script_location="s3://scripts/load.py",
        iam_role_name="glue",
        create_job_kwargs={"Command": {**PYTHON_SHELL, "ScriptLocation": "s3://scripts/load.py"}},
        verbose=True,  # the hook prints the run's CloudWatch output
        job_poll_interval=0.1,
    )
    submit = GlueJobOperator(task_id="submit", job_name="load", wait_for_completion=False)
    wait = GlueJobSensor(task_id="wait", job_name="load", run_id=submit.output, verbose=True, poke_interval=0.1)
    crawl = GlueCrawlerOperator(
        task_id="crawl",
        config={
            "Name": "orders",
            "Role": "glue",
            "DatabaseName": "sales",
            "Targets": {"S3Targets": [{"Path": "s3://lake/orders/"}]},
        },
        poll_interval=0.1,
    )
    crawled = GlueCrawlerSensor(task_id="crawled", crawler_name="orders", poke_interval=0.1)
    load >> submit >> wait >> crawl >> crawled

with DAG("glue_failure", schedule=None, start_date=START) as failure:
    GlueJobOperator(
        task_id="broken",
        job_name="broken",
        script_location="s3://scripts/broken.py",
        iam_role_name="glue",
        create_job_kwargs={"Command": {**PYTHON_SHELL, "ScriptLocation": "s3://scripts/broken.py"}},
        verbose=True,
        job_poll_interval=0.1,
    )


def main(endpoint_url: str | None) -> None:
    import boto3
    from moto import mock_aws

    import moto_glue_workflows

    with mock_aws() if endpoint_url is None else contextlib.nullcontext():
        options = {"region_name": "us-east-1"} | ({"endpoint_url": endpoint_url} if endpoint_url else {})
        s3, glue, iam = (boto3.client(name, **options) for name in ("s3", "glue", "iam"))
        iam.create_role(RoleName="glue", AssumeRolePolicyDocument="{}")
        s3.create_bucket(Bucket="scripts")
        s3.put_object(Bucket="scripts", Key="load.py", Body=b"print('rows loaded: 2')\n")
        s3.put_object(Bucket="scripts", Key="broken.py", Body=b"raise ValueError('bad row 7')\n")
        s3.create_bucket(Bucket="lake")
        s3.put_object(Bucket="lake", Key="orders/2024.csv", Body=b"order_id,amount\n1,10.5\n2,3\n")
        glue.create_database(DatabaseInput={"Name": "sales"})
        control = moto_glue_workflows.Control(endpoint_url=endpoint_url)
        control.set_job_execution(mode="script")  # Python shell jobs run their scripts from mocked S3
        control.advance_clock(seconds=7300)  # logs must still reach Airflow once the clock has moved
        states = {dag.dag_id: str(dag.test().state) for dag in (pipeline, failure)}
        runs = glue.get_job_runs(JobName="load")["JobRuns"]
        summary = {
            "states": states,
            "load_runs": sorted(run["JobRunState"] for run in runs),
            "tables": [table["Name"] for table in glue.get_tables(DatabaseName="sales")["TableList"]],
            "crawl": glue.get_crawler(Name="orders")["Crawler"]["LastCrawl"]["Status"],
        }
    print("SUMMARY " + json.dumps(summary), flush=True)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
