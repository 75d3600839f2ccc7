"""Triggers as AWS documents them: rules CreateTrigger/UpdateTrigger enforce, and what
StartTrigger, StopTrigger and UpdateTrigger do (glue/triggers.py cites the sources)."""

from __future__ import annotations

from tests.conftest import AWS
from tests.glue_helpers import crawler, error_of, job, job_runs_of, nodes_by_name, start_trigger, when


def test_start_trigger_fires_an_on_demand_trigger_at_once_and_it_stays_created(aws: AWS) -> None:
    glue = aws.client("glue")
    job(glue, "loose")
    glue.create_trigger(Name="now", Type="ON_DEMAND", Actions=[{"JobName": "loose", "Arguments": {"--x": "1"}}])
    assert glue.get_trigger(Name="now")["Trigger"]["State"] == "CREATED"
    assert glue.start_trigger(Name="now")["Name"] == "now"
    assert glue.get_trigger(Name="now")["Trigger"]["State"] == "CREATED"
    runs = glue.get_job_runs(JobName="loose")["JobRuns"]
    assert len(runs) == 1 and runs[0]["TriggerName"] == "now" and runs[0]["Arguments"] == {"--x": "1"}
    # StopTrigger on a trigger in CREATED is refused (terraform-provider-aws#49408 quoting AWS).
    assert error_of(glue.stop_trigger, Name="now") == (
        "InvalidInputException",
        "The operation is not allowed when trigger is in state: CREATED",
    )


def test_start_trigger_on_a_workflows_on_demand_trigger_starts_a_run(aws: AWS) -> None:
    glue = aws.client("glue")
    glue.create_workflow(Name="wf")
    job(glue, "a")
    start_trigger(glue, "wf", "wf-start", "a")
    glue.start_trigger(Name="wf-start")
    runs = glue.get_workflow_runs(Name="wf", IncludeGraph=True)["Runs"]
    assert len(runs) == 1 and runs[0]["Status"] == "COMPLETED"
    assert runs[0]["Statistics"]["TotalActions"] == 1 and runs[0]["Statistics"]["SucceededActions"] == 1
    assert [r["TriggerName"] for r in job_runs_of(nodes_by_name(runs[0])["a"])] == ["wf-start"]
    assert glue.get_trigger(Name="wf-start")["Trigger"]["State"] == "CREATED"


def test_event_triggers_never_activate_and_start_trigger_is_refused(aws: AWS) -> None:
    glue = aws.client("glue")
    glue.create_workflow(Name="wf")
    job(glue, "a")
    glue.create_trigger(
        Name="on-event",
        WorkflowName="wf",
        Type="EVENT",
        Actions=[{"JobName": "a"}],
        EventBatchingCondition={"BatchSize": 1},
        StartOnCreation=True,
    )
    assert glue.get_trigger(Name="on-event")["Trigger"]["State"] == "CREATED"
    assert error_of(glue.start_trigger, Name="on-event") == (
        "InvalidInputException",
        "Trigger Type EVENT cannot be started",
    )
    assert glue.get_trigger(Name="on-event")["Trigger"]["State"] == "CREATED"
    assert glue.get_workflow_runs(Name="wf").get("Runs", []) == []


def test_scheduled_and_conditional_triggers_activate_and_deactivate(aws: AWS) -> None:
    glue = aws.client("glue")
    job(glue, "a")
    job(glue, "b")
    glue.create_trigger(Name="daily", Type="SCHEDULED", Schedule="cron(0 12 * * ? *)", Actions=[{"JobName": "a"}])
    glue.start_trigger(Name="daily")
    assert glue.get_trigger(Name="daily")["Trigger"]["State"] == "ACTIVATED"
    glue.stop_trigger(Name="daily")
    assert glue.get_trigger(Name="daily")["Trigger"]["State"] == "DEACTIVATED"
    assert glue.get_job_runs(JobName="a")["JobRuns"] == []  # activating a schedule fires nothing
    assert error_of(glue.start_trigger, Name="missing")[0] == "EntityNotFoundException"
    assert error_of(glue.stop_trigger, Name="missing")[0] == "EntityNotFoundException"


def test_a_workflow_has_one_starting_trigger(aws: AWS) -> None:
    glue = aws.client("glue")
    glue.create_workflow(Name="wf")
    job(glue, "a")
    job(glue, "b")
    start_trigger(glue, "wf", "first", "a")
    code, message = error_of(
        glue.create_trigger,
        Name="second",
        WorkflowName="wf",
        Type="SCHEDULED",
        Schedule="cron(0 12 * * ? *)",
        Actions=[{"JobName": "b"}],
    )
    assert code == "InvalidInputException" and "only one starting trigger" in message and "first" in message
    assert error_of(glue.get_trigger, Name="second")[0] == "EntityNotFoundException"
    run_id = glue.start_workflow_run(Name="wf")["RunId"]
    run = glue.get_workflow_run(Name="wf", RunId=run_id, IncludeGraph=True)["Run"]
    assert run["Statistics"]["TotalActions"] == 1 and run["Statistics"]["SucceededActions"] == 1
    assert sorted(nodes_by_name(run)) == ["a", "first"]


