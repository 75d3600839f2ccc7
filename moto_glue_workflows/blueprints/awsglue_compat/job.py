"""``awsglue.blueprint.job``: the ``Job`` entity.

The guide's "Job class" accepts Name, Role and Command (mandatory), DependsOn and
WaitForDependencies, and "any of the job properties listed in Job structure": here every member of
botocore's CreateJob input, so new job properties work as soon as botocore knows them.
"""

from __future__ import annotations

from enum import Enum
from typing import Any, ClassVar

from moto_glue_workflows.blueprints.awsglue_compat.base_resource import BaseResource, FieldType, ensure_type
from moto_glue_workflows.blueprints.glue_model import member_types

__all__ = ["BaseResource", "Command", "CommandName", "ExecutionProperty", "Job", "WorkerType", "ensure_type"]

_REQUIRED = ("Name", "Role", "Command")


class CommandName(Enum):
    GLUE_ETL = "glueetl"
    PYTHON_SHELL = "pythonshell"
    GLUE_STREAMING = "gluestreaming"
    GLUE_RAY = "glueray"

    @staticmethod
    def has_value(item: Any) -> bool:
        return any(member.value == item for member in CommandName)


class WorkerType(Enum):
    STANDARD = "Standard"
    G_025X = "G.025X"
    G1_X = "G.1X"
    G2_X = "G.2X"
    G4_X = "G.4X"
    G8_X = "G.8X"
    Z2_X = "Z.2X"

    @staticmethod
    def has_value(item: Any) -> bool:
        return any(member.value == item for member in WorkerType)


class Command(BaseResource):
    """A job's ``Command``; the library requires its Name and ScriptLocation."""

    _fields: ClassVar[dict[str, tuple[FieldType, bool]]] = {
        "Name": (str, True),
        "ScriptLocation": (str, True),
        "PythonVersion": (str, False),
        "Runtime": (str, False),
    }


class ExecutionProperty(BaseResource):
    _fields: ClassVar[dict[str, tuple[FieldType, bool]]] = {"MaxConcurrentRuns": (int, False)}


def _job_fields() -> dict[str, tuple[FieldType, bool]]:
    fields: dict[str, tuple[FieldType, bool]] = {
        name: (kind, name in _REQUIRED) for name, kind in member_types("CreateJob").items()
    }
    fields["DependsOn"] = (dict, False)
    fields["WaitForDependencies"] = (str, False)
    return fields


class Job(BaseResource):
    """An AWS Glue job of the workflow; AWS appends a random suffix to its Name."""

    _fields: ClassVar[dict[str, tuple[FieldType, bool]]] = _job_fields()
    _drop_empty: ClassVar[bool] = True

    def _check_field(self, key: str, value: Any) -> Any:
        if key == "Command":
            Command(**value).validate()
        elif key == "ExecutionProperty":
            ExecutionProperty(**value).validate()
        elif key == "Connections":
            ensure_type("Connections.Connections", value.get("Connections"), list)
        return value
