"""Requests no SDK sends, answered as AWS's front end answers them, in both modes, over raw HTTP.

- An ``X-Amz-Target`` naming no Glue operation: HTTP 400, ``{"__type":
  "com.amazon.coral.service#UnknownOperationException"}`` (the Coral front end's answer, as
  https://github.com/mhart/dynalite reproduces it); never a 500.
- A body that cannot be read (``Content-Encoding: gzip`` and not gzip, not JSON, nested deeper than
  JSON is parsed): Glue's ``com.amazon.coral.service#SerializationException``, HTTP 400; DataZone's
  ``ValidationException``.
- A query-string ``Action`` never overrides the operation the target header names, whether our direct
  route or moto's own request path answers.
- Nested JSON in ``Parameters``, ``blueprint.cfg`` and control endpoints: the service's 400.
"""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from moto_glue_workflows.protocol import validation
from moto_glue_workflows.protocol.shape_compiler import PerModel
from tests.conftest import AWS
from tests.test_glue_blueprints import ROLE, upload
from tests.wire import authorization, operation

UNKNOWN = {"__type": "com.amazon.coral.service#UnknownOperationException"}
UNREADABLE = {"__type": "com.amazon.coral.service#SerializationException"}
DEEP = 100_000


def nested(depth: int, leaf: str = "1") -> str:
    return "[" * depth + leaf + "]" * depth


class Raw:
    """Raw requests to Glue and DataZone, to the server or (decorator mode) to AWS's hosts, intercepted."""

    def __init__(self, aws: AWS) -> None:
        self.aws = aws
        self.glue_url = aws.endpoint_url or "https://glue.us-east-1.amazonaws.com"
        self.datazone_url = aws.endpoint_url or "https://datazone.us-east-1.api.aws"
        self.control_url = aws.endpoint_url or "http://motoapi.amazonaws.com"

    def glue(
        self, target: str | None, body: bytes = b"{}", query: str = "", headers: dict[str, str] | None = None
    ) -> requests.Response:
        sent = {"Content-Type": "application/x-amz-json-1.1", "Authorization": authorization("glue")}
        if target is not None:
            sent["X-Amz-Target"] = target
        sent.update(headers or {})
        return requests.post(f"{self.glue_url}/{query}", data=body, headers=sent, timeout=60)

    def datazone(self, method: str, path: str, body: bytes, headers: dict[str, str] | None = None) -> requests.Response:
        sent = {"Content-Type": "application/json", "Authorization": authorization("datazone")}
        sent.update(headers or {})
        return requests.request(method, f"{self.datazone_url}{path}", data=body, headers=sent, timeout=60)

    def control(self, path: str, body: bytes) -> requests.Response:
        return requests.post(f"{self.control_url}/moto-api/static/{path}", data=body, timeout=60)


@pytest.fixture
def raw(aws: AWS) -> Iterator[Raw]:
    yield Raw(aws)


@pytest.mark.parametrize(
    "target", ["AWSGlue.NoSuchOperation", "garbage", "AWSGlue.", "DynamoDB_20120810.GetWorkflow", "", None]
)
def test_unknown_or_malformed_targets_are_unknown_operations(aws: AWS, raw: Raw, target: str | None) -> None:
    answer = raw.glue(target, b'{"Name": "w"}')
    assert answer.status_code == 400 and answer.json() == UNKNOWN
    assert answer.headers["Content-Type"] == "application/x-amz-json-1.1"
    assert answer.headers.get("x-amzn-requestid")


@pytest.mark.parametrize("gzipped", [False, True], ids=["direct-route", "motos-path"])
def test_query_string_action_never_overrides_the_target(aws: AWS, raw: Raw, gzipped: bool) -> None:
    """Direct routes answer plain bodies in decorator mode; gzip bodies (and server mode) take moto's path."""
    glue = aws.client("glue")
    glue.create_workflow(Name="w")
    body = b'{"Name": "w"}'
    headers = {"Content-Encoding": "gzip"} if gzipped else {}
    answer = raw.glue(
        "AWSGlue.GetWorkflow", gzip.compress(body) if gzipped else body, "?Action=DeleteWorkflow", headers
    )
    assert answer.status_code == 200 and answer.json()["Workflow"]["Name"] == "w"
    answer = raw.glue("AWSGlue.ListWorkflows", b"{}", "?Action=DeleteWorkflow&Name=w")
    assert answer.status_code == 200 and answer.json() == {"Workflows": ["w"]}
    assert glue.list_workflows()["Workflows"] == ["w"]


