"""Request validation driven by botocore's model: required members, types, lengths, patterns,
enums, ranges, list and map sizes, and unions with exactly one member.

botocore checks only some of these on the client and other SDKs check none, so every operation
we serve runs its input through here. Validators are compiled once per shape and cached: this
runs inside every request of every test.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from functools import cache
from typing import Any

from botocore.model import ListShape, MapShape, OperationModel, Shape, StructureShape

from moto_glue_workflows.protocol.shape_compiler import PerModel, ShapeCompiler

Check = Callable[[Any, str], None]


class InvalidParameter(Exception):
    """A value the model does not allow; ``str()`` is AWS's validation message."""

    def __init__(self, path: str, value: Any, constraint: str) -> None:
        self.path = path
        self.constraint = constraint
        shown = _show(value)
        super().__init__(
            f"1 validation error detected: Value {shown} at '{path}' failed to satisfy constraint: {constraint}"
        )


def _show(value: Any) -> str:
    if value is None:
        return "null"
    text = value if isinstance(value, str) else repr(value)
    if len(text) > 64:
        text = text[:61] + "..."
    return f"'{text}'"


def _join(path: str, member: str) -> str:
    return f"{path}.{member}" if path else member


_SURROGATE_PAIR = re.compile(r"\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})", re.IGNORECASE)


def _code_point(match: re.Match[str]) -> str:
    high, low = int(match.group(1), 16), int(match.group(2), 16)
    return f"\\U{0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00):08x}"


@cache
def compile_pattern(pattern: str) -> re.Pattern[str] | None:
    """The model's pattern as a Python regex matched against the whole value.

    Models write characters beyond the BMP as UTF-16 surrogate pairs (Java's view of strings);
    Python strings hold code points, so pairs become code points first. ``\\d``, ``\\w`` and ``\\s``
    match ASCII only, as in Java's regexes (Python's would take any Unicode digit or letter).
    """
    try:
        return re.compile(_SURROGATE_PAIR.sub(_code_point, pattern), re.DOTALL | re.ASCII)
    except re.error:
        # ECMA-only syntax (\p{...} and the like): leave that pattern to the service.
        return None


def _string_check(shape: Shape) -> Check:
    meta = shape.metadata
    low, high = meta.get("min"), meta.get("max")
    enum = frozenset(shape.enum) if getattr(shape, "enum", None) else None
    regex = compile_pattern(meta["pattern"]) if "pattern" in meta else None

    def check(value: Any, path: str) -> None:
        if not isinstance(value, str):
            raise InvalidParameter(path, value, "Member must be a string")
        if low is not None and len(value) < low:
            raise InvalidParameter(path, value, f"Member must have length greater than or equal to {low}")
        if high is not None and len(value) > high:
            raise InvalidParameter(path, value, f"Member must have length less than or equal to {high}")
        if enum is not None and value not in enum:
            raise InvalidParameter(path, value, f"Member must satisfy enum value set: [{', '.join(sorted(enum))}]")
        if regex is not None and regex.fullmatch(value) is None:
            raise InvalidParameter(path, value, f"Member must satisfy regular expression pattern: {regex.pattern}")

    return check


def _number_check(shape: Shape, integral: bool) -> Check:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    kinds: tuple[type, ...] = (int,) if integral else (int, float)
    word = "an integer" if integral else "a number"

    def check(value: Any, path: str) -> None:
        if isinstance(value, bool) or not isinstance(value, kinds):
            raise InvalidParameter(path, value, f"Member must be {word}")
        if low is not None and value < low:
            raise InvalidParameter(path, value, f"Member must have value greater than or equal to {low}")
        if high is not None and value > high:
            raise InvalidParameter(path, value, f"Member must have value less than or equal to {high}")

    return check


def _boolean_check(value: Any, path: str) -> None:
    if not isinstance(value, bool):
        raise InvalidParameter(path, value, "Member must be a boolean")


