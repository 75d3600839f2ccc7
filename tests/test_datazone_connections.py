"""DataZone connections: a Redshift connection with lineage sync reports its lineage job, whose runs
tests seed and read back the way real code discovers them."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import AWS

ROLE = "arn:aws:iam::123456789012:role/datazone-exec"
SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:redshift-creds-AbCdEf"


def error_of(call: Any, **kwargs: Any) -> tuple[str, int, str]:
    with pytest.raises(ClientError) as info:
        call(**kwargs)
    response = info.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Message"]


def redshift(name: str, dz: Any, domain: str, sync: bool = True) -> dict[str, Any]:
    return dz.create_connection(  # type: ignore[no-any-return]
        domainIdentifier=domain,
        name=name,
        description="warehouse",
        environmentIdentifier="env123",
        props={
            "redshiftProperties": {
                "storage": {"workgroupName": "analytics"},
                "databaseName": "dev",
                "host": "analytics.123456789012.us-east-1.redshift-serverless.amazonaws.com",
                "port": 5439,
                "credentials": {"secretArn": SECRET},
                "lineageSync": {"enabled": sync, "schedule": {"schedule": "cron(0 2 * * ? *)"}},
            }
        },
    )


def test_redshift_connection_reports_its_lineage_job_and_its_runs(aws: AWS) -> None:
    dz = aws.client("datazone")
    domain = dz.create_domain(name="warehouse", domainExecutionRole=ROLE)["id"]
    created = redshift("analytics", dz, domain)
    assert created["type"] == "REDSHIFT" and created["name"] == "analytics" and created["domainId"] == domain
    assert created["environmentId"] == "env123"
    got = dz.get_connection(domainIdentifier=domain, identifier=created["connectionId"])
    props = got["props"]["redshiftProperties"]
    sync = props["lineageSync"]
    assert sync["enabled"] is True and sync["schedule"] == {"schedule": "cron(0 2 * * ? *)"}
    assert props["credentials"] == {"secretArn": SECRET} and props["databaseName"] == "dev"
    assert props["storage"] == {"workgroupName": "analytics"} and props["status"] == "READY"
    assert got["physicalEndpoints"][0]["port"] == 5439 and got["physicalEndpoints"][0]["protocol"] == "JDBC"
    assert got["description"] == "warehouse"

    job_id = sync["lineageJobId"]
    seeded = aws.control.seed_datazone_job_runs(
        domain_identifier=domain, job_identifier=job_id, runs=[{"status": "SUCCESS", "runMode": "SCHEDULED"}]
    )["ids"]
    runs = dz.list_job_runs(domainIdentifier=domain, jobIdentifier=job_id)["items"]
    assert [run["runId"] for run in runs] == seeded and runs[0]["jobType"] == "LINEAGE"

    unsynced = redshift("adhoc", dz, domain, sync=False)
    assert "lineageJobId" not in unsynced["props"]["redshiftProperties"]["lineageSync"]


def test_list_and_delete_connections(aws: AWS) -> None:
    dz = aws.client("datazone")
    domain = dz.create_domain(name="warehouse", domainExecutionRole=ROLE)["id"]
    warehouse = redshift("warehouse", dz, domain)["connectionId"]
    lake = dz.create_connection(
        domainIdentifier=domain, name="lake", props={"s3Properties": {"s3Uri": "s3://lake-bucket/"}}
    )
    assert lake["type"] == "S3" and lake["props"]["s3Properties"]["s3Uri"] == "s3://lake-bucket/"
    names = [c["name"] for c in dz.list_connections(domainIdentifier=domain)["items"]]
    assert names == ["lake", "warehouse"]
    assert [c["name"] for c in dz.list_connections(domainIdentifier=domain, sortOrder="DESCENDING")["items"]] == [
        "warehouse",
        "lake",
    ]
    only = dz.list_connections(domainIdentifier=domain, type="REDSHIFT")["items"]
    assert [c["connectionId"] for c in only] == [warehouse]
    first = dz.list_connections(domainIdentifier=domain, maxResults=1)
    second = dz.list_connections(domainIdentifier=domain, maxResults=1, nextToken=first["nextToken"])
    assert [c["name"] for c in first["items"] + second["items"]] == ["lake", "warehouse"]

    code, status, _ = error_of(
        dz.create_connection, domainIdentifier=domain, name="lake", props={"s3Properties": {"s3Uri": "s3://other/"}}
    )
    assert (code, status) == ("ConflictException", 409)
    assert dz.delete_connection(domainIdentifier=domain, identifier=warehouse)["status"] == "DELETING"
    code, status, _ = error_of(dz.get_connection, domainIdentifier=domain, identifier=warehouse)
    assert (code, status) == ("ResourceNotFoundException", 404)
    code, status, _ = error_of(dz.delete_connection, domainIdentifier=domain, identifier=warehouse)
    assert (code, status) == ("ResourceNotFoundException", 404)
    assert [c["name"] for c in dz.list_connections(domainIdentifier=domain)["items"]] == ["lake"]


def test_refused_connections_store_nothing(aws: AWS) -> None:
    dz = aws.client("datazone")
    domain = dz.create_domain(name="warehouse", domainExecutionRole=ROLE)["id"]
    code, status, message = error_of(
        dz.create_connection,
        domainIdentifier=domain,
        name="bad",
        props={"redshiftProperties": {"lineageSync": {"enabled": True, "schedule": {"schedule": "daily"}}}},
    )
    assert (code, status) == ("ValidationException", 400) and "props.redshiftProperties.lineageSync" in message
    code, status, message = error_of(dz.create_connection, domainIdentifier=domain, name="bare")
    assert (code, status) == ("ValidationException", 400) and "props" in message
    code, status, _ = error_of(
        dz.create_connection,
        domainIdentifier="dzd_missing000",
        name="x",
        props={"s3Properties": {"s3Uri": "s3://a/"}},
    )
    assert (code, status) == ("AccessDeniedException", 403)
    assert dz.list_connections(domainIdentifier=domain)["items"] == []