def test_a_trigger_starts_at_most_two_crawlers(aws: AWS) -> None:
    glue = aws.client("glue")
    for name in ("c1", "c2", "c3"):
        crawler(glue, name)
    three = [{"CrawlerName": name} for name in ("c1", "c2", "c3")]
    code, message = error_of(glue.create_trigger, Name="t", Type="ON_DEMAND", Actions=three)
    assert code == "InvalidInputException" and "at most 2 crawlers" in message
    glue.create_trigger(Name="t", Type="ON_DEMAND", Actions=three[:2])
    code, message = error_of(glue.update_trigger, Name="t", TriggerUpdate={"Actions": three})
    assert code == "InvalidInputException" and "at most 2 crawlers" in message
    assert len(glue.get_trigger(Name="t")["Trigger"]["Actions"]) == 2


def test_a_job_cannot_be_predicate_and_action_of_a_conditional_trigger(aws: AWS) -> None:
    glue = aws.client("glue")
    job(glue, "a")
    job(glue, "b")
    refused = (
        "InvalidInputException",
        "Job cannot be a Predicate and Action for Conditional Trigger.",
    )  # terraform-provider-aws#39571
    predicate = {"Conditions": [{"LogicalOperator": "EQUALS", "JobName": "a", "State": "FAILED"}]}
    assert (
        error_of(glue.create_trigger, Name="loop", Type="CONDITIONAL", Predicate=predicate, Actions=[{"JobName": "a"}])
        == refused
    )
    glue.create_trigger(Name="ok", Type="CONDITIONAL", Predicate=predicate, Actions=[{"JobName": "b"}])
    assert error_of(glue.update_trigger, Name="ok", TriggerUpdate={"Actions": [{"JobName": "a"}]}) == refused
    assert glue.get_trigger(Name="ok")["Trigger"]["Actions"] == [{"JobName": "b"}]


def test_a_trigger_in_a_workflow_that_does_not_exist_is_refused(aws: AWS) -> None:
    glue = aws.client("glue")
    job(glue, "a")
    code, message = error_of(
        glue.create_trigger, Name="t", WorkflowName="nowhere", Type="ON_DEMAND", Actions=[{"JobName": "a"}]
    )
    assert code == "EntityNotFoundException" and "nowhere" in message
    assert glue.list_triggers()["TriggerNames"] == []


def test_update_trigger_changes_the_definition_and_keeps_the_state(aws: AWS) -> None:
    glue = aws.client("glue")
    job(glue, "a")
    job(glue, "b")
    glue.create_trigger(
        Name="daily",
        Type="SCHEDULED",
        Schedule="cron(0 12 * * ? *)",
        Actions=[{"JobName": "a"}],
        StartOnCreation=True,
    )
    updated = glue.update_trigger(
        Name="daily",
        TriggerUpdate={"Schedule": "cron(0 6 * * ? *)", "Description": "earlier", "Actions": [{"JobName": "b"}]},
    )["Trigger"]
    assert updated["Schedule"] == "cron(0 6 * * ? *)" and updated["Description"] == "earlier"
    assert updated["Actions"] == [{"JobName": "b"}] and updated["State"] == "ACTIVATED"
    assert glue.get_trigger(Name="daily")["Trigger"] == updated
    code, _ = error_of(glue.update_trigger, Name="missing", TriggerUpdate={"Description": "x"})
    assert code == "EntityNotFoundException"
    # A predicate with one condition may omit Logical; with two it must name it.
    glue.create_trigger(
        Name="after",
        Type="CONDITIONAL",
        Predicate={"Conditions": [{"LogicalOperator": "EQUALS", "JobName": "a", "State": "SUCCEEDED"}]},
        Actions=[{"JobName": "b"}],
    )
    two = [
        {"LogicalOperator": "EQUALS", "JobName": "a", "State": "SUCCEEDED"},
        {"LogicalOperator": "EQUALS", "JobName": "a", "State": "FAILED"},
    ]
    code, _ = error_of(glue.update_trigger, Name="after", TriggerUpdate={"Predicate": {"Conditions": two}})
    assert code == "InvalidInputException"
    updated = glue.update_trigger(Name="after", TriggerUpdate={"Predicate": {"Logical": "ANY", "Conditions": two}})[
        "Trigger"
    ]
    assert updated["Predicate"] == {"Logical": "ANY", "Conditions": two}


