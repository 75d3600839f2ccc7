"""Running blueprint layouts: the awsglue library stand-in, the sandbox, and the plan of Glue requests."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import sys
import threading
import types
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.validate import ParamValidator
from moto import mock_aws

from moto_glue_workflows.blueprints import (
    CreateCrawlerRequest,
    CreateJobRequest,
    CreateTriggerRequest,
    CreateWorkflowRequest,
    LayoutError,
    LayoutPlan,
    LoadedBlueprint,
    build_plan,
    execution_enabled,
    load_archive,
    resolve_parameters,
    run_layout,
    set_execution_enabled,
)
from moto_glue_workflows.blueprints.awsglue_compat import Crawler, Entities, Job, Workflow
from moto_glue_workflows.blueprints.glue_model import input_shape
from tests.test_blueprint_archive import blueprint_files, make_zip

REGION, ACCOUNT = "eu-west-1", "123456789012"
ROLE = "arn:aws:iam::123456789012:role/glue"

HEAD = f"""
from awsglue.blueprint.workflow import Workflow, Entities
from awsglue.blueprint.job import Job
from awsglue.blueprint.crawler import Crawler

ROLE = {ROLE!r}
CMD = {{"Name": "glueetl", "ScriptLocation": "s3://scripts/etl.py", "PythonVersion": "3"}}
S3 = {{"S3Targets": [{{"Path": "s3://data/in/"}}]}}
"""

SPEC: dict[str, Any] = {"WorkflowName": {"type": "String", "defaultValue": "wf"}}


def blueprint(
    body: str,
    *,
    folder: str = "bp",
    spec: dict[str, Any] | None = None,
    extra: dict[str, str | bytes] | None = None,
    head: str = HEAD,
) -> LoadedBlueprint:
    files = blueprint_files(folder=folder, layout=head + body, spec=SPEC if spec is None else spec, extra=extra)
    return load_archive(make_zip(files), f"s3://blueprints/{folder}.zip")


def run(bp: LoadedBlueprint, parameters: dict[str, Any] | None = None, suffix: str | None = "s1") -> LayoutPlan:
    user_params = resolve_parameters(bp.parameter_spec, json.dumps(parameters or {}))
    return run_layout(bp, user_params, REGION, ACCOUNT, name_suffix=suffix)


def run_error(bp: LoadedBlueprint, parameters: dict[str, Any] | None = None) -> str:
    with pytest.raises(LayoutError) as caught:
        run(bp, parameters)
    return caught.value.message


def trigger(plan: LayoutPlan, name: str) -> CreateTriggerRequest:
    return next(t for t in plan.triggers if t.Name == name)


@pytest.fixture(autouse=True)
def process_state_is_restored(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every run must leave cwd, sys.path, the import system and the setting as they were."""
    monkeypatch.delenv("MOTO_GLUE_BLUEPRINT_EXECUTION", raising=False)
    cwd, path, meta_path = os.getcwd(), list(sys.path), list(sys.meta_path)
    yield
    set_execution_enabled(None)
    assert os.getcwd() == cwd
    assert sys.path == path
    assert sys.meta_path == meta_path
    leaked = [n for n in sys.modules if n.split(".")[0] in {"bp", "layout", "helper", "awsglue"}]
    assert leaked == []


# --- the plan ---------------------------------------------------------------------------------------

CHAIN = """
def generate_layout(user_params, system_params):
    extract = Job(Name="extract", Role=ROLE, Command=CMD)
    transform = Job(Name="transform", Role=ROLE, Command=CMD, DependsOn={extract: "SUCCEEDED"})
    load = Job(Name="load", Role=ROLE, Command=CMD, DependsOn={transform: "SUCCEEDED"}, WorkerType="G.1X",
               NumberOfWorkers=2, GlueVersion="4.0")
    return Workflow(Name=user_params["WorkflowName"], Description="chain",
                    DefaultRunProperties={"region": system_params["region"], "account": system_params["accountId"]},
                    Entities=Entities(Jobs=[extract, transform, load]))
"""