def test_a_body_declared_gzip_that_is_not_is_refused(aws: AWS, raw: Raw) -> None:
    glue = aws.client("glue")
    answer = raw.glue("AWSGlue.CreateWorkflow", b'{"Name": "plain"}', headers={"Content-Encoding": "gzip"})
    assert answer.status_code == 400 and answer.json() == UNREADABLE
    half = gzip.compress(b'{"Name": "cut"}')[:12]
    answer = raw.glue("AWSGlue.CreateWorkflow", half, headers={"Content-Encoding": "gzip"})
    assert answer.status_code == 400 and answer.json() == UNREADABLE
    answer = raw.glue(
        "AWSGlue.CreateWorkflow", gzip.compress(b'{"Name": "zipped"}'), headers={"Content-Encoding": "gzip"}
    )
    assert answer.status_code == 200 and answer.json() == {"Name": "zipped"}
    assert glue.list_workflows()["Workflows"] == ["zipped"]
    path = operation("datazone", "ListDomains").http["requestUri"]
    answer = raw.datazone("GET", path, b"not gzip", {"Content-Encoding": "gzip"})
    assert answer.status_code == 400 and answer.headers["x-amzn-ErrorType"].startswith("ValidationException")


def test_unreadable_and_deeply_nested_bodies_are_the_services_400(aws: AWS, raw: Raw) -> None:
    glue = aws.client("glue")
    glue.create_workflow(Name="w")
    for target in ("AWSGlue.GetWorkflow", "AWSGlue.CreateTrigger", "AWSGlue.CreateJob"):  # ours, validated, moto's
        for body in (f'{{"Name": "w", "Extra": {nested(DEEP)}}}', "{not json", "[]", '"text"'):
            answer = raw.glue(target, body.encode())
            assert (answer.status_code, answer.json()) == (400, UNREADABLE), (target, body[:20])
    answer = raw.datazone("POST", "/v2/domains", f'{{"name": {nested(DEEP)}}}'.encode())
    assert answer.status_code == 400 and answer.headers["x-amzn-ErrorType"].startswith("ValidationException")
    assert glue.list_workflows()["Workflows"] == ["w"] and glue.get_jobs()["Jobs"] == []


def _archive(config: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        zipped.writestr("blueprint.cfg", config)
        zipped.writestr("layout.py", "def generate_layout(user_params, system_params):\n    raise ValueError('x')\n")
    return buffer.getvalue()


def test_nested_json_in_parameters_config_and_control_bodies(aws: AWS, raw: Raw) -> None:
    glue = aws.client("glue")
    spec = {"P": {"type": "String", "collection": False}}
    config = json.dumps({"layoutGenerator": "layout.generate_layout", "parameterSpec": spec})
    glue.create_blueprint(Name="bp", BlueprintLocation=upload(aws, "bp.zip", _archive(config)))
    for parameters in (nested(5000), f'{{"P": {nested(5000)}}}'):
        with pytest.raises(glue.exceptions.InvalidInputException) as info:
            glue.start_blueprint_run(BlueprintName="bp", Parameters=parameters, RoleArn=ROLE)
        assert "Parameters is not valid JSON: it is nested more than" in str(info.value)
    assert glue.get_blueprint_runs(BlueprintName="bp")["BlueprintRuns"] == []

    deep_config = '{"layoutGenerator": "layout.generate_layout", "parameterSpec": ' + nested(5000, "{}") + "}"
    glue.create_blueprint(Name="deep", BlueprintLocation=upload(aws, "deep.zip", _archive(deep_config)))
    blueprint = glue.get_blueprint(Name="deep")["Blueprint"]
    assert (
        blueprint["Status"] == "FAILED"
        and "blueprint.cfg is not valid JSON: it is nested more than" in blueprint["ErrorMessage"]
    )

    for path in ("glue/job-run-outcomes", "glue/crawl-outcomes", "datazone/job-runs"):
        answer = raw.control(path, f'{{"JobName": {nested(DEEP)}}}'.encode())
        assert answer.status_code == 400, (path, answer.text[:200])


def test_a_failed_validator_build_leaves_nothing_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    """A RecursionError while an operation's validator is first built (issue 11, point 6) must not leave the
    shape compiler's placeholders behind: the next build works."""
    from moto_glue_workflows.protocol.model_response import operation_model

    monkeypatch.setattr(validation, "_validators", PerModel(validation._Compiler))
    validation.input_validator.cache_clear()
    original = validation._Compiler.build
    failing = {"count": 0}

    def build_once_failing(self: Any, shape: Any) -> Any:
        if shape.name == "LogicalOperator" and not failing["count"]:
            failing["count"] += 1
            raise RecursionError("maximum recursion depth exceeded")
        return original(self, shape)

    monkeypatch.setattr(validation._Compiler, "build", build_once_failing)
    model = operation_model("glue", "CreateTrigger")
    try:
        with pytest.raises(RecursionError):
            validation.input_validator(model)
        check = validation.input_validator(model)
        good = {"Name": "t", "Type": "CONDITIONAL", "Actions": [{"JobName": "a"}]}
        good["Predicate"] = {"Conditions": [{"LogicalOperator": "EQUALS", "JobName": "b", "State": "SUCCEEDED"}]}
        check(good, "")
        bad = json.loads(json.dumps(good))
        bad["Predicate"]["Conditions"][0]["LogicalOperator"] = "NOPE"
        with pytest.raises(validation.InvalidParameter) as info:
            check(bad, "")
        assert info.value.path == "predicate.conditions.1.member.logicalOperator"
    finally:
        validation.input_validator.cache_clear()
