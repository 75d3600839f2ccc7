"""AWS DataZone: domains and lineage job runs."""

from moto_glue_workflows.datazone.models import datazone_backends

__all__ = ["datazone_backends"]