def test_chain_of_jobs_becomes_suffixed_jobs_and_conditional_triggers() -> None:
    plan = run(blueprint(CHAIN), {"WorkflowName": "sales"})
    assert plan.workflow == CreateWorkflowRequest(
        Name="sales", Description="chain", DefaultRunProperties={"region": REGION, "account": ACCOUNT}
    )
    assert [job.Name for job in plan.jobs] == ["extract_s1", "transform_s1", "load_s1"]
    assert plan.jobs[2] == CreateJobRequest(
        Name="load_s1",
        Role=ROLE,
        Command={"Name": "glueetl", "ScriptLocation": "s3://scripts/etl.py", "PythonVersion": "3"},
        WorkerType="G.1X",
        NumberOfWorkers=2,
        GlueVersion="4.0",
    )
    assert [t.Name for t in plan.triggers] == [
        "sales_transform_s1_trigger",
        "sales_load_s1_trigger",
        "sales_starting_trigger",
    ]
    assert trigger(plan, "sales_load_s1_trigger") == CreateTriggerRequest(
        Name="sales_load_s1_trigger",
        Type="CONDITIONAL",
        WorkflowName="sales",
        StartOnCreation=True,
        Predicate={"Conditions": [{"LogicalOperator": "EQUALS", "JobName": "transform_s1", "State": "SUCCEEDED"}]},
        Actions=[{"JobName": "load_s1"}],
    )
    assert plan.starting_trigger == CreateTriggerRequest(
        Name="sales_starting_trigger", Type="ON_DEMAND", WorkflowName="sales", Actions=[{"JobName": "extract_s1"}]
    )


def test_requests_come_in_creation_order_and_pass_botocores_own_validator() -> None:
    plan = run(blueprint(CHAIN))
    operations = [operation for operation, _ in plan.requests()]
    assert operations == ["CreateWorkflow", "CreateJob", "CreateJob", "CreateJob"] + ["CreateTrigger"] * 3
    for operation, request in plan.requests():
        assert None not in request.values()
        report = ParamValidator().validate(request, input_shape(operation))
        assert not report.has_errors(), report.generate_report()


def test_request_dataclasses_map_onto_botocore_members() -> None:
    for request_class in (CreateWorkflowRequest, CreateJobRequest, CreateCrawlerRequest, CreateTriggerRequest):
        members = input_shape(request_class.OPERATION).members
        assert set(request_class.member_names()) <= set(members), request_class
        assert set(input_shape(request_class.OPERATION).required_members) <= set(request_class.member_names())


def test_request_kwargs_are_copies() -> None:
    plan = run(blueprint(CHAIN))
    _, request = plan.requests()[0]
    request["DefaultRunProperties"]["region"] = "elsewhere"
    assert plan.workflow.DefaultRunProperties == {"region": REGION, "account": ACCOUNT}


@pytest.mark.parametrize("starting", [[], ["ON_DEMAND", "SCHEDULED"]])
def test_a_workflow_document_needs_exactly_one_starting_trigger(starting: list[str]) -> None:
    triggers = [{"Name": f"t{i}", "WorkflowName": "wf", "Type": kind, "Actions": []} for i, kind in enumerate(starting)]
    for trigger_document in triggers:
        if trigger_document["Type"] == "SCHEDULED":
            trigger_document["Schedule"] = "cron(0 1 * * ? *)"
    document = {"Workflow": {"Name": "wf", "Tags": None}, "Jobs": [], "Crawlers": [], "Triggers": triggers}
    with pytest.raises(LayoutError, match=f"exactly one starting trigger, the layout produced {len(starting)}"):
        build_plan(document, "s1")


CRAWLERS = """
def generate_layout(user_params, system_params):
    raw = Crawler(Name="raw", Role=ROLE, DatabaseName="db", Targets=S3)
    ref = Crawler(Name="ref", Role=ROLE, DatabaseName="db", Targets=S3)
    etl = Job(Name="etl", Role=ROLE, Command=CMD, DependsOn={raw: "SUCCEEDED", ref: "SUCCEEDED"},
              WaitForDependencies="AND")
    curated = Crawler(Name="curated", Role=ROLE, DatabaseName="db", Targets=S3,
                      DependsOn={etl: "SUCCEEDED", raw: "FAILED"}, WaitForDependencies="ANY")
    return Workflow(Name="wf", Entities=Entities(Jobs=[etl], Crawlers=[raw, ref, curated]))
"""


