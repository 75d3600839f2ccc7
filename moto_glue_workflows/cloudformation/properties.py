"""A resource's template properties made into the service request its handler sends.

CloudFormation checks properties against the resource type's schema before any call (a key the type does not
have, a required one missing), and reads scalars by the schema's types: ``"5"`` is 5 for an Integer, 5 is ``"5"``
for a String (a number in a ``DefaultArguments`` map, a parameter's value). The request is then the service's own,
checked as the service checks it (protocol/validation.py), so a bad value gets the service's message.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from botocore.model import Shape

from moto_glue_workflows.cloudformation.failures import InvalidProperties
from moto_glue_workflows.protocol.model_response import operation_model
from moto_glue_workflows.protocol.validation import input_validator


def json_type(value: Any) -> str:
    """A value's type as CloudFormation's schema validator (everit-org/json-schema) names it."""
    kinds: tuple[tuple[type, str], ...] = (
        (bool, "Boolean"),
        (int, "Integer"),
        (float, "Number"),
        (str, "String"),
        (dict, "JSONObject"),
        (list, "JSONArray"),
    )
    return next((name for kind, name in kinds if isinstance(value, kind)), "null")


def wrong_type(path: str, expected: str, value: Any) -> InvalidProperties:
    return InvalidProperties(f"#{path}: expected type: {expected}, found: {json_type(value)}")


def check_keys(
    properties: Mapping[str, Any],
    known: Iterable[str],
    required: Iterable[str],
    objects: Iterable[str] = (),
    arrays: Iterable[str] = (),
) -> None:
    """CloudFormation's schema check of the top level: JSON-schema wording, as its events show it. Scalars are
    read by their type (``coerce``); a property the schema makes an object or an array must be one."""
    known = set(known)
    for key in properties:
        if key not in known:
            raise InvalidProperties(f"#: extraneous key [{key}] is not permitted")
    for key in required:
        if properties.get(key) is None:
            raise InvalidProperties(f"#: required key [{key}] not found")
    for keys, kind, expected in ((objects, dict, "JSONObject"), (arrays, list, "JSONArray")):
        for key in keys:
            value = properties.get(key)
            if value is not None and not isinstance(value, kind):
                raise wrong_type(f"/{key}", expected, value)


def _text(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return value


def _scalar(type_name: str, value: Any) -> Any:
    if not isinstance(value, str):
        return _text(value) if type_name == "string" else value
    try:
        if type_name in ("integer", "long"):
            return int(value)
        if type_name in ("float", "double"):
            return float(value)
    except ValueError:
        return value  # the service's check names it
    if type_name == "boolean" and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value


def coerce(shape: Shape, value: Any) -> Any:
    """``value`` with its scalars read as ``shape`` types them."""
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        members = shape.members
        return {key: coerce(members[key], item) if key in members else item for key, item in value.items()}
    if kind == "list" and isinstance(value, list):
        return [coerce(shape.member, item) for item in value]
    if kind == "map" and isinstance(value, dict):
        return {str(key): coerce(shape.value, item) for key, item in value.items()}
    return _scalar(kind, value)


def service_request(service: str, operation: str, request: dict[str, Any]) -> dict[str, Any]:
    """``request`` (members present only) as ``operation`` of ``service`` takes it; ``InvalidParameter`` (its str
    is the service's validation message) where the service's model refuses it."""
    model = operation_model(service, operation)
    present = {key: value for key, value in request.items() if value is not None}
    checked: dict[str, Any] = coerce(model.input_shape, present)
    input_validator(model)(checked, "")
    return checked


def tag_map(tags: Any) -> dict[str, str] | None:
    """Tags as a map: Glue's types take a JSON map, DataZone's a list of ``{Key, Value}``."""
    if tags is None:
        return None
    if isinstance(tags, list):
        for index, tag in enumerate(tags):
            if not isinstance(tag, dict):
                raise wrong_type(f"/Tags/{index}", "JSONObject", tag)
        return {str(tag.get("Key")): str(_text(tag.get("Value"))) for tag in tags}
    if isinstance(tags, dict):
        return {str(key): str(_text(value)) for key, value in tags.items()}
    raise wrong_type("/Tags", "JSONObject", tags)
