"""AWS Glue workflows that run: graph, trigger engine, statistics, stop and resume."""

from .models import glue_workflow_backends

__all__ = ["glue_workflow_backends"]