def test_update_trigger_applies_to_later_runs_only(aws: AWS) -> None:
    glue = aws.client("glue")
    glue.create_workflow(Name="wf")
    for name in ("a", "b", "c"):
        job(glue, name)
    aws.set_transition("glue::job_run", {"progression": "manual", "times": 1})
    start_trigger(glue, "wf", "wf-start", "a")
    when(glue, "wf", "after-a", [("a", "SUCCEEDED")], [{"JobName": "b"}])
    first = glue.start_workflow_run(Name="wf")["RunId"]
    glue.update_trigger(Name="after-a", TriggerUpdate={"Actions": [{"JobName": "c"}]})
    for _ in range(6):
        run = glue.get_workflow_run(Name="wf", RunId=first, IncludeGraph=True)["Run"]
    assert run["Status"] == "COMPLETED"
    nodes = nodes_by_name(run)
    assert sorted(nodes) == ["a", "after-a", "b", "wf-start"] and len(job_runs_of(nodes["b"])) == 1
    assert nodes["after-a"]["TriggerDetails"]["Trigger"]["Actions"] == [{"JobName": "b"}]
    second = glue.start_workflow_run(Name="wf")["RunId"]
    for _ in range(6):
        run = glue.get_workflow_run(Name="wf", RunId=second, IncludeGraph=True)["Run"]
    nodes = nodes_by_name(run)
    assert sorted(nodes) == ["a", "after-a", "c", "wf-start"] and len(job_runs_of(nodes["c"])) == 1
    assert run["Statistics"]["TotalActions"] == 2 and run["Statistics"]["SucceededActions"] == 2
    current = glue.get_workflow(Name="wf", IncludeGraph=True)["Workflow"]
    assert sorted(nodes_by_name(current)) == ["a", "after-a", "c", "wf-start"]


def test_conditional_triggers_outside_workflows_fire_on_trigger_started_jobs(aws: AWS) -> None:
    glue = aws.client("glue")
    for name in ("extract", "load", "by-hand"):
        job(glue, name)
    glue.create_trigger(Name="go", Type="ON_DEMAND", Actions=[{"JobName": "extract"}])
    glue.create_trigger(
        Name="then-load",
        Type="CONDITIONAL",
        Predicate={"Conditions": [{"LogicalOperator": "EQUALS", "JobName": "extract", "State": "SUCCEEDED"}]},
        Actions=[{"JobName": "load"}],
        StartOnCreation=True,
    )
    # A run started by StartJobRun fires nothing.
    manual = glue.start_job_run(JobName="extract")["JobRunId"]
    assert glue.get_job_run(JobName="extract", RunId=manual)["JobRun"]["JobRunState"] == "SUCCEEDED"
    assert glue.get_job_runs(JobName="load")["JobRuns"] == []
    # A run started by a trigger fires the conditional trigger watching it.
    glue.start_trigger(Name="go")
    started = glue.get_job_runs(JobName="extract")["JobRuns"][0]
    assert started["TriggerName"] == "go" and started["JobRunState"] == "SUCCEEDED"
    loads = glue.get_job_runs(JobName="load")["JobRuns"]
    assert len(loads) == 1 and loads[0]["TriggerName"] == "then-load"
    # A deactivated conditional trigger does not fire.
    glue.stop_trigger(Name="then-load")
    glue.start_trigger(Name="go")
    assert [r["JobRunState"] for r in glue.get_job_runs(JobName="extract")["JobRuns"]] == ["SUCCEEDED"] * 3
    assert len(glue.get_job_runs(JobName="load")["JobRuns"]) == 1


def test_conditional_triggers_outside_workflows_watch_trigger_started_crawls(aws: AWS) -> None:
    glue = aws.client("glue")
    crawler(glue, "raw")
    job(glue, "load")
    glue.create_trigger(Name="crawl-now", Type="ON_DEMAND", Actions=[{"CrawlerName": "raw"}])
    glue.create_trigger(
        Name="after-crawl",
        Type="CONDITIONAL",
        Predicate={"Conditions": [{"LogicalOperator": "EQUALS", "CrawlerName": "raw", "CrawlState": "SUCCEEDED"}]},
        Actions=[{"JobName": "load"}],
        StartOnCreation=True,
    )
    aws.set_transition("glue::crawl", {"progression": "immediate"})
    glue.start_trigger(Name="crawl-now")
    for _ in range(3):
        last = glue.get_crawler(Name="raw")["Crawler"].get("LastCrawl")
    assert last is not None and last["Status"] == "SUCCEEDED"
    loads = glue.get_job_runs(JobName="load")["JobRuns"]
    assert [r["TriggerName"] for r in loads] == ["after-crawl"]


