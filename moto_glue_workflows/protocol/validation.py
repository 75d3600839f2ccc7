"""Request validation driven by botocore's model: required members, types, lengths, patterns,
enums, ranges, list and map sizes, and unions with exactly one member.

botocore checks only some of these on the client and other SDKs check none, so every operation
we serve runs its input through here. Validators are compiled once per shape and cached: this
runs inside every request of every test.

Refusals read as AWS's request validation writes them (quoted from real answers):

- ``1 validation error detected: Value 'big_value' at 'expression' failed to satisfy constraint:
  Member must have length less than or equal to 255`` (Glue GetTables, boto/boto3#3229);
- several violations are counted and joined with ``"; "``: ``2 validation errors detected: Value ''
  at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern:
  [a-zA-Z0-9_.-]+; Value '' at 'tableName' failed to satisfy constraint: Member must have length
  greater than or equal to 3`` — one entry per broken constraint, the pattern first;
- a missing member is ``Value null at 'clientName' failed to satisfy constraint: Member must not be
  null`` (no quotes around null); sensitive members are shown as ``Value at 'password'``;
- paths use the members' names with a lower-case first letter, and items of a list of structures
  as ``.N.member.``: ``Value 'BOGUS' at 'thingIndexingConfiguration.filter.geoLocations.1.member.order'``;
- items of a list of scalars are reported once, on the list, with every constraint of the item:
  ``Value '[GET, POST, OPTIONS]' at 'cors.allowMethods' failed to satisfy constraint: Member must
  satisfy constraint: [Member must have length less than or equal to 6, ...]`` (Lambda), and map
  keys and values as ``Map keys must satisfy constraint: [...]`` / ``Map value must satisfy
  constraint: [...]`` (EventBridge, DynamoDB), values shown as Java prints them (``[a, b]``,
  ``{k=v}``).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from functools import cache
from typing import Any, NamedTuple

from botocore.model import ListShape, MapShape, OperationModel, Shape, StructureShape

from moto_glue_workflows.protocol.shape_compiler import PerModel, ShapeCompiler


class Violation(NamedTuple):
    path: str
    shown: str  # the value as AWS shows it: "'text'", "null", or "" for a sensitive member
    constraint: str

    def __str__(self) -> str:
        value = f" {self.shown}" if self.shown else ""
        return f"Value{value} at '{self.path}' failed to satisfy constraint: {self.constraint}"


def validation_message(violations: list[Violation]) -> str:
    count = len(violations)
    noun = "error" if count == 1 else "errors"
    return f"{count} validation {noun} detected: " + "; ".join(str(v) for v in violations)


class InvalidParameter(Exception):
    """Values the model does not allow; ``str()`` is AWS's validation message."""

    def __init__(self, path: str, value: Any, constraint: str, *, sensitive: bool = False) -> None:
        self.violations = [Violation(path, "" if sensitive and value is not None else show(value), constraint)]
        super().__init__(validation_message(self.violations))

    @classmethod
    def of(cls, violations: list[Violation]) -> InvalidParameter:
        error = cls.__new__(cls)
        error.violations = list(violations)
        Exception.__init__(error, validation_message(error.violations))
        return error

    @property
    def path(self) -> str:
        return self.violations[0].path

    @property
    def constraint(self) -> str:
        return self.violations[0].constraint


# Longer values are cut here (AWS echoes whole values; a 131,072-character one helps nobody).
_SHOWN_LIMIT = 1024


def java_text(value: Any) -> str:
    """A value as Java's toString prints it, which is what AWS's messages echo."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(java_text(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{java_text(k)}={java_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (bytes, bytearray)):
        return value.decode("utf-8", "replace")
    return str(value)


def show(value: Any) -> str:
    if value is None:
        return "null"
    try:
        text = java_text(value)
    except RecursionError:  # a value nested deeper than Python recurses
        text = "..."
    if len(text) > _SHOWN_LIMIT:
        text = text[: _SHOWN_LIMIT - 3] + "..."
    return f"'{text}'"


def aws_member(name: str) -> str:
    """A member's name as AWS's validation messages spell it: ``LogicalOperator`` -> ``logicalOperator``."""
    return name[:1].lower() + name[1:]


def _join(path: str, member: str) -> str:
    name = aws_member(member)
    return f"{path}.{name}" if path else name


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


# A compiled check appends what is wrong with a value at a path.
Check = Callable[[Any, str, list[Violation]], None]


class _Scalar(NamedTuple):
    """A scalar shape's check, plus the constraints AWS lists when the scalar is a list item or map entry."""

    check: Check
    rules: tuple[str, ...]  # every constraint of the shape, in the order AWS lists them in "[...]"
    broken: Callable[[Any], bool]  # whether a value breaks any of them (or has the wrong type)


