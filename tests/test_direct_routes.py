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
    return botocore_stubber.process_request(request)  # type: ignore[no-any-return]


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

    from moto_glue_workflows.protocol.direct_routes import _access_key

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
    for header in headers:
        assert _access_key({"Authorization": header}) == moto_reads(header), header