INVALID_SCHEDULES = [
    "cron(0 12 * * *)",  # five fields, crontab's form
    "cron(0 12 * * * *)",  # both day fields given
    "cron(0 24 * * ? *)",  # hour out of range
    "cron(61 12 * * ? *)",  # minute out of range
    "cron(0 12 ? * MON#6 *)",  # no sixth Monday
    "rate(1 day)",  # EventBridge's rate(), not a Glue schedule
    "every day",
]


def test_an_invalid_schedule_is_refused_and_nothing_is_stored(aws: AWS) -> None:
    glue = aws.client("glue")
    job(glue, "a")
    for schedule in INVALID_SCHEDULES:
        code, message = error_of(
            glue.create_trigger, Name="nightly", Type="SCHEDULED", Schedule=schedule, Actions=[{"JobName": "a"}]
        )
        assert (code, message) == ("InvalidInputException", f"The schedule {schedule} is invalid."), schedule
    assert glue.list_triggers()["TriggerNames"] == []

    glue.create_trigger(
        Name="nightly", Type="SCHEDULED", Schedule="cron(0 2 * * ? *)", Actions=[{"JobName": "a"}], StartOnCreation=True
    )
    for schedule in INVALID_SCHEDULES:
        code, message = error_of(glue.update_trigger, Name="nightly", TriggerUpdate={"Schedule": schedule})
        assert (code, message) == ("InvalidInputException", f"The schedule {schedule} is invalid."), schedule
    kept = glue.get_trigger(Name="nightly")["Trigger"]
    assert kept["Schedule"] == "cron(0 2 * * ? *)" and kept["State"] == "ACTIVATED"
    assert (
        glue.update_trigger(Name="nightly", TriggerUpdate={"Schedule": "cron(30 3 ? * MON-FRI *)"})["Trigger"][
            "Schedule"
        ]
        == "cron(30 3 ? * MON-FRI *)"
    )


def test_an_updated_trigger_reads_updating_until_the_state_manager_says_it_is_done(aws: AWS) -> None:
    """Glue's TriggerState has UPDATING, and terraform-provider-aws's waitTriggerCreated (run after UpdateTrigger)
    waits while a trigger is ACTIVATING, CREATING or UPDATING. Each update is the ``glue::trigger_update`` model:
    with ``immediate`` (the default) no read sees UPDATING; with ``manual`` the reads that count show it, and
    every read of the trigger counts: GetTrigger, GetTriggers, BatchGetTriggers and UpdateTrigger's answer.
    Meanwhile the trigger keeps its own state and fires on the new definition."""
    glue = aws.client("glue")
    job(glue, "a")
    job(glue, "b")
    glue.create_trigger(Name="t", Type="SCHEDULED", Schedule="cron(0 12 * * ? *)", Actions=[{"JobName": "a"}])
    glue.start_trigger(Name="t")

    updated = glue.update_trigger(Name="t", TriggerUpdate={"Actions": [{"JobName": "b"}]})["Trigger"]
    assert updated["State"] == "ACTIVATED" and updated["Actions"] == [{"JobName": "b"}]  # immediate: done at once

    aws.set_transition("glue::trigger_update", {"progression": "manual", "times": 3})
    updated = glue.update_trigger(Name="t", TriggerUpdate={"Description": "noon"})["Trigger"]
    aws.control.fire_trigger(trigger_name="t")  # while UPDATING: it fires, on the definition it has now
    assert [run["JobName"] for run in glue.get_job_runs(JobName="b")["JobRuns"]] == ["b"]
    assert glue.get_job_runs(JobName="a")["JobRuns"] == []
    reads = [
        updated["State"],
        glue.get_trigger(Name="t")["Trigger"]["State"],
        glue.get_triggers(DependentJobName="b")["Triggers"][0]["State"],
        glue.batch_get_triggers(TriggerNames=["t", "nope"])["Triggers"][0]["State"],
        glue.get_trigger(Name="t")["Trigger"]["State"],
    ]
    assert reads == ["UPDATING", "UPDATING", "UPDATING", "ACTIVATED", "ACTIVATED"]
    assert glue.get_trigger(Name="t")["Trigger"]["Description"] == "noon"
    assert glue.get_triggers(DependentJobName="a")["Triggers"] == []
    assert glue.batch_get_triggers(TriggerNames=["nope"])["TriggersNotFound"] == ["nope"]
    assert error_of(glue.get_trigger, Name="nope")[0] == "EntityNotFoundException"

    # A trigger deleted mid-update and made again under its name is a new trigger, not UPDATING.
    glue.update_trigger(Name="t", TriggerUpdate={"Description": "again"})
    glue.delete_trigger(Name="t")
    glue.create_trigger(Name="t", Type="ON_DEMAND", Actions=[{"JobName": "a"}])
    assert glue.get_trigger(Name="t")["Trigger"]["State"] == "CREATED"
