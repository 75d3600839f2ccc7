from __future__ import annotations

import datetime
import re

import pytest
from botocore.exceptions import ClientError

from moto_glue_workflows import ControlError
from tests.conftest import AWS

ROLE = "arn:aws:iam::123456789012:role/datazone-exec"


def make_domain(dz, name: str = "sales") -> str:
    return dz.create_domain(name=name, domainExecutionRole=ROLE)["id"]


def error_of(call, *args, **kwargs) -> tuple[str, int, str]:
    with pytest.raises(ClientError) as info:
        call(*args, **kwargs)
    response = info.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Message"]


def test_seeded_run_reads_back_with_details_union(aws: AWS) -> None:
    dz = aws.client("datazone")
    domain = make_domain(dz)
    ids = aws.control.seed_datazone_job_runs(
        domain_identifier=domain,
        job_identifier="lineage-job-1",
        runs=[
            {
                "status": "PARTIALLY_SUCCEEDED",
                "runMode": "SCHEDULED",
                "createdAt": "2026-01-02T03:00:00Z",
                "startTime": 1767322860,
                "endTime": "2026-01-02T03:05:00+00:00",
                "details": {
                    "lineageRunDetails": {
                        "sqlQueryRunDetails": {
                            "queryStartTime": "2026-01-01T00:00:00Z",
                            "queryEndTime": "2026-01-02T00:00:00Z",
                            "totalQueriesProcessed": 120,
                            "numQueriesFailed": 2,
                            "errorMessages": ["syntax error at line 1", "permission denied"],
                        }
                    }
                },
                "error": {"message": "2 queries could not be parsed"},
            }
        ],
    )["ids"]
    assert len(ids) == 1 and re.fullmatch(r"[a-z0-9]{14}", ids[0])
    run = dz.get_job_run(domainIdentifier=domain, identifier=ids[0])
    assert run["id"] == ids[0] and run["domainId"] == domain and run["jobId"] == "lineage-job-1"
    assert run["jobType"] == "LINEAGE" and run["runMode"] == "SCHEDULED"
    assert run["status"] == "PARTIALLY_SUCCEEDED"
    assert run["error"] == {"message": "2 queries could not be parsed"}
    utc = datetime.UTC
    assert run["createdAt"] == datetime.datetime(2026, 1, 2, 3, 0, tzinfo=utc)
    assert run["startTime"] == datetime.datetime(2026, 1, 2, 3, 1, tzinfo=utc)
    assert run["endTime"] == datetime.datetime(2026, 1, 2, 3, 5, tzinfo=utc)
    sql = run["details"]["lineageRunDetails"]["sqlQueryRunDetails"]
    assert sql["totalQueriesProcessed"] == 120 and sql["numQueriesFailed"] == 2
    assert sql["queryEndTime"] == datetime.datetime(2026, 1, 2, tzinfo=utc)
    assert sql["errorMessages"] == ["syntax error at line 1", "permission denied"]
    assert aws.watcher.checked == 2


def test_omitted_fields_get_realistic_values(aws: AWS) -> None:
    dz = aws.client("datazone")
    domain = make_domain(dz)
    before = datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=1)
    ids = aws.control.seed_datazone_job_runs(
        domain_identifier=domain,
        job_identifier="job",
        runs=[{"status": "SCHEDULED"}, {"status": "IN_PROGRESS"}, {"status": "SUCCESS"}],
    )["ids"]
    scheduled, running, done = (dz.get_job_run(domainIdentifier=domain, identifier=i) for i in ids)
    for run in (scheduled, running, done):
        assert run["jobType"] == "LINEAGE" and run["runMode"] == "ON_DEMAND"
        assert run["createdAt"] >= before
        assert run["createdBy"] == "arn:aws:sts::123456789012:user/moto"
        assert "details" not in run and "error" not in run
    assert "startTime" not in scheduled and "endTime" not in scheduled
    assert "startTime" in running and "endTime" not in running
    assert done["startTime"] <= done["endTime"]


