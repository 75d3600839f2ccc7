"""Glue column types as a crawler infers them, and how two inferences of one column merge.

The built-in CSV classifier types a column boolean, bigint, double or string; the JSON classifier
int, bigint, double, boolean, string, array<...> and struct<...>; Parquet's own schema gives the
rest (guide, "Built-in classifiers"; Hive types as Athena reads them).
"""

from __future__ import annotations

import re
from typing import Any

_INT = re.compile(r"[+-]?\d+")
_FLOAT = re.compile(r"[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?")
INT32 = 2**31
INT64 = 2**63

# Widening among the numeric types a crawler infers; any other pair of different types is string.
_NUMERIC = ["tinyint", "smallint", "int", "bigint", "float", "double"]


def csv_value_type(value: str) -> str | None:
    """The type of one CSV field; None for an empty field (it types nothing)."""
    text = value.strip()
    if not text:
        return None
    if text.lower() in ("true", "false"):
        return "boolean"
    if _INT.fullmatch(text):
        return "bigint" if -INT64 <= int(text) < INT64 else "string"
    if _FLOAT.fullmatch(text):
        return "double"
    return "string"


def json_value_type(value: Any) -> str | None:
    """The type of one JSON value; None for null (it types nothing)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        if -INT32 <= value < INT32:
            return "int"
        return "bigint" if -INT64 <= value < INT64 else "double"
    if isinstance(value, float):
        return "double"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        element: str | None = None
        for item in value:
            element = merge_types(element, json_value_type(item))
        return f"array<{element or 'string'}>"
    if isinstance(value, dict):
        fields = [f"{column_name(k)}:{json_value_type(v) or 'string'}" for k, v in value.items()]
        return f"struct<{','.join(fields)}>"
    return "string"


def merge_types(first: str | None, second: str | None) -> str | None:
    if first is None or first == second:
        return second
    if second is None:
        return first
    if first in _NUMERIC and second in _NUMERIC:
        return _NUMERIC[max(_NUMERIC.index(first), _NUMERIC.index(second))]
    if first.startswith("struct<") and second.startswith("struct<"):
        return _merge_structs(first, second)
    return "string"


def _split_fields(body: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for index, char in enumerate(body):
        if char == "<":
            depth += 1
        elif char == ">":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(body[start:index])
            start = index + 1
    parts.append(body[start:])
    return [p for p in parts if p]


def _merge_structs(first: str, second: str) -> str:
    fields: dict[str, str | None] = {}
    for struct in (first, second):
        for part in _split_fields(struct[len("struct<") : -1]):
            name, _, type_ = part.partition(":")
            fields[name] = merge_types(fields.get(name), type_)
    return "struct<" + ",".join(f"{name}:{type_ or 'string'}" for name, type_ in fields.items()) + ">"


def column_name(name: str) -> str:
    """Catalog column names are lower case (Hive's metastore rule, which the Data Catalog keeps)."""
    return name.strip().lower()


def arrow_type(arrow: Any) -> str:
    """The Glue type of a pyarrow type, as a crawler reads a Parquet schema."""
    import pyarrow as pa

    types = pa.types
    simple = [
        (types.is_boolean, "boolean"),
        (types.is_int8, "tinyint"),
        (types.is_int16, "smallint"),
        (types.is_int32, "int"),
        (types.is_int64, "bigint"),
        (types.is_uint8, "smallint"),
        (types.is_uint16, "int"),
        (types.is_uint32, "bigint"),
        (types.is_uint64, "bigint"),
        (types.is_float16, "float"),
        (types.is_float32, "float"),
        (types.is_float64, "double"),
        (types.is_date, "date"),
        (types.is_timestamp, "timestamp"),
        (types.is_binary, "binary"),
        (types.is_large_binary, "binary"),
    ]
    for check, name in simple:
        if check(arrow):
            return name
    if types.is_decimal(arrow):
        return f"decimal({arrow.precision},{arrow.scale})"
    if types.is_list(arrow) or types.is_large_list(arrow):
        return f"array<{arrow_type(arrow.value_type)}>"
    if types.is_map(arrow):
        return f"map<{arrow_type(arrow.key_type)},{arrow_type(arrow.item_type)}>"
    if types.is_struct(arrow):
        return "struct<" + ",".join(f"{column_name(f.name)}:{arrow_type(f.type)}" for f in arrow) + ">"
    return "string"
