"""Bad input and far-off time never break the mock (issue 22): each case is a clear 4xx or a FAILED run, with
nothing lost and the mock still answering afterwards, in both modes."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from botocore.exceptions import ClientError

from moto_glue_workflows.control.endpoints import ControlError
from moto_glue_workflows.events import cron, timeline
from tests.conftest import AWS
from tests.glue_helpers import job

HUGE = 10**400  # an integer no float holds


def _refused(call: Any, **kwargs: Any) -> ControlError:
    with pytest.raises(ControlError) as refused:
        call(**kwargs)
    return refused.value


def _still_answers(aws: AWS) -> None:
    """The mock after the case: the clock reads, Glue and DataZone take writes."""
    assert aws.control.advance_clock(seconds=0)["Now"]
    glue = aws.client("glue")
    glue.create_workflow(Name="still-here")
    assert glue.get_workflow(Name="still-here")["Workflow"]["Name"] == "still-here"
    dz = aws.client("datazone")
    assert dz.create_domain(name="still", domainExecutionRole="arn:aws:iam::123456789012:role/r")["id"]


def _scheduled(aws: AWS, names: list[str], schedule: str) -> Any:
    """Job ``j`` (made once) and an ACTIVATED SCHEDULED trigger of it per name, on ``schedule``; the Glue client."""
    glue = aws.client("glue")
    if "j" not in glue.list_jobs()["JobNames"]:
        job(glue, "j")
    for name in names:
        glue.create_trigger(
            Name=name, Type="SCHEDULED", Schedule=schedule, Actions=[{"JobName": "j"}], StartOnCreation=True
        )
    return glue


def test_control_numbers_beyond_any_float_are_refused_naming_the_field(aws: AWS) -> None:
    error = _refused(aws.control.advance_clock, seconds=HUGE)
    assert (error.status, error.code) == (400, "ValidationException")
    assert error.message.startswith("AdvanceSeconds 1000000000") and "past the latest time" in error.message
    error = _refused(aws.control.set_blueprint_run_limits, time_limit_seconds=HUGE)
    assert error.status == 400 and "TimeLimitSeconds" in error.message
    for bad in (float("nan"), float("inf"), -HUGE):
        assert _refused(aws.control.advance_clock, seconds=bad).status == 400
    _still_answers(aws)


def test_the_clock_stops_short_of_the_last_representable_time(aws: AWS) -> None:
    for to in ("9999-12-31T23:59:58Z", "9999-12-31T23:59:59.999999Z", "9999-06-01T00:00:00Z"):
        error = _refused(aws.control.advance_clock, to=to)
        assert error.status == 400 and "past the latest time the mock's clock shows (9998-12-31T23:59:59Z)" in (
            error.message
        )
    glue = aws.client("glue")
    job(glue, "slow")
    aws.set_transition("glue::job_run", {"progression": "manual", "times": 100})
    run_id = glue.start_job_run(JobName="slow", Timeout=2**31 - 1)["JobRunId"]  # a deadline no date can hold
    glue.get_job_run(JobName="slow", RunId=run_id)
    answer = aws.control.advance_clock(to="9998-12-31T23:59:59Z")  # the latest time: taken
    assert answer["Now"].startswith("9998-12-31T23:59:59")
    # Its deadline never came; its record is gone with the rest of the job's history older than a year
    # (glue/retention.py).
    assert glue.get_job_runs(JobName="slow")["JobRuns"] == []
    _still_answers(aws)
    assert aws.control.advance_clock(seconds=0)["Now"].startswith("9998-12-31T23:5")


def test_a_schedule_that_never_fires_costs_one_reading(aws: AWS, monkeypatch: pytest.MonkeyPatch) -> None:
    """February 30th never comes: ten such triggers are read to their last year once each, not at every
    moment an advance visits (here, the hourly trigger's 48 firings)."""
    readings = 0
    next_after = cron.Cron.next_after

    def counted(self: cron.Cron, moment: datetime.datetime) -> datetime.datetime | None:
        nonlocal readings
        readings += 1
        return next_after(self, moment)

    monkeypatch.setattr(cron.Cron, "next_after", counted)  # mgw_server serves from this process too
    _scheduled(aws, [f"never{index}" for index in range(10)], "cron(0 0 30 2 ? *)")
    _scheduled(aws, ["hourly"], "cron(0 * * * ? *)")
    fired = aws.control.advance_clock(seconds=48 * 3600)["Fired"]
    assert [f["TriggerName"] for f in fired] == ["hourly"] * 48
    assert readings <= 10 + 48 + 2, readings


def test_an_advance_does_a_bounded_amount_and_says_where_it_stopped(aws: AWS, monkeypatch: pytest.MonkeyPatch) -> None:
    limit = 120
    monkeypatch.setattr(timeline, "WORK_LIMIT", limit)  # mgw_server serves from this process too
    glue = _scheduled(aws, [f"minutely{index}" for index in range(5)], "cron(* * * * ? *)")
    minutes = limit // 5 + 10  # more firings than one advance does, fewer than two
    before = datetime.datetime.fromisoformat(aws.control.advance_clock(seconds=0)["Now"])
    answer = aws.control.advance_clock(seconds=minutes * 60)
    stopped_at = datetime.datetime.fromisoformat(answer["Now"])
    assert "Stopped" in answer and answer["Stopped"]["Reason"].startswith(f"One advance does at most {limit} things")
    assert before < stopped_at < before + datetime.timedelta(minutes=minutes)
    count = answer.get("FiredCount", len(answer["Fired"]))
    assert limit <= count < limit + 5
    if "FiredSummary" in answer:
        assert sum(entry["Count"] for entry in answer["FiredSummary"]) == count
    # the rest on the next advance, none lost or fired twice
    rest = aws.control.advance_clock(to=answer["Stopped"]["RequestedTo"])
    assert "Stopped" not in rest
    total = count + rest.get("FiredCount", len(rest["Fired"]))
    assert total == 5 * minutes or total == 5 * (minutes - 1) or total == 5 * (minutes + 1)
    assert len(glue.get_job_runs(JobName="j", MaxResults=200)["JobRuns"]) == total


def test_an_answer_lists_a_bounded_number_and_counts_the_rest(aws: AWS) -> None:
    _scheduled(aws, [f"minutely{index}" for index in range(10)], "cron(* * * * ? *)")
    answer = aws.control.advance_clock(seconds=60 * 60)  # 600 firings
    assert "Stopped" not in answer
    assert len(answer["Fired"]) == 500 and answer["FiredCount"] in (590, 600, 610)
    summary = {entry["TriggerName"]: entry["Count"] for entry in answer["FiredSummary"]}
    assert set(summary) == {f"minutely{index}" for index in range(10)}
    assert sum(summary.values()) == answer["FiredCount"]


@pytest.mark.parametrize("schedule", ["cron(² * * * ? *)", "cron(0 * * * ? " + "9" * 5000 + ")", "cron(0/٣ * * * ? *)"])
def test_a_schedule_outside_awss_grammar_is_glues_invalid_input(aws: AWS, schedule: str) -> None:
    glue = aws.client("glue")
    job(glue, "j")
    with pytest.raises(ClientError) as refused:
        glue.create_trigger(Name="t", Type="SCHEDULED", Schedule=schedule, Actions=[{"JobName": "j"}])
    error = refused.value.response["Error"]
    assert (refused.value.response["ResponseMetadata"]["HTTPStatusCode"], error["Code"]) == (
        400,
        "InvalidInputException",
    )
    assert error["Message"].startswith("The schedule cron(")
    assert glue.list_triggers()["TriggerNames"] == []
    glue.create_trigger(Name="t", Type="SCHEDULED", Schedule="cron(0 * * * ? *)", Actions=[{"JobName": "j"}])
    with pytest.raises(ClientError) as refused:
        glue.update_trigger(Name="t", TriggerUpdate={"Schedule": schedule})
    assert refused.value.response["Error"]["Code"] == "InvalidInputException"
    assert glue.get_trigger(Name="t")["Trigger"]["Schedule"] == "cron(0 * * * ? *)"


def test_the_cron_parser_refuses_what_int_would_choke_on() -> None:
    for text in ("cron(² * * * ? *)", "cron(0 " + "1" * 5000 + " * * ? *)", "cron(0 0 1/٣ * ? *)"):
        with pytest.raises(cron.CronError) as refused:
            cron.Cron.parse(text)
        assert len(str(refused.value)) < 300


def _nested_parquet(depth: int) -> bytes:
    import pyarrow as pa

    from tests.test_crawls import parquet_bytes

    kind: Any = pa.int32()
    for _ in range(depth):
        kind = pa.struct([("x", kind)])
    value: Any = 1
    for _ in range(depth):
        value = {"x": value}
    return parquet_bytes(pa.table({"deep": pa.array([value], kind)}))


def _gzip_bomb(megabytes: int) -> bytes:
    import zlib

    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b"0" * (1 << 20)
    return b"".join([*(packer.compress(chunk) for _ in range(megabytes)), packer.flush()])


BAD_FILES = {
    "long_field.csv": b"a,b\n" + b"x" * (200 * 1024) + b",1\n",
    "long_line.csv": b"a,b\n1," + b"y" * (10 * 1024 * 1024) + b"\n",
    "deep.json": ('{"a": ' * 900 + "1" + "}" * 900 + "\n").encode(),
    "fake.parquet": b"PAR1" + b"not parquet at all" + b"PAR1",
    "truncated.parquet": None,  # a real file cut short: filled in below
    "deep.parquet": None,
    "bomb.csv.gz": None,
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_file_that_cannot_be_read_fails_the_crawl_naming_it_and_the_rest_is_catalogued(aws: AWS, name: str) -> None:
    import pyarrow as pa

    from tests.test_crawls import parquet_bytes

    data = BAD_FILES[name]
    if name == "truncated.parquet":
        whole = parquet_bytes(pa.table({"a": list(range(1000))}))
        data = whole[: len(whole) // 2] + b"PAR1"
    elif name == "deep.parquet":
        data = _nested_parquet(200)
    elif name == "bomb.csv.gz":
        data = _gzip_bomb(200)  # 200 MB of zeros in ~200 KB: decompressed no further than a MiB, one long line
    s3, glue = aws.client("s3"), aws.client("glue")
    s3.create_bucket(Bucket="lake")
    s3.put_object(Bucket="lake", Key="data/good/orders.csv", Body=b"id,name\n1,a\n2,b\n")
    s3.put_object(Bucket="lake", Key=f"data/bad/{name}", Body=data)
    glue.create_crawler(
        Name="c",
        Role="arn:aws:iam::123456789012:role/glue",
        DatabaseName="db",
        Targets={"S3Targets": [{"Path": "s3://lake/data/"}]},
    )
    glue.start_crawler(Name="c")
    [crawl] = glue.list_crawls(CrawlerName="c")["Crawls"]
    crawler = glue.get_crawler(Name="c")["Crawler"]
    assert crawl["State"] == "FAILED"
    assert crawl["ErrorMessage"].startswith(f"Unable to read s3://lake/data/bad/{name}: "), crawl["ErrorMessage"]
    assert crawler["State"] == "READY" and crawler["LastCrawl"]["Status"] == "FAILED"
    [table] = glue.get_tables(DatabaseName="db")["TableList"]  # the readable file is catalogued all the same
    assert [(c["Name"], c["Type"]) for c in table["StorageDescriptor"]["Columns"]] == [
        ("id", "bigint"),
        ("name", "string"),
    ]
    _still_answers(aws)


def test_a_rule_starts_no_workflow_of_another_account_or_region(aws: AWS, caplog: pytest.LogCaptureFixture) -> None:
    import json

    events = aws.client("events")
    for region, account in (("us-east-1", "222222222222"), ("eu-west-1", "123456789012")):
        glue = aws.client("glue", region_name=region, aws_access_key_id="AKIAIOSFODNN7EXAMPLE")
        if account != "123456789012":
            glue = _client_in_account(aws, "glue", account, region)
        glue.create_workflow(Name="victim")
        job(glue, "j")
        glue.create_trigger(Name="e", WorkflowName="victim", Type="EVENT", Actions=[{"JobName": "j"}])
    events.put_rule(Name="r", EventPattern=json.dumps({"source": ["my.app"]}))
    events.put_targets(
        Rule="r",
        Targets=[
            {"Id": "other-account", "Arn": "arn:aws:glue:us-east-1:222222222222:workflow/victim"},
            {"Id": "other-region", "Arn": "arn:aws:glue:eu-west-1:123456789012:workflow/victim"},
        ],
    )
    events.put_events(Entries=[{"Source": "my.app", "DetailType": "x", "Detail": "{}"}])
    assert _client_in_account(aws, "glue", "222222222222", "us-east-1").get_workflow_runs(Name="victim")["Runs"] == []
    assert aws.client("glue", region_name="eu-west-1").get_workflow_runs(Name="victim")["Runs"] == []
    if aws.mode == "decorator":
        assert "cannot start workflow arn:aws:glue:us-east-1:222222222222:workflow/victim" in caplog.text


def _client_in_account(aws: AWS, service: str, account: str, region: str) -> Any:
    """A client whose requests moto takes to be in ``account`` (moto's x-moto-account-id header)."""
    client = aws.client(service, region_name=region)
    client.meta.events.register(
        "before-sign.*.*", lambda request, **_: request.headers.__setitem__("x-moto-account-id", account)
    )
    return client


def test_events_that_cause_each_other_are_delivered_one_after_another_and_the_chain_stops(
    aws: AWS, caplog: pytest.LogCaptureFixture
) -> None:
    """A job that writes to the bucket whose uploads start its workflow: each upload's delivery comes after the
    one before has finished, never inside it, and the chain stops after batches.MAX_CHAIN deliveries."""
    import json

    import moto_glue_workflows
    from moto_glue_workflows.events import batches

    s3, events, glue = aws.client("s3"), aws.client("events"), aws.client("glue")
    s3.create_bucket(Bucket="loop")
    s3.put_bucket_notification_configuration(Bucket="loop", NotificationConfiguration={"EventBridgeConfiguration": {}})
    glue.create_workflow(Name="w")
    job(glue, "writer")
    glue.create_trigger(Name="e", WorkflowName="w", Type="EVENT", Actions=[{"JobName": "writer"}])
    pattern = {"source": ["aws.s3"], "detail-type": ["Object Created"], "detail": {"bucket": {"name": ["loop"]}}}
    events.put_rule(Name="uploads", EventPattern=json.dumps(pattern))
    events.put_targets(Rule="uploads", Targets=[{"Id": "w", "Arn": "arn:aws:glue:us-east-1:123456789012:workflow/w"}])
    depth = {"now": 0, "deepest": 0}

    def writer(arguments: dict[str, str], context: Any) -> None:
        depth["now"] += 1
        depth["deepest"] = max(depth["deepest"], depth["now"])
        try:
            count = len(context.client("s3").list_objects_v2(Bucket="loop").get("Contents", []))
            context.client("s3").put_object(Bucket="loop", Key=f"out/{count}.csv", Body=b"a,b\n1,2\n")
        finally:
            depth["now"] -= 1

    moto_glue_workflows.job_handler("writer")(writer)
    try:
        s3.put_object(Bucket="loop", Key="in/first.csv", Body=b"a,b\n1,2\n")
    finally:
        moto_glue_workflows.remove_job_handler("writer")
    runs = glue.get_workflow_runs(Name="w", MaxResults=100)["Runs"]
    assert len(runs) == batches.MAX_CHAIN
    assert all(run["Statistics"]["SucceededActions"] == 1 for run in runs)  # no job failed on recursion
    assert depth["deepest"] == 1  # no delivery ran inside another
    assert "chains stop after 16" in caplog.text


def test_control_characters_are_drawn_visibly_in_pictures_and_the_page(aws: AWS) -> None:
    import xml.etree.ElementTree as ElementTree

    import requests

    import moto_glue_workflows

    glue = aws.client("glue")
    glue.create_workflow(Name="w")
    job(glue, "j")
    glue.create_trigger(Name="go", WorkflowName="w", Type="ON_DEMAND", Actions=[{"JobName": "j"}])
    aws.control.set_job_run_outcome(job_name="j", state="FAILED", error_message="bad \x01row\x0b 7\x7f")
    run_id = glue.start_workflow_run(Name="w")["RunId"]
    glue.get_workflow_run(Name="w", RunId=run_id)
    svg = moto_glue_workflows.render("w", run_id, endpoint_url=aws.endpoint_url)
    ElementTree.fromstring(svg)  # well-formed XML
    assert "bad ␁row␋ 7␡" in svg and "\x01" not in svg
    if aws.endpoint_url:
        page = requests.get(f"{aws.endpoint_url}/moto-api/static/ui/", timeout=30).text
        assert "\x01" not in page and "\x0b" not in page and "bad ␁row␋ 7␡" in page


def test_a_delivery_cut_short_by_a_base_exception_leaves_later_deliveries_working() -> None:
    """pytest.fail() in a job handler is no Exception: it unwinds through the delivery, and the next event is
    delivered all the same (decorator mode: in a server the same unwinding ends that request's thread)."""
    import json

    import boto3
    from moto import mock_aws

    import moto_glue_workflows

    with mock_aws():
        glue, events = boto3.client("glue", region_name="us-east-1"), boto3.client("events", region_name="us-east-1")
        glue.create_workflow(Name="w")
        job(glue, "j")
        glue.create_trigger(Name="e", WorkflowName="w", Type="EVENT", Actions=[{"JobName": "j"}])
        events.put_rule(Name="r", EventPattern=json.dumps({"source": ["my.app"]}))
        events.put_targets(Rule="r", Targets=[{"Id": "w", "Arn": "arn:aws:glue:us-east-1:123456789012:workflow/w"}])
        calls: list[int] = []

        def handler(arguments: dict[str, str], context: Any) -> None:
            calls.append(1)
            if len(calls) == 1:
                pytest.fail("the test's own failure, inside a job handler")

        moto_glue_workflows.job_handler("j")(handler)
        try:
            with pytest.raises(pytest.fail.Exception):
                events.put_events(Entries=[{"Source": "my.app", "DetailType": "x", "Detail": "{}"}])
            events.put_events(Entries=[{"Source": "my.app", "DetailType": "x", "Detail": "{}"}])
        finally:
            moto_glue_workflows.remove_job_handler("j")
        assert len(calls) == 2
        assert len(glue.get_workflow_runs(Name="w")["Runs"]) == 2
