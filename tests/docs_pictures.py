"""The pictures in docs/images/, drawn from real runs: ``python -m tests.docs_pictures`` writes them,
and tests/test_render.py checks that the files checked in are what this draws today.

The run is README's: ``transform`` fails in the first run, which is then resumed from it.
moto's random source is seeded, so run ids, and therefore the files, are the same every time.
"""

from __future__ import annotations

import os
from pathlib import Path

import boto3
from moto import mock_aws

import moto_glue_workflows
from moto_glue_workflows._moto import mock_random

IMAGES = Path(__file__).resolve().parent.parent / "docs" / "images"
ROLE = "arn:aws:iam::123456789012:role/glue"


def draw() -> dict[str, str]:
    """File name → SVG text."""
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        mock_random.seed(15)
        glue = boto3.client("glue", region_name="us-east-1")
        glue.create_crawler(
            Name="raw", Role=ROLE, DatabaseName="db", Targets={"S3Targets": [{"Path": "s3://data/raw/"}]}
        )
        for name in ("extract", "transform", "load", "report"):
            glue.create_job(
                Name=name, Role=ROLE, Command={"Name": "glueetl", "ScriptLocation": f"s3://scripts/{name}.py"}
            )
        glue.create_workflow(Name="nightly")
        glue.create_trigger(
            Name="start",
            WorkflowName="nightly",
            Type="ON_DEMAND",
            Actions=[{"CrawlerName": "raw"}, {"JobName": "extract"}],
        )
        steps = [
            ("after-extract", [("JobName", "extract", "State")], "transform"),
            ("after-transform", [("JobName", "transform", "State"), ("CrawlerName", "raw", "CrawlState")], "load"),
            ("after-load", [("JobName", "load", "State")], "report"),
        ]
        for name, watched, action in steps:
            conditions = [
                {"LogicalOperator": "EQUALS", key: value, state: "SUCCEEDED"} for key, value, state in watched
            ]
            glue.create_trigger(
                Name=name,
                WorkflowName="nightly",
                Type="CONDITIONAL",
                StartOnCreation=True,
                Predicate={"Logical": "AND", "Conditions": conditions},
                Actions=[{"JobName": action}],
            )
        moto_glue_workflows.set_job_run_outcome(job_name="transform", state="FAILED", error_message="bad row 7")
        first = glue.start_workflow_run(Name="nightly")["RunId"]
        failed = glue.get_workflow_run(Name="nightly", RunId=first, IncludeGraph=True)["Run"]
        moto_glue_workflows.set_job_run_outcome(job_name="transform", state="SUCCEEDED")
        transform = next(n["UniqueId"] for n in failed["Graph"]["Nodes"] if n["Name"] == "transform")
        resumed = glue.resume_workflow_run(Name="nightly", RunId=first, NodeIds=[transform])["RunId"]
        return {
            "nightly-failed.svg": _stable(moto_glue_workflows.render("nightly", first)),
            "nightly-resumed.svg": _stable(moto_glue_workflows.render("nightly", resumed)),
        }


def _stable(svg: str) -> str:
    """Without the times in hover texts, which no seed fixes."""
    import re

    return re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\+00:00)?", "2026-01-02T03:04:05", svg) + "\n"


def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    for name, svg in draw().items():
        (IMAGES / name).write_text(svg, encoding="utf-8")
        print(IMAGES / name)


if __name__ == "__main__":
    main()
