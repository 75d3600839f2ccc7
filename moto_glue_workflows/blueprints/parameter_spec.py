"""The ``parameterSpec`` of ``blueprint.cfg``: its well-formedness and the check of one value.

Rules from the AWS Glue developer guide, "Specifying blueprint parameters": every parameter has a
mandatory ``type``; ``collection`` makes it a list; ``defaultValue`` makes it optional;
``allowedValues`` restricts it; ``description`` is free text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

PARAMETER_TYPES = ("String", "Integer", "Double", "Boolean", "S3Uri", "S3Bucket", "IAMRoleArn", "IAMRoleName")

# ParameterSpec and Parameters share the model's BlueprintParameterSpec/BlueprintParameters limit.
MAX_SPEC_CHARS = 131072

_S3_URI = re.compile(r"s3://[^/\s]+(/\S*)?")
# S3 bucket naming rules: 3-63 lowercase letters, digits, dots and hyphens, alphanumeric at both
# ends, no "..", not shaped like an IP address.
_S3_BUCKET = re.compile(r"(?!\d{1,3}(\.\d{1,3}){3}$)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_ROLE_NAME = re.compile(r"[\w+=,.@-]{1,64}")
_ROLE_ARN = re.compile(r"arn:aws(-[a-z]+)*:iam::\d{12}:role/([\w+=,.@-]+/)*[\w+=,.@-]{1,64}")

_TYPE_HINTS = {
    "String": "a string",
    "Integer": "an integer",
    "Double": "a number",
    "Boolean": "true or false",
    "S3Uri": "an Amazon S3 path beginning with s3://",
    "S3Bucket": "an Amazon S3 bucket name",
    "IAMRoleArn": "an IAM role ARN (arn:aws:iam::<account>:role/<name>)",
    "IAMRoleName": "an IAM role name",
}


def show(value: Any) -> str:
    """A value as the caller wrote it in JSON, so messages quote what was sent."""
    try:
        return json.dumps(value)
    except (TypeError, ValueError):
        return repr(value)


def _fits(kind: str, value: Any) -> bool:
    if kind == "Integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "Double":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "Boolean":
        return isinstance(value, bool)
    if not isinstance(value, str):
        return False
    if kind == "S3Uri":
        return _S3_URI.fullmatch(value) is not None
    if kind == "S3Bucket":
        return _S3_BUCKET.fullmatch(value) is not None
    if kind == "IAMRoleArn":
        return _ROLE_ARN.fullmatch(value) is not None
    if kind == "IAMRoleName":
        return _ROLE_NAME.fullmatch(value) is not None
    return True


def _same(left: Any, right: Any) -> bool:
    # Python says True == 1; a Boolean allowed value must not admit the integer 1.
    return isinstance(left, bool) == isinstance(right, bool) and left == right


@dataclass(frozen=True)
class ParameterDefinition:
    """One entry of ``parameterSpec``."""

    name: str
    type: str
    collection: bool = False
    has_default: bool = False
    default: Any = None
    allowed_values: tuple[Any, ...] | None = None
    description: str | None = None

    @property
    def required(self) -> bool:
        return not self.has_default

    def check(self, value: Any) -> str | None:
        """Why ``value`` does not fit this parameter, or None when it does."""
        label = f"blueprint parameter '{self.name}'"
        if self.collection:
            if not isinstance(value, list):
                return f"Invalid value for {label}: expected a list of {self.type}, got {show(value)}"
            for index, item in enumerate(value, start=1):
                problem = self._check_one(item, f"{label} item {index}")
                if problem:
                    return problem
            return None
        return self._check_one(value, label)

    def _check_one(self, value: Any, label: str) -> str | None:
        if not _fits(self.type, value):
            return f"Invalid value for {label}: expected {self.type} ({_TYPE_HINTS[self.type]}), got {show(value)}"
        if self.allowed_values is not None and not any(_same(value, allowed) for allowed in self.allowed_values):
            allowed = ", ".join(show(v) for v in self.allowed_values)
            return f"Invalid value for {label}: {show(value)} is not one of the allowed values [{allowed}]"
        return None


@dataclass(frozen=True)
class ParameterSpec:
    """The parsed ``parameterSpec``, keeping the order the blueprint author wrote."""

    parameters: tuple[ParameterDefinition, ...]
    raw: Mapping[str, Any]

    def get(self, name: str) -> ParameterDefinition | None:
        for parameter in self.parameters:
            if parameter.name == name:
                return parameter
        return None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parameters)

    def to_json(self) -> str:
        """The JSON string GetBlueprint returns as ``ParameterSpec``: compact, author's key order."""
        return json.dumps(self.raw, separators=(",", ":"), ensure_ascii=False)


def parse_parameter_spec(raw: Any) -> ParameterSpec:
    """Check a ``parameterSpec`` value; ``ValueError`` names the offending parameter and property."""
    if not isinstance(raw, dict):
        raise ValueError(f"parameterSpec must be a JSON object of parameter definitions, got {show(raw)}")
    parameters = []
    for name, entry in raw.items():
        where = f"parameterSpec.{name}"
        if not name:
            raise ValueError("parameterSpec has a parameter with an empty name")
        if not isinstance(entry, dict):
            raise ValueError(f"{where} must be a JSON object, got {show(entry)}")
        if "type" not in entry:
            raise ValueError(f"{where} has no type; type is mandatory and one of {', '.join(PARAMETER_TYPES)}")
        kind = entry["type"]
        if kind not in PARAMETER_TYPES:
            raise ValueError(f"{where}.type {show(kind)} is not one of {', '.join(PARAMETER_TYPES)}")
        collection = entry.get("collection", False)
        if not isinstance(collection, bool):
            raise ValueError(f"{where}.collection must be true or false, got {show(collection)}")
        allowed = entry.get("allowedValues")
        if allowed is not None and not isinstance(allowed, list):
            raise ValueError(f"{where}.allowedValues must be a list of values, got {show(allowed)}")
        description = entry.get("description")
        if description is not None and not isinstance(description, str):
            raise ValueError(f"{where}.description must be a string, got {show(description)}")
        parameters.append(
            ParameterDefinition(
                name=name,
                type=kind,
                collection=collection,
                has_default="defaultValue" in entry,
                default=entry.get("defaultValue"),
                allowed_values=tuple(allowed) if allowed is not None else None,
                description=description,
            )
        )
    spec = ParameterSpec(parameters=tuple(parameters), raw=raw)
    if len(spec.to_json()) > MAX_SPEC_CHARS:
        raise ValueError(f"parameterSpec is longer than {MAX_SPEC_CHARS} characters")
    return spec
