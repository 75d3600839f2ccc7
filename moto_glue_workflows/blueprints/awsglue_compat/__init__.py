"""A stand-in for AWS's ``awsglue.blueprint`` library, for layouts run where it is not installed.

Written from the public interface documented in the AWS Glue developer guide ("AWS Glue blueprint
classes reference", "Creating the blueprint layout script") and the one visible in the
awslabs/aws-glue-blueprint-libs samples: ``Job``, ``Crawler``, ``Workflow`` and ``Entities``, each
with ``validate()`` and ``to_json()``. The import shim serves these modules under the
``awsglue.blueprint`` names only while a layout runs.
"""

from moto_glue_workflows.blueprints.awsglue_compat.base_resource import BaseResource, ensure_type
from moto_glue_workflows.blueprints.awsglue_compat.crawler import Crawler
from moto_glue_workflows.blueprints.awsglue_compat.job import Job
from moto_glue_workflows.blueprints.awsglue_compat.workflow import Entities, Workflow

__all__ = ["BaseResource", "Crawler", "Entities", "Job", "Workflow", "ensure_type"]
