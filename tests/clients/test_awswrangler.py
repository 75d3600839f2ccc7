"""awswrangler (AWS SDK for pandas) reads the tables our crawls make, partitions included.

A crawl of Hive-style partitioned Parquet makes a table and its partitions; awswrangler finds the files
through the Data Catalog (``read_parquet_table``), adds the partition columns, and prunes partitions with
``partition_filter``. Needs the ``clients`` extra; skipped without it.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest

wr = pytest.importorskip("awswrangler", reason="awswrangler is the clients extra")

import boto3  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
from moto import mock_aws  # noqa: E402

import moto_glue_workflows  # noqa: E402,F401

ROLE = "arn:aws:iam::123456789012:role/glue"
MONTHS = (("2024", "11", 1), ("2024", "12", 2), ("2025", "01", 3))


def parquet(table: pa.Table) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def crawl_sales(s3: Any, glue: Any) -> None:
    s3.create_bucket(Bucket="lake")
    for year, month, qty in MONTHS:
        rows = pa.table({"sku": ["a", "b"], "qty": pa.array([qty, qty * 10], pa.int32())})
        s3.put_object(Bucket="lake", Key=f"sales/year={year}/month={month}/part-0.parquet", Body=parquet(rows))
    glue.create_database(DatabaseInput={"Name": "lake"})
    glue.create_crawler(
        Name="sales", Role=ROLE, DatabaseName="lake", Targets={"S3Targets": [{"Path": "s3://lake/sales/"}]}
    )
    glue.start_crawler(Name="sales")
    while glue.get_crawler(Name="sales")["Crawler"]["State"] != "READY":
        pass  # each read moves the crawl on


@pytest.fixture(params=["decorator", "server"])
def clients(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, Any]]:
    """S3 and Glue clients, with awswrangler pointed where they point (its own endpoint settings)."""
    for name, value in (
        ("AWS_DEFAULT_REGION", "us-east-1"),
        ("AWS_ACCESS_KEY_ID", "x"),
        ("AWS_SECRET_ACCESS_KEY", "x"),
    ):
        monkeypatch.setenv(name, value)
    if request.param == "decorator":
        with mock_aws():
            yield boto3.client("s3"), boto3.client("glue")
        return
    server = request.getfixturevalue("mgw_server")
    server.reset()
    for setting in ("s3_endpoint_url", "glue_endpoint_url"):
        monkeypatch.setattr(wr.config, setting, server.endpoint_url)
    yield boto3.client("s3", endpoint_url=server.endpoint_url), boto3.client("glue", endpoint_url=server.endpoint_url)
    server.reset()


def test_awswrangler_reads_a_crawled_partitioned_table(clients: tuple[Any, Any]) -> None:
    s3, glue = clients
    crawl_sales(s3, glue)

    assert wr.catalog.get_partitions(database="lake", table="sales") == {
        f"s3://lake/sales/year={year}/month={month}/": [year, month] for year, month, _ in MONTHS
    }
    columns = wr.catalog.table(database="lake", table="sales")
    assert list(zip(columns["Column Name"], columns["Type"], columns["Partition"], strict=True)) == [
        ("sku", "string", False),
        ("qty", "int", False),
        ("year", "string", True),
        ("month", "string", True),
    ]
    frame = wr.s3.read_parquet_table(database="lake", table="sales").sort_values(["year", "month", "sku"])
    assert frame.to_dict("records") == [
        {"sku": sku, "qty": qty * factor, "year": year, "month": month}
        for year, month, qty in MONTHS
        for sku, factor in (("a", 1), ("b", 10))
    ]
    recent = wr.s3.read_parquet_table(
        database="lake", table="sales", partition_filter=lambda partition: partition["year"] == "2025"
    )
    assert sorted(recent["qty"].tolist()) == [3, 30]
