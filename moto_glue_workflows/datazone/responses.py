"""DataZone's REST handlers: read parameters, call the backend, return the model's shape."""

from __future__ import annotations

from typing import Any

from moto_glue_workflows._moto import ActionResult, backend_for
from moto_glue_workflows.datazone.exceptions import AccessDeniedException, ValidationException
from moto_glue_workflows.datazone.models import DataZoneBackend, datazone_backends
from moto_glue_workflows.protocol.model_response import ModelResponse


class DataZoneResponse(ModelResponse):
    SERVICE = "datazone"
    ACCESS_DENIED = AccessDeniedException
    VALIDATION_ERROR = ValidationException
    REST_ERROR_BODY = True
    OPERATIONS = frozenset({"CreateDomain", "GetDomain", "ListDomains", "DeleteDomain", "GetJobRun", "ListJobRuns"})

    @property
    def backend(self) -> DataZoneBackend:
        return backend_for(datazone_backends, self.current_account, self.region)  # type: ignore[no-any-return]

    def create_domain(self) -> ActionResult:
        return ActionResult(self.backend.create_domain(self.params).to_created())

    def get_domain(self) -> ActionResult:
        return ActionResult(self.backend.describe_domain(self.params["identifier"]).to_get())

    def list_domains(self) -> ActionResult:
        domains, token = self.backend.list_domains(
            self.param("status"), self.param("maxResults"), self.param("nextToken")
        )
        result: dict[str, Any] = {"items": [domain.to_summary() for domain in domains]}
        if token:
            result["nextToken"] = token
        return ActionResult(result)

    def delete_domain(self) -> ActionResult:
        return ActionResult({"status": self.backend.delete_domain(self.params["identifier"])})

    def get_job_run(self) -> ActionResult:
        run = self.backend.get_job_run(self.params["domainIdentifier"], self.params["identifier"])
        return ActionResult(run.to_get())

    def list_job_runs(self) -> ActionResult:
        runs, token = self.backend.list_job_runs(
            self.params["domainIdentifier"],
            self.params["jobIdentifier"],
            self.param("status"),
            self.param("sortOrder"),
            self.param("maxResults"),
            self.param("nextToken"),
        )
        result: dict[str, Any] = {"items": [run.to_summary() for run in runs]}
        if token:
            result["nextToken"] = token
        return ActionResult(result)
