"""DataZone's REST handlers: read parameters, call the backend, return the model's shape."""

from __future__ import annotations

import re
from typing import Any

from moto_glue_workflows._moto import ActionResult, ServiceException, backend_for, caller_arn
from moto_glue_workflows.datazone.exceptions import AccessDeniedException, UnknownDomain, ValidationException
from moto_glue_workflows.datazone.models import DataZoneBackend, datazone_backends
from moto_glue_workflows.protocol.model_response import ModelResponse, Settled
from moto_glue_workflows.protocol.timestamps import parse_timestamp
from moto_glue_workflows.protocol.validation import InvalidParameter

_EPOCH = re.compile(r"-?\d+(\.\d+)?\Z")


def _listed(items: list[Any], token: str | None, key: str = "items") -> ActionResult:
    result: dict[str, Any] = {key: items}
    if token:
        result["nextToken"] = token
    return ActionResult(result)


class DataZoneResponse(ModelResponse):
    SERVICE = "datazone"
    ACCESS_DENIED = AccessDeniedException
    VALIDATION_ERROR = ValidationException
    REST_ERROR_BODY = True
    OPERATIONS = frozenset(
        {
            "CreateDomain",
            "GetDomain",
            "ListDomains",
            "DeleteDomain",
            "GetJobRun",
            "ListJobRuns",
            "PostLineageEvent",
            "GetLineageEvent",
            "ListLineageEvents",
            "GetLineageNode",
            "ListLineageNodeHistory",
            "CreateConnection",
            "GetConnection",
            "ListConnections",
            "DeleteConnection",
        }
    )

    def refined(self, action: str, error: ServiceException) -> ServiceException:
        if isinstance(error, UnknownDomain):
            return AccessDeniedException(f"User is not permitted to perform operation: {action}")
        return error

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

    def get_job_run(self) -> ActionResult | Settled:
        run = self.backend.get_job_run(self.params["domainIdentifier"], self.params["identifier"])
        if run.frozen:  # no read changes it any more: the same answer every time
            return Settled(run, None, run.to_get)
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

    def _time(self, name: str) -> Any:
        value = self.param(name)
        if value is None:
            return None
        try:
            # Query-string timestamps arrive as ISO-8601 text (botocore's default) or epoch seconds.
            return parse_timestamp(float(value) if isinstance(value, str) and _EPOCH.match(value) else value)
        except ValueError:
            raise InvalidParameter(name, value, "Member must be a timestamp") from None

    def _caller(self) -> str:
        # As the seeding endpoint does: the account's caller (direct routes carry no parsed access key).
        return caller_arn(self.current_account, "", self.region)

    # Lineage

    def post_lineage_event(self) -> ActionResult:
        event = self.backend.post_lineage_event(
            self.params["domainIdentifier"], self.params["event"], self.param("clientToken"), self._caller()
        )
        return ActionResult({"id": event.id, "domainId": event.domain_id})

    def get_lineage_event(self) -> ActionResult:
        event = self.backend.get_lineage_event(self.params["domainIdentifier"], self.params["identifier"])
        return ActionResult(event.to_get())

    def list_lineage_events(self) -> ActionResult:
        events, token = self.backend.list_lineage_events(
            self.params["domainIdentifier"],
            self._time("timestampAfter"),
            self._time("timestampBefore"),
            self.param("processingStatus"),
            self.param("sortOrder"),
            self.param("maxResults"),
            self.param("nextToken"),
        )
        return _listed([event.to_summary() for event in events], token)

    def get_lineage_node(self) -> ActionResult:
        return ActionResult(
            self.backend.get_lineage_node(
                self.params["domainIdentifier"], self.params["identifier"], self._time("eventTimestamp")
            )
        )

    def list_lineage_node_history(self) -> ActionResult:
        nodes, token = self.backend.list_lineage_node_history(
            self.params["domainIdentifier"],
            self.params["identifier"],
            self.param("direction"),
            self._time("eventTimestampGTE"),
            self._time("eventTimestampLTE"),
            self.param("sortOrder"),
            self.param("maxResults"),
            self.param("nextToken"),
        )
        return _listed(nodes, token, key="nodes")

    # Connections

    def create_connection(self) -> ActionResult:
        return ActionResult(self.backend.create_connection(self.params).to_get())

    def get_connection(self) -> ActionResult:
        connection = self.backend.get_connection(self.params["domainIdentifier"], self.params["identifier"])
        return ActionResult(connection.to_get())

    def list_connections(self) -> ActionResult:
        connections, token = self.backend.list_connections(self.params["domainIdentifier"], self.params)
        return _listed([connection.to_summary() for connection in connections], token)

    def delete_connection(self) -> ActionResult:
        status = self.backend.delete_connection(self.params["domainIdentifier"], self.params["identifier"])
        return ActionResult({"status": status})
