"""``POST /moto-api/static/datazone/job-runs``: seed lineage job runs, as no public API can."""

from __future__ import annotations

from typing import Any

from moto_glue_workflows._moto import UnknownRegion, backend_for, caller_arn, get_service_model
from moto_glue_workflows.control.endpoints import ControlOperation
from moto_glue_workflows.datazone.exceptions import ResourceNotFoundException, UnknownDomain, ValidationException
from moto_glue_workflows.datazone.models import datazone_backends
from moto_glue_workflows.protocol.validation import InvalidParameter, shape_validator


def _check_identifiers(domain_identifier: Any, job_identifier: Any) -> None:
    shapes = get_service_model("datazone").operation_model("ListJobRuns").input_shape.members
    shape_validator(shapes["domainIdentifier"])(domain_identifier, "domainIdentifier")
    shape_validator(shapes["jobIdentifier"])(job_identifier, "jobIdentifier")


def seed_job_runs(
    *, account_id: str, region: str, domain_identifier: str, job_identifier: str, runs: list[dict[str, Any]]
) -> dict[str, Any]:
    try:
        _check_identifiers(domain_identifier, job_identifier)
        if not isinstance(runs, list) or not runs:
            raise InvalidParameter("runs", runs, "Member must be a non-empty list")
        backend = backend_for(datazone_backends, account_id, region)
        caller = caller_arn(account_id, "", region)
        ids = backend.seed_job_runs(domain_identifier, job_identifier, runs, caller)
    except InvalidParameter as invalid:
        raise ValidationException(str(invalid)) from None
    except UnknownRegion as unknown:
        raise ValidationException(str(unknown)) from None
    except UnknownDomain as unknown:  # DataZone's own answer (403, naming an operation) would mislead here
        raise ResourceNotFoundException(f"Domain {unknown.identifier} does not exist.") from None
    return {"ids": ids}


SEED_JOB_RUNS = ControlOperation(
    "datazone/job-runs",
    seed_job_runs,
    {"domainIdentifier": "domain_identifier", "jobIdentifier": "job_identifier", "runs": "runs"},
    helper_name="seed_datazone_job_runs",
)
