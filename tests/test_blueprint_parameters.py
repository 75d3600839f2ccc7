"""StartBlueprintRun's Parameters against a blueprint's ParameterSpec."""

from __future__ import annotations

import json
from typing import Any

import pytest

from moto_glue_workflows.blueprints import (
    BlueprintParameterError,
    ParameterSpec,
    parse_parameter_spec,
    resolve_parameters,
)

RAW_SPEC: dict[str, Any] = {
    "WorkflowName": {"type": "String", "collection": False},
    "IAMRole": {"type": "IAMRoleName"},
    "S3Paths": {"type": "S3Uri", "collection": True},
    "Workers": {"type": "Integer", "allowedValues": [2, 4, 6], "defaultValue": 2},
    "DesiredFileSizeMB": {"type": "Double", "defaultValue": 128},
    "EnableManifest": {"type": "Boolean", "defaultValue": True},
    "Formats": {"type": "String", "collection": True, "allowedValues": ["csv", "json"], "defaultValue": ["csv"]},
    "TablePrefix": {"type": "String", "defaultValue": ""},
}
REQUIRED = {"WorkflowName": "wf", "IAMRole": "GlueRole", "S3Paths": ["s3://data/in/"]}


@pytest.fixture
def spec() -> ParameterSpec:
    return parse_parameter_spec(RAW_SPEC)


def resolve(spec: ParameterSpec | dict[str, Any] | str, **given: Any) -> dict[str, Any]:
    return resolve_parameters(spec, json.dumps(given))


def rejection(spec: ParameterSpec, given: Any) -> str:
    text = given if isinstance(given, str) else json.dumps(given)
    with pytest.raises(BlueprintParameterError) as caught:
        resolve_parameters(spec, text)
    assert caught.value.message == str(caught.value)
    return caught.value.message


def test_given_values_are_kept_and_defaults_filled_in(spec: ParameterSpec) -> None:
    resolved = resolve(spec, **REQUIRED, Workers=4)
    assert resolved == {
        **REQUIRED,
        "Workers": 4,
        "DesiredFileSizeMB": 128,
        "EnableManifest": True,
        "Formats": ["csv"],
        "TablePrefix": "",
    }
    assert list(resolved) == list(RAW_SPEC)


def test_defaults_are_copies_the_layout_cannot_alter(spec: ParameterSpec) -> None:
    first = resolve(spec, **REQUIRED)
    first["Formats"].append("json")
    assert resolve(spec, **REQUIRED)["Formats"] == ["csv"]


def test_null_counts_as_not_given(spec: ParameterSpec) -> None:
    assert resolve(spec, **REQUIRED, Workers=None)["Workers"] == 2
    message = rejection(spec, {**REQUIRED, "WorkflowName": None})
    assert "Missing required blueprint parameter 'WorkflowName'" in message


@pytest.mark.parametrize("missing", ["WorkflowName", "IAMRole", "S3Paths"])
def test_missing_required_parameter_is_named(spec: ParameterSpec, missing: str) -> None:
    given = {k: v for k, v in REQUIRED.items() if k != missing}
    message = rejection(spec, given)
    assert message.startswith(f"Missing required blueprint parameter '{missing}'")
    assert "it has no defaultValue" in message


def test_missing_collection_parameter_says_it_is_a_collection(spec: ParameterSpec) -> None:
    message = rejection(spec, {"WorkflowName": "wf", "IAMRole": "GlueRole"})
    assert "'S3Paths' (S3Uri collection)" in message


def test_unknown_parameter_is_named_with_the_accepted_ones(spec: ParameterSpec) -> None:
    message = rejection(spec, {**REQUIRED, "Wokers": 4})
    assert message.startswith("Unknown blueprint parameter 'Wokers'")
    assert "accepts WorkflowName, IAMRole, S3Paths, Workers" in message


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("Workers", "4", "Integer (an integer)"),
        ("Workers", 4.0, "Integer (an integer)"),
        ("Workers", True, "Integer (an integer)"),
        ("DesiredFileSizeMB", "128", "Double (a number)"),
        ("DesiredFileSizeMB", False, "Double (a number)"),
        ("EnableManifest", "true", "Boolean (true or false)"),
        ("EnableManifest", 1, "Boolean (true or false)"),
        ("WorkflowName", 5, "String (a string)"),
        ("IAMRole", "arn:aws:iam::123456789012:role/GlueRole", "IAMRoleName (an IAM role name)"),
        ("IAMRole", "has space", "IAMRoleName (an IAM role name)"),
        ("IAMRole", "r" * 65, "IAMRoleName (an IAM role name)"),
    ],
)
def test_wrong_type_is_named(spec: ParameterSpec, name: str, value: Any, expected: str) -> None:
    message = rejection(spec, {**REQUIRED, name: value})
    assert message == f"Invalid value for blueprint parameter '{name}': expected {expected}, got {json.dumps(value)}"


def test_double_accepts_whole_numbers_and_fractions(spec: ParameterSpec) -> None:
    assert resolve(spec, **REQUIRED, DesiredFileSizeMB=64)["DesiredFileSizeMB"] == 64
    assert resolve(spec, **REQUIRED, DesiredFileSizeMB=0.5)["DesiredFileSizeMB"] == 0.5


