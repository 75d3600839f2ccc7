"""How Step Functions hands Glue's answers to a state machine: as JSON, never as Python objects.

moto runs state machines with LocalStack's interpreter, whose Glue integrations call Glue through boto3
and keep boto3's parsed answer, ``datetime`` objects included. Those reach moto's DescribeExecution,
which cannot write them (``TypeError: Object of type datetime is not JSON serializable``), and a
Choice state cannot compare them. AWS's state machines only ever see JSON:

- ``arn:aws:states:::glue:startJobRun.sync`` ends with the run's GetJobRun ``JobRun``, its members in
  alphabetical order and its times in epoch milliseconds, both on success and in the ``States.TaskFailed``
  cause (captured outputs: aws-samples/serverless-patterns ``sfn-glue-sam/README.md``,
  ``"CompletedOn": 1638296059130``; a Step Functions failure event quoted in an AWS sample's
  ``etl_job_auditor`` tests,
  ``"Error": "States.TaskFailed"`` with the JobRun, ``"ErrorMessage"`` included, as its ``Cause``).
- ``arn:aws:states:::aws-sdk:glue:*`` hands the SDK's answer over; no capture of its time format was
  found, so times are ISO 8601 strings in UTC, the form moto's interpreter writes them in everywhere else
  (its execution history and outputs). docs/orchestrators.md says so.

The seam (``_moto.integrate_step_functions``) applies these to the answers of the Glue clients the
interpreter makes, and to nothing else.
"""

from __future__ import annotations

import datetime
from typing import Any

_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def epoch_millis(moment: datetime.datetime) -> int:
    """``moment`` as Step Functions writes Glue's times in a ``.sync`` output."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return (moment - _EPOCH) // datetime.timedelta(milliseconds=1)


def _convert(value: Any, write_time: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return write_time(value)
    if isinstance(value, dict):
        return {key: _convert(member, write_time) for key, member in value.items()}
    if isinstance(value, list):
        return [_convert(member, write_time) for member in value]
    return value


def job_run_for_sync(parsed: dict[str, Any]) -> None:
    """GetJobRun's answer, in place, as ``glue:startJobRun.sync`` outputs it: the JobRun's members
    sorted, times in epoch milliseconds."""
    job_run = parsed.get("JobRun")
    if isinstance(job_run, dict):
        parsed["JobRun"] = {key: _convert(job_run[key], epoch_millis) for key in sorted(job_run)}


def _iso_utc(moment: datetime.datetime) -> str:
    # botocore hands times over in the host's zone; AWS's are UTC, whatever zone the test machine is in
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(datetime.UTC).isoformat()


def sdk_answer(parsed: dict[str, Any]) -> None:
    """Any Glue answer, in place, as ``aws-sdk:glue:*`` outputs it: times as ISO 8601 strings in UTC."""
    for key, value in list(parsed.items()):
        parsed[key] = _convert(value, _iso_utc)
