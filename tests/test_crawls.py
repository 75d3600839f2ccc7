"""Crawls of mocked S3 that create and update Data Catalog tables as a Glue crawler does."""

from __future__ import annotations

import io
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from tests.conftest import AWS
from tests.glue_helpers import ROLE

MANUAL = {"progression": "manual", "times": 1}


def parquet_bytes(table: pa.Table) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def lake(s3: Any) -> None:
    """CSV orders in two files, JSON-lines events, Parquet sales partitioned by year and month."""
    s3.create_bucket(Bucket="lake")
    s3.put_object(
        Bucket="lake",
        Key="raw/orders/2024.csv",
        Body=b"order_id,customer,amount,paid\n1,alice,10.5,true\n2,bob,3,false\n",
    )
    s3.put_object(Bucket="lake", Key="raw/orders/2025.csv", Body=b"order_id,customer,amount,paid\n3,carol,7.25,true\n")
    s3.put_object(
        Bucket="lake",
        Key="raw/events/day1.json",
        Body=b'{"id": 1, "kind": "click", "meta": {"x": 1}}\n{"id": 3000000000, "kind": "view", "tags": ["a"]}\n',
    )
    for year, month in (("2024", "11"), ("2024", "12"), ("2025", "01")):
        table = pa.table(
            {
                "sku": ["a", "b"],
                "qty": pa.array([1, 2], pa.int32()),
                "price": [1.5, 2.5],
                "sold_on": pa.array([1, 2], pa.date32()),
            }
        )
        s3.put_object(
            Bucket="lake", Key=f"raw/sales/year={year}/month={month}/part-0.parquet", Body=parquet_bytes(table)
        )
    s3.put_object(Bucket="lake", Key="raw/sales/_SUCCESS", Body=b"")
    s3.put_object(Bucket="lake", Key="raw/scratch/notes.csv", Body=b"a,b\n1,2\n")


def columns(table: dict[str, Any]) -> list[tuple[str, str]]:
    return [(c["Name"], c["Type"]) for c in table["StorageDescriptor"]["Columns"]]


def test_a_crawl_of_csv_json_and_partitioned_parquet_makes_the_tables_a_glue_crawler_would(aws: AWS) -> None:
    s3, glue, logs = aws.client("s3"), aws.client("glue"), aws.client("logs")
    lake(s3)
    glue.create_crawler(
        Name="lake",
        Role=ROLE,
        DatabaseName="lake_db",
        TablePrefix="raw_",
        Targets={"S3Targets": [{"Path": "s3://lake/raw/", "Exclusions": ["scratch/**"]}]},
    )
    glue.start_crawler(Name="lake")
    assert [c["State"] for c in glue.list_crawls(CrawlerName="lake")["Crawls"]] == ["COMPLETED"]
    tables = {t["Name"]: t for t in glue.get_tables(DatabaseName="lake_db")["TableList"]}
    assert sorted(tables) == ["raw_events", "raw_orders", "raw_sales"]

    orders = tables["raw_orders"]
    assert columns(orders) == [
        ("order_id", "bigint"),
        ("customer", "string"),
        ("amount", "double"),
        ("paid", "boolean"),
    ]
    assert orders["StorageDescriptor"]["Location"] == "s3://lake/raw/orders/"
    assert orders["PartitionKeys"] == [] and orders["TableType"] == "EXTERNAL_TABLE"
    assert orders["Parameters"]["classification"] == "csv"
    assert orders["Parameters"]["skip.header.line.count"] == "1" and orders["Parameters"]["delimiter"] == ","
    assert orders["Parameters"]["recordCount"] == "3" and orders["Parameters"]["objectCount"] == "2"
    assert orders["Parameters"]["UPDATED_BY_CRAWLER"] == "lake"
    assert orders["StorageDescriptor"]["SerdeInfo"]["SerializationLibrary"].endswith("LazySimpleSerDe")

    events = tables["raw_events"]
    assert columns(events) == [
        ("id", "bigint"),
        ("kind", "string"),
        ("meta", "struct<x:int>"),
        ("tags", "array<string>"),
    ]
    assert events["Parameters"]["classification"] == "json"
    assert events["StorageDescriptor"]["SerdeInfo"]["SerializationLibrary"] == "org.openx.data.jsonserde.JsonSerDe"

    sales = tables["raw_sales"]
    assert columns(sales) == [("sku", "string"), ("qty", "int"), ("price", "double"), ("sold_on", "date")]
    assert [(k["Name"], k["Type"]) for k in sales["PartitionKeys"]] == [("year", "string"), ("month", "string")]
    assert sales["Parameters"]["classification"] == "parquet"
    assert sales["StorageDescriptor"]["Location"] == "s3://lake/raw/sales/"
    partitions = glue.get_partitions(DatabaseName="lake_db", TableName="raw_sales")["Partitions"]
    assert sorted(p["Values"] for p in partitions) == [["2024", "11"], ["2024", "12"], ["2025", "01"]]
    by_values = {tuple(p["Values"]): p for p in partitions}
    assert by_values[("2025", "01")]["StorageDescriptor"]["Location"] == "s3://lake/raw/sales/year=2025/month=01/"

    metrics = glue.get_crawler_metrics(CrawlerNameList=["lake"])["CrawlerMetricsList"]
    assert [(m["CrawlerName"], m["TablesCreated"], m["TablesUpdated"], m["TablesDeleted"]) for m in metrics] == [
        ("lake", 3, 0, 0)
    ]
    assert glue.get_crawler(Name="lake")["Crawler"]["LastCrawl"]["Status"] == "SUCCEEDED"
    messages = [
        e["message"]
        for e in logs.filter_log_events(logGroupName="/aws-glue/crawlers", logStreamNames=["lake"])["events"]
    ]
    assert any(m.endswith("Created table raw_sales in database lake_db") for m in messages)


