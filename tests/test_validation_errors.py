"""Values the model forbids are refused as AWS's request validation refuses them; the service's own checks
keep the service's own error.

AWS's wording, as real answers quote it (see moto_glue_workflows/protocol/validation.py for the sources):
``ValidationException``, HTTP 400, ``N validation error(s) detected: Value '<value>' at '<path>' failed to
satisfy constraint: Member must ...``, violations joined with ``"; "``.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from moto.core.utils import get_service_model

from tests.conftest import AWS

ONE = "1 validation error detected: "
NAME_PATTERN = get_service_model("glue").shape_for("NameString").metadata["pattern"]


def refusal(call: Any, **kwargs: Any) -> tuple[int, str, str]:
    with pytest.raises(ClientError) as info:
        call(**kwargs)
    error = info.value.response
    return error["ResponseMetadata"]["HTTPStatusCode"], error["Error"]["Code"], error["Error"]["Message"]


def unchecked(aws: AWS, service: str = "glue") -> Any:
    """A client that sends what it is given, as SDKs without client-side validation do."""
    return aws.client(service, config=Config(parameter_validation=False))


def job_and_crawler(glue: Any) -> None:
    glue.create_job(Name="a", Role="r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/a.py"})
    glue.create_crawler(Name="c", Role="r", Targets={"S3Targets": [{"Path": "s3://b/"}]})


def test_enum_in_a_list_of_structures_names_the_item_as_aws_does(aws: AWS) -> None:
    """moto's test_create_predicate_with_invalid_logical_operator, with AWS's whole message."""
    glue = aws.client("glue")
    job_and_crawler(glue)
    status, code, message = refusal(
        glue.create_trigger,
        Name="t",
        Type="CONDITIONAL",
        Actions=[{"JobName": "a"}],
        Predicate={
            "Logical": "ANY",
            "Conditions": [{"CrawlerName": "c", "CrawlState": "SUCCEEDED", "LogicalOperator": "INVALID_OPERATOR"}],
        },
    )
    assert (status, code) == (400, "ValidationException")
    assert message == (
        f"{ONE}Value 'INVALID_OPERATOR' at 'predicate.conditions.1.member.logicalOperator' failed to satisfy "
        "constraint: Member must satisfy enum value set: [EQUALS]"
    )
    assert glue.list_triggers()["TriggerNames"] == []


def test_several_violations_are_counted_and_joined(aws: AWS) -> None:
    glue = unchecked(aws)
    status, code, message = refusal(glue.create_trigger, Name="x" * 256, Type="WRONG", Actions=[{"JobName": "a"}])
    assert (status, code) == (400, "ValidationException")
    assert message == (
        f"2 validation errors detected: Value '{'x' * 256}' at 'name' failed to satisfy constraint: "
        "Member must have length less than or equal to 255; "
        "Value 'WRONG' at 'type' failed to satisfy constraint: "
        "Member must satisfy enum value set: [SCHEDULED, CONDITIONAL, ON_DEMAND, EVENT]"
    )


def test_required_range_and_length(aws: AWS) -> None:
    glue = unchecked(aws)
    assert refusal(glue.get_workflow) == (
        400,
        "ValidationException",
        f"{ONE}Value null at 'name' failed to satisfy constraint: Member must not be null",
    )
    assert refusal(glue.list_workflows, MaxResults=0) == (
        400,
        "ValidationException",
        f"{ONE}Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
    )
    assert refusal(glue.create_workflow, Name="") == (
        400,
        "ValidationException",
        f"{ONE}Value '' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1",
    )
    assert refusal(glue.start_blueprint_run, BlueprintName="b") == (
        400,
        "ValidationException",
        f"{ONE}Value null at 'roleArn' failed to satisfy constraint: Member must not be null",
    )


def test_list_items_and_map_keys_are_reported_on_the_collection(aws: AWS) -> None:
    glue = unchecked(aws)
    status, code, message = refusal(glue.batch_get_workflows, Names=["ok", ""])
    assert (status, code) == (400, "ValidationException")
    assert message == (
        f"{ONE}Value '[ok, ]' at 'names' failed to satisfy constraint: Member must satisfy constraint: "
        "[Member must have length less than or equal to 255, Member must have length greater than or equal to 1, "
        f"Member must satisfy regular expression pattern: {NAME_PATTERN}]"
    )
    status, code, message = refusal(glue.create_workflow, Name="t", Tags={"": "v"})
    assert (status, code) == (400, "ValidationException")
    assert message == (
        f"{ONE}Value '{{=v}}' at 'tags' failed to satisfy constraint: Map keys must satisfy constraint: "
        "[Member must have length less than or equal to 128, Member must have length greater than or equal to 1]"
    )
    assert glue.list_workflows()["Workflows"] == []


def test_the_services_own_checks_stay_invalid_input(aws: AWS) -> None:
    glue = aws.client("glue")
    job_and_crawler(glue)
    # AWS's wording: https://github.com/aws/aws-cdk/issues/24575
    assert refusal(
        glue.create_trigger,
        Name="t",
        Type="CONDITIONAL",
        Actions=[{"JobName": "a"}],
        Predicate={"Conditions": [{"LogicalOperator": "EQUALS", "CrawlerName": "c"}]},
    ) == (
        400,
        "InvalidInputException",
        "State cannot be null or empty, choose from one of the following crawler state: [SUCCEEDED, FAILED, CANCELLED]",
    )
    # AWS's wording: https://github.com/hashicorp/terraform-provider-aws/issues/39571
    assert refusal(
        glue.create_trigger,
        Name="t",
        Type="CONDITIONAL",
        Actions=[{"JobName": "a"}],
        Predicate={"Conditions": [{"LogicalOperator": "EQUALS", "JobName": "a", "State": "SUCCEEDED"}]},
    ) == (400, "InvalidInputException", "Job cannot be a Predicate and Action for Conditional Trigger.")
    assert glue.list_triggers()["TriggerNames"] == []


def test_datazone_keeps_validation_exception(aws: AWS) -> None:
    dz = unchecked(aws, "datazone")
    status, code, message = refusal(dz.create_domain, name="d")
    assert (status, code) == (400, "ValidationException")
    assert message == f"{ONE}Value null at 'domainExecutionRole' failed to satisfy constraint: Member must not be null"
    status, code, message = refusal(dz.list_domains, maxResults=0)
    assert (status, code) == (400, "ValidationException")
    assert "Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than" in message
