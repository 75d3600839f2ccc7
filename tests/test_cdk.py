"""A real CDK app (tests/cdk_app.py) synthesized offline with node: the templates committed in tests/templates/,
which tests/test_cloudformation_cdk.py deploys on every run, are what the CDK makes of the app today. Needs the
``cdk`` extra (aws-cdk-lib) and ``node``; skipped, saying so, where either is missing."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.cdk_app import TEMPLATES, fixture_name, synthesize

pytest.importorskip("aws_cdk", reason="aws-cdk-lib is not installed (pip install 'moto-glue-workflows[cdk]')")
if shutil.which("node") is None:
    pytest.skip("the CDK synthesizes with node, which is not on PATH", allow_module_level=True)


@pytest.mark.parametrize("version", [1, 2])
def test_the_committed_template_is_what_the_cdk_synthesizes(version: int) -> None:
    committed = json.loads((TEMPLATES / fixture_name(version)).read_text())
    assert synthesize(version) == committed, "the CDK's template changed: run `python tests/cdk_app.py` and commit"


def test_the_synthesized_template_deploys_and_runs() -> None:
    """The fresh synthesis itself, deployed under mock_aws (the committed copy is deployed in both modes elsewhere)."""
    import boto3
    from moto import mock_aws

    import moto_glue_workflows  # noqa: F401

    with mock_aws():
        cloudformation = boto3.client("cloudformation", region_name="us-east-1")
        glue = boto3.client("glue", region_name="us-east-1")
        cloudformation.create_stack(StackName="fresh", TemplateBody=json.dumps(synthesize(1)))
        assert cloudformation.describe_stacks(StackName="fresh")["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"
        run_id = glue.start_workflow_run(Name="orders")["RunId"]
        assert glue.get_workflow_run(Name="orders", RunId=run_id)["Run"]["Status"] == "COMPLETED"
