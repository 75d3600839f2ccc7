"""BatchStopJobRun: running runs are stopped, the others reported per run."""

from __future__ import annotations

from tests.conftest import AWS
from tests.glue_helpers import error_of, job

MANUAL = {"progression": "manual", "times": 1}


def test_batch_stop_stops_running_runs_and_reports_the_others(aws: AWS) -> None:
    glue = aws.client("glue")
    job(glue, "etl", ExecutionProperty={"MaxConcurrentRuns": 3})
    finished = glue.start_job_run(JobName="etl")["JobRunId"]
    assert glue.get_job_run(JobName="etl", RunId=finished)["JobRun"]["JobRunState"] == "SUCCEEDED"
    aws.set_transition("glue::job_run", MANUAL)
    first = glue.start_job_run(JobName="etl")["JobRunId"]
    second = glue.start_job_run(JobName="etl")["JobRunId"]
    answer = glue.batch_stop_job_run(JobName="etl", JobRunIds=[first, second, finished, "jr_missing"])
    assert answer["SuccessfulSubmissions"] == [
        {"JobName": "etl", "JobRunId": first},
        {"JobName": "etl", "JobRunId": second},
    ]
    errors = {e["JobRunId"]: e for e in answer["Errors"]}
    assert set(errors) == {finished, "jr_missing"}
    assert errors[finished]["JobName"] == "etl"
    assert errors[finished]["ErrorDetail"]["ErrorCode"] == "InvalidInputException"
    assert "SUCCEEDED" in errors[finished]["ErrorDetail"]["ErrorMessage"]
    assert errors["jr_missing"]["ErrorDetail"]["ErrorCode"] == "EntityNotFoundException"
    states = []
    for _ in range(3):
        states.append(glue.get_job_run(JobName="etl", RunId=first)["JobRun"]["JobRunState"])
    assert states[-1] == "STOPPED" and set(states) <= {"STOPPING", "STOPPED"}
    # Stopped runs are reported as errors when stopped again.
    again = glue.batch_stop_job_run(JobName="etl", JobRunIds=[first])
    assert again["SuccessfulSubmissions"] == [] and again["Errors"][0]["JobRunId"] == first


def test_batch_stop_refuses_bad_input(aws: AWS) -> None:
    glue = aws.client("glue")
    job(glue, "etl")
    missing = glue.batch_stop_job_run(JobName="missing", JobRunIds=["jr_x"])
    assert missing["SuccessfulSubmissions"] == []
    assert missing["Errors"] == [
        {
            "JobName": "missing",
            "JobRunId": "jr_x",
            "ErrorDetail": {"ErrorCode": "EntityNotFoundException", "ErrorMessage": "Job missing not found."},
        }
    ]
    code, message = error_of(glue.batch_stop_job_run, JobName="etl", JobRunIds=[f"jr_{i}" for i in range(26)])
    assert code == "ValidationException" and "jobRunIds" in message