def test_crawlers_with_dependencies_watch_crawl_states_with_and_or_any() -> None:
    plan = run(blueprint(CRAWLERS))
    assert [c.Name for c in plan.crawlers] == ["raw_s1", "ref_s1", "curated_s1"]
    assert plan.crawlers[0] == CreateCrawlerRequest(
        Name="raw_s1", Role=ROLE, DatabaseName="db", Targets={"S3Targets": [{"Path": "s3://data/in/"}]}
    )
    etl_trigger = trigger(plan, "wf_etl_s1_trigger")
    assert etl_trigger.Predicate == {
        "Logical": "AND",
        "Conditions": [
            {"LogicalOperator": "EQUALS", "CrawlerName": "raw_s1", "CrawlState": "SUCCEEDED"},
            {"LogicalOperator": "EQUALS", "CrawlerName": "ref_s1", "CrawlState": "SUCCEEDED"},
        ],
    }
    curated_trigger = trigger(plan, "wf_curated_s1_trigger")
    assert curated_trigger.Actions == [{"CrawlerName": "curated_s1"}]
    assert curated_trigger.Predicate == {
        "Logical": "ANY",
        "Conditions": [
            {"LogicalOperator": "EQUALS", "JobName": "etl_s1", "State": "SUCCEEDED"},
            {"LogicalOperator": "EQUALS", "CrawlerName": "raw_s1", "CrawlState": "FAILED"},
        ],
    }
    assert plan.starting_trigger.Actions == [{"CrawlerName": "raw_s1"}, {"CrawlerName": "ref_s1"}]
    assert [op for op, _ in plan.requests()][:4] == [
        "CreateWorkflow",
        "CreateCrawler",
        "CreateCrawler",
        "CreateCrawler",
    ]


SCHEDULED = """
def generate_layout(user_params, system_params):
    job = Job(Name="nightly", Role=ROLE, Command=CMD)
    return Workflow(Name="wf", OnSchedule=user_params["Schedule"], Entities=Entities(Jobs=[job]))
"""
SCHEDULE_SPEC = {"Schedule": {"type": "String"}}


def test_on_schedule_makes_a_scheduled_start_trigger_started_on_creation() -> None:
    plan = run(blueprint(SCHEDULED, spec=SCHEDULE_SPEC), {"Schedule": "cron(0 2 * * ? *)"})
    assert plan.starting_trigger == CreateTriggerRequest(
        Name="wf_starting_trigger",
        Type="SCHEDULED",
        WorkflowName="wf",
        Schedule="cron(0 2 * * ? *)",
        StartOnCreation=True,
        Actions=[{"JobName": "nightly_s1"}],
    )


def test_on_schedule_event_makes_an_event_start_trigger() -> None:
    plan = run(blueprint(SCHEDULED, spec=SCHEDULE_SPEC), {"Schedule": "EVENT"})
    assert plan.starting_trigger.Type == "EVENT"
    assert plan.starting_trigger.EventBatchingCondition == {"BatchSize": 1}
    assert plan.starting_trigger.Schedule is None


@pytest.mark.parametrize("schedule", ["cron(0 0 * * * *)", "cron(0 0 ? * ? *)", "cron(0 0 * *)", "every day"])
def test_invalid_schedule_fails_with_glues_message(schedule: str) -> None:
    message = run_error(blueprint(SCHEDULED, spec=SCHEDULE_SPEC), {"Schedule": schedule})
    assert message == f"The schedule {schedule} is invalid."


def test_default_suffix_is_random_per_run() -> None:
    bp = blueprint(CHAIN)
    first, second = run(bp, suffix=None), run(bp, suffix=None)
    assert re.fullmatch(r"[a-z0-9]{8}", first.name_suffix)
    assert first.name_suffix != second.name_suffix
    assert first.jobs[0].Name == f"extract_{first.name_suffix}"
    assert first.triggers[0].Name == f"wf_transform_{first.name_suffix}_trigger"


