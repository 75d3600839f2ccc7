"""A crawl of a crawler's S3Targets in mocked S3 that creates and updates Data Catalog tables.

What it writes follows what Glue crawlers write for S3 data: an EXTERNAL_TABLE per table found
(crawlers/layout.py) with the columns the built-in classifiers inferred (crawlers/formats.py),
partition keys and one partition per partition folder, the table's S3 location, and the table
properties crawlers set (``classification``, ``compressionType``, ``typeOfData``, ``objectCount``,
``recordCount``, ``sizeKey``, ``averageRecordSize``, ``UPDATED_BY_CRAWLER``, the format's own).
The crawler's SchemaChangePolicy decides what happens to tables that changed (UpdateBehavior:
UPDATE_IN_DATABASE, the default, or LOG) and to tables it made before whose data is gone
(DeleteBehavior: DEPRECATE_IN_DATABASE, the default, DELETE_FROM_DATABASE or LOG) - guide,
"Setting crawler configuration options" / "Preventing a crawler from changing an existing schema".
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from moto_glue_workflows._moto import CatalogTables, s3_listing, s3_object_bytes, utcnow, write_log_lines
from moto_glue_workflows.crawlers.exclusions import excluded
from moto_glue_workflows.crawlers.formats import ParquetUnavailable, UnreadableFile, classify
from moto_glue_workflows.crawlers.layout import DataFile, TablePlan, plan_tables

#: What a crawler made without a SchemaChangePolicy does and reads back (the Glue guide's crawler-configuration
#: page; terraform-provider-aws's crawler acceptance tests read these back).
DEFAULT_SCHEMA_CHANGE_POLICY = {"UpdateBehavior": "UPDATE_IN_DATABASE", "DeleteBehavior": "DEPRECATE_IN_DATABASE"}

CRAWLER_LOG_GROUP = "/aws-glue/crawlers"


@dataclass
class CatalogChanges:
    """What one crawl did to the Data Catalog, as GetCrawlerMetrics reports it."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    deprecated: list[str] = field(default_factory=list)
    partitions_created: int = 0
    partitions_updated: int = 0
    partitions_deleted: int = 0
    #: objects a classifier knows the format of that could not be read as it: (s3://bucket/key, why)
    unreadable: list[tuple[str, str]] = field(default_factory=list)

    def event_counts(self) -> dict[str, int]:
        """The counts a "Glue Crawler State Change" Succeeded event carries."""
        return {
            "tablesCreated": len(self.created),
            "tablesUpdated": len(self.updated),
            "tablesDeleted": len(self.deleted),
            "partitionsCreated": self.partitions_created,
            "partitionsUpdated": self.partitions_updated,
            "partitionsDeleted": self.partitions_deleted,
        }


class CrawlFailure(Exception):
    pass


def _split_s3_path(path: str) -> tuple[str, str]:
    rest = path.split("://", 1)[1] if "://" in path else path
    bucket, _, prefix = rest.partition("/")
    return bucket, prefix


#: The most objects one crawl reads; a crawl over more ends FAILED saying so (docs/jobs-and-crawlers.md).
MAX_OBJECTS = 10_000