@pytest.mark.parametrize(
    ("kind", "good", "bad"),
    [
        ("S3Uri", ["s3://bucket", "s3://bucket/", "s3://bucket/a/b.csv"], ["http://bucket/a", "s3://", "bucket/a"]),
        (
            "S3Bucket",
            ["my-bucket", "logs.example.com", "abc"],
            ["ab", "My_Bucket", "s3://my-bucket", "192.168.0.1", "a..b", "-bucket"],
        ),
        (
            "IAMRoleArn",
            ["arn:aws:iam::123456789012:role/Glue", "arn:aws-cn:iam::123456789012:role/service/Glue+x"],
            ["GlueRole", "arn:aws:iam::123456789012:user/bob", "arn:aws:iam::1234:role/Glue"],
        ),
        ("IAMRoleName", ["GlueRole", "glue_role-1@x.y"], ["Glue Role", "role/Glue", ""]),
    ],
)
def test_aws_typed_strings(kind: str, good: list[str], bad: list[str]) -> None:
    spec = parse_parameter_spec({"P": {"type": kind}})
    for value in good:
        assert resolve(spec, P=value) == {"P": value}
    for value in bad:
        assert rejection(spec, {"P": value}).startswith(f"Invalid value for blueprint parameter 'P': expected {kind}")


def test_collection_takes_a_list_of_its_type(spec: ParameterSpec) -> None:
    paths = ["s3://data/a/", "s3://data/b/"]
    assert resolve(spec, **{**REQUIRED, "S3Paths": paths})["S3Paths"] == paths
    assert resolve(spec, **{**REQUIRED, "S3Paths": []})["S3Paths"] == []


def test_collection_given_a_single_value_is_rejected(spec: ParameterSpec) -> None:
    message = rejection(spec, {**REQUIRED, "S3Paths": "s3://data/a/"})
    assert message == "Invalid value for blueprint parameter 'S3Paths': expected a list of S3Uri, got \"s3://data/a/\""


def test_collection_item_of_the_wrong_type_is_named_by_position(spec: ParameterSpec) -> None:
    message = rejection(spec, {**REQUIRED, "S3Paths": ["s3://data/a/", "/local/path"]})
    assert message.startswith("Invalid value for blueprint parameter 'S3Paths' item 2: expected S3Uri")


def test_value_outside_allowed_values_is_rejected_with_the_list(spec: ParameterSpec) -> None:
    message = rejection(spec, {**REQUIRED, "Workers": 3})
    assert message == "Invalid value for blueprint parameter 'Workers': 3 is not one of the allowed values [2, 4, 6]"
    assert resolve(spec, **REQUIRED, Workers=6)["Workers"] == 6


def test_allowed_values_apply_to_each_collection_item(spec: ParameterSpec) -> None:
    assert resolve(spec, **REQUIRED, Formats=["json", "csv"])["Formats"] == ["json", "csv"]
    message = rejection(spec, {**REQUIRED, "Formats": ["csv", "xml"]})
    assert message == (
        "Invalid value for blueprint parameter 'Formats' item 2: \"xml\" is not one of the allowed values "
        '["csv", "json"]'
    )


def test_boolean_allowed_values_do_not_admit_numbers() -> None:
    spec = parse_parameter_spec({"Level": {"type": "Double", "allowedValues": [1, 2.5]}})
    assert resolve(spec, Level=1.0) == {"Level": 1.0}
    assert "is not one of the allowed values" in rejection(spec, {"Level": 2})
    flag = parse_parameter_spec({"Flag": {"type": "Boolean", "allowedValues": [True]}})
    assert resolve(flag, Flag=True) == {"Flag": True}
    assert "false is not one of the allowed values [true]" in rejection(flag, {"Flag": False})


@pytest.mark.parametrize("empty", [None, "", "   ", "{}"])
def test_no_parameters_means_all_defaults(empty: str | None) -> None:
    spec = parse_parameter_spec(
        {"A": {"type": "String", "defaultValue": "x"}, "B": {"type": "Integer", "defaultValue": 1}}
    )
    assert resolve_parameters(spec, empty) == {"A": "x", "B": 1}


def test_parameters_that_are_not_json_are_rejected(spec: ParameterSpec) -> None:
    message = rejection(spec, '{"WorkflowName": "wf",')
    assert message.startswith("Parameters is not valid JSON: ")


@pytest.mark.parametrize("document", ['["wf"]', '"wf"', "42"])
def test_parameters_must_be_an_object(spec: ParameterSpec, document: str) -> None:
    message = rejection(spec, document)
    assert message == f"Parameters must be a JSON object of parameter names to values, got {document}"


def test_spec_may_be_given_as_getblueprints_json_or_a_mapping(spec: ParameterSpec) -> None:
    expected = resolve(spec, **REQUIRED)
    assert resolve(spec.to_json(), **REQUIRED) == expected
    assert resolve(RAW_SPEC, **REQUIRED) == expected


def test_invalid_stored_spec_is_a_parameter_error() -> None:
    with pytest.raises(
        BlueprintParameterError, match=r"The blueprint's ParameterSpec is invalid: .*not valid|Expecting"
    ):
        resolve_parameters("{not json", "{}")
    with pytest.raises(BlueprintParameterError, match=r"parameterSpec.X has no type"):
        resolve_parameters({"X": {}}, "{}")
