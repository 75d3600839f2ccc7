"""botocore's Glue model, loaded once: the shape truth for entity kwargs and plan requests."""

from __future__ import annotations

from functools import cache
from typing import Any

import botocore.session
from botocore.model import OperationModel, ServiceModel, Shape, StructureShape


@cache
def glue_service_model() -> ServiceModel:
    model: ServiceModel = botocore.session.get_session().get_service_model("glue")
    return model


def operation_model(operation: str) -> OperationModel:
    return glue_service_model().operation_model(operation)


def input_shape(operation: str) -> StructureShape:
    shape = operation_model(operation).input_shape
    assert isinstance(shape, StructureShape)
    return shape


def python_type(shape: Shape) -> type | tuple[type, ...]:
    """The Python type a layout passes for a member of this shape, as the library checks it."""
    kind = shape.type_name
    if kind in ("structure", "map"):
        return dict
    if kind == "list":
        return list
    if kind == "string":
        return str
    if kind in ("integer", "long"):
        return int
    if kind in ("double", "float"):
        # A whole-number capacity (MaxCapacity=2) is as good as 2.0 once serialised to JSON.
        return (int, float)
    if kind == "boolean":
        return bool
    if kind == "blob":
        return (bytes, str)
    return object


def member_types(operation: str) -> dict[str, Any]:
    return {name: python_type(member) for name, member in input_shape(operation).members.items()}