def _target_tables(account_id: str, target: dict[str, Any], unreadable: list[tuple[str, str]]) -> list[TablePlan]:
    bucket, prefix = _split_s3_path(str(target.get("Path") or ""))
    exclusions = [str(p) for p in target.get("Exclusions") or []]
    listing = s3_listing(account_id, bucket, prefix) or []
    if any(key == prefix for key, _ in listing):  # the include path names one object
        listing = [(key, size) for key, size in listing if key == prefix]
        root = [part for part in prefix.split("/")[:-1] if part]
    else:  # it names a folder
        if prefix and not prefix.endswith("/"):
            prefix += "/"
        root = [part for part in prefix.split("/") if part]
    folder = "".join(part + "/" for part in root)
    files: list[DataFile] = []
    read = 0
    for key, size in listing:
        if not key.startswith(prefix) or key.endswith("/") or size == 0:
            continue
        relative = key[len(folder) :]
        parts = relative.split("/")
        # Marker and temporary files (_SUCCESS, _temporary/, .hidden) are not data (Hive's rule).
        if any(part.startswith(("_", ".")) for part in parts) or excluded(key[len(prefix) :], exclusions):
            continue
        read += 1
        if read > MAX_OBJECTS:
            raise CrawlFailure(
                f"The crawl of s3://{bucket}/{prefix} found more than {MAX_OBJECTS} objects, the most one crawl reads"
            )
        data = s3_object_bytes(account_id, bucket, key)
        try:
            schema = classify(data) if data else None
        except UnreadableFile as problem:  # left out; the crawl goes on with the other objects, and ends FAILED
            unreadable.append((f"s3://{bucket}/{key}", str(problem)))
            continue
        if schema is not None:
            files.append(DataFile(key, parts, size, schema))
    return plan_tables(bucket, root, files, root[-1] if root else bucket)


