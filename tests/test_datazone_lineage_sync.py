"""Redshift lineage sync: each occurrence of a connection's schedule adds a run of its lineage job
when the mock's clock moves past it, while the sync is enabled and the connection exists."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import AWS

ROLE = "arn:aws:iam::123456789012:role/datazone-exec"
DAILY = "cron(0 2 * * ? *)"


def redshift(dz: Any, domain: str, name: str, *, enabled: bool = True, schedule: str = DAILY) -> dict[str, Any]:
    return dz.create_connection(  # type: ignore[no-any-return]
        domainIdentifier=domain,
        name=name,
        props={
            "redshiftProperties": {
                "storage": {"workgroupName": "analytics"},
                "databaseName": "dev",
                "host": "analytics.123456789012.us-east-1.redshift-serverless.amazonaws.com",
                "lineageSync": {"enabled": enabled, "schedule": {"schedule": schedule}},
            }
        },
    )


def setup(aws: AWS) -> tuple[Any, str]:
    aws.control.advance_clock(to="2031-05-01T00:00:00Z")  # a known midnight, so occurrences are known
    dz = aws.client("datazone")
    return dz, dz.create_domain(name="warehouse", domainExecutionRole=ROLE)["id"]


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_a_daily_sync_adds_a_run_per_day_the_clock_passes(aws: AWS) -> None:
    dz, domain = setup(aws)
    connection = redshift(dz, domain, "analytics")
    job_id = connection["props"]["redshiftProperties"]["lineageSync"]["lineageJobId"]

    fired = aws.control.advance_clock(seconds=3 * 86400)["Fired"]
    synced = [f for f in fired if f["Action"] == "LineageSyncRunStarted"]
    assert [f["Time"][:19] for f in synced] == [f"2031-05-0{day}T02:00:00" for day in (1, 2, 3)]
    assert all(f["ConnectionId"] == connection["connectionId"] and f["JobId"] == job_id for f in synced)
    assert all(f["DomainId"] == domain and f["AccountId"] == "123456789012" for f in synced)

    runs = dz.list_job_runs(domainIdentifier=domain, jobIdentifier=job_id, sortOrder="ASCENDING")["items"]
    assert [run["runId"] for run in runs] == [f["RunId"] for f in synced]
    for day, run in enumerate(runs, start=1):
        occurrence = datetime.datetime(2031, 5, day, 2, tzinfo=datetime.UTC)
        assert (run["jobType"], run["runMode"], run["status"]) == ("LINEAGE", "SCHEDULED", "SUCCESS")
        assert run["createdAt"] == occurrence and run["startTime"] == occurrence
        assert run["endTime"] == occurrence + datetime.timedelta(minutes=1)
    second = dz.get_job_run(domainIdentifier=domain, identifier=runs[1]["runId"])
    sql = second["details"]["lineageRunDetails"]["sqlQueryRunDetails"]
    # The window each sync reads runs from the previous sync to this one.
    assert sql["queryStartTime"] == datetime.datetime(2031, 5, 1, 2, tzinfo=datetime.UTC)
    assert sql["queryEndTime"] == datetime.datetime(2031, 5, 2, 2, tzinfo=datetime.UTC)
    assert (sql["totalQueriesProcessed"], sql["numQueriesFailed"]) == (0, 0)
    assert second["jobId"] == job_id and second["id"] == runs[1]["runId"]


def test_a_sync_run_is_in_progress_until_its_minute_has_passed(aws: AWS) -> None:
    dz, domain = setup(aws)
    job_id = redshift(dz, domain, "analytics")["props"]["redshiftProperties"]["lineageSync"]["lineageJobId"]
    aws.control.advance_clock(to="2031-05-01T02:00:30Z")
    (run,) = dz.list_job_runs(domainIdentifier=domain, jobIdentifier=job_id)["items"]
    assert run["status"] == "IN_PROGRESS" and "endTime" not in run
    assert dz.list_job_runs(domainIdentifier=domain, jobIdentifier=job_id, status="SUCCESS")["items"] == []
    aws.control.advance_clock(seconds=30)
    done = dz.get_job_run(domainIdentifier=domain, identifier=run["runId"])
    assert done["status"] == "SUCCESS" and done["endTime"] == at("2031-05-01T02:01:00Z")


def test_a_disabled_sync_adds_no_runs(aws: AWS) -> None:
    dz, domain = setup(aws)
    sync = redshift(dz, domain, "adhoc", enabled=False)["props"]["redshiftProperties"]["lineageSync"]
    assert sync["enabled"] is False and "lineageJobId" not in sync
    fired = aws.control.advance_clock(seconds=3 * 86400)["Fired"]
    assert [f for f in fired if f["Action"] == "LineageSyncRunStarted"] == []


def test_a_deleted_connection_syncs_no_more(aws: AWS) -> None:
    dz, domain = setup(aws)
    connection = redshift(dz, domain, "analytics")
    job_id = connection["props"]["redshiftProperties"]["lineageSync"]["lineageJobId"]
    aws.control.advance_clock(seconds=86400)
    before = dz.list_job_runs(domainIdentifier=domain, jobIdentifier=job_id)["items"]
    assert len(before) == 1

    dz.delete_connection(domainIdentifier=domain, identifier=connection["connectionId"])
    fired = aws.control.advance_clock(seconds=3 * 86400)["Fired"]
    assert [f for f in fired if f["Action"] == "LineageSyncRunStarted"] == []
    after = dz.list_job_runs(domainIdentifier=domain, jobIdentifier=job_id)["items"]
    assert [run["runId"] for run in after] == [run["runId"] for run in before]  # the runs it had stay listed


def test_an_invalid_sync_schedule_is_refused_naming_the_member(aws: AWS) -> None:
    dz, domain = setup(aws)
    path = "props.redshiftProperties.lineageSync.schedule.schedule"
    for schedule in ("daily", "cron(0 2 * * *)", "cron(0 2 * * * *)", "cron(0 2 31 2 ? 1960)"):
        with pytest.raises(ClientError) as info:
            redshift(dz, domain, "analytics", schedule=schedule)
        error = info.value.response["Error"]
        assert error["Code"] == "ValidationException", schedule
        assert path in error["Message"] and schedule in error["Message"], schedule
    assert dz.list_connections(domainIdentifier=domain)["items"] == []
