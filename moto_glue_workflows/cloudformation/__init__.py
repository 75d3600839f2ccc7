"""CloudFormation resource types for Glue workflows, triggers, jobs, crawlers, the Data Catalog and DataZone
domains, in moto's CloudFormation (and so for CDK and SAM templates deployed to the mock).

moto finds resource types as the direct subclasses of its ``CloudFormationModel``: defining the classes (importing
the modules below) is what adds them, so they exist only once this package is imported. ``install`` makes a type
list moto made before that forget itself, and has stacks roll back when one of our resources fails
(``rollback.py``). docs/cloudformation.md says what each type does and where AWS's documentation decides it.
"""

from __future__ import annotations

from moto_glue_workflows import _moto
from moto_glue_workflows.cloudformation import rollback
from moto_glue_workflows.cloudformation.datazone_domain import DataZoneDomainResource
from moto_glue_workflows.cloudformation.glue_catalog import (
    GlueConnectionResource,
    GlueDatabaseResource,
    GlueTableResource,
)
from moto_glue_workflows.cloudformation.glue_jobs import GlueCrawlerResource, GlueJobResource
from moto_glue_workflows.cloudformation.glue_workflows import GlueTriggerResource, GlueWorkflowResource
from moto_glue_workflows.cloudformation.resource import replacements, retire

RESOURCE_TYPES = (
    GlueWorkflowResource,
    GlueTriggerResource,
    GlueJobResource,
    GlueCrawlerResource,
    GlueDatabaseResource,
    GlueTableResource,
    GlueConnectionResource,
    DataZoneDomainResource,
)


def install() -> None:
    _moto.refresh_cloudformation_types()
    _moto.handle_stack_failures(
        rollback.create_failed, rollback.update_failed, rollback.updated, replacements, rollback.nested_failed, retire
    )


__all__ = ["RESOURCE_TYPES", "install"]