def test_blueprint_parameters_land_in_string_members_as_glue_stores_them() -> None:
    # AWS's compaction sample passes Boolean and Double parameters into DefaultArguments.
    body = """
def generate_layout(user_params, system_params):
    job = Job(Name="compact", Role=ROLE, Command=CMD, Timeout=0, MaxRetries=0,
              DefaultArguments={"--enable_manifest": user_params["EnableManifest"],
                                "--desired_size_mb": user_params["DesiredFileSizeMB"],
                                "--workers": user_params["Workers"]})
    return Workflow(Name="wf", Entities=Entities(Jobs=[job]))
"""
    spec = {
        "EnableManifest": {"type": "Boolean", "defaultValue": True},
        "DesiredFileSizeMB": {"type": "Double", "defaultValue": 128},
        "Workers": {"type": "Integer", "defaultValue": 5},
    }
    plan = run(blueprint(body, spec=spec), {"DesiredFileSizeMB": 0.5})
    job = plan.jobs[0]
    assert job.DefaultArguments == {"--enable_manifest": "true", "--desired_size_mb": "0.5", "--workers": "5"}
    # Empty values are not sent, as the library drops them: Timeout=0 would be invalid for Glue.
    assert job.Timeout is None and job.MaxRetries is None


def test_a_sample_shaped_layout_chains_crawlers_over_a_collection_parameter() -> None:
    # The shape of AWS's crawl_s3_locations sample: one crawler per S3 path, each after the last.
    body = """
def generate_layout(user_params, system_params):
    crawlers, previous = [], None
    for index, path in enumerate(user_params["S3Paths"]):
        crawler = Crawler(Name=f"{user_params['WorkflowName']}_crawler_{index}", Role=user_params["IAMRole"],
                          DatabaseName=user_params["DatabaseName"], TablePrefix=user_params["TableNamePrefix"],
                          Targets={"S3Targets": [{"Path": path}]},
                          DependsOn={previous: "SUCCEEDED"} if previous else None)
        crawlers.append(crawler)
        previous = crawler
    return Workflow(Name=user_params["WorkflowName"], Entities=Entities(Jobs=[], Crawlers=crawlers))
"""
    spec = {
        "WorkflowName": {"type": "String"},
        "IAMRole": {"type": "IAMRoleName"},
        "S3Paths": {"type": "S3Uri", "collection": True},
        "DatabaseName": {"type": "String"},
        "TableNamePrefix": {"type": "String", "defaultValue": ""},
    }
    params = {"WorkflowName": "lake", "IAMRole": "GlueRole", "S3Paths": ["s3://a/", "s3://b/"], "DatabaseName": "db"}
    plan = run(blueprint(body, spec=spec), params)
    assert [c.Name for c in plan.crawlers] == ["lake_crawler_0_s1", "lake_crawler_1_s1"]
    assert plan.crawlers[1].TablePrefix is None
    assert plan.starting_trigger.Actions == [{"CrawlerName": "lake_crawler_0_s1"}]
    assert trigger(plan, "lake_lake_crawler_1_s1_trigger").Predicate == {
        "Conditions": [{"LogicalOperator": "EQUALS", "CrawlerName": "lake_crawler_0_s1", "CrawlState": "SUCCEEDED"}]
    }


# --- failures -----------------------------------------------------------------------------------------


def test_layout_that_raises_fails_with_the_exception_and_leaves_this_process_alone() -> None:
    body = """
import os
os.environ["BP_IMPORTED_FROM"] = os.getcwd()

def generate_layout(user_params, system_params):
    raise ValueError(f"no tables for {user_params['WorkflowName']}")
"""
    message = run_error(blueprint(body))
    assert message == "Unknown error executing layout generator function ValueError: no tables for wf"
    assert "BP_IMPORTED_FROM" not in os.environ  # the layout ran in its own interpreter


def test_layout_that_exits_fails_instead_of_ending_the_process() -> None:
    body = "\nimport sys\n\ndef generate_layout(user_params, system_params):\n    sys.exit('bad input')\n"
    assert run_error(blueprint(body)) == "Unknown error executing layout generator function SystemExit: bad input"


def test_library_type_error_reads_as_in_awss_troubleshooting_guide() -> None:
    body = """
def generate_layout(user_params, system_params):
    job = Job(Name="etl", Role=ROLE, Command=CMD, Connections=["foo"])
    return Workflow(Name="wf", Entities=Entities(Jobs=[job]))
"""
    assert run_error(blueprint(body)) == (
        "Unknown error executing layout generator function TypeError: "
        "Value ['foo'] for key Connections should be of type <class 'dict'>!"
    )


