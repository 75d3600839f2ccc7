"""The built-in classifiers a crawl uses on each object: CSV (with header detection), JSON, Parquet.

Following the guide's "Built-in classifiers" page: a CSV file is delimited by comma, pipe, tab,
semicolon or Ctrl-A and has at least two columns and two rows; its first row is a header when every
field of it is a STRING, each (but the last) is shorter than 150 characters and a valid column name,
and the rows below differ from it (at least one of their columns is not STRING). Without a header the
columns are ``col0``, ``col1``, ... JSON is one object per line (or one document); Parquet is read
from its footer (pyarrow, the ``parquet`` extra). Gzip-compressed objects are read decompressed.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from dataclasses import dataclass, field
from typing import Any

from moto_glue_workflows.crawlers.glue_types import (
    arrow_type,
    column_name,
    csv_value_type,
    json_value_type,
    merge_types,
)

CSV_DELIMITERS = (",", "|", "\t", ";", "\x01")
_COLUMN_NAME = re.compile(r"[^\x00-\x1f\x7f]{1,255}")  # Glue's name rule: no control characters
_SAMPLE_ROWS = 1000

TEXT_INPUT = "org.apache.hadoop.mapred.TextInputFormat"
TEXT_OUTPUT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
PARQUET_INPUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
PARQUET_OUTPUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"


class ParquetUnavailable(Exception):
    """A Parquet object was found but pyarrow is not installed."""


@dataclass
class FileSchema:
    """What a classifier found in one object."""

    classification: str
    columns: list[tuple[str, str]]
    records: int
    input_format: str
    output_format: str
    serde: str
    serde_parameters: dict[str, str] = field(default_factory=dict)
    parameters: dict[str, str] = field(default_factory=dict)  # table properties the format adds
    compression: str = "none"

    def compatible_with(self, other: FileSchema) -> bool:
        """Same format, and column names at least 70% alike (the crawler's similarity rule)."""
        if (self.classification, self.serde, self.compression, self.parameters.get("delimiter")) != (
            other.classification,
            other.serde,
            other.compression,
            other.parameters.get("delimiter"),
        ):
            return False
        mine, theirs = {n for n, _ in self.columns}, {n for n, _ in other.columns}
        union = mine | theirs
        return not union or len(mine & theirs) / len(union) >= 0.7


def classify(data: bytes) -> FileSchema | None:
    """The schema of one object, or None when no built-in classifier recognises it."""
    compression = "none"
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError):
            return None
        compression = "gzip"
    if data[:4] == b"PAR1" and data[-4:] == b"PAR1":
        return _parquet(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    found = _json(text) or _csv(text)
    if found is not None:
        found.compression = compression
    return found


def _parquet(data: bytes) -> FileSchema:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise ParquetUnavailable("Crawling Parquet needs pyarrow: pip install 'moto-glue-workflows[parquet]'") from None
    parquet = pq.ParquetFile(io.BytesIO(data))
    schema = parquet.schema_arrow
    columns = [(column_name(f.name), arrow_type(f.type)) for f in schema]
    return FileSchema(
        "parquet",
        columns,
        parquet.metadata.num_rows,
        PARQUET_INPUT,
        PARQUET_OUTPUT,
        "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
        {"serialization.format": "1"},
    )


def _json(text: str) -> FileSchema | None:
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return None
    records: list[dict[str, Any]] = []
    try:
        for line in lines:
            value = json.loads(line)
            if not isinstance(value, dict):
                return None
            records.append(value)
    except ValueError:
        try:  # one JSON document over several lines
            value = json.loads(text)
        except ValueError:
            return None
        if not isinstance(value, dict):
            return None
        records = [value]
    types: dict[str, str | None] = {}
    for record in records:
        for key, item in record.items():
            name = column_name(key)
            types[name] = merge_types(types.get(name), json_value_type(item))
    return FileSchema(
        "json",
        [(name, type_ or "string") for name, type_ in types.items()],
        len(records),
        TEXT_INPUT,
        TEXT_OUTPUT,
        "org.openx.data.jsonserde.JsonSerDe",
        {"paths": ",".join(types)},
    )


def _csv_rows(text: str, delimiter: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    return [row for row in reader if row]


def _csv(text: str) -> FileSchema | None:
    for delimiter in CSV_DELIMITERS:
        rows = _csv_rows(text, delimiter)
        if len(rows) < 2 or len(rows[0]) < 2 or any(len(row) != len(rows[0]) for row in rows[:_SAMPLE_ROWS]):
            continue
        return _csv_schema(rows, delimiter, quoted='"' in text)
    return None


def _is_header(first: list[str], data: list[list[str]]) -> bool:
    if any(csv_value_type(value) not in ("string", None) for value in first):
        return False
    if any(len(value) >= 150 for value in first[:-1]) or not all(_COLUMN_NAME.fullmatch(v.strip()) for v in first):
        return False
    return any(csv_value_type(value) not in ("string", None) for row in data for value in row)


def _csv_schema(rows: list[list[str]], delimiter: str, quoted: bool) -> FileSchema:
    header = _is_header(rows[0], rows[1:_SAMPLE_ROWS])
    data = rows[1:] if header else rows
    width = len(rows[0])
    names = [column_name(v) for v in rows[0]] if header else [f"col{i}" for i in range(width)]
    types: list[str | None] = [None] * width
    for row in data[:_SAMPLE_ROWS]:
        for index, value in enumerate(row):
            types[index] = merge_types(types[index], csv_value_type(value))
    parameters = {"delimiter": delimiter, "areColumnsQuoted": str(quoted).lower(), "columnsOrdered": "true"}
    if header:
        parameters["skip.header.line.count"] = "1"
    if quoted:
        serde = "org.apache.hadoop.hive.serde2.OpenCSVSerde"
        serde_parameters = {"separatorChar": delimiter, "quoteChar": '"'}
    else:
        serde = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"
        serde_parameters = {"field.delim": delimiter}
    return FileSchema(
        "csv",
        [(name, type_ or "string") for name, type_ in zip(names, types, strict=True)],
        len(data),
        TEXT_INPUT,
        TEXT_OUTPUT,
        serde,
        serde_parameters,
        parameters,
    )