def _parameters(plan: TablePlan, crawler_name: str, crawl_id: str | None) -> dict[str, str]:
    records = sum(f.schema.records for f in plan.files)
    size = sum(f.size for f in plan.files)
    # A crawled table names the crawl that wrote it (CRAWL_RUN_ID, a uuid, in crawler-made tables' properties
    # captured from Athena's SHOW CREATE TABLE); which id it is is not documented: ours is the crawl's CrawlId.
    run = {"CRAWL_RUN_ID": crawl_id} if crawl_id else {}
    return {
        **run,
        "CrawlerSchemaDeserializerVersion": "1.0",
        "CrawlerSchemaSerializerVersion": "1.0",
        "UPDATED_BY_CRAWLER": crawler_name,
        "classification": plan.schema.classification,
        "compressionType": plan.schema.compression,
        "typeOfData": "file",
        "objectCount": str(len(plan.files)),
        "recordCount": str(records),
        "sizeKey": str(size),
        "averageRecordSize": str(size // records if records else 0),
        **plan.schema.parameters,
    }


def _storage(plan: TablePlan, location: str, parameters: dict[str, str]) -> dict[str, Any]:
    schema = plan.schema
    return {
        "Columns": [{"Name": name, "Type": type_} for name, type_ in plan.columns],
        "Location": location,
        "InputFormat": schema.input_format,
        "OutputFormat": schema.output_format,
        "Compressed": schema.compression != "none",
        "NumberOfBuckets": -1,
        "SerdeInfo": {"SerializationLibrary": schema.serde, "Parameters": dict(schema.serde_parameters)},
        "BucketColumns": [],
        "SortColumns": [],
        "Parameters": dict(parameters),
        "StoredAsSubDirectories": False,
    }


def table_input(name: str, plan: TablePlan, crawler_name: str, crawl_id: str | None = None) -> dict[str, Any]:
    parameters = _parameters(plan, crawler_name, crawl_id)
    return {
        "Name": name,
        "Owner": "owner",
        "Retention": 0,
        "StorageDescriptor": _storage(plan, plan.location, parameters),
        "PartitionKeys": [{"Name": key, "Type": "string"} for key in plan.partition_keys],
        "TableType": "EXTERNAL_TABLE",
        "Parameters": parameters,
    }


def _definition(table: dict[str, Any]) -> Any:
    """What makes a table different for the crawler: schema, partition keys, location, format."""
    storage = table.get("StorageDescriptor") or {}
    return (
        [(c.get("Name"), c.get("Type")) for c in storage.get("Columns") or []],
        [(c.get("Name"), c.get("Type")) for c in table.get("PartitionKeys") or []],
        storage.get("Location"),
        storage.get("InputFormat"),
        (storage.get("SerdeInfo") or {}).get("SerializationLibrary"),
        (table.get("Parameters") or {}).get("classification"),
    )


def _unique_names(plans: list[TablePlan], prefix: str) -> list[tuple[str, TablePlan]]:
    """Table names with the crawler's TablePrefix; a name two locations share gets a hash of the
    location appended, as crawlers do for same-named folders."""
    counts: dict[str, int] = {}
    for plan in plans:
        counts[plan.name] = counts.get(plan.name, 0) + 1
    named = []
    for plan in plans:
        name = prefix + plan.name
        if counts[plan.name] > 1:
            name += "_" + hashlib.md5(plan.location.encode(), usedforsecurity=False).hexdigest()[:32]
        named.append((name, plan))
    return named


def schema_change_policy(crawler: Any) -> dict[str, str]:
    """The crawler's SchemaChangePolicy, Glue's defaults filling what it does not say."""
    return {**DEFAULT_SCHEMA_CHANGE_POLICY, **(crawler.schema_change_policy or {})}


def crawl(account_id: str, region: str, crawler: Any, crawl_id: str | None = None) -> CatalogChanges:
    targets = (crawler.targets or {}).get("S3Targets") or []
    catalog = CatalogTables(account_id, region)
    database = crawler.database_name
    policy = schema_change_policy(crawler)
    update_behavior, delete_behavior = policy["UpdateBehavior"], policy["DeleteBehavior"]
    unreadable: list[tuple[str, str]] = []
    try:
        plans = [plan for target in targets for plan in _target_tables(account_id, target, unreadable)]
    except ParquetUnavailable as missing:
        raise CrawlFailure(str(missing)) from None
    changes = CatalogChanges(unreadable=unreadable)
    # A crawl with tables to write creates its target database when it does not exist yet; one that
    # found nothing leaves the catalog alone (docs/jobs-and-crawlers.md).
    if plans:
        catalog.ensure_database(database)
    found = set()
    for name, plan in _unique_names(plans, crawler.table_prefix or ""):
        found.add(name)
        wanted = table_input(name, plan, crawler.name, crawl_id)
        existing = catalog.table(database, name)
        if existing is None:
            catalog.create_table(database, wanted)
            changes.created.append(name)
        elif _definition(existing) != _definition(wanted) and update_behavior != "LOG":
            catalog.update_table(database, wanted)
            changes.updated.append(name)
        _crawl_partitions(catalog, database, name, plan, wanted["Parameters"], policy, changes)
    include_locations = [str(t.get("Path") or "").rstrip("/") for t in targets]
    for table in catalog.tables(database):
        name = table["Name"]
        parameters = table.get("Parameters") or {}
        location = str((table.get("StorageDescriptor") or {}).get("Location") or "")
        if name in found or parameters.get("UPDATED_BY_CRAWLER") != crawler.name:
            continue
        if not any(location.startswith(path) for path in include_locations):
            continue
        if delete_behavior == "DELETE_FROM_DATABASE":
            catalog.delete_table(database, name)
            changes.deleted.append(name)
        elif delete_behavior == "DEPRECATE_IN_DATABASE" and "DEPRECATED_BY_CRAWLER" not in parameters:
            deprecated = {k: v for k, v in table.items() if k in _TABLE_INPUT_KEYS}
            deprecated["Parameters"] = {**parameters, "DEPRECATED_BY_CRAWLER": "1"}
            catalog.update_table(database, deprecated)
            changes.deprecated.append(name)
    return changes


def _crawl_partitions(
    catalog: CatalogTables,
    database: str,
    name: str,
    plan: TablePlan,
    parameters: dict[str, str],
    policy: dict[str, str],
    changes: CatalogChanges,
) -> None:
    """A found table's partitions: new folders are added whatever the policy; a partition whose definition
    changed is updated (UpdateBehavior UPDATE_IN_DATABASE) and one whose folder is gone deleted
    (DeleteBehavior DELETE_FROM_DATABASE), as the SchemaChangePolicy reference says of tables and partitions
    (CloudFormation's AWS::Glue::Crawler SchemaChangePolicy page; DEPRECATE_IN_DATABASE marks tables only)."""
    existing = {tuple(partition["Values"]): partition for partition in catalog.partitions(database, name)}
    for values, location in plan.partitions.items():
        wanted = {"Values": list(values), "StorageDescriptor": _storage(plan, location, parameters), "Parameters": {}}
        current = existing.get(values)
        if current is None:
            catalog.put_partition(database, name, wanted)
            changes.partitions_created += 1
        elif _definition(current) != _definition(wanted) and policy["UpdateBehavior"] == "UPDATE_IN_DATABASE":
            catalog.put_partition(database, name, wanted)
            changes.partitions_updated += 1
    if policy["DeleteBehavior"] == "DELETE_FROM_DATABASE":
        for values in existing.keys() - plan.partitions.keys():
            catalog.delete_partition(database, name, list(values))
            changes.partitions_deleted += 1


_TABLE_INPUT_KEYS = frozenset(
    {"Name", "Description", "Owner", "Retention", "StorageDescriptor", "PartitionKeys", "TableType", "Parameters"}
)


def _log(account_id: str, region: str, crawler: Any, crawl_run: Any, lines: list[str]) -> None:
    prefix = f"[{crawl_run.message_prefix}]"
    write_log_lines(account_id, region, CRAWLER_LOG_GROUP, crawler.name, [f"{prefix} {line}" for line in lines])


#: What a crawl that failed for a reason of the mock's own answers, as AWS's crawler does for its own faults.
INTERNAL_ERROR = "Internal Service Exception"


def _fail(crawl_run: Any, message: str) -> None:
    crawl_run._transitions = [("RUNNING", "FAILED"), ("STOPPING", "STOPPED")]
    crawl_run.error_message = message


def perform_crawl(account_id: str, region: str, crawler: Any, crawl_run: Any, *, decided_by_test: bool) -> None:
    """Crawl now, as the crawl starts; a crawl whose outcome a test set does no work.

    The crawl's result is kept on it (``catalog_changes``) for GetCrawlerMetrics; a crawl that
    cannot be done ends FAILED with the reason as its ErrorMessage. Its log goes where Glue's goes:
    ``/aws-glue/crawlers``, stream named by the crawler, lines prefixed by the crawl id.
    """
    if decided_by_test:
        return
    started = utcnow()
    lines = [f"BENCHMARK : Running Start Crawl for Crawler {crawler.name}"]
    try:
        changes = crawl(account_id, region, crawler, str(crawl_run.crawl_id))
    except CrawlFailure as failure:
        _fail(crawl_run, str(failure))
        _log(account_id, region, crawler, crawl_run, [*lines, f"ERROR : {failure}"])
        return
    except Exception as error:  # whatever the data held, the crawl ends FAILED and the request is answered
        _fail(crawl_run, INTERNAL_ERROR)
        _log(account_id, region, crawler, crawl_run, [*lines, f"ERROR : {INTERNAL_ERROR} ({type(error).__name__})"])
        return
    crawl_run.catalog_changes = changes
    if changes.unreadable:
        where, why = changes.unreadable[0]
        more = len(changes.unreadable) - 1
        _fail(crawl_run, f"Unable to read {where}: {why}" + (f" (and {more} more objects)" if more else ""))
        lines += [f"ERROR : Unable to read {place}: {reason}" for place, reason in changes.unreadable[:100]]
    database = crawler.database_name
    lines += [f"INFO : Created table {t} in database {database}" for t in changes.created]
    lines += [f"INFO : Updated table {t} in database {database}" for t in changes.updated]
    lines += [f"INFO : Deleted table {t} in database {database}" for t in changes.deleted]
    lines += [f"INFO : Deprecated table {t} in database {database}" for t in changes.deprecated]
    elapsed = (utcnow() - started).total_seconds()
    lines += [
        "BENCHMARK : Finished writing to Catalog",
        f"BENCHMARK : Crawler has finished running and is in state READY ({elapsed:.3f}s)",
    ]
    _log(account_id, region, crawler, crawl_run, lines)