def _shown(shape: Shape, value: Any) -> str:
    return "" if shape.metadata.get("sensitive") else show(value)


def _string_rules(shape: Shape) -> _Scalar:
    meta = shape.metadata
    low, high = meta.get("min"), meta.get("max")
    enum = list(shape.enum) if getattr(shape, "enum", None) else None
    allowed = frozenset(enum) if enum else None
    pattern = meta.get("pattern")
    regex = compile_pattern(pattern) if pattern else None
    enum_rule = f"Member must satisfy enum value set: [{', '.join(enum)}]" if enum else ""
    pattern_rule = f"Member must satisfy regular expression pattern: {pattern}" if regex is not None else ""
    low_rule = f"Member must have length greater than or equal to {low}" if low is not None else ""
    high_rule = f"Member must have length less than or equal to {high}" if high is not None else ""

    def failures(value: str) -> list[str]:
        found = []
        if allowed is not None and value not in allowed:
            found.append(enum_rule)
        if regex is not None and regex.fullmatch(value) is None:
            found.append(pattern_rule)
        if low is not None and len(value) < low:
            found.append(low_rule)
        if high is not None and len(value) > high:
            found.append(high_rule)
        return found

    def check(value: Any, path: str, out: list[Violation]) -> None:
        if not isinstance(value, str):
            out.append(Violation(path, _shown(shape, value), "Member must be a string"))
            return
        shown = _shown(shape, value)
        out.extend(Violation(path, shown, rule) for rule in failures(value))

    rules = tuple(rule for rule in (high_rule, low_rule, pattern_rule, enum_rule) if rule)
    return _Scalar(check, rules, lambda value: not isinstance(value, str) or bool(failures(value)))


def _number_rules(shape: Shape, integral: bool) -> _Scalar:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    kinds: tuple[type, ...] = (int,) if integral else (int, float)
    word = "an integer" if integral else "a number"
    low_rule = f"Member must have value greater than or equal to {low}" if low is not None else ""
    high_rule = f"Member must have value less than or equal to {high}" if high is not None else ""

    def wrong_type(value: Any) -> bool:
        return isinstance(value, bool) or not isinstance(value, kinds)

    def failures(value: Any) -> list[str]:
        found = []
        if low is not None and value < low:
            found.append(low_rule)
        if high is not None and value > high:
            found.append(high_rule)
        return found

    def check(value: Any, path: str, out: list[Violation]) -> None:
        if wrong_type(value):
            out.append(Violation(path, _shown(shape, value), f"Member must be {word}"))
            return
        shown = _shown(shape, value)
        out.extend(Violation(path, shown, rule) for rule in failures(value))

    rules = tuple(rule for rule in (high_rule, low_rule) if rule)
    return _Scalar(check, rules, lambda value: wrong_type(value) or bool(failures(value)))


def _typed(kind: Callable[[Any], bool], constraint: str) -> _Scalar:
    def check(value: Any, path: str, out: list[Violation]) -> None:
        if not kind(value):
            out.append(Violation(path, show(value), constraint))

    return _Scalar(check, (), lambda value: not kind(value))


_BOOLEAN = _typed(lambda v: isinstance(v, bool), "Member must be a boolean")
_TIMESTAMP = _typed(
    lambda v: not isinstance(v, bool) and isinstance(v, (datetime.datetime, int, float, str)),
    "Member must be a timestamp",
)
_BLOB = _typed(lambda v: isinstance(v, (bytes, bytearray, str)), "Member must be a blob")
_ANYTHING = _Scalar(lambda value, path, out: None, (), lambda value: False)


def _scalar(shape: Shape) -> _Scalar | None:
    kind = shape.type_name
    if kind == "string":
        return _string_rules(shape)
    if kind in ("integer", "long"):
        return _number_rules(shape, integral=True)
    if kind in ("float", "double"):
        return _number_rules(shape, integral=False)
    if kind == "boolean":
        return _BOOLEAN
    if kind == "timestamp":
        return _TIMESTAMP
    if kind == "blob":
        return _BLOB
    if kind in ("structure", "list", "map"):
        return None
    return _ANYTHING


def _size_violations(shape: Shape, value: Any, path: str, out: list[Violation]) -> None:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low is not None and len(value) < low:
        out.append(Violation(path, show(value), f"Member must have length greater than or equal to {low}"))
    if high is not None and len(value) > high:
        out.append(Violation(path, show(value), f"Member must have length less than or equal to {high}"))


