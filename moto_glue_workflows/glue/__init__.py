"""AWS Glue workflows that run: graph, trigger engine, statistics, stop and resume."""

from moto_glue_workflows.glue.models import glue_workflow_backends

__all__ = ["glue_workflow_backends"]