def test_a_second_crawl_updates_changed_tables_adds_partitions_and_applies_the_delete_behavior(aws: AWS) -> None:
    s3, glue = aws.client("s3"), aws.client("glue")
    lake(s3)
    glue.create_crawler(
        Name="lake",
        Role=ROLE,
        DatabaseName="lake_db",
        Targets={"S3Targets": [{"Path": "s3://lake/raw/", "Exclusions": ["scratch/**"]}]},
        SchemaChangePolicy={"UpdateBehavior": "UPDATE_IN_DATABASE", "DeleteBehavior": "DELETE_FROM_DATABASE"},
    )
    glue.start_crawler(Name="lake")
    glue.list_crawls(CrawlerName="lake")
    s3.delete_object(Bucket="lake", Key="raw/events/day1.json")
    s3.put_object(
        Bucket="lake", Key="raw/orders/2026.csv", Body=b"order_id,customer,amount,paid,note\n4,dan,1,true,x\n"
    )
    table = pa.table(
        {"sku": ["c"], "qty": pa.array([3], pa.int32()), "price": [3.5], "sold_on": pa.array([3], pa.date32())}
    )
    s3.put_object(Bucket="lake", Key="raw/sales/year=2025/month=02/part-0.parquet", Body=parquet_bytes(table))
    glue.start_crawler(Name="lake")
    [metrics] = glue.get_crawler_metrics()["CrawlerMetricsList"]
    assert (metrics["TablesCreated"], metrics["TablesUpdated"], metrics["TablesDeleted"]) == (0, 1, 1)
    tables = {t["Name"]: t for t in glue.get_tables(DatabaseName="lake_db")["TableList"]}
    assert sorted(tables) == ["orders", "sales"]
    assert columns(tables["orders"])[-1] == ("note", "string")
    assert len(glue.get_partitions(DatabaseName="lake_db", TableName="sales")["Partitions"]) == 4


def test_header_detection_and_one_table_per_target(aws: AWS) -> None:
    s3, glue = aws.client("s3"), aws.client("glue")
    s3.create_bucket(Bucket="data")
    # Every column a string: the first row is not different enough to be a header.
    s3.put_object(Bucket="data", Key="names/a.csv", Body=b"first,last\nada,lovelace\nalan,turing\n")
    s3.put_object(Bucket="data", Key="scores/a.tsv", Body=b"7\t1.5\n8\t2.5\n")
    glue.create_crawler(
        Name="c",
        Role=ROLE,
        DatabaseName="db",
        Targets={"S3Targets": [{"Path": "s3://data/names"}, {"Path": "s3://data/scores/"}]},
    )
    glue.start_crawler(Name="c")
    names = glue.get_table(DatabaseName="db", Name="names")["Table"]
    assert columns(names) == [("col0", "string"), ("col1", "string")]
    assert "skip.header.line.count" not in names["Parameters"]
    scores = glue.get_table(DatabaseName="db", Name="scores")["Table"]
    assert columns(scores) == [("col0", "bigint"), ("col1", "double")]
    assert scores["StorageDescriptor"]["SerdeInfo"]["Parameters"] == {"field.delim": "\t"}