def _items_constraint(scalar: _Scalar, items: list[Any]) -> str:
    """AWS's "[...]" of an item shape's constraints when some item breaks one, else ""."""
    if not any(item is None or scalar.broken(item) for item in items):
        return ""
    rules = list(scalar.rules)
    if any(item is None for item in items):
        rules.append("Member must not be null")
    if not rules:  # only a wrong type: say which type
        wrong = next(item for item in items if item is not None and scalar.broken(item))
        found: list[Violation] = []
        scalar.check(wrong, "", found)
        rules = [v.constraint for v in found]
    return "[" + ", ".join(rules) + "]"


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
        scalar = _scalar(shape)
        assert scalar is not None
        return scalar.check

    def _structure(self, shape: StructureShape) -> Check:
        if shape.is_document_type:
            return _ANYTHING.check
        members = {name: self.compile(member) for name, member in shape.members.items()}
        required = frozenset(shape.required_members)
        is_union = bool(shape.metadata.get("union"))

        def check(value: Any, path: str, out: list[Violation]) -> None:
            if not isinstance(value, dict):
                out.append(Violation(path or shape.name, show(value), "Member must be a structure"))
                return
            # In the model's member order, as AWS reports them.
            for name, member_check in members.items():
                item = value.get(name)
                if item is None:
                    if name in required:
                        out.append(Violation(_join(path, name), "null", "Member must not be null"))
                    continue
                member_check(item, _join(path, name), out)
            if is_union:
                present = [k for k, v in value.items() if v is not None]
                if len(present) != 1:
                    out.append(Violation(path or shape.name, show(value), "Member must have exactly one member set"))
                elif present[0] not in members:
                    constraint = f"Member must be one of: {', '.join(members)}"
                    out.append(Violation(_join(path, present[0]), show(value[present[0]]), constraint))

        return check

    def _list(self, shape: ListShape) -> Check:
        scalar = _scalar(shape.member)
        if scalar is not None:
            return self._scalar_list(shape, scalar)
        item_check = self.compile(shape.member)

        def check(value: Any, path: str, out: list[Violation]) -> None:
            if not isinstance(value, list):
                out.append(Violation(path, show(value), "Member must be a list"))
                return
            _size_violations(shape, value, path, out)
            for index, item in enumerate(value, start=1):
                item_path = f"{path}.{index}.member"
                if item is None:
                    out.append(Violation(item_path, "null", "Member must not be null"))
                else:
                    item_check(item, item_path, out)

        return check

    @staticmethod
    def _scalar_list(shape: ListShape, scalar: _Scalar) -> Check:
        def check(value: Any, path: str, out: list[Violation]) -> None:
            if not isinstance(value, list):
                out.append(Violation(path, show(value), "Member must be a list"))
                return
            _size_violations(shape, value, path, out)
            constraint = _items_constraint(scalar, value)
            if constraint:
                out.append(Violation(path, show(value), f"Member must satisfy constraint: {constraint}"))

        return check

    def _map(self, shape: MapShape) -> Check:
        key = _scalar(shape.key) or _ANYTHING
        value_scalar = _scalar(shape.value)
        value_check = None if value_scalar is not None else self.compile(shape.value)

        def check(value: Any, path: str, out: list[Violation]) -> None:
            if not isinstance(value, dict):
                out.append(Violation(path, show(value), "Member must be a map"))
                return
            _size_violations(shape, value, path, out)
            constraint = _items_constraint(key, list(value))
            if constraint:
                out.append(Violation(path, show(value), f"Map keys must satisfy constraint: {constraint}"))
            if value_scalar is not None:
                constraint = _items_constraint(value_scalar, list(value.values()))
                if constraint:
                    out.append(Violation(path, show(value), f"Map value must satisfy constraint: {constraint}"))
                return
            assert value_check is not None
            for k, v in value.items():
                if v is None:
                    out.append(Violation(f"{path}.{k}", "null", "Member must not be null"))
                else:
                    value_check(v, f"{path}.{k}", out)

        return check


_validators: PerModel[Check] = PerModel(_Compiler)

Validator = Callable[[Any, str], None]


def _raising(check: Check) -> Validator:
    def validate(value: Any, path: str) -> None:
        out: list[Violation] = []
        try:
            check(value, path, out)
        except RecursionError:  # a value nested deeper than Python recurses: refused, never a 500
            out.append(Violation(path or "request", "", "Member must not be nested this deeply"))
        if out:
            raise InvalidParameter.of(out)

    return validate


def shape_validator(shape: Shape) -> Validator:
    """A function that raises :class:`InvalidParameter` (with every violation) when a value does not fit ``shape``."""
    return _raising(_validators(shape))


@cache
def input_validator(operation: OperationModel) -> Validator:
    """Validator for an operation's whole input; operations without input accept anything."""
    if operation.input_shape is None:
        return lambda value, path: None
    return shape_validator(operation.input_shape)
