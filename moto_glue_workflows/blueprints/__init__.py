"""Glue blueprints' domain logic, free of HTTP and of moto's backends.

``load_archive`` checks a blueprint ZIP (CreateBlueprint/UpdateBlueprint), ``resolve_parameters``
checks StartBlueprintRun's Parameters against the ParameterSpec, and ``run_layout`` runs the
layout generator in a process of its own
(``start_layout`` to start it, ``run_layout`` to wait for it) and gives the :class:`LayoutPlan`
of Glue requests to make, in order.
"""

from moto_glue_workflows.blueprints.archive import (
    MAX_COMPRESSED_BYTES,
    MAX_UNCOMPRESSED_BYTES,
    LoadedBlueprint,
    load_archive,
    missing_object_message,
)
from moto_glue_workflows.blueprints.errors import (
    BlueprintArchiveError,
    BlueprintError,
    BlueprintParameterError,
    LayoutError,
)
from moto_glue_workflows.blueprints.glue_requests import (
    CreateCrawlerRequest,
    CreateJobRequest,
    CreateTriggerRequest,
    CreateWorkflowRequest,
    GlueRequest,
)
from moto_glue_workflows.blueprints.layout_runner import LayoutRun, new_name_suffix, run_layout, start_layout
from moto_glue_workflows.blueprints.parameter_spec import (
    PARAMETER_TYPES,
    ParameterDefinition,
    ParameterSpec,
    parse_parameter_spec,
)
from moto_glue_workflows.blueprints.parameters import resolve_parameters
from moto_glue_workflows.blueprints.plan import LayoutPlan, build_plan
from moto_glue_workflows.blueprints.settings import ENV_VAR as EXECUTION_ENV_VAR
from moto_glue_workflows.blueprints.settings import (
    TIME_LIMIT_ENV_VAR,
    execution_enabled,
    set_execution_enabled,
    set_time_limit,
    time_limit,
)

__all__ = [
    "EXECUTION_ENV_VAR",
    "MAX_COMPRESSED_BYTES",
    "MAX_UNCOMPRESSED_BYTES",
    "PARAMETER_TYPES",
    "TIME_LIMIT_ENV_VAR",
    "BlueprintArchiveError",
    "BlueprintError",
    "BlueprintParameterError",
    "CreateCrawlerRequest",
    "CreateJobRequest",
    "CreateTriggerRequest",
    "CreateWorkflowRequest",
    "GlueRequest",
    "LayoutError",
    "LayoutPlan",
    "LayoutRun",
    "LoadedBlueprint",
    "ParameterDefinition",
    "ParameterSpec",
    "build_plan",
    "execution_enabled",
    "load_archive",
    "missing_object_message",
    "new_name_suffix",
    "parse_parameter_spec",
    "resolve_parameters",
    "run_layout",
    "set_execution_enabled",
    "set_time_limit",
    "start_layout",
    "time_limit",
]
