"""Job runs as GetJobRun reports them, whoever started them."""

from __future__ import annotations

import re

from tests.conftest import AWS
from tests.glue_helpers import error_of, job

MANUAL = {"progression": "manual", "times": 1}


def test_running_job_run_reports_no_completion(aws: AWS) -> None:
    glue = aws.client("glue")
    job(glue, "etl", DefaultArguments={"--a": "default", "--b": "kept"}, Timeout=60, GlueVersion="4.0")
    aws.set_transition("glue::job_run", MANUAL)
    run_id = glue.start_job_run(JobName="etl", Arguments={"--a": "given"})["JobRunId"]
    assert re.fullmatch(r"jr_[0-9a-f]{64}", run_id)
    states = []
    for _ in range(5):
        run = glue.get_job_run(JobName="etl", RunId=run_id)["JobRun"]
        states.append(run["JobRunState"])
        if run["JobRunState"] in ("STARTING", "RUNNING"):
            assert "CompletedOn" not in run
        if run["JobRunState"] == "SUCCEEDED":
            break
    assert states == ["RUNNING", "SUCCEEDED"] or states == ["STARTING", "RUNNING", "SUCCEEDED"]
    assert run["CompletedOn"] >= run["StartedOn"]
    assert run["ExecutionTime"] == int((run["CompletedOn"] - run["StartedOn"]).total_seconds())
    assert run["Arguments"] == {"--a": "given", "--b": "kept"}
    assert run["Timeout"] == 60 and run["GlueVersion"] == "4.0"
    assert run["LogGroupName"] == "/aws-glue/jobs" and run["Attempt"] == 0
    assert "TriggerName" not in run and "PreviousRunId" not in run and "DPUSeconds" not in run
    assert run["PredecessorRuns"] == []  # always there, as AWS answers (aws-cli's get-job-run example)
    assert glue.get_job_run(JobName="etl", RunId=run_id, PredecessorsIncluded=True)["JobRun"]["PredecessorRuns"] == []


def test_flex_runs_report_dpu_seconds_and_retries_keep_previous_run_id(aws: AWS) -> None:
    glue = aws.client("glue")
    job(glue, "flex", ExecutionClass="FLEX", WorkerType="G.1X", NumberOfWorkers=4)
    first = glue.start_job_run(JobName="flex")["JobRunId"]
    run = glue.get_job_run(JobName="flex", RunId=first)["JobRun"]
    assert run["ExecutionClass"] == "FLEX" and run["WorkerType"] == "G.1X" and run["NumberOfWorkers"] == 4
    assert run["DPUSeconds"] == float(run["ExecutionTime"] * 4)
    retry = glue.start_job_run(JobName="flex", JobRunId=first)["JobRunId"]
    assert glue.get_job_run(JobName="flex", RunId=retry)["JobRun"]["PreviousRunId"] == first


def test_get_job_runs_pages_newest_first(aws: AWS) -> None:
    glue = aws.client("glue")
    job(glue, "j")
    ids = [glue.start_job_run(JobName="j")["JobRunId"] for _ in range(5)]
    assert [r["Id"] for r in glue.get_job_runs(JobName="j")["JobRuns"]] == ids[::-1]
    seen, token = [], None
    while True:
        page = glue.get_job_runs(JobName="j", MaxResults=2, **({"NextToken": token} if token else {}))
        seen += [r["Id"] for r in page["JobRuns"]]
        token = page.get("NextToken")
        if not token:
            break
    assert seen == ids[::-1]
    assert error_of(glue.get_job_runs, JobName="j", MaxResults=201)[0] == "ValidationException"