def test_a_crawl_outcome_set_by_a_test_wins_over_the_crawl(aws: AWS) -> None:
    s3, glue = aws.client("s3"), aws.client("glue")
    lake(s3)
    glue.create_crawler(Name="c", Role=ROLE, DatabaseName="db", Targets={"S3Targets": [{"Path": "s3://lake/raw/"}]})
    aws.control.set_crawl_outcome(crawler_name="c", state="FAILED", error_message="no access")
    glue.start_crawler(Name="c")
    glue.list_crawls(CrawlerName="c")
    assert glue.get_crawler(Name="c")["Crawler"]["LastCrawl"]["ErrorMessage"] == "no access"
    assert glue.get_databases()["DatabaseList"] == []


def test_a_workflow_crawler_fills_the_catalog_before_the_next_job_runs(aws: AWS) -> None:
    s3, glue = aws.client("s3"), aws.client("glue")
    lake(s3)
    glue.create_workflow(Name="w")
    glue.create_crawler(
        Name="c", Role=ROLE, DatabaseName="db", Targets={"S3Targets": [{"Path": "s3://lake/raw/orders/"}]}
    )
    glue.create_job(Name="report", Role=ROLE, Command={"Name": "glueetl", "ScriptLocation": "s3://s/r.py"})
    glue.create_trigger(Name="start", WorkflowName="w", Type="ON_DEMAND", Actions=[{"CrawlerName": "c"}])
    glue.create_trigger(
        Name="then",
        WorkflowName="w",
        Type="CONDITIONAL",
        StartOnCreation=True,
        Predicate={"Conditions": [{"LogicalOperator": "EQUALS", "CrawlerName": "c", "CrawlState": "SUCCEEDED"}]},
        Actions=[{"JobName": "report"}],
    )
    aws.set_transition("glue::crawl", {"progression": "immediate"})
    run_id = glue.start_workflow_run(Name="w")["RunId"]
    assert glue.get_workflow_run(Name="w", RunId=run_id)["Run"]["Statistics"]["SucceededActions"] == 2
    assert glue.get_table(DatabaseName="db", Name="orders")["Table"]["Parameters"]["recordCount"] == "3"


def test_tables_whose_data_is_gone_are_deprecated_by_default(aws: AWS) -> None:
    s3, glue = aws.client("s3"), aws.client("glue")
    lake(s3)
    glue.create_crawler(Name="c", Role=ROLE, DatabaseName="db", Targets={"S3Targets": [{"Path": "s3://lake/raw/"}]})
    glue.start_crawler(Name="c")
    glue.list_crawls(CrawlerName="c")
    s3.delete_object(Bucket="lake", Key="raw/events/day1.json")
    glue.start_crawler(Name="c")
    events = glue.get_table(DatabaseName="db", Name="events")["Table"]
    assert events["Parameters"]["DEPRECATED_BY_CRAWLER"] == "1"
    assert columns(events) == [
        ("id", "bigint"),
        ("kind", "string"),
        ("meta", "struct<x:int>"),
        ("tags", "array<string>"),
    ]
    [metrics] = glue.get_crawler_metrics(CrawlerNameList=["c", "missing"])["CrawlerMetricsList"]
    assert (metrics["TablesCreated"], metrics["TablesUpdated"], metrics["TablesDeleted"]) == (0, 0, 0)


def test_the_crawlers_succeeded_event_counts_what_the_crawl_did(aws: AWS) -> None:
    from tests.test_events_and_clock import _queue_behind_rule, _received

    s3, glue = aws.client("s3"), aws.client("glue")
    lake(s3)
    sqs, url = _queue_behind_rule(aws, {"source": ["aws.glue"], "detail-type": ["Glue Crawler State Change"]})
    glue.create_crawler(Name="c", Role=ROLE, DatabaseName="db", Targets={"S3Targets": [{"Path": "s3://lake/raw/"}]})
    glue.start_crawler(Name="c")
    glue.list_crawls(CrawlerName="c")
    glue.get_crawler(Name="c")
    details = [m["detail"] for m in _received(sqs, url)]
    [succeeded] = [d for d in details if d["state"] == "Succeeded"]
    assert (succeeded["tablesCreated"], succeeded["partitionsCreated"], succeeded["tablesDeleted"]) == ("4", "3", "0")