def test_list_job_runs_filters_sorts_and_pages(aws: AWS) -> None:
    dz = aws.client("datazone")
    domain = make_domain(dz)
    statuses = ["SUCCESS", "FAILED", "SUCCESS", "IN_PROGRESS", "SUCCESS"]
    ids = aws.control.seed_datazone_job_runs(
        domain_identifier=domain,
        job_identifier="job-a",
        runs=[{"status": s, "createdAt": 1767225600 + 60 * i} for i, s in enumerate(statuses)],
    )["ids"]
    aws.control.seed_datazone_job_runs(domain_identifier=domain, job_identifier="job-b", runs=[{"status": "SUCCESS"}])

    default = dz.list_job_runs(domainIdentifier=domain, jobIdentifier="job-a")["items"]
    assert [r["runId"] for r in default] == ids[::-1]
    ascending = dz.list_job_runs(domainIdentifier=domain, jobIdentifier="job-a", sortOrder="ASCENDING")["items"]
    assert [r["runId"] for r in ascending] == ids
    assert {r["jobId"] for r in ascending} == {"job-a"}

    succeeded = dz.list_job_runs(
        domainIdentifier=domain, jobIdentifier="job-a", status="SUCCESS", sortOrder="ASCENDING"
    )
    assert [r["runId"] for r in succeeded["items"]] == [ids[0], ids[2], ids[4]]

    seen, token, pages = [], None, 0
    while True:
        kwargs = {"nextToken": token} if token else {}
        page = dz.list_job_runs(
            domainIdentifier=domain, jobIdentifier="job-a", maxResults=2, sortOrder="ASCENDING", **kwargs
        )
        pages += 1
        seen += [r["runId"] for r in page["items"]]
        token = page.get("nextToken")
        if not token:
            break
    assert seen == ids and pages == 3

    paginator = dz.get_paginator("list_job_runs")
    runs = [
        r["runId"]
        for p in paginator.paginate(domainIdentifier=domain, jobIdentifier="job-a", PaginationConfig={"PageSize": 1})
        for r in p["items"]
    ]
    assert sorted(runs) == sorted(ids)

    assert dz.list_job_runs(domainIdentifier=domain, jobIdentifier="never-ran")["items"] == []


def test_job_run_errors(aws: AWS) -> None:
    dz = aws.client("datazone")
    domain = make_domain(dz)
    code, status, message = error_of(dz.get_job_run, domainIdentifier=domain, identifier="missing")
    assert (code, status) == ("ResourceNotFoundException", 404) and "missing" in message
    # A domain that is not there: 403, naming the operation (terraform-provider-aws datazone/errors.go)
    code, status, message = error_of(dz.get_job_run, domainIdentifier="dzd_doesnotexist00", identifier="abc")
    assert (code, status, message) == (
        "AccessDeniedException",
        403,
        "User is not permitted to perform operation: GetJobRun",
    )
    code, status, message = error_of(dz.list_job_runs, domainIdentifier="dzd_doesnotexist00", jobIdentifier="abc")
    assert (code, status, message) == (
        "AccessDeniedException",
        403,
        "User is not permitted to perform operation: ListJobRuns",
    )
    code, status, message = error_of(dz.list_job_runs, domainIdentifier=domain, jobIdentifier="job", maxResults=51)
    assert (code, status) == ("ValidationException", 400) and "maxResults" in message
    code, status, message = error_of(
        dz.list_job_runs, domainIdentifier=domain, jobIdentifier="job", sortOrder="SIDEWAYS"
    )
    assert (code, status) == ("ValidationException", 400) and "sortOrder" in message
    code, status, message = error_of(dz.list_job_runs, domainIdentifier=domain, jobIdentifier="job", status="DONE")
    assert (code, status) == ("ValidationException", 400) and "status" in message
    code, status, message = error_of(
        dz.list_job_runs, domainIdentifier=domain, jobIdentifier="job", nextToken="garbage"
    )
    assert (code, status) == ("ValidationException", 400) and "nextToken" in message
    code, status, message = error_of(dz.get_job_run, domainIdentifier="not-a-domain", identifier="abc")
    assert (code, status) == ("ValidationException", 400) and "domainIdentifier" in message
    code, status, message = error_of(dz.get_job_run, domainIdentifier=domain, identifier="bad id!")
    assert (code, status) == ("ValidationException", 400) and "identifier" in message


BAD_RUNS = [
    ({"status": "DONE"}, "runs.1.status"),
    ({"status": "SUCCESS", "runMode": "WEEKLY"}, "runs.1.runMode"),
    ({"runMode": "SCHEDULED"}, "runs.1.status"),
    (
        {"status": "SUCCESS", "details": {"lineageRunDetails": {"sqlQueryRunDetails": {}}, "other": {}}},
        "runs.1.details",
    ),
    ({"status": "SUCCESS", "details": {}}, "runs.1.details"),
    (
        {"status": "FAILED", "details": {"lineageRunDetails": {"sqlQueryRunDetails": {"errorMessages": ["e"] * 11}}}},
        "runs.1.details.lineageRunDetails.sqlQueryRunDetails.errorMessages",
    ),
    ({"status": "FAILED", "error": {}}, "runs.1.error.message"),
    ({"status": "FAILED", "error": {"message": 5}}, "runs.1.error.message"),
    ({"status": "IN_PROGRESS", "endTime": "2026-01-01T00:00:00Z"}, "runs.1.endTime"),
    ({"status": "SUCCESS", "createdAt": "yesterday"}, "runs.1.createdAt"),
    ({"status": "SUCCESS", "startTime": 100, "endTime": 50, "createdAt": 10}, "runs.1.endTime"),
    ({"status": "SUCCESS", "colour": "blue"}, "runs.1.colour"),
]