def test_missing_required_job_field_is_reported_by_the_library() -> None:
    body = """
def generate_layout(user_params, system_params):
    return Workflow(Name="wf", Entities=Entities(Jobs=[Job(Name="etl", Command=CMD)]))
"""
    message = run_error(blueprint(body))
    assert message == (
        "Unknown error executing layout generator function TypeError: Required Fields for Job were missing: ['Role']"
    )


def test_job_glue_would_reject_fails_the_run_naming_job_and_member() -> None:
    body = """
def generate_layout(user_params, system_params):
    return Workflow(Name="wf", Entities=Entities(Jobs=[Job(Name="etl", Role=ROLE, Command=CMD, WorkerType="G.9X")]))
"""
    message = run_error(blueprint(body))
    assert message.startswith(
        "The layout generator produced an invalid job 'etl_s1': 1 validation error detected: "
        "Value 'G.9X' at 'workerType' failed to satisfy constraint: Member must satisfy enum value set"
    )


def test_dependency_outside_the_entities_fails_the_run() -> None:
    body = """
def generate_layout(user_params, system_params):
    hidden = Job(Name="hidden", Role=ROLE, Command=CMD)
    shown = Job(Name="shown", Role=ROLE, Command=CMD, DependsOn={hidden: "SUCCEEDED"})
    return Workflow(Name="wf", Entities=Entities(Jobs=[shown]))
"""
    message = run_error(blueprint(body))
    assert message.startswith(
        "Trigger 'wf_shown_s1_trigger' watches job 'hidden_s1', which is not among the workflow's"
    )


def test_dependency_that_is_not_an_entity_fails_the_run() -> None:
    body = """
def generate_layout(user_params, system_params):
    job = Job(Name="etl", Role=ROLE, Command=CMD, DependsOn={"extract": "SUCCEEDED"})
    return Workflow(Name="wf", Entities=Entities(Jobs=[job]))
"""
    assert run_error(blueprint(body)).endswith(
        "TypeError: Dependencies must be of type Job or Crawler, but found <class 'str'> instead"
    )


def test_two_jobs_with_one_name_fail_the_run() -> None:
    body = """
def generate_layout(user_params, system_params):
    jobs = [Job(Name="etl", Role=ROLE, Command=CMD), Job(Name="etl", Role=ROLE, Command=CMD)]
    return Workflow(Name="wf", Entities=Entities(Jobs=jobs))
"""
    assert run_error(blueprint(body)) == "The layout generator produced two jobs named 'etl_s1'"


def test_layout_returning_something_else_fails_the_run() -> None:
    body = "\ndef generate_layout(user_params, system_params):\n    return {'Name': 'wf'}\n"
    assert run_error(blueprint(body)) == (
        "Layout generator bp.layout.generate_layout returned dict, not an awsglue.blueprint.workflow.Workflow"
    )


def test_missing_layout_function_fails_the_run() -> None:
    files = blueprint_files(layout=HEAD, generator="bp.layout.build", spec=SPEC)
    bp = load_archive(make_zip(files), "s3://blueprints/bp.zip")
    assert run_error(bp) == (
        "Unknown error executing layout generator function AttributeError: module 'bp.layout' has no attribute 'build'"
    )


# --- the sandbox ------------------------------------------------------------------------------------


def test_layout_gets_copies_of_user_params_and_the_system_params() -> None:
    body = """
SEEN = []

def generate_layout(user_params, system_params):
    user_params["WorkflowName"] = "changed"
    return Workflow(Name="wf", DefaultRunProperties=dict(system_params),
                    Entities=Entities(Jobs=[Job(Name="j", Role=ROLE, Command=CMD)]))
"""
    params = {"WorkflowName": "original"}
    plan = run_layout(blueprint(body), params, REGION, ACCOUNT, name_suffix="s1")
    assert params == {"WorkflowName": "original"}
    assert plan.workflow.DefaultRunProperties == {"region": REGION, "accountId": ACCOUNT}


def test_layout_imports_helpers_through_its_folder_as_a_package() -> None:
    body = """
from bp import helper
from . import naming
from bp.naming import PREFIX

def generate_layout(user_params, system_params):
    job = Job(Name=naming.name(helper.KIND), Role=ROLE, Command=CMD, Description=PREFIX)
    return Workflow(Name="wf", Entities=Entities(Jobs=[job]))
"""
    extra = {
        "helper.py": "KIND = 'etl'\n",
        "naming.py": "PREFIX = 'team'\n\ndef name(kind):\n    return f'{PREFIX}_{kind}'\n",
    }
    plan = run(blueprint(body, extra=extra))
    assert plan.jobs[0].Name == "team_etl_s1"
    assert plan.jobs[0].Description == "team"


