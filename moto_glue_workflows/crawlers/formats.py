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
import io
import json
import re
import zlib
from collections.abc import Callable, Iterable
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
#: How much of an object the classifiers read (after decompressing): all of it up to 64 MiB, so the tables of
#: ordinary test data are exact; of a larger object its first 64 MiB, cut at a line's end, from which its
#: recordCount is estimated. A gzip object is decompressed no further, so a small archive of gigabytes costs
#: 64 MiB, not gigabytes.
SAMPLE_BYTES = 64 << 20
#: The deepest nesting a JSON record or a Parquet schema may have; deeper is not a schema a table can hold.
MAX_NESTING = 100
#: The longest field a CSV row may have (the csv module's own limit).
MAX_CSV_FIELD = csv.field_size_limit()

TEXT_INPUT = "org.apache.hadoop.mapred.TextInputFormat"
TEXT_OUTPUT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
PARQUET_INPUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
PARQUET_OUTPUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"


class ParquetUnavailable(Exception):
    """A Parquet object was found but pyarrow is not installed."""


class UnreadableFile(Exception):
    """An object in a format the classifiers know that cannot be read as that format; says why."""


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


def _gunzip(data: bytes) -> tuple[bytes, float]:
    """Up to SAMPLE_BYTES (and one more) of a gzip object, every member of it in turn, and the share of the
    object they came from (1.0 when it was decompressed whole)."""
    out: list[bytes] = []
    produced = 0
    rest = data
    while rest and produced <= SAMPLE_BYTES:
        inflater = zlib.decompressobj(wbits=31)
        try:
            chunk = inflater.decompress(rest, SAMPLE_BYTES + 1 - produced)
        except zlib.error as error:
            raise UnreadableFile(f"it is not valid gzip ({error})") from None
        out.append(chunk)
        produced += len(chunk)
        if not inflater.eof:  # stopped at the limit (or the archive is cut short)
            if inflater.unconsumed_tail or produced > SAMPLE_BYTES:
                consumed = len(data) - len(inflater.unconsumed_tail)
                return b"".join(out), consumed / len(data)
            raise UnreadableFile("it is not valid gzip (the archive ends early)")
        rest = inflater.unused_data  # the next member, if any
        if rest and rest[:2] != b"\x1f\x8b":
            break  # trailing bytes that are not another member: gzip ignores them too
    return b"".join(out), 1.0


def _text_sample(data: bytes) -> tuple[bytes, float]:
    """``data``, or when it is longer than SAMPLE_BYTES its beginning cut after the last whole line, and the
    share of ``data`` that is; UnreadableFile when a line is longer than SAMPLE_BYTES (no record is)."""
    if len(data) <= SAMPLE_BYTES:
        return data, 1.0
    cut = data.rfind(b"\n", 0, SAMPLE_BYTES)
    if cut < 0:
        raise UnreadableFile(f"a line is longer than {SAMPLE_BYTES} bytes")
    sample = data[: cut + 1]
    return sample, len(sample) / len(data)


def classify(data: bytes) -> FileSchema | None:
    """The schema of one object, or None when no built-in classifier recognises it; UnreadableFile when
    it is in a format they know but cannot be read as that format."""
    compression = "none"
    share = 1.0
    if data[:2] == b"\x1f\x8b":
        data, share = _gunzip(data)
        compression = "gzip"
    if data[:4] == b"PAR1":
        if share < 1.0:
            raise UnreadableFile(f"it is gzip-compressed Parquet of more than {SAMPLE_BYTES} bytes")
        if data[-4:] == b"PAR1":
            return _parquet(data)  # compressionType stays "none": Parquet compresses its own pages
    sample, sampled = _text_sample(data)
    share *= sampled
    try:
        text = sample.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    found = _json(text) or _csv(text)
    if found is not None:
        found.compression = compression
        if share < 1.0 and share > 0:  # the records of the whole object, estimated from the part read
            found.records = round(found.records / share)
    return found


