"""Checks every response a test receives against botocore's output shape.

Two views of each response are checked: the raw JSON on the wire (no member the model does not
name; botocore would silently drop one) and the parsed result (types, enums, required members,
lengths, ranges, patterns, and unions with exactly one member set). ``watch(client)`` hooks both
into a boto3 client so every call it makes is checked.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from botocore.model import OperationModel, Shape

from moto_glue_workflows.protocol.validation import compile_pattern


class ShapeError(AssertionError):
    pass


def _fail(path: str, message: str) -> None:
    raise ShapeError(f"{path or '<root>'}: {message}")


def _size(shape: Shape, value: Any, path: str) -> None:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low is not None and len(value) < low and not (shape.type_name in ("list", "map") and not value):
        # An empty list or map is how AWS answers "none" (ListWorkflows of an empty account: {"Workflows": []}),
        # whatever the model's min says: a min on a collection constrains requests.
        _fail(path, f"length {len(value)} below min {low}")
    if high is not None and len(value) > high:
        _fail(path, f"length {len(value)} above max {high}")


def check_value(shape: Shape, value: Any, path: str = "") -> None:
    """Raise ShapeError where ``value`` (as botocore parses it) does not fit ``shape``."""
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            _fail(path, f"expected a structure, got {type(value).__name__}")
        members = shape.members
        extra = set(value) - set(members) - ({"ResponseMetadata"} if not path else set())
        if extra:
            _fail(path, f"members not in {shape.name}: {sorted(extra)}")
        for name in shape.required_members:
            if value.get(name) is None:
                _fail(path, f"required member {name} missing")
        if shape.metadata.get("union"):
            present = [name for name in members if value.get(name) is not None]
            if len(present) != 1:
                _fail(path, f"union {shape.name} must have exactly one member, has {present}")
        for name, item in value.items():
            if name in members and item is not None:
                check_value(members[name], item, f"{path}.{name}" if path else name)
    elif kind == "list":
        if not isinstance(value, list):
            _fail(path, f"expected a list, got {type(value).__name__}")
        _size(shape, value, path)
        for index, item in enumerate(value):
            check_value(shape.member, item, f"{path}[{index}]")
    elif kind == "map":
        if not isinstance(value, dict):
            _fail(path, f"expected a map, got {type(value).__name__}")
        _size(shape, value, path)
        for key, item in value.items():
            check_value(shape.key, key, f"{path}<key>")
            check_value(shape.value, item, f"{path}[{key}]")
    elif kind == "string":
        if not isinstance(value, str):
            _fail(path, f"expected a string, got {type(value).__name__}: {value!r}")
        _size(shape, value, path)
        if getattr(shape, "enum", None) and value not in shape.enum:
            _fail(path, f"{value!r} not in enum {shape.enum}")
        pattern = shape.metadata.get("pattern")
        if pattern and (regex := compile_pattern(pattern)) is not None and not regex.fullmatch(value):
            _fail(path, f"{value!r} does not match pattern {pattern}")
    elif kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            _fail(path, f"expected an integer, got {value!r}")
        _range(shape, value, path)
    elif kind in ("float", "double"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            _fail(path, f"expected a number, got {value!r}")
        _range(shape, value, path)
    elif kind == "boolean":
        if not isinstance(value, bool):
            _fail(path, f"expected a boolean, got {value!r}")
    elif kind == "timestamp":
        if not isinstance(value, datetime.datetime):
            _fail(path, f"expected a timestamp, got {value!r}")
    elif kind == "blob" and not isinstance(value, (bytes, bytearray)) and not hasattr(value, "read"):
        _fail(path, f"expected a blob, got {value!r}")


def _range(shape: Shape, value: float, path: str) -> None:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low is not None and value < low:
        _fail(path, f"{value} below min {low}")
    if high is not None and value > high:
        _fail(path, f"{value} above max {high}")


def check_wire(shape: Shape, value: Any, path: str = "") -> None:
    """Raise ShapeError where raw JSON names a member the model does not have."""
    if shape.type_name == "structure" and isinstance(value, dict):
        wire = {
            member.serialization.get("name", name): member
            for name, member in shape.members.items()
            if member.serialization.get("location") is None
        }
        extra = set(value) - set(wire)
        if extra:
            _fail(path, f"members on the wire not in {shape.name}: {sorted(extra)}")
        for key, item in value.items():
            check_wire(wire[key], item, f"{path}.{key}" if path else key)
    elif shape.type_name == "list" and isinstance(value, list):
        for index, item in enumerate(value):
            check_wire(shape.member, item, f"{path}[{index}]")
    elif shape.type_name == "map" and isinstance(value, dict):
        for key, item in value.items():
            check_wire(shape.value, item, f"{path}[{key}]")


def check_response(operation: OperationModel, parsed: dict[str, Any]) -> None:
    if operation.output_shape is None:
        extra = set(parsed) - {"ResponseMetadata"}
        if extra:
            raise ShapeError(f"{operation.name} has no output but returned {sorted(extra)}")
        return
    check_value(operation.output_shape, parsed)


class Watcher:
    """Counts and checks the responses of the clients it watches."""

    def __init__(self) -> None:
        self.checked = 0

    def watch(self, client: Any) -> Any:
        client.meta.events.register("before-parse", self._before_parse)
        client.meta.events.register("after-call", self._after_call)
        return client

    def _before_parse(self, operation_model: OperationModel, response_dict: dict[str, Any], **_: Any) -> None:
        if response_dict.get("status_code", 200) >= 300 or operation_model.output_shape is None:
            return
        if operation_model.output_shape.serialization.get("payload"):
            return  # the body is one member (a blob, streamed), not a JSON structure of members
        body = response_dict.get("body") or b""
        if operation_model.metadata["protocol"] in ("json", "rest-json") and body:
            check_wire(operation_model.output_shape, json.loads(body))

    def _after_call(self, http_response: Any, parsed: dict[str, Any], model: OperationModel, **_: Any) -> None:
        if http_response.status_code < 300:
            check_response(model, parsed)
            self.checked += 1
