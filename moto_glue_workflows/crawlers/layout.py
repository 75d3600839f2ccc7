"""Which tables and partitions the objects under one include path make (guide, "How does a crawler
determine when to create partitions?").

A folder whose objects all have compatible schemas (same format, column names at least 70% alike)
is one table, named after the folder (the bucket at its root), and the folders below it are its
partitions: ``key=value`` folders give a partition key ``key``, other folders ``partition_0``,
``partition_1``, ... A folder whose objects differ is split: each subfolder is considered on its
own, and objects directly in it become tables named after the object.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from moto_glue_workflows.crawlers.formats import FileSchema
from moto_glue_workflows.crawlers.glue_types import merge_types


@dataclass
class DataFile:
    key: str  # the object key
    parts: list[str]  # its folders below the include path, then its file name
    size: int
    schema: FileSchema


@dataclass
class TablePlan:
    """One table a crawl found: its location, merged schema and partitions."""

    name: str
    location: str
    schema: FileSchema
    columns: list[tuple[str, str]]
    partition_keys: list[str]
    partitions: dict[tuple[str, ...], str] = field(default_factory=dict)  # values -> location
    files: list[DataFile] = field(default_factory=list)


def table_name(raw: str) -> str:
    """Catalog names are lower case; crawlers replace characters other than letters, digits and
    underscores with underscores (a hyphenated folder ``my-data`` is table ``my_data``)."""
    return re.sub(r"[^a-z0-9_]", "_", raw.lower())


def _compatible(files: list[DataFile]) -> bool:
    first = files[0].schema
    return all(first.compatible_with(f.schema) for f in files[1:]) and len({len(f.parts) for f in files}) == 1


def _merged_columns(files: list[DataFile]) -> list[tuple[str, str]]:
    types: dict[str, str | None] = {}
    for data_file in files:
        for name, type_ in data_file.schema.columns:
            types[name] = merge_types(types.get(name), type_)
    return [(name, type_ or "string") for name, type_ in types.items()]


def _partition_keys(files: list[DataFile], depth: int) -> list[str]:
    keys = []
    for level in range(depth):
        folders = {f.parts[level] for f in files}
        names = {folder.partition("=")[0] for folder in folders if "=" in folder}
        if len(names) == 1 and all("=" in folder for folder in folders):
            keys.append(names.pop().lower())
        else:
            keys.append(f"partition_{level}")
    return keys


def plan_tables(bucket: str, root: list[str], files: list[DataFile], name_for_root: str) -> list[TablePlan]:
    """Tables for ``files``, all below the folder ``root`` (path parts from the bucket)."""
    if not files:
        return []
    location = f"s3://{bucket}/" + "".join(part + "/" for part in root)
    if _compatible(files):
        depth = len(files[0].parts) - 1
        plan = TablePlan(
            name=table_name(name_for_root),
            location=location,
            schema=files[0].schema,
            columns=_merged_columns(files),
            partition_keys=_partition_keys(files, depth),
            files=list(files),
        )
        for data_file in files:
            folders = data_file.parts[:depth]
            values = tuple(folder.partition("=")[2] if "=" in folder else folder for folder in folders)
            if values:
                plan.partitions[values] = location + "".join(folder + "/" for folder in folders)
        return [plan]
    tables: list[TablePlan] = []
    below: dict[str, list[DataFile]] = {}
    for data_file in files:
        if len(data_file.parts) == 1:  # an object directly in this folder: a table of its own
            single = DataFile(data_file.key, data_file.parts, data_file.size, data_file.schema)
            stem = data_file.parts[0].split(".")[0]
            tables += [
                TablePlan(
                    name=table_name(stem),
                    location=f"s3://{bucket}/{data_file.key}",
                    schema=single.schema,
                    columns=list(single.schema.columns),
                    partition_keys=[],
                    files=[single],
                )
            ]
        else:
            below.setdefault(data_file.parts[0], []).append(
                DataFile(data_file.key, data_file.parts[1:], data_file.size, data_file.schema)
            )
    for folder, inside in below.items():
        tables += plan_tables(bucket, [*root, folder], inside, folder)
    return tables
