"""Seeded DataZone job runs: createdAt defaults to no later than the earliest time given, and
timestamps at the edge of the date range are refused as bad input (400), never a 500."""

from __future__ import annotations

import datetime

import pytest
import requests

from moto_glue_workflows import ControlError
from tests.conftest import AWS

ROLE = "arn:aws:iam::123456789012:role/datazone-exec"


def test_created_at_defaults_to_the_earliest_time_given(aws: AWS) -> None:
    dz = aws.client("datazone")
    domain = dz.create_domain(name="sales", domainExecutionRole=ROLE)["id"]
    (run_id,) = aws.control.seed_datazone_job_runs(
        domain_identifier=domain,
        job_identifier="job",
        runs=[{"status": "SUCCESS", "startTime": "2020-05-01T10:00:00Z", "endTime": "2020-05-01T10:05:00Z"}],
    )["ids"]
    run = dz.get_job_run(domainIdentifier=domain, identifier=run_id)
    assert run["createdAt"] == run["startTime"] == datetime.datetime(2020, 5, 1, 10, tzinfo=datetime.UTC)
    assert run["endTime"] == datetime.datetime(2020, 5, 1, 10, 5, tzinfo=datetime.UTC)
    (later,) = aws.control.seed_datazone_job_runs(
        domain_identifier=domain, job_identifier="job", runs=[{"status": "SUCCESS", "endTime": "2020-06-01T00:00:00Z"}]
    )["ids"]
    run = dz.get_job_run(domainIdentifier=domain, identifier=later)
    assert run["createdAt"] <= run["startTime"] <= run["endTime"]


@pytest.mark.parametrize(
    "moment", ["9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00", 253402300800, -62135596801]
)
def test_timestamps_past_the_date_range_are_refused(aws: AWS, moment: object) -> None:
    dz = aws.client("datazone")
    domain = dz.create_domain(name="sales", domainExecutionRole=ROLE)["id"]
    runs = [{"status": "SUCCESS", "startTime": moment}]
    with pytest.raises(ControlError) as info:
        aws.control.seed_datazone_job_runs(domain_identifier=domain, job_identifier="job", runs=runs)
    assert info.value.status == 400 and info.value.code == "ValidationException"
    assert "startTime" in info.value.message
    if aws.endpoint_url:  # the endpoint itself answers 400, not 500
        answer = requests.post(
            f"{aws.endpoint_url}/moto-api/static/datazone/job-runs",
            json={"domainIdentifier": domain, "jobIdentifier": "job", "runs": runs},
            timeout=10,
        )
        assert answer.status_code == 400 and answer.json()["code"] == "ValidationException"
    # The last representable instant itself is fine.
    (run_id,) = aws.control.seed_datazone_job_runs(
        domain_identifier=domain, job_identifier="job", runs=[{"status": "SUCCESS", "endTime": "9999-12-31T23:59:59Z"}]
    )["ids"]
    assert dz.get_job_run(domainIdentifier=domain, identifier=run_id)["endTime"].year == 9999
