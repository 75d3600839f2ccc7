"""A CDK app as a team writes one: an orders pipeline of Glue jobs in a workflow, a crawler on a schedule, a Data
Catalog database and a DataZone domain; ``version=2`` is its next release (a publish job added to the chain).

``python tests/cdk_app.py`` synthesizes both versions into tests/templates/ (run it after changing this app or
upgrading aws-cdk-lib); tests/test_cdk.py checks the committed templates equal a fresh synthesis, and
tests/test_cloudformation_cdk.py deploys them. Needs the ``cdk`` extra and ``node``.
"""

from __future__ import annotations

import itertools
import json
import os
import sys
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).with_name("templates")
STACK = "OrdersPipeline"
# jsii's notices about the node release (untested, or near its end of life) say nothing about the template
os.environ.setdefault("JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION", "1")
os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")


def build(version: int = 1) -> Any:
    """The app's stack (a CDK ``Stack``), not yet synthesized."""
    import aws_cdk as cdk
    from aws_cdk import aws_datazone as datazone
    from aws_cdk import aws_glue as glue
    from aws_cdk import aws_iam as iam
    from aws_cdk import aws_s3 as s3

    app = cdk.App(analytics_reporting=False)
    # No bootstrap stack behind a template deployed to a mock: no BootstrapVersion parameter and rule.
    synthesizer = cdk.DefaultStackSynthesizer(generate_bootstrap_version_rule=False)
    stack = cdk.Stack(app, STACK, synthesizer=synthesizer)

    data = s3.Bucket(stack, "Data", removal_policy=cdk.RemovalPolicy.DESTROY)
    role = iam.Role(stack, "GlueRole", assumed_by=iam.ServicePrincipal("glue.amazonaws.com"))
    data.grant_read_write(role)

    database = glue.CfnDatabase(
        stack,
        "Lake",
        catalog_id=stack.account,
        database_input=glue.CfnDatabase.DatabaseInputProperty(name="orders_lake", description="Curated orders"),
    )

    def job(construct_id: str, name: str, arguments: dict[str, str] | None = None) -> Any:
        return glue.CfnJob(
            stack,
            construct_id,
            name=name,
            role=role.role_arn,
            glue_version="4.0",
            command=glue.CfnJob.JobCommandProperty(
                name="glueetl", script_location=data.s3_url_for_object(f"scripts/{name}.py")
            ),
            default_arguments=arguments,
            max_retries=0,
        )

    extract = job("Extract", "orders-extract", {"--source": "orders" if version == 1 else "orders_v2"})
    transform = job("Transform", "orders-transform")
    steps = [extract, transform]
    if version == 2:
        steps.append(job("Publish", "orders-publish"))

    crawler = glue.CfnCrawler(
        stack,
        "Curated",
        name="orders-curated",
        role=role.role_arn,
        database_name=database.ref,
        targets=glue.CfnCrawler.TargetsProperty(
            s3_targets=[glue.CfnCrawler.S3TargetProperty(path=data.s3_url_for_object("raw/"))]
        ),
    )

    workflow = glue.CfnWorkflow(stack, "Workflow", name="orders", description=f"Orders pipeline v{version}")
    glue.CfnTrigger(
        stack,
        "Start",
        type="ON_DEMAND",
        workflow_name=workflow.ref,
        actions=[glue.CfnTrigger.ActionProperty(job_name=extract.ref)],
    )
    for before, after in itertools.pairwise(steps):
        glue.CfnTrigger(
            stack,
            f"After{before.node.id}",
            type="CONDITIONAL",
            start_on_creation=True,
            workflow_name=workflow.ref,
            predicate=glue.CfnTrigger.PredicateProperty(
                conditions=[
                    glue.CfnTrigger.ConditionProperty(logical_operator="EQUALS", job_name=before.ref, state="SUCCEEDED")
                ]
            ),
            actions=[glue.CfnTrigger.ActionProperty(job_name=after.ref)],
        )
    glue.CfnTrigger(
        stack,
        "NightlyCrawl",
        type="SCHEDULED",
        schedule="cron(0 2 * * ? *)",
        start_on_creation=True,
        actions=[glue.CfnTrigger.ActionProperty(crawler_name=crawler.ref)],
    )

    domain = datazone.CfnDomain(
        stack,
        "Catalog",
        name="orders",
        description="Lineage of the orders pipeline",
        domain_execution_role=role.role_arn,
        tags=[cdk.CfnTag(key="team", value="data")],
    )
    cdk.CfnOutput(stack, "DomainId", value=domain.attr_id)
    cdk.CfnOutput(stack, "PortalUrl", value=domain.attr_portal_url)
    cdk.CfnOutput(stack, "WorkflowName", value=workflow.ref)
    return stack


def synthesize(version: int = 1) -> dict[str, Any]:
    """The app's CloudFormation template, synthesized offline (the CDK runs its JavaScript with ``node``)."""
    import aws_cdk as cdk

    stack = build(version)
    app = stack.node.root
    assert isinstance(app, cdk.App)
    template: dict[str, Any] = app.synth().get_stack_by_name(STACK).template
    return template


def fixture_name(version: int) -> str:
    return "cdk_pipeline.json" if version == 1 else f"cdk_pipeline_v{version}.json"


def main() -> int:
    for version in (1, 2):
        path = TEMPLATES / fixture_name(version)
        path.write_text(json.dumps(synthesize(version), indent=2, sort_keys=True) + "\n")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
