"""The hand-written template against the standalone server (``python -m moto_glue_workflows``, a process of its
own), as against mock_aws and the threaded server (tests/test_cloudformation.py): deployed, run, deleted."""

from __future__ import annotations

from tests.cloudformation_helpers import nodes_run, physical_ids, settled_run, stack_of, template
from tests.modes import Mode

pytest_plugins = ["tests.mode_fixtures"]


def test_the_template_deploys_runs_and_deletes_in_every_mode(mode: Mode) -> None:
    cloudformation, glue = mode.client("cloudformation"), mode.client("glue")
    cloudformation.create_stack(StackName="orders", TemplateBody=template("orders_pipeline.yaml"))
    assert stack_of(cloudformation, "orders")["StackStatus"] == "CREATE_COMPLETE"
    load = physical_ids(cloudformation, "orders")["LoadJob"]
    run = settled_run(glue, "orders-dev", glue.start_workflow_run(Name="orders-dev")["RunId"])
    assert run["Status"] == "COMPLETED"
    assert nodes_run(run)["orders-extract-dev"] == nodes_run(run)[load] == "SUCCEEDED"
    cloudformation.delete_stack(StackName="orders")
    assert glue.list_workflows()["Workflows"] == [] and glue.list_jobs()["JobNames"] == []