def test_reads_of_the_crawler_move_its_crawl_on_as_pollers_expect(aws: AWS) -> None:
    """GetCrawler, GetCrawlers and BatchGetCrawlers move a running crawl on as GetJobRun moves a job run, so a
    poller of the crawler's State (Airflow's crawler_ready waiter, a `while State != "READY"` loop) sees it end."""
    s3, glue = aws.client("s3"), aws.client("glue")
    s3.create_bucket(Bucket="lake")
    s3.put_object(Bucket="lake", Key="raw/a.csv", Body=b"id,name\n1,a\n2,b\n")
    for name in ("one", "two", "three"):
        glue.create_crawler(
            Name=name, Role=ROLE, DatabaseName="db", Targets={"S3Targets": [{"Path": "s3://lake/raw/"}]}
        )
    aws.set_transition("glue::crawl", {"progression": "manual", "times": 1})  # moto's default
    reads = {
        "one": lambda: glue.get_crawler(Name="one")["Crawler"],
        "two": lambda: next(c for c in glue.get_crawlers()["Crawlers"] if c["Name"] == "two"),
        "three": lambda: glue.batch_get_crawlers(CrawlerNames=["three", "nope"])["Crawlers"][0],
    }
    for name, read in reads.items():
        glue.start_crawler(Name=name)
        states = [read()["State"] for _ in range(3)]
        assert states == ["RUNNING", "READY", "READY"], (name, states)
        last = read()["LastCrawl"]
        assert last["Status"] == "SUCCEEDED" and last["LogGroup"] == "/aws-glue/crawlers", (name, last)
    assert glue.batch_get_crawlers(CrawlerNames=["nope"]) | {"ResponseMetadata": None} == {
        "Crawlers": [],
        "CrawlersNotFound": ["nope"],
        "ResponseMetadata": None,
    }


def crawl_once(glue: Any, name: str) -> None:
    glue.start_crawler(Name=name)
    while glue.get_crawler(Name=name)["Crawler"]["State"] != "READY":
        pass


def test_a_recrawl_updates_changed_partitions_and_deletes_gone_ones_as_the_policy_says(aws: AWS) -> None:
    """UPDATE_IN_DATABASE updates a partition whose data changed; DELETE_FROM_DATABASE deletes one whose folder is
    gone (CloudFormation's AWS::Glue::Crawler SchemaChangePolicy reference: "if a table or partition already
    exists, and a change is detected, update it"; "if a table or partition is found to have been removed, delete
    it"); the Succeeded event counts both. LOG leaves existing partitions as they were."""
    from tests.test_events_and_clock import _queue_behind_rule, _received

    s3, glue = aws.client("s3"), aws.client("glue")
    sqs, url = _queue_behind_rule(aws, {"source": ["aws.glue"], "detail-type": ["Glue Crawler State Change"]})
    s3.create_bucket(Bucket="lake")
    for day in ("01", "02", "03"):
        s3.put_object(Bucket="lake", Key=f"sales/day={day}/part.csv", Body=b"sku,qty,store,till\na,1,s1,t1\n")
    targets = {"S3Targets": [{"Path": "s3://lake/sales/"}]}
    deleting = {"UpdateBehavior": "UPDATE_IN_DATABASE", "DeleteBehavior": "DELETE_FROM_DATABASE"}
    glue.create_crawler(Name="c", Role=ROLE, DatabaseName="db", Targets=targets, SchemaChangePolicy=deleting)
    crawl_once(glue, "c")

    # one more column: still one table (4 of 5 column names shared, the crawler's 70% rule)
    s3.put_object(Bucket="lake", Key="sales/day=02/part.csv", Body=b"sku,qty,store,till,price\na,1,s1,t1,2.5\n")
    s3.delete_object(Bucket="lake", Key="sales/day=03/part.csv")
    crawl_once(glue, "c")

    partitions = {p["Values"][0]: p for p in glue.get_partitions(DatabaseName="db", TableName="sales")["Partitions"]}
    assert sorted(partitions) == ["01", "02"]
    names = [column["Name"] for column in partitions["02"]["StorageDescriptor"]["Columns"]]
    assert names == ["sku", "qty", "store", "till", "price"]
    counts = [
        (d["partitionsCreated"], d["partitionsUpdated"], d["partitionsDeleted"])
        for d in (m["detail"] for m in _received(sqs, url))
        if d["state"] == "Succeeded"
    ]
    assert counts == [("3", "0", "0"), ("0", "2", "1")]  # the new column changes both partitions left

    logging = {"UpdateBehavior": "LOG", "DeleteBehavior": "LOG"}
    glue.create_crawler(Name="cautious", Role=ROLE, DatabaseName="db", Targets=targets, SchemaChangePolicy=logging)
    s3.put_object(Bucket="lake", Key="sales/day=01/part.csv", Body=b"sku,qty,store,till,price,note\na,1,s1,t1,2.5,x\n")
    crawl_once(glue, "cautious")  # would add "note" to both partitions under UPDATE_IN_DATABASE
    first = glue.get_partition(DatabaseName="db", TableName="sales", PartitionValues=["01"])["Partition"]
    assert [column["Name"] for column in first["StorageDescriptor"]["Columns"]] == [
        "sku",
        "qty",
        "store",
        "till",
        "price",
    ]