def test_a_plain_import_of_a_sibling_module_fails_as_only_the_root_is_on_the_path() -> None:
    # AWS resolves modules from the archive's root ("Troubleshooting blueprint errors"); no AWS
    # document or sample puts the blueprint's own folder on sys.path.
    body = "\nimport helper\n\ndef generate_layout(user_params, system_params):\n    pass\n"
    assert run_error(blueprint(body, extra={"helper.py": "KIND = 'etl'\n"})) == (
        "Unknown error executing layout generator function ModuleNotFoundError: No module named 'helper'"
    )


def test_layout_reads_files_relative_to_the_archives_root() -> None:
    # AWS's samples read their job scripts as open("compaction/compaction.py").
    body = """
import os

def generate_layout(user_params, system_params):
    with open("bp/jobs.txt") as listing:
        names = listing.read().split()
    os.chdir("/")  # layouts may wander; the runner puts the process back
    jobs = [Job(Name=name, Role=ROLE, Command=CMD) for name in names]
    return Workflow(Name="wf", Entities=Entities(Jobs=jobs))
"""
    plan = run(blueprint(body, extra={"jobs.txt": "orders\ncustomers\n"}))
    assert [job.Name for job in plan.jobs] == ["orders_s1", "customers_s1"]


def test_root_level_archive_runs() -> None:
    body = """
def generate_layout(user_params, system_params):
    with open("blueprint.cfg") as config:
        assert "layout.generate_layout" in config.read()
    return Workflow(Name="wf", Entities=Entities(Jobs=[Job(Name="j", Role=ROLE, Command=CMD)]))
"""
    assert run(blueprint(body, folder="")).jobs[0].Name == "j_s1"


TWIN = """
from bp import helper

def generate_layout(user_params, system_params):
    return Workflow(Name="wf", Entities=Entities(Jobs=[Job(Name=helper.NAME, Role=ROLE, Command=CMD)]))
"""


def test_archives_with_the_same_module_names_each_run_their_own_code() -> None:
    first = blueprint(TWIN, extra={"helper.py": "NAME = 'first'\n"})
    second = blueprint(TWIN, extra={"helper.py": "NAME = 'second'\n"})
    assert run(first).jobs[0].Name == "first_s1"
    assert run(second).jobs[0].Name == "second_s1"
    assert run(first).jobs[0].Name == "first_s1"


def test_modules_imported_here_do_not_stand_in_for_the_archives(monkeypatch: pytest.MonkeyPatch) -> None:
    impostor = types.ModuleType("bp")
    impostor.__path__ = []  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "bp", impostor)
    assert run(blueprint(TWIN, extra={"helper.py": "NAME = 'archived'\n"})).jobs[0].Name == "archived_s1"
    assert sys.modules["bp"] is impostor
    monkeypatch.delitem(sys.modules, "bp")


