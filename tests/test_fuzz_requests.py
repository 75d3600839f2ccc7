"""Property-based: every operation we serve answers any request, sent as raw HTTP to the standalone server.

For each Glue and DataZone operation we serve (the OPERATIONS sets, plus CreateTrigger) and each
control endpoint, hypothesis draws requests from botocore's input shape (``tests.fuzz_strategies``)
against realistic seeded state, valid or one mutation away from valid, and sends them with no client
in between. Every answer must be:

- never a 5xx, never a traceback;
- when successful, exactly the operation's output shape, on the wire and as botocore parses it;
- when refused, the service's own error: Glue's JSON 1.1 ``{"__type", "Message"}`` with HTTP 400,
  DataZone's ``x-amzn-ErrorType`` with ``{"message"}`` and the code's status, a code the operation's
  model lists; a request the model forbids is refused with ValidationException, naming the broken member
  as AWS does ('maxResults'), and a body Glue cannot read with a bare SerializationException;
- and a refused request stores nothing.

Profiles (``HYPOTHESIS_PROFILE``): ``ci`` (default: 40 examples per operation, derandomized) and
``long`` (1000 per operation). Each test records the requests it sent as the ``fuzz_requests``
property; the terminal summary lists them per operation.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from botocore.model import ShapeResolver, StructureShape
from hypothesis import given, settings
from moto.core.utils import get_service_model
from moto.glue.models import glue_backends

from moto_glue_workflows.datazone.models import datazone_backends
from moto_glue_workflows.datazone.responses import DataZoneResponse
from moto_glue_workflows.glue.models import glue_workflow_backends
from moto_glue_workflows.glue.responses import GlueWorkflowResponse
from moto_glue_workflows.protocol.validation import aws_member
from moto_glue_workflows.pytest_plugin import MotoServer
from moto_glue_workflows.registration import control_operations
from moto_glue_workflows.workflows.graph import unique_id
from tests.fuzz_strategies import Fuzzed, Known, ShapeStrategies, WireText, location, requests
from tests.shape_checker import ShapeError, check_value
from tests.wire import Answer, Wire, check_answer_shape, operation

ROLE = "arn:aws:iam::123456789012:role/glue-service"
DZ_ROLE = "arn:aws:iam::123456789012:role/datazone-exec"
GLUE_OPERATIONS = sorted(GlueWorkflowResponse.OPERATIONS)
DATAZONE_OPERATIONS = sorted(DataZoneResponse.OPERATIONS)
CONTROL_PATHS = sorted(op.path for op in control_operations())
DATAZONE_STATUS = {"ValidationException": 400, "ResourceNotFoundException": 404, "ConflictException": 409}


# State every operation's requests can reach


@dataclass
class Seeded:
    wire: Wire
    known: Known = field(default_factory=Known)
    domain: str = ""

    def glue(self, operation_name: str, body: dict[str, Any]) -> dict[str, Any]:
        answer = self.wire.glue(operation_name, body)
        assert 200 <= answer.status < 300, answer.describe()
        return answer.json  # type: ignore[no-any-return]

    def seed_glue(self, runs: int = 2) -> None:
        for name in ("extract", "transform", "load"):
            self.glue(
                "CreateJob",
                {
                    "Name": name,
                    "Role": ROLE,
                    "Command": {"Name": "glueetl", "ScriptLocation": f"s3://scripts/{name}.py"},
                    "ExecutionProperty": {"MaxConcurrentRuns": 100},
                },
            )
        for crawler in ("raw", "idle"):
            self.glue(
                "CreateCrawler",
                {
                    "Name": crawler,
                    "Role": ROLE,
                    "DatabaseName": "db",
                    "Targets": {"S3Targets": [{"Path": f"s3://data/{crawler}/"}]},
                },
            )
        self.glue("CreateWorkflow", {"Name": "nightly", "DefaultRunProperties": {"day": "monday"}})
        self.glue("CreateWorkflow", {"Name": "limited", "MaxConcurrentRuns": 1})
        self.glue("CreateWorkflow", {"Name": "empty", "Description": "no triggers"})
        self.glue(
            "CreateTrigger",
            {
                "Name": "nightly-start",
                "WorkflowName": "nightly",
                "Type": "ON_DEMAND",
                "Actions": [{"JobName": "extract"}],
            },
        )
        for before, after in (("extract", {"JobName": "transform"}), ("transform", {"JobName": "load"})):
            self.glue(
                "CreateTrigger",
                {
                    "Name": f"after-{before}",
                    "WorkflowName": "nightly",
                    "Type": "CONDITIONAL",
                    "StartOnCreation": True,
                    "Predicate": {
                        "Conditions": [{"LogicalOperator": "EQUALS", "JobName": before, "State": "SUCCEEDED"}]
                    },
                    "Actions": [after, {"CrawlerName": "raw"}] if before == "transform" else [after],
                },
            )
        self.glue(  # the one starting trigger of "limited" (StartWorkflowRun fires it too)
            "CreateTrigger",
            {
                "Name": "hourly",
                "WorkflowName": "limited",
                "Type": "SCHEDULED",
                "Schedule": "cron(0 * * * ? *)",
                "StartOnCreation": True,
                "Actions": [{"JobName": "load"}],
            },
        )
        assert self.wire.control("glue/job-run-outcomes", {"JobName": "load", "State": "FAILED"}).status == 200
        workflows = ["nightly", "limited", "empty"]
        run_ids = [self.glue("StartWorkflowRun", {"Name": "nightly"})["RunId"] for _ in range(runs)]
        run_ids.append(self.glue("StartWorkflowRun", {"Name": "limited"})["RunId"])
        for run_id in run_ids[:-1]:  # reads move crawls on (moto's glue::crawl default is manual, one poll)
            self.glue("GetWorkflowRun", {"Name": "nightly", "RunId": run_id})
        job_runs = [
            run["Id"] for job in ("extract", "load") for run in self.glue("GetJobRuns", {"JobName": job})["JobRuns"]
        ]
        nodes = [
            unique_id("nightly", kind, name)
            for kind, name in (("JOB", "load"), ("JOB", "transform"), ("CRAWLER", "raw"))
        ]
        self.known.values.update(
            {
                "Name": [*workflows, "missing-workflow"],
                "WorkflowName": [*workflows, "missing-workflow"],
                "Names": [*workflows, "missing-workflow"],
                "RunId": [*run_ids, *job_runs, "wr_missing"],
                "JobRunId": job_runs,
                "JobName": ["extract", "transform", "load", "missing-job"],
                "CrawlerName": ["idle", "raw", "missing-crawler"],
                "NodeIds": [*nodes, unique_id("nightly", "TRIGGER", "nightly-start"), "wnode_missing"],
                "State": ["SUCCEEDED", "FAILED"],
                "BlueprintName": ["missing-blueprint"],
                "RoleArn": [ROLE],
                "TriggerName": ["hourly", "nightly-start", "after-extract", "missing-trigger"],
            }
        )

    def seed_datazone(self) -> None:
        created = self.wire.datazone("CreateDomain", {"name": "sales", "domainExecutionRole": DZ_ROLE})
        assert created.status == 201, created.describe()
        self.domain = created.json["id"]
        seeded = self.wire.control(
            "datazone/job-runs",
            {
                "domainIdentifier": self.domain,
                "jobIdentifier": "lineage",
                "runs": [
                    {"status": "SUCCESS"},
                    {"status": "FAILED", "error": {"message": "boom"}},
                    {"status": "IN_PROGRESS"},
                ],
            },
        )
        assert seeded.status == 200, seeded.describe()
        run_id = str(uuid.uuid4())
        event = {
            "eventType": "COMPLETE",
            "eventTime": "2026-03-01T06:00:00Z",
            "run": {"runId": run_id},
            "job": {"namespace": "glue", "name": "orders"},
            "inputs": [{"namespace": "s3://raw", "name": "orders"}],
            "outputs": [{"namespace": "arn:aws:glue:us-east-1:123456789012", "name": "table/sales/orders"}],
        }
        posted = self.wire.datazone(
            "PostLineageEvent", uri={"domainIdentifier": self.domain}, data=json.dumps(event).encode()
        )
        assert posted.status == 200, posted.describe()
        node = self.wire.datazone("GetLineageNode", {"domainIdentifier": self.domain, "identifier": "glue.orders"})
        assert node.status == 200, node.describe()
        connection = self.wire.datazone(
            "CreateConnection",
            {
                "domainIdentifier": self.domain,
                "name": "warehouse",
                "props": {"redshiftProperties": {"lineageSync": {"enabled": True}}},
            },
        )
        assert connection.status == 201, connection.describe()
        self.known.values.update(
            {
                "eventIdentifier": [posted.json["id"], "abcdefghijklmn"],
                "nodeIdentifier": [
                    "glue.orders",
                    node.json["id"],
                    f"glue.orders/{run_id}",
                    "s3://raw/orders",
                    "arn:aws:glue:us-east-1:123456789012:table/sales/orders",
                    "missing-node",
                ],
                "connectionIdentifier": [connection.json["connectionId"], "missingconnection"],
                "event": [json.dumps(event), json.dumps({**event, "run": {"runId": "not-a-uuid"}}), "{}"],
                "domainIdentifier": [self.domain, "dzd_missing00000"],
                "jobIdentifier": ["lineage", "other"],
                "name": ["sales", "marketing"],
                "domainExecutionRole": [DZ_ROLE],
                "runIdentifier": [*seeded.json["ids"], "missingrun"],
                "AccountId": ["123456789012", "111111111111"],
                "Region": ["us-east-1", "eu-west-1"],
            }
        )

    def ensure(self) -> None:
        """Put back what a destructive example removed (a deleted workflow or domain)."""
        backend = glue_workflow_backends["123456789012"]["us-east-1"]
        if "nightly" in self.known.values.get("Name", []) and "nightly" not in backend.workflows:
            self.glue("CreateWorkflow", {"Name": "nightly"})
            self.known.values["RunId"].append(self.glue("StartWorkflowRun", {"Name": "nightly"})["RunId"])
        if self.domain:
            domain = datazone_backends["123456789012"]["us-east-1"].domains.get(self.domain)
            if domain is None or domain.status != "AVAILABLE":
                created = self.wire.datazone("CreateDomain", {"name": "sales-again", "domainExecutionRole": DZ_ROLE})
                if created.status == 201:
                    self.domain = created.json["id"]
                    self.known.values["domainIdentifier"][0] = self.domain


def state() -> Any:
    """Everything a request could store, in every account and region: nothing may change when one is
    refused. (Backends moto creates empty on a first request to an account or region hold nothing.)"""
    found: dict[tuple[str, str, str], Any] = {}
    for account, regions in list(glue_workflow_backends.items()):
        for region, backend in list(regions.items()):
            workflows = {
                name: (workflow.to_api(), {run_id: dict(run.properties) for run_id, run in workflow.runs.items()})
                for name, workflow in backend.workflows.items()
            }
            found[("workflows", account, region)] = (
                workflows,
                dict(backend.job_outcomes),
                dict(backend.crawl_outcomes),
            )
    for account, moto_regions in list(glue_backends.items()):
        for region, moto_backend in list(moto_regions.items()):
            found[("glue", account, region)] = (
                sorted(moto_backend.triggers),
                {name: len(job.job_runs) for name, job in moto_backend.jobs.items()},
                {name: len(crawler.crawls) for name, crawler in moto_backend.crawlers.items()},
            )
    for account, dz_regions in list(datazone_backends.items()):
        for region, dz_backend in list(dz_regions.items()):
            found[("datazone", account, region)] = (
                sorted(dz_backend.domains),
                {domain: sorted(runs) for domain, runs in dz_backend.job_runs.items() if runs},
                {domain: sorted(events) for domain, events in dz_backend.lineage_events.items() if events},
                {domain: sorted(graph.nodes) for domain, graph in dz_backend.lineage_graphs.items() if graph.nodes},
                {domain: sorted(store) for domain, store in dz_backend.connections.items() if store},
            )
    return {key: value for key, value in found.items() if any(value)}


# Checking answers


# Glue's front end refuses a body it cannot read with only the type (see tests/test_protocol_edges.py).
UNREADABLE = {"__type": "com.amazon.coral.service#SerializationException"}


def _readable(raw: bytes | None) -> bool:
    """Whether a raw body is a JSON object Python parses (an empty body reads as {})."""
    if not raw:
        return True
    try:
        return isinstance(json.loads(raw), dict)
    except (ValueError, RecursionError):
        return False


def refusal_problems(answer: Answer, fuzzed: Fuzzed, validation_code: str, base_valid: bool) -> list[str]:
    if not fuzzed.must_refuse:
        return []
    if answer.service == "glue" and not _readable(fuzzed.raw):
        validation_code = "SerializationException"
    if answer.error_code != validation_code or answer.status != 400:
        return [f"a request the model forbids answered {answer.status} {answer.error_code}, not {validation_code}"]
    # AWS names members with a lower-case first letter: 'name', 'maxResults'.
    named = f"'{aws_member(fuzzed.field)}" in answer.message if fuzzed.field else True
    if base_valid and not named and validation_code != "SerializationException":
        return [f"the refusal does not name {fuzzed.field}: {answer.message}"]
    return []


def service_problems(answer: Answer, fuzzed: Fuzzed, base_valid: bool) -> list[str]:
    """What is wrong with a Glue or DataZone answer to ``fuzzed``."""
    model = operation(answer.service, answer.operation)
    validation_code = "ValidationException"
    if 200 <= answer.status < 300:
        if fuzzed.must_refuse:
            return [f"accepted a request the model forbids ({answer.status})"]
        try:
            check_answer_shape(answer)
        except (ShapeError, ValueError) as error:
            return [f"answer not in the output shape: {error}"]
        return []
    problems = refusal_problems(answer, fuzzed, validation_code, base_valid)
    allowed = {shape.name for shape in model.error_shapes} | {validation_code}
    if answer.service == "glue":
        allowed.add("SerializationException")
    if answer.error_code not in allowed:
        problems.append(f"error {answer.error_code!r} is not one of {answer.operation}'s errors")
    try:
        body = answer.json
    except ValueError:
        return [*problems, "error body is not JSON"]
    if answer.service == "glue":
        if answer.status != 400:
            problems.append(f"Glue error with HTTP {answer.status}")
        if answer.error_code == "SerializationException":
            if body != UNREADABLE:
                problems.append(f"Glue's unreadable-body error is not {UNREADABLE}: {body}")
        elif not isinstance(body, dict) or set(body) != {"__type", "Message"} or not isinstance(body["Message"], str):
            problems.append("Glue error body is not {__type, Message}")
    else:
        if not answer.headers.get("x-amzn-ErrorType"):
            problems.append("DataZone error without x-amzn-ErrorType")
        if not isinstance(body, dict) or set(body) != {"message"} or not isinstance(body["message"], str):
            problems.append("DataZone error body is not {message}")
        expected = DATAZONE_STATUS.get(answer.error_code or "")
        if expected is not None and answer.status != expected:
            problems.append(f"{answer.error_code} with HTTP {answer.status}")
    return problems


def control_problems(answer: Answer, fuzzed: Fuzzed, sent_runs: Any) -> list[str]:
    if 200 <= answer.status < 300:
        if fuzzed.must_refuse:
            return [f"accepted a request that must be refused ({answer.status})"]
        body = answer.json
        expected = {
            "datazone/job-runs": [{"ids"}],
            "glue/job-run-outcomes": [{"JobName", "State"}],
            "glue/crawl-outcomes": [{"CrawlerName", "State"}],
            "glue/trigger-fires": [{"RunId"}, {"JobRuns", "Crawls"}],
        }.get(answer.operation)
        if not isinstance(body, dict) or (expected is not None and set(body) not in expected):
            return [f"{answer.operation} answered {body}"]
        if answer.operation == "datazone/job-runs" and len(body["ids"]) != len(sent_runs):
            return [f"{len(sent_runs)} runs seeded, answered {body}"]
        return []
    code = answer.headers.get("x-amzn-ErrorType")
    problems = []
    if code not in {
        "ValidationException",
        "ResourceNotFoundException",
        "InvalidInputException",
        "EntityNotFoundException",
    }:
        problems.append(f"control error {code!r}")
    try:
        body = answer.json
    except ValueError:
        return [*problems, "control error body is not JSON"]
    if not isinstance(body, dict) or body.get("code") != code or not isinstance(body.get("message"), str):
        problems.append(f"control error body {body}")
    if answer.status not in (400, 404):
        problems.append(f"control error with HTTP {answer.status}")
    return problems


# Sending


def encode(value: Any) -> str:
    if isinstance(value, WireText):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def send(wire: Wire, service: str, name: str, fuzzed: Fuzzed) -> Answer:
    if service == "glue":
        return wire.glue(name, fuzzed.params, data=fuzzed.raw)
    if service == "control":
        return wire.control(name, fuzzed.params, data=fuzzed.raw)
    model = operation("datazone", name)
    members = model.input_shape.members if model.input_shape else {}
    payload = model.input_shape.serialization.get("payload") if model.input_shape else None
    uri: dict[str, str] = {}
    query: dict[str, str] = {}
    body: dict[str, Any] = {}
    data = fuzzed.raw
    for key, value in (fuzzed.params or {}).items():
        member = members.get(key)
        where = location(member) if member is not None else None
        if key == payload:  # the body is this member itself (PostLineageEvent's blob)
            if value is not None and data is None:
                data = value.encode() if isinstance(value, str) else json.dumps(value).encode()
        elif where == "uri":
            uri[member.serialization.get("name", key)] = encode(value)  # type: ignore[union-attr]
        elif where == "querystring":
            if value is not None:
                query[member.serialization.get("name", key)] = encode(value)  # type: ignore[union-attr]
        else:
            body[key] = value
    if payload and data is None:
        data = b""  # no member: an empty body
    return wire.datazone(name, uri=uri, query=query, body=body, data=data)


# Control endpoints as shapes, so the same strategies and mutations apply


def control_shapes() -> dict[str, StructureShape]:
    definitions = dict(get_service_model("datazone")._shape_resolver._shape_map)
    definitions.update(
        {
            "CtlAccount": {"type": "string", "min": 1},
            "CtlRegion": {"type": "string", "min": 1},
            "CtlName": {"type": "string", "min": 1, "max": 255},
            "CtlMessage": {"type": "string"},
            "CtlJobState": {"type": "string", "enum": ["SUCCEEDED", "FAILED", "TIMEOUT", "STOPPED", "ERROR"]},
            "CtlCrawlState": {"type": "string", "enum": ["SUCCEEDED", "FAILED", "CANCELLED"]},
            "CtlTime": {"type": "timestamp"},
            "CtlRun": {
                "type": "structure",
                "required": ["status"],
                "members": {
                    "status": {"shape": "JobRunStatus"},
                    "runMode": {"shape": "JobRunMode"},
                    "details": {"shape": "JobRunDetails"},
                    "error": {"shape": "JobRunError"},
                    "createdBy": {"shape": "String"},
                    "createdAt": {"shape": "CtlTime"},
                    "startTime": {"shape": "CtlTime"},
                    "endTime": {"shape": "CtlTime"},
                },
            },
            "CtlRuns": {"type": "list", "member": {"shape": "CtlRun"}, "min": 1},
            "datazone/job-runs": {
                "type": "structure",
                "required": ["domainIdentifier", "jobIdentifier", "runs"],
                "members": {
                    "AccountId": {"shape": "CtlAccount"},
                    "Region": {"shape": "CtlRegion"},
                    "domainIdentifier": {"shape": "DomainId"},
                    "jobIdentifier": {"shape": "ListJobRunsInputJobIdentifierString"},
                    "runs": {"shape": "CtlRuns"},
                },
            },
            "glue/job-run-outcomes": {
                "type": "structure",
                "required": ["JobName", "State"],
                "members": {
                    "AccountId": {"shape": "CtlAccount"},
                    "Region": {"shape": "CtlRegion"},
                    "JobName": {"shape": "CtlName"},
                    "State": {"shape": "CtlJobState"},
                    "ErrorMessage": {"shape": "CtlMessage"},
                },
            },
            "glue/crawl-outcomes": {
                "type": "structure",
                "required": ["CrawlerName", "State"],
                "members": {
                    "AccountId": {"shape": "CtlAccount"},
                    "Region": {"shape": "CtlRegion"},
                    "CrawlerName": {"shape": "CtlName"},
                    "State": {"shape": "CtlCrawlState"},
                    "ErrorMessage": {"shape": "CtlMessage"},
                },
            },
        }
    )
    definitions["glue/trigger-fires"] = {
        "type": "structure",
        "required": ["TriggerName"],
        "members": {
            "AccountId": {"shape": "CtlAccount"},
            "Region": {"shape": "CtlRegion"},
            "TriggerName": {"shape": "CtlName"},
        },
    }
    for control in control_operations():
        # An endpoint added since: its fields as strings, required as its function says.
        definitions.setdefault(
            control.path,
            {
                "type": "structure",
                "required": list(control.required),
                "members": {key: {"shape": "CtlName"} for key in ["AccountId", "Region", *control.fields]},
            },
        )
    resolver = ShapeResolver(definitions)
    return {path: resolver.get_shape_by_name(path) for path in CONTROL_PATHS}


# The tests


@pytest.fixture
def seeded(mgw_server: MotoServer) -> Iterator[Seeded]:
    mgw_server.reset()
    wire = Wire(mgw_server.endpoint_url)
    yield Seeded(wire)
    wire.unset_transition("glue::job_run")
    mgw_server.reset()


def fuzz(
    operation_name: str,
    shape: StructureShape | None,
    seeded: Seeded,
    check: Callable[[Answer, Fuzzed, bool], list[str]],
    service: str,
    record_property: Callable[[str, Any], None],
    has_body: bool = True,
    strict_unknown: bool = False,
) -> None:
    counts = {"sent": 0, "accepted": 0, "refused": 0}
    kinds: dict[str, int] = {}
    strategy = requests(shape, ShapeStrategies(seeded.known), has_body=has_body)

    @settings()  # the loaded profile: ci or long
    @given(fuzzed=strategy)
    def example(fuzzed: Fuzzed) -> None:
        seeded.ensure()
        if strict_unknown and fuzzed.kind == "unknown" and len(fuzzed.site) <= 2:
            # The control endpoints refuse members they do not know, at the top and in a run.
            fuzzed = Fuzzed(fuzzed.kind, fuzzed.params, field=fuzzed.field, must_refuse=True, base=fuzzed.base)
        base_valid = True
        if shape is not None:
            try:
                check_value(shape, fuzzed.base)
            except ShapeError:
                base_valid = False
        before = state()
        answer = send(seeded.wire, service, operation_name, fuzzed)
        counts["sent"] += 1
        kinds[fuzzed.kind] = kinds.get(fuzzed.kind, 0) + 1
        problems = []
        if answer.status >= 500 or b"Traceback" in answer.body:
            problems.append(f"HTTP {answer.status}")
        else:
            problems += check(answer, fuzzed, base_valid)
        if answer.status >= 400 and state() != before:
            problems.append("a refused request changed the stored state")
        assert not problems, (
            f"{operation_name}: {problems}\n request: {fuzzed.describe()}\n answer: {answer.describe()}"
        )
        counts["accepted" if answer.status < 300 else "refused"] += 1
        if os.environ.get("FUZZ_DEBUG"):
            print(
                f"  {fuzzed.kind:12} {answer.status} {answer.error_code} {answer.message[:90]!r} <- {fuzzed.describe()[:160]}"
            )

    example()
    record_property("fuzz_requests", f"{service} {operation_name}: {counts['sent']}")
    shown = ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
    print(
        f"fuzzed {service} {operation_name}: {counts['sent']} requests ({counts['accepted']} accepted, "
        f"{counts['refused']} refused; {shown})"
    )
    assert counts["sent"] >= 10
    assert counts["accepted"] + counts["refused"] == counts["sent"]


@pytest.mark.parametrize("operation_name", GLUE_OPERATIONS)
def test_glue_operation_answers_any_request(
    operation_name: str, seeded: Seeded, record_property: Callable[[str, Any], None]
) -> None:
    if operation_name == "StopWorkflowRun":
        seeded.wire.set_transition("glue::job_run", {"progression": "manual", "times": 1000})
    seeded.seed_glue(runs=5 if operation_name == "StopWorkflowRun" else 2)
    known = seeded.known.values
    if operation_name == "StartCrawler":
        known["Name"] = known["CrawlerName"]
    elif "Blueprint" in operation_name:
        known["Name"] = known["Names"] = known["BlueprintName"]
    elif operation_name in ("GetJobRun", "StartJobRun"):
        known["RunId"] = known["JobRunId"]
    if operation_name.startswith("Create"):
        seeded.known.fresh.add("Name")
    model = operation("glue", operation_name)
    fuzz(
        operation_name,
        model.input_shape,
        seeded,
        service_problems,
        "glue",
        record_property,
    )


@pytest.mark.parametrize("operation_name", DATAZONE_OPERATIONS)
def test_datazone_operation_answers_any_request(
    operation_name: str, seeded: Seeded, record_property: Callable[[str, Any], None]
) -> None:
    seeded.seed_datazone()
    seeded.known.fresh.add("name")
    seeded.known.always.add("domainExecutionRole")  # optional in the model, required for V1 domains
    model = operation("datazone", operation_name)
    by_kind = {"JobRun": "runIdentifier", "LineageEvent": "eventIdentifier", "Connection": "connectionIdentifier"}
    kind = next((key for key in by_kind if operation_name.endswith(key)), None)
    if kind is not None:
        seeded.known.values["identifier"] = seeded.known.values[by_kind[kind]]
    elif "LineageNode" in operation_name:
        seeded.known.values["identifier"] = seeded.known.values["nodeIdentifier"]
    else:
        seeded.known.values["identifier"] = seeded.known.values["domainIdentifier"]
    has_body = model.http["method"] not in ("GET", "DELETE")
    fuzz(
        operation_name,
        model.input_shape,
        seeded,
        service_problems,
        "datazone",
        record_property,
        has_body=has_body,
    )


@pytest.mark.parametrize("path", CONTROL_PATHS)
def test_control_endpoint_answers_any_request(
    path: str, seeded: Seeded, record_property: Callable[[str, Any], None]
) -> None:
    seeded.seed_glue()
    seeded.seed_datazone()
    seeded.known.values["JobName"] = ["extract", "load", "missing-job"]
    seeded.known.values["CrawlerName"] = ["raw", "missing-crawler"]
    shape = control_shapes()[path]

    def check(answer: Answer, fuzzed: Fuzzed, base_valid: bool) -> list[str]:
        runs = fuzzed.params.get("runs") if isinstance(fuzzed.params, dict) else None
        return control_problems(answer, fuzzed, runs)

    fuzz(path, shape, seeded, check, "control", record_property, strict_unknown=True)


def test_every_served_operation_is_fuzzed() -> None:
    """The parametrizations above follow the OPERATIONS sets: an operation served later is fuzzed too."""
    assert set(GLUE_OPERATIONS) == set(GlueWorkflowResponse.OPERATIONS) | {"CreateTrigger"}
    assert set(DATAZONE_OPERATIONS) == set(DataZoneResponse.OPERATIONS)
    assert set(CONTROL_PATHS) == {op.path for op in control_operations()}
    assert set(control_shapes()) == set(CONTROL_PATHS)