@pytest.mark.parametrize(("run", "field"), BAD_RUNS)
def test_seed_refuses_what_the_model_does_not_allow(aws: AWS, run: dict, field: str) -> None:
    dz = aws.client("datazone")
    domain = make_domain(dz)
    aws.control.seed_datazone_job_runs(domain_identifier=domain, job_identifier="job", runs=[{"status": "SUCCESS"}])
    with pytest.raises(ControlError) as info:
        aws.control.seed_datazone_job_runs(domain_identifier=domain, job_identifier="job", runs=[run])
    assert info.value.status == 400 and info.value.code == "ValidationException"
    assert f"'{field}'" in info.value.message
    assert len(dz.list_job_runs(domainIdentifier=domain, jobIdentifier="job")["items"]) == 1


def test_seed_is_all_or_nothing_and_checks_the_domain(aws: AWS) -> None:
    dz = aws.client("datazone")
    domain = make_domain(dz)
    with pytest.raises(ControlError) as info:
        aws.control.seed_datazone_job_runs(
            domain_identifier=domain, job_identifier="job", runs=[{"status": "SUCCESS"}, {"status": "NOPE"}]
        )
    assert "'runs.2.status'" in info.value.message
    assert dz.list_job_runs(domainIdentifier=domain, jobIdentifier="job")["items"] == []
    with pytest.raises(ControlError) as info:
        aws.control.seed_datazone_job_runs(
            domain_identifier="dzd_unknown0000000", job_identifier="job", runs=[{"status": "SUCCESS"}]
        )
    assert (info.value.status, info.value.code) == (404, "ResourceNotFoundException")
    with pytest.raises(ControlError) as info:
        aws.control.seed_datazone_job_runs(
            domain_identifier=domain, job_identifier="job/1", runs=[{"status": "SUCCESS"}]
        )
    assert info.value.status == 400 and "jobIdentifier" in info.value.message
    with pytest.raises(ControlError) as info:
        aws.control.seed_datazone_job_runs(domain_identifier=domain, job_identifier="job", runs=[])
    assert info.value.status == 400 and "'runs'" in info.value.message


def test_a_deleting_domain_takes_no_more_writes(aws: AWS) -> None:
    """Writes racing a DeleteDomain must not outlive it: while the domain reads DELETING, seeding runs,
    posting lineage and creating connections answer ConflictException and store nothing."""
    from tests.test_datazone_connections import redshift
    from tests.test_datazone_lineage import post, run_event

    dz = aws.client("datazone")
    aws.set_transition("datazone::domain", {"progression": "manual", "times": 3})
    domain = make_domain(dz, "doomed")
    for _ in range(3):
        dz.get_domain(identifier=domain)  # CREATING -> AVAILABLE
    assert dz.get_domain(identifier=domain)["status"] == "AVAILABLE"
    aws.control.seed_datazone_job_runs(domain_identifier=domain, job_identifier="job", runs=[{"status": "SUCCESS"}])
    assert dz.delete_domain(identifier=domain)["status"] == "DELETING"
    assert dz.get_domain(identifier=domain)["status"] == "DELETING"
    with pytest.raises(ControlError) as info:
        aws.control.seed_datazone_job_runs(domain_identifier=domain, job_identifier="job", runs=[{"status": "SUCCESS"}])
    assert (info.value.status, info.value.code) == (409, "ConflictException")
    assert f"Domain {domain} is being deleted" in info.value.message
    code, status, message = error_of(post, dz, domain, run_event())
    assert (code, status) == ("ConflictException", 409) and "being deleted" in message
    code, status, _ = error_of(redshift, "late", dz, domain)
    assert (code, status) == ("ConflictException", 409)
    assert dz.list_job_runs(domainIdentifier=domain, jobIdentifier="job")["items"] == []
    assert dz.list_lineage_events(domainIdentifier=domain)["items"] == []
    assert dz.list_connections(domainIdentifier=domain)["items"] == []


def test_a_seeded_run_keeps_what_was_seeded_when_the_description_changes_after(aws: AWS) -> None:
    dz = aws.client("datazone")
    domain = make_domain(dz)
    spec: dict = {
        "status": "FAILED",
        "details": {"lineageRunDetails": {"sqlQueryRunDetails": {"errorMessages": ["first"]}}},
        "error": {"message": "x"},
    }
    [run_id] = aws.control.seed_datazone_job_runs(domain_identifier=domain, job_identifier="job", runs=[spec])["ids"]
    spec["details"]["lineageRunDetails"]["sqlQueryRunDetails"]["errorMessages"].append("added later")
    spec["error"]["message"] = "changed later"
    run = dz.get_job_run(domainIdentifier=domain, identifier=run_id)
    assert run["details"]["lineageRunDetails"]["sqlQueryRunDetails"]["errorMessages"] == ["first"]
    assert run["error"] == {"message": "x"}