def _timestamp_check(value: Any, path: str) -> None:
    if isinstance(value, bool) or not isinstance(value, (datetime.datetime, int, float, str)):
        raise InvalidParameter(path, value, "Member must be a timestamp")


def _blob_check(value: Any, path: str) -> None:
    if not isinstance(value, (bytes, bytearray, str)):
        raise InvalidParameter(path, value, "Member must be a blob")


def _size_check(shape: Shape, value: Any, path: str) -> None:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low is not None and len(value) < low:
        raise InvalidParameter(path, value, f"Member must have length greater than or equal to {low}")
    if high is not None and len(value) > high:
        raise InvalidParameter(path, value, f"Member must have length less than or equal to {high}")


class _Compiler(ShapeCompiler[Check]):
    def build(self, shape: Shape) -> Check:
        kind = shape.type_name
        if kind == "structure":
            assert isinstance(shape, StructureShape)
            return self._structure(shape)
        if kind == "list":
            assert isinstance(shape, ListShape)
            return self._list(shape)
        if kind == "map":
            assert isinstance(shape, MapShape)
            return self._map(shape)
        if kind == "string":
            return _string_check(shape)
        if kind in ("integer", "long"):
            return _number_check(shape, integral=True)
        if kind in ("float", "double"):
            return _number_check(shape, integral=False)
        if kind == "boolean":
            return _boolean_check
        if kind == "timestamp":
            return _timestamp_check
        if kind == "blob":
            return _blob_check
        return lambda value, path: None

    def _structure(self, shape: StructureShape) -> Check:
        members = {name: self.compile(member) for name, member in shape.members.items()}
        required = tuple(shape.required_members)
        is_union = bool(shape.metadata.get("union"))

        def check(value: Any, path: str) -> None:
            if not isinstance(value, dict):
                raise InvalidParameter(path or shape.name, value, "Member must be a structure")
            for name in required:
                if value.get(name) is None:
                    raise InvalidParameter(_join(path, name), None, "Member must not be null")
            for name, item in value.items():
                member_check = members.get(name)
                if member_check is not None and item is not None:
                    member_check(item, _join(path, name))
            if is_union:
                present = sorted(k for k, v in value.items() if v is not None)
                if len(present) != 1:
                    raise InvalidParameter(path or shape.name, present, "Member must have exactly one member set")
                if present[0] not in members:
                    raise InvalidParameter(
                        _join(path, present[0]), value[present[0]], f"Member must be one of: {', '.join(members)}"
                    )

        return check

    def _list(self, shape: ListShape) -> Check:
        item_check = self.compile(shape.member)

        def check(value: Any, path: str) -> None:
            if not isinstance(value, list):
                raise InvalidParameter(path, value, "Member must be a list")
            _size_check(shape, value, path)
            for index, item in enumerate(value):
                if item is None:
                    raise InvalidParameter(f"{path}.{index + 1}", None, "Member must not be null")
                item_check(item, f"{path}.{index + 1}")

        return check

    def _map(self, shape: MapShape) -> Check:
        key_check = self.compile(shape.key)
        value_check = self.compile(shape.value)

        def check(value: Any, path: str) -> None:
            if not isinstance(value, dict):
                raise InvalidParameter(path, value, "Member must be a map")
            _size_check(shape, value, path)
            for key, item in value.items():
                key_check(key, f"{path}.key")
                if item is None:
                    raise InvalidParameter(f"{path}.{key}", None, "Member must not be null")
                value_check(item, f"{path}.{key}")

        return check


_validators: PerModel[Check] = PerModel(_Compiler)


def shape_validator(shape: Shape) -> Check:
    """A function that raises :class:`InvalidParameter` when a value does not fit ``shape``."""
    return _validators(shape)


@cache
def input_validator(operation: OperationModel) -> Check:
    """Validator for an operation's whole input; operations without input accept anything."""
    if operation.input_shape is None:
        return lambda value, path: None
    return shape_validator(operation.input_shape)
