"""Run in a fresh interpreter by tests/test_cloudformation.py: ``python cloudformation_import_probe.py ORDER``.

Deploys a template with a Glue workflow through moto's CloudFormation and prints what it saw as JSON.
ORDER is ``without`` (this package never imported: moto as it ships) or ``after-cloudformation-used`` (moto's
CloudFormation has listed its resource types before this package is imported).
"""

from __future__ import annotations

import json
import sys
import warnings

import boto3
from moto import mock_aws

TEMPLATE = """
Resources:
  Flow:
    Type: AWS::Glue::Workflow
    Properties: {Name: probe}
"""
QUEUE = "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n"


def deploy(name: str, body: str) -> dict[str, object]:
    cloudformation = boto3.client("cloudformation", region_name="us-east-1")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cloudformation.create_stack(StackName=name, TemplateBody=body)
    glue = boto3.client("glue", region_name="us-east-1")
    return {
        "status": cloudformation.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"],
        "warnings": [str(w.message) for w in caught if "not supported" in str(w.message)],
        "workflows": glue.list_workflows()["Workflows"],
    }


order = sys.argv[1]
with mock_aws():
    seen: dict[str, object] = {}
    if order == "after-cloudformation-used":
        seen["queue"] = deploy("queue", QUEUE)["status"]
        import moto_glue_workflows  # noqa: F401
    elif order != "without":
        raise SystemExit(f"unknown order {order}")
    seen.update(deploy("glue", TEMPLATE))
    seen["ours"] = "moto_glue_workflows" in sys.modules
print(json.dumps(seen))