def _depth(root: Any, children: Callable[[Any], Iterable[Any]]) -> int:
    """How deep ``root`` nests (1 with no children), walked without recursion and no further than one level
    past MAX_NESTING."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(root, 1)]
    while stack and deepest <= MAX_NESTING:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children(item))
    return deepest


def _json_children(value: Any) -> Iterable[Any]:
    if isinstance(value, dict):
        return value.values()
    return value if isinstance(value, list) else ()


def _arrow_children(arrow: Any) -> Iterable[Any]:
    return (arrow.field(index).type for index in range(getattr(arrow, "num_fields", 0)))


def _parquet(data: bytes) -> FileSchema:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise ParquetUnavailable("Crawling Parquet needs pyarrow: pip install 'moto-glue-workflows[parquet]'") from None
    try:
        parquet = pq.ParquetFile(io.BytesIO(data))
        schema = parquet.schema_arrow
        rows = parquet.metadata.num_rows
    except Exception as error:  # pyarrow's ArrowInvalid, OSError and others for a file that is not Parquet
        raise UnreadableFile(f"it is not a readable Parquet file ({type(error).__name__}: {_short(error)})") from None
    if any(_depth(f.type, _arrow_children) > MAX_NESTING for f in schema):
        raise UnreadableFile(f"its Parquet schema nests deeper than {MAX_NESTING} levels")
    columns = [(column_name(f.name), arrow_type(f.type)) for f in schema]
    return FileSchema(
        "parquet",
        columns,
        rows,
        PARQUET_INPUT,
        PARQUET_OUTPUT,
        "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
        {"serialization.format": "1"},
    )


def _short(error: Exception) -> str:
    text = str(error)
    return text if len(text) <= 200 else text[:200] + "..."


def _json(text: str) -> FileSchema | None:
    """JSON lines (typed record by record, none kept), or else one document over several lines."""
    types: dict[str, str | None] = {}
    records = 0

    def take(record: dict[str, Any]) -> None:
        if _depth(record, _json_children) > MAX_NESTING:
            raise UnreadableFile(f"its JSON nests deeper than {MAX_NESTING} levels")
        for key, item in record.items():
            name = column_name(key)
            types[name] = merge_types(types.get(name), json_value_type(item))

    try:
        for line in text.splitlines():
            if not line.strip():
                continue
            value = json.loads(line)
            if not isinstance(value, dict):
                return None
            take(value)
            records += 1
    except RecursionError:
        raise UnreadableFile(f"its JSON nests deeper than {MAX_NESTING} levels") from None
    except ValueError:
        types.clear()
        try:  # one JSON document over several lines
            value = json.loads(text)
        except RecursionError:
            raise UnreadableFile(f"its JSON nests deeper than {MAX_NESTING} levels") from None
        except ValueError:
            return None
        if not isinstance(value, dict):
            return None
        take(value)
        records = 1
    if not records:
        return None
    return FileSchema(
        "json",
        [(name, type_ or "string") for name, type_ in types.items()],
        records,
        TEXT_INPUT,
        TEXT_OUTPUT,
        "org.openx.data.jsonserde.JsonSerDe",
        {"paths": ",".join(types)},
    )


def _csv_rows(text: str, delimiter: str) -> tuple[list[list[str]], int]:
    """The first _SAMPLE_ROWS + 1 non-empty rows, and how many non-empty rows there are (none kept beyond)."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    sample: list[list[str]] = []
    count = 0
    try:
        for row in reader:
            if not row:
                continue
            count += 1
            if len(sample) <= _SAMPLE_ROWS:
                sample.append(row)
    except csv.Error as error:  # a field over the csv module's limit, among others
        raise UnreadableFile(f"a CSV field cannot be read ({error}; the limit is {MAX_CSV_FIELD} characters)") from None
    return sample, count


def _csv(text: str) -> FileSchema | None:
    for delimiter in CSV_DELIMITERS:
        rows, count = _csv_rows(text, delimiter)
        if len(rows) < 2 or len(rows[0]) < 2 or any(len(row) != len(rows[0]) for row in rows[:_SAMPLE_ROWS]):
            continue
        return _csv_schema(rows, count, delimiter, quoted='"' in text)
    return None


def _is_header(first: list[str], data: list[list[str]]) -> bool:
    if any(csv_value_type(value) not in ("string", None) for value in first):
        return False
    if any(len(value) >= 150 for value in first[:-1]) or not all(_COLUMN_NAME.fullmatch(v.strip()) for v in first):
        return False
    return any(csv_value_type(value) not in ("string", None) for row in data for value in row)


def _csv_schema(rows: list[list[str]], count: int, delimiter: str, quoted: bool) -> FileSchema:
    header = _is_header(rows[0], rows[1:_SAMPLE_ROWS])
    data = rows[1:] if header else rows
    records = count - 1 if header else count
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
        records,
        TEXT_INPUT,
        TEXT_OUTPUT,
        serde,
        serde_parameters,
        parameters,
    )