def test_job_run_errors(aws: AWS) -> None:
    glue = aws.client("glue")
    job(glue, "j")
    assert error_of(glue.start_job_run, JobName="missing")[0] == "EntityNotFoundException"
    assert error_of(glue.get_job_run, JobName="missing", RunId="jr_x")[0] == "EntityNotFoundException"
    assert error_of(glue.get_job_run, JobName="j", RunId="jr_x")[0] == "EntityNotFoundException"
    assert error_of(glue.start_job_run, JobName="j", AllocatedCapacity=2, MaxCapacity=2.0)[0] == "InvalidInputException"
    code, message = error_of(glue.start_job_run, JobName="j", WorkerType="G.3X")
    assert code == "ValidationException" and "Value 'G.3X' at 'workerType' failed to satisfy constraint: " in message
    assert "Member must satisfy enum value set: [" in message
    aws.set_transition("glue::job_run", MANUAL)
    glue.start_job_run(JobName="j")
    code, message = error_of(glue.start_job_run, JobName="j")
    # AWS's wording (a real answer: aws-solutions/amazon-marketing-cloud-uploader-from-aws issue 51).
    assert (code, message) == ("ConcurrentRunsExceededException", "Concurrent runs exceeded for j")


def test_crawl_outcomes_apply_to_start_crawler(aws: AWS) -> None:
    glue = aws.client("glue")
    glue.create_crawler(
        Name="c",
        Role="arn:aws:iam::123456789012:role/r",
        DatabaseName="db",
        Targets={"S3Targets": [{"Path": "s3://x/"}]},
    )
    aws.control.set_crawl_outcome(crawler_name="c", state="CANCELLED")
    glue.start_crawler(Name="c")
    code, _ = error_of(glue.start_crawler, Name="c")
    assert code == "CrawlerRunningException"
    crawls = glue.list_crawls(CrawlerName="c")["Crawls"]
    assert [c["State"] for c in crawls] == ["STOPPED"]
    crawler = glue.get_crawler(Name="c")["Crawler"]
    assert crawler["State"] == "READY" and crawler["LastCrawl"]["Status"] == "CANCELLED"
    assert error_of(glue.start_crawler, Name="missing")[0] == "EntityNotFoundException"


def test_an_ended_run_answers_the_same_until_it_is_forgotten(aws: AWS) -> None:
    """Polling a run after it ended gives the same answer each time (its body is kept once serialized),
    and only an ended one is kept: every state on the way shows, PredecessorsIncluded still shapes the
    answer, a run retention forgot is not found, and after a reset a new run of the same names answers
    for itself."""
    import requests

    glue = aws.client("glue")
    job(glue, "etl")
    aws.set_transition("glue::job_run", MANUAL)
    run_id = glue.start_job_run(JobName="etl")["JobRunId"]
    seen = []
    for _ in range(6):
        run = glue.get_job_run(JobName="etl", RunId=run_id)["JobRun"]
        seen.append(run["JobRunState"])
    assert seen[-3:] == ["SUCCEEDED"] * 3 and "RUNNING" in seen
    again = [glue.get_job_run(JobName="etl", RunId=run_id)["JobRun"] for _ in range(3)]
    assert again == [run] * 3 and run["CompletedOn"] >= run["StartedOn"]
    with_predecessors = glue.get_job_run(JobName="etl", RunId=run_id, PredecessorsIncluded=True)["JobRun"]
    assert with_predecessors == run  # no predecessors: the same answer
    assert glue.get_job_run(JobName="etl", RunId=run_id)["JobRun"] == run

    aws.control.advance_clock(seconds=366 * 86400)  # past the 365 days AWS keeps job runs
    assert error_of(glue.get_job_run, JobName="etl", RunId=run_id)[0] == "EntityNotFoundException"

    reset = f"{aws.endpoint_url or 'http://motoapi.amazonaws.com'}/moto-api/reset"
    requests.post(reset, timeout=10).raise_for_status()
    job(glue, "etl")
    aws.control.set_job_run_outcome(job_name="etl", state="FAILED", error_message="bad row 7")
    failed = glue.start_job_run(JobName="etl")["JobRunId"]
    answers = [glue.get_job_run(JobName="etl", RunId=failed)["JobRun"] for _ in range(6)]  # still manual
    assert [a["JobRunState"] for a in answers[-3:]] == ["FAILED"] * 3 and answers[-1]["ErrorMessage"] == "bad row 7"
    assert answers[-3] == answers[-2] == answers[-1] and answers[-1]["Id"] == failed