def test_concurrent_runs_each_see_their_own_archive() -> None:
    body = """
import time

def generate_layout(user_params, system_params):
    time.sleep(0.02)
    with open("{folder}/name.txt") as source:
        name = source.read()
    return Workflow(Name=name, Entities=Entities(Jobs=[Job(Name=name, Role=ROLE, Command=CMD)]))
"""
    folders = [f"bp{index}" for index in range(4)]
    blueprints = {f: blueprint(body.replace("{folder}", f), folder=f, extra={"name.txt": f"job_{f}"}) for f in folders}
    results: dict[str, str] = {}

    def worker(folder: str) -> None:
        results[folder] = run(blueprints[folder]).jobs[0].Name

    threads = [threading.Thread(target=worker, args=(f,)) for f in folders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {f: f"job_{f}_s1" for f in folders}
    assert not [n for n in sys.modules if n.startswith("bp")]


def test_layout_may_call_aws_apis_like_the_samples_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    body = """
import boto3

def generate_layout(user_params, system_params):
    glue = boto3.Session(region_name=system_params["region"]).client("glue")
    glue.create_database(DatabaseInput={"Name": "blueprint_db"})
    return Workflow(Name="wf", Entities=Entities(Jobs=[Job(Name="j", Role=ROLE, Command=CMD)]))
"""
    with mock_aws():
        run(blueprint(body))
        glue = boto3.client("glue", region_name=REGION)
        assert glue.get_database(Name="blueprint_db")["Database"]["Name"] == "blueprint_db"


# --- the awsglue library ----------------------------------------------------------------------------


def test_awsglue_is_importable_only_while_a_layout_runs() -> None:
    body = """
import awsglue.blueprint.base_resource as base
from awsglue.blueprint.workflow import *

def generate_layout(user_params, system_params):
    assert issubclass(Job, base.BaseResource) and issubclass(Crawler, base.BaseResource)
    return Workflow(Name="wf", Entities=Entities(Jobs=[Job(Name="j", Role=ROLE, Command=CMD)]))
"""
    assert importlib.util.find_spec("awsglue") is None
    assert run(blueprint(body)).jobs[0].Name == "j_s1"
    assert importlib.util.find_spec("awsglue") is None


def write_library(root: Path, description: str) -> None:
    """A stand-in for the real awsglue.blueprint library, whose to_json marks its output."""
    package = root / "awsglue" / "blueprint"
    package.mkdir(parents=True)
    (root / "awsglue" / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "job.py").write_text("class Job:\n    def __init__(self, **kw):\n        self.kw = kw\n")
    (package / "crawler.py").write_text("class Crawler:\n    def __init__(self, **kw):\n        self.kw = kw\n")
    (package / "workflow.py").write_text(
        "from .job import Job\n"
        "class Entities:\n    def __init__(self, **kw):\n        self.jobs = kw.get('Jobs') or []\n"
        "class Workflow:\n"
        "    def __init__(self, **kw):\n        self.kw = kw\n"
        "    def to_json(self, name_suffix=''):\n"
        "        name = self.kw['Name']\n"
        "        jobs = [dict(j.kw, Name=j.kw['Name'] + '_' + name_suffix) for j in self.kw['Entities'].jobs]\n"
        f"        return {{'Workflow': {{'Name': name, 'Description': {description!r}, 'Tags': None}},\n"
        "                'Crawlers': [], 'Jobs': jobs,\n"
        "                'Triggers': [{'Name': name + '_starting_trigger', 'WorkflowName': name, 'Type': 'ON_DEMAND',\n"
        "                              'Actions': [{'JobName': j['Name']} for j in jobs]}]}\n"
    )


SIMPLE = """
def generate_layout(user_params, system_params):
    return Workflow(Name="wf", Entities=Entities(Jobs=[Job(Name="j", Role=ROLE, Command=CMD)]))
"""


@contextmanager
def installed(path: Path) -> Iterator[None]:
    """``path`` on sys.path, and whatever awsglue it provided forgotten afterwards. Readable by everyone, as pip
    leaves what it installs: a root server's user code runs as nobody (pytest makes ``tmp_path`` 0700)."""
    path.chmod(0o755)
    sys.path.insert(0, str(path))
    importlib.invalidate_caches()
    try:
        yield
    finally:
        sys.path.remove(str(path))
        for name in [n for n in sys.modules if n.split(".")[0] == "awsglue"]:
            del sys.modules[name]


def test_an_installed_awsglue_blueprint_library_wins(tmp_path: Path) -> None:
    write_library(tmp_path, "installed library")
    with installed(tmp_path):
        plan = run(blueprint(SIMPLE))
        assert plan.workflow == CreateWorkflowRequest(Name="wf", Description="installed library")
        assert plan.jobs[0].Name == "j_s1"


def test_a_library_shipped_at_the_archives_root_wins(tmp_path: Path) -> None:
    write_library(tmp_path, "shipped library")
    files = blueprint_files(layout=HEAD + SIMPLE, spec=SPEC)
    files.update({str(p.relative_to(tmp_path)): p.read_text() for p in tmp_path.rglob("*.py")})
    bp = load_archive(make_zip(files), "s3://blueprints/bp.zip")
    assert run(bp).workflow.Description == "shipped library"


def test_an_installed_awsglue_without_blueprint_gets_only_the_blueprint_modules(tmp_path: Path) -> None:
    (tmp_path / "awsglue").mkdir()
    (tmp_path / "awsglue" / "__init__.py").write_text("ETL_LIBRARY = True\n")
    body = """
import awsglue

def generate_layout(user_params, system_params):
    return Workflow(Name="wf", Description=str(awsglue.ETL_LIBRARY),
                    Entities=Entities(Jobs=[Job(Name="j", Role=ROLE, Command=CMD)]))
"""
    with installed(tmp_path):
        plan = run(blueprint(body))
    assert plan.workflow.Description == "True"
    assert plan.jobs[0].Name == "j_s1"


def test_library_classes_validate_and_serialise_for_local_testing() -> None:
    crawler = Crawler(Name="c", Role=ROLE, Targets={"S3Targets": [{"Path": "s3://d/"}]}, TablePrefix="")
    job = Job(
        Name="j",
        Role=ROLE,
        Command={"Name": "pythonshell", "ScriptLocation": "s3://s/j.py"},
        DependsOn={crawler: "SUCCEEDED"},
        UnknownProperty=1,
    )
    workflow = Workflow(Name="wf", Entities=Entities(Jobs=[job], Crawlers=[crawler]))
    assert workflow.validate() is True
    assert job.Name == "j" and job.Timeout is None and crawler.TablePrefix is None
    document = workflow.to_json()
    assert document["Workflow"] == {"Name": "wf"}
    assert document["Jobs"] == [
        {"Name": "j", "Role": ROLE, "Command": {"Name": "pythonshell", "ScriptLocation": "s3://s/j.py"}}
    ]
    assert [t["Name"] for t in document["Triggers"]] == ["wf_j_trigger", "wf_starting_trigger"]


CMD_OK = {"Name": "glueetl", "ScriptLocation": "s3://scripts/etl.py"}
S3_OK = {"S3Targets": [{"Path": "s3://data/"}]}


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: Job(Name="j", Role=ROLE, Command={"Name": "glueetl"}),
            "Required Fields for Command were missing: ['ScriptLocation']",
        ),
        (
            lambda: Job(Name="j", Role=ROLE, Command=CMD_OK, NumberOfWorkers="2"),
            "Value 2 for key NumberOfWorkers should be of type <class 'int'>!",
        ),
        (
            lambda: Crawler(Name="c", Role=ROLE, Targets={"S3Targets": [{}]}),
            "Required Fields for S3Target were missing: ['Path']",
        ),
        (
            lambda: Crawler(Name="c", Role=ROLE, Targets=S3_OK, SchemaChangePolicy={"DeleteBehavior": "DROP"}),
            "DROP is not a valid value for key DeleteBehavior in SchemaChangePolicy",
        ),
        (lambda: Workflow(Name="wf", Entities=[]), "Value [] for key Entities should be of type"),
        (lambda: Workflow(Name="wf").validate(), "Required Fields for Workflow were missing: ['Entities']"),
    ],
)
def test_library_classes_reject_what_the_library_rejects(build: Any, message: str) -> None:
    with pytest.raises(TypeError) as caught:
        build()
    assert message in str(caught.value)


# --- the execution switch ---------------------------------------------------------------------------


def test_execution_can_be_switched_off_in_python() -> None:
    bp = blueprint(CHAIN)
    set_execution_enabled(False)
    assert execution_enabled() is False
    message = run_error(bp)
    assert message.startswith("Blueprint execution is disabled in this mock")
    assert "the layout generator was not run" in message
    set_execution_enabled(True)
    assert run(bp).jobs[0].Name == "extract_s1"


@pytest.mark.parametrize(
    ("value", "enabled"), [("false", False), ("FALSE", False), ("0", False), ("true", True), ("", True)]
)
def test_execution_follows_the_environment_variable(monkeypatch: pytest.MonkeyPatch, value: str, enabled: bool) -> None:
    monkeypatch.setenv("MOTO_GLUE_BLUEPRINT_EXECUTION", value)
    assert execution_enabled() is enabled


def test_python_setting_overrides_the_environment_until_reset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTO_GLUE_BLUEPRINT_EXECUTION", "false")
    set_execution_enabled(True)
    assert execution_enabled() is True
    set_execution_enabled(None)
    assert execution_enabled() is False
    assert "disabled" in run_error(blueprint(CHAIN))
