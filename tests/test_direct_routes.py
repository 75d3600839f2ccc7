"""Our operations answered without moto's routing keep what moto's path applies: IAM authorization,
the recorder, access-key bookkeeping, and request ids from moto's seedable random source."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest
import requests
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.core import set_initial_no_auth_action_count
from moto.moto_api import recorder
from moto.moto_api._internal import mock_random

from moto_glue_workflows import advance_clock, clock_now, seed_datazone_job_runs
from tests.glue_helpers import chain

POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["glue:GetWorkflow"], "Resource": "*"}],
}


def _user_keys(iam: object, name: str, policy: dict[str, object] | None) -> dict[str, str]:
    iam.create_user(UserName=name)  # type: ignore[attr-defined]
    if policy is not None:
        iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=json.dumps(policy))  # type: ignore[attr-defined]
    return iam.create_access_key(UserName=name)["AccessKey"]  # type: ignore[attr-defined,no-any-return]


@mock_aws
@set_initial_no_auth_action_count(5)
def test_iam_authorization_still_applies() -> None:
    iam = boto3.client("iam", region_name="us-east-1")
    allowed = _user_keys(iam, "reader", POLICY)
    denied = _user_keys(iam, "nobody", None)

    def glue_for(keys: dict[str, str]) -> object:
        return boto3.client(
            "glue",
            region_name="us-east-1",
            aws_access_key_id=keys["AccessKeyId"],
            aws_secret_access_key=keys["SecretAccessKey"],
        )

    reader = glue_for(allowed)
    with pytest.raises(ClientError) as info:
        reader.get_workflow(Name="missing")  # type: ignore[attr-defined]
    assert info.value.response["Error"]["Code"] == "EntityNotFoundException"
    with pytest.raises(ClientError) as info:
        glue_for(denied).get_workflow(Name="missing")  # type: ignore[attr-defined]
    assert info.value.response["Error"]["Code"] == "AccessDeniedException"
    with pytest.raises(ClientError) as info:
        reader.list_workflows()  # type: ignore[attr-defined]
    assert info.value.response["Error"]["Code"] == "AccessDeniedException"


def test_the_recorder_sees_our_requests(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(recorder, "_location", str(tmp_path / "recording"))
    with mock_aws():
        recorder.reset_recording()
        recorder.start_recording()
        try:
            glue = boto3.client("glue", region_name="us-east-1")
            glue.create_workflow(Name="recorded")
            dz = boto3.client("datazone", region_name="us-east-1")
            dz.list_domains()
        finally:
            recorder.stop_recording()
        recorded = recorder.download_recording()
        recorder.reset_recording()
    assert "AWSGlue.CreateWorkflow" in recorded and "/v2/domains" in recorded


def test_access_keys_record_their_last_use() -> None:
    with mock_aws():
        iam = boto3.client("iam", region_name="us-east-1")
        keys = _user_keys(iam, "worker", None)
        glue = boto3.client(
            "glue",
            region_name="eu-west-1",
            aws_access_key_id=keys["AccessKeyId"],
            aws_secret_access_key=keys["SecretAccessKey"],
        )
        glue.list_workflows()
        used = iam.get_access_key_last_used(AccessKeyId=keys["AccessKeyId"])["AccessKeyLastUsed"]
    assert used["ServiceName"] == "glue" and used["Region"] == "eu-west-1"


def test_request_ids_follow_motos_seed() -> None:
    def ids() -> list[str]:
        with mock_aws():
            requests.post("http://motoapi.amazonaws.com/moto-api/seed?a=42", timeout=10)
            glue = boto3.client("glue", region_name="us-east-1")
            chain(glue, "w", ["a"])
            return [glue.get_workflow(Name="w")["ResponseMetadata"]["RequestId"] for _ in range(3)]

    first, second = ids(), ids()
    assert first == second and len(set(first)) == 3
    assert all(len(i) == 52 and i.isalnum() for i in first)
    mock_random.seed()


def _raw(body: bytes, headers: dict[str, str], query: str = "") -> tuple[int, dict[str, str], object]:
    from botocore.awsrequest import AWSPreparedRequest
    from moto.core.models import botocore_stubber

    request = AWSPreparedRequest(
        "POST",
        f"https://glue.us-east-1.amazonaws.com/{query}",
        {"Content-Type": "application/x-amz-json-1.1", **headers},
        body,
        False,
    )
    # Through the hook botocore calls (before-send), as a client's request goes, in every moto.
    response = botocore_stubber("before-send.glue.CreateWorkflow", request)
    return response.status_code, dict(response.headers), response.content


def test_gzip_bodies_and_query_actions_answer_as_motos_path_would() -> None:
    import gzip

    with mock_aws():
        status, _, body = _raw(
            gzip.compress(b'{"Name": "zipped"}'), {"X-Amz-Target": "AWSGlue.CreateWorkflow", "Content-Encoding": "gzip"}
        )
        assert status == 200 and json.loads(body) == {"Name": "zipped"}  # type: ignore[arg-type]
        status, _, body = _raw(
            b'{"Name": "w", "Description": "a&Action=GetJob"}', {"X-Amz-Target": "AWSGlue.CreateWorkflow"}
        )
        assert status == 200 and json.loads(body) == {"Name": "w"}  # type: ignore[arg-type]
        glue = boto3.client("glue", region_name="us-east-1")
        assert glue.get_workflow(Name="w")["Workflow"]["Description"] == "a&Action=GetJob"
        assert sorted(glue.list_workflows()["Workflows"]) == ["w", "zipped"]


def test_access_key_is_the_one_moto_reads_from_any_authorization_header() -> None:
    """The direct path's access key scan gives what moto's access_key_regex gives, header for header."""
    import random

    from moto.core.responses import BaseResponse

    from moto_glue_workflows.protocol.direct_routes import _access_key_in

    def moto_reads(header: str) -> str:
        found = BaseResponse.access_key_regex.search(header)
        return found.group(1) if found else "AKIAEXAMPLE"

    sigv4 = (
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261130/us-east-1/glue/aws4_request, "
        "SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c"
    )
    headers = [sigv4, "AWS AKIAIOSFODNN7EXAMPLE:c2lnbmF0dXJl", "Bearer token", "", "AWS\nAKIAIOSFODNN7EXAMPLE/x"]
    pieces = ["AWS", "AKIAIOSFODNN7EXAMPLE", "ASIA0123456789ABCDEFG", "/", ":", " ", "x", "\n", "Credential="]
    chooser = random.Random(16)
    headers += ["".join(chooser.choice(pieces) for _ in range(chooser.randint(1, 12))) for _ in range(3000)]
    # Headers of the form every SDK sends (the direct path reads their key without scanning): keys of
    # every length and alphabet around 20 characters, scopes with long or digit-only segments.
    key_pieces = ["AKIA", "testing", "0123456789", "ABCDEFGHIJ", "a", "Z", "9", "x1"]
    for _ in range(3000):
        key = "".join(chooser.choice(key_pieces) for _ in range(chooser.randint(1, 6)))
        region = chooser.choice(["us-east-1", "eu-central-2", "1" * 19, "a" + "2" * 18, "ap-southeast-5"])
        service = chooser.choice(["glue", "datazone", "9" * 19, "s3"])
        signed = chooser.choice(["host;x-amz-date", "content-type;host;x-amz-date;x-amz-target"])
        signature = "".join(chooser.choice("0123456789abcdef") for _ in range(64))
        headers.append(
            f"AWS4-HMAC-SHA256 Credential={key}/20261130/{region}/{service}/aws4_request, "
            f"SignedHeaders={signed}, Signature={signature}"
        )
    for header in headers:
        assert _access_key_in(header) == moto_reads(header), header


def test_repeated_requests_are_read_and_checked_afresh_where_it_matters() -> None:
    """Reads a suite repeats are checked once per distinct input: an answer follows the labels and body
    of each request, a refused input stays refused, and each request gets its own parameters."""
    from moto_glue_workflows.protocol import model_response
    from moto_glue_workflows.protocol.model_response import WireRequest, checked_params, operation_model

    with mock_aws():
        glue = boto3.client("glue", region_name="us-east-1")
        chain(glue, "etl", ["a"])
        for _ in range(3):
            assert glue.get_workflow(Name="etl")["Workflow"]["Name"] == "etl"
            with pytest.raises(ClientError) as missing:
                glue.get_workflow(Name="other")
            assert missing.value.response["Error"]["Code"] == "EntityNotFoundException"
            with pytest.raises(ClientError) as refused:
                glue.get_workflow(Name="x" * 256)
            assert refused.value.response["Error"]["Code"] == "ValidationException"
            assert "Member must have length less than or equal to 255" in refused.value.response["Error"]["Message"]

        datazone = boto3.client("datazone", region_name="us-east-1")
        domain = datazone.create_domain(name="d", domainExecutionRole="arn:aws:iam::123456789012:role/dz")["id"]
        ids = seed_datazone_job_runs(
            domain_identifier=domain,
            job_identifier="job",
            runs=[{"status": "SUCCESS", "createdAt": 1767322800}, {"status": "FAILED", "createdAt": 1767322900}],
            region="us-east-1",
        )["ids"]
        for _ in range(2):
            statuses = [datazone.get_job_run(domainIdentifier=domain, identifier=i)["status"] for i in ids]
            assert statuses == ["SUCCESS", "FAILED"]

    operation = operation_model("glue", "GetWorkflow")
    request = WireRequest(b'{"Name": "etl"}', {}, None, {})
    first, second = checked_params(operation, request), checked_params(operation, request)
    assert first == second == {"Name": "etl"} and first is not second
    first["Name"] = "changed by a handler"
    assert checked_params(operation, request) == {"Name": "etl"}
    nested = WireRequest(b'{"Names": ["a", "b"]}', {}, None, {})
    batch = operation_model("glue", "BatchGetWorkflows")
    checked_params(batch, nested)["Names"].append("c")
    assert checked_params(batch, nested) == {"Names": ["a", "b"]}
    assert len(model_response._checked) <= model_response._CHECKED_KEPT
    # Inputs that differ on every call are not remembered: a fresh idempotency token, a posted document, a long body.
    assert not model_response._repeatable(operation_model("datazone", "PostLineageEvent"))
    assert not model_response._repeatable(operation_model("datazone", "CreateConnection"))
    remembered = len(model_response._checked)
    long_name = WireRequest(b'{"Name": "%s"}' % (b"x" * 5000), {}, None, {})
    with pytest.raises(model_response.InvalidParameter):
        checked_params(operation, long_name)
    checked_params(operation_model("glue", "StartWorkflowRun"), WireRequest(b'{"Name": "etl"}', {}, None, {}))
    assert len(model_response._checked) <= remembered + 1


def test_the_date_header_follows_the_mocks_clock() -> None:
    """Answers are dated on the mock's clock to the second, also right after it moves by a fraction of a
    second (the header is worked out once a second)."""
    import datetime
    import math
    from email.utils import parsedate_to_datetime

    def mock_now() -> float:
        return datetime.datetime.fromisoformat(clock_now().replace("Z", "+00:00")).timestamp()

    with mock_aws():
        glue = boto3.client("glue", region_name="us-east-1")
        chain(glue, "etl", ["a"])
        for advance in (0, 86400.5, 0.25, 0.5):
            if advance:
                advance_clock(seconds=advance)
            for _ in range(30):
                before = mock_now()
                headers = glue.get_workflow(Name="etl")["ResponseMetadata"]["HTTPHeaders"]
                after = mock_now()
                dated = parsedate_to_datetime(headers["date"]).timestamp()
                assert math.floor(before) <= dated <= math.floor(after), (advance, before, dated, after)


def test_ended_runs_are_answered_from_their_kept_body_and_indented_when_moto_prettifies(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An ended job run's body is serialized once; the bytes are the same on every poll, and moto's
    MOTO_PRETTIFY_RESPONSES still indents them."""
    from moto import settings

    from tests.glue_helpers import job

    with mock_aws():
        glue = boto3.client("glue", region_name="us-east-1")
        job(glue, "etl")
        run_id = glue.start_job_run(JobName="etl")["JobRunId"]
        bodies: list[bytes] = []
        glue.meta.events.register(
            "before-parse.glue.GetJobRun", lambda response_dict, **_: bodies.append(response_dict["body"])
        )
        for _ in range(3):
            glue.get_job_run(JobName="etl", RunId=run_id)
        monkeypatch.setattr(settings, "PRETTIFY_RESPONSES", True)
        glue.get_job_run(JobName="etl", RunId=run_id)
    assert bodies[1] == bodies[2] and b"\n" not in bodies[2]
    assert json.loads(bodies[2])["JobRun"]["JobRunState"] == "SUCCEEDED"
    assert bodies[3].startswith(b"{\n    ") and json.loads(bodies[3]) == json.loads(bodies[2])


def test_botocore_headers_are_read_case_insensitively_from_one_plain_dict() -> None:
    from botocore.awsrequest import HeadersDict

    from moto_glue_workflows.protocol.direct_routes import _plain_headers

    headers = HeadersDict({"X-Amz-Target": "AWSGlue.GetWorkflow", "Content-Type": "application/x-amz-json-1.1"})
    plain = _plain_headers(headers)
    assert plain.get("x-amz-target") == plain.get("X-AMZ-TARGET") == "AWSGlue.GetWorkflow"
    assert plain.get("Authorization") is None and plain.get("Authorization", "") == ""
    other = {"x-amz-target": "t"}
    assert _plain_headers(other) is other  # any other mapping is read through its own interface
