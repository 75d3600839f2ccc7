"""DataZone connections: Redshift connections with lineage sync (whose lineage job's runs tests
seed), S3 and IAM connections.

A Redshift connection with ``lineageSync.enabled`` reports a ``lineageJobId``; the runs of that job
are what ``ListJobRuns``/``GetJobRun`` show (SageMaker Unified Studio lineage troubleshooting guide:
"On the Amazon Redshift connection details, you will see the lineageJobId along with the job run
schedule ... fetch it using the get-connection API", then ``list-job-runs --job-identifier``).
Simplifications (no environment or project needs to exist) are listed in docs/datazone-lineage.md.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from moto_glue_workflows._moto import mock_random
from moto_glue_workflows.datazone.exceptions import ConflictException, ResourceNotFoundException, ValidationException
from moto_glue_workflows.events.cron import Cron, CronError
from moto_glue_workflows.protocol.pagination import InvalidToken, page
from moto_glue_workflows.protocol.timestamps import utc_now
from moto_glue_workflows.protocol.validation import InvalidParameter

_SCHEDULE_PATH = "props.redshiftProperties.lineageSync.schedule.schedule"
_ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789"
#: props members we model, and the connection type each gives
SUPPORTED_PROPS = {"redshiftProperties": "REDSHIFT", "s3Properties": "S3", "iamProperties": "IAM"}


def _id() -> str:
    return "".join(mock_random.choice(_ID_CHARS) for _ in range(14))


@dataclass
class Connection:
    domain_id: str
    domain_unit_id: str
    id: str
    name: str
    type: str
    props_kind: str
    props: dict[str, Any]
    region: str
    account_id: str
    description: str | None = None
    environment_id: str | None = None
    scope: str | None = None
    aws_location: dict[str, Any] | None = None
    client_token: str | None = None
    lineage_job_id: str | None = None
    #: the occurrence of the last lineage sync (datazone/lineage_sync.py)
    lineage_synced_until: datetime.datetime | None = None
    created_at: datetime.datetime = field(default_factory=utc_now)

    def _props_output(self) -> dict[str, Any]:
        given = self.props
        if self.props_kind == "redshiftProperties":
            out: dict[str, Any] = {"status": "READY"}
            for key in ("storage", "databaseName"):
                if given.get(key) is not None:
                    out[key] = given[key]
            credentials = given.get("credentials")
            if isinstance(credentials, dict) and credentials.get("secretArn"):
                out["credentials"] = {"secretArn": credentials["secretArn"]}  # a password is never echoed
            host, port, database = given.get("host"), given.get("port") or 5439, given.get("databaseName")
            if host:
                out["jdbcUrl"] = f"jdbc:redshift://{host}:{port}/{database or 'dev'}"
                out["jdbcIamUrl"] = f"jdbc:redshift:iam://{host}:{port}/{database or 'dev'}"
            sync = given.get("lineageSync")
            if isinstance(sync, dict):
                out_sync: dict[str, Any] = {"enabled": bool(sync.get("enabled"))}
                if self.lineage_job_id:
                    out_sync["lineageJobId"] = self.lineage_job_id
                if sync.get("schedule") is not None:
                    out_sync["schedule"] = sync["schedule"]
                out["lineageSync"] = out_sync
            return {"redshiftProperties": out}
        if self.props_kind == "s3Properties":
            return {"s3Properties": {**given, "status": "READY"}}
        out = {"glueLineageSyncEnabled": bool(given.get("glueLineageSyncEnabled"))}
        if self.environment_id:
            out["environmentId"] = self.environment_id
        return {"iamProperties": out}

    def _endpoints(self) -> list[dict[str, Any]]:
        location = dict(self.aws_location or {})
        location.setdefault("awsAccountId", self.account_id)
        location.setdefault("awsRegion", self.region)
        endpoint: dict[str, Any] = {"awsLocation": location}
        if self.props_kind == "redshiftProperties":
            if self.props.get("host"):
                endpoint["host"] = self.props["host"]
            endpoint["port"] = self.props.get("port") or 5439
            endpoint["protocol"] = "JDBC"
        return [endpoint]

    def to_summary(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "connectionId": self.id,
            "domainId": self.domain_id,
            "domainUnitId": self.domain_unit_id,
            "name": self.name,
            "physicalEndpoints": self._endpoints(),
            "props": self._props_output(),
            "type": self.type,
        }
        if self.environment_id:
            data["environmentId"] = self.environment_id
        if self.scope:
            data["scope"] = self.scope
        return data

    def to_get(self) -> dict[str, Any]:
        data = self.to_summary()
        if self.description is not None:
            data["description"] = self.description
        return data


def _props(spec: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    props = spec.get("props")
    if props is None:
        # The model leaves props optional; a connection of no kind has no type to report.
        raise ValidationException(
            "1 validation error detected: Value null at 'props' failed to satisfy constraint: Member must not be null"
        )
    kind = next(key for key, value in props.items() if value is not None)
    if kind not in SUPPORTED_PROPS:
        raise ValidationException(
            f"props.{kind}: moto_glue_workflows models {', '.join(sorted(SUPPORTED_PROPS))} connections only"
        )
    if kind == "redshiftProperties":
        _check_sync_schedule(props[kind].get("lineageSync"))
    return kind, dict(props[kind])


def _check_sync_schedule(sync: Any) -> None:
    """A lineage-sync schedule must be a cron expression that can fire.

    The model's pattern (checked before this, like every pattern) is all DataZone documents; past it,
    a schedule AWS's cron rules refuse (events/cron.py: both day fields given, a value out of range)
    is refused the same way, naming the member, rather than stored as a sync that never runs
    (docs/datazone-lineage.md).
    """
    schedule = ((sync or {}).get("schedule") or {}).get("schedule") if isinstance(sync, dict) else None
    if schedule is None:
        return
    try:
        Cron.parse(schedule)
    except CronError as refused:
        raise ValidationException(
            str(InvalidParameter(_SCHEDULE_PATH, schedule, f"Member must be a valid cron expression: {refused}"))
        ) from None


class ConnectionsMixin:
    account_id: str
    region_name: str
    _lock: threading.RLock

    def get_domain(self, identifier: str) -> Any:  # provided by DataZoneBackend
        raise NotImplementedError

    def writable_domain(self, identifier: str) -> Any:  # provided by DataZoneBackend
        raise NotImplementedError

    def _connections_init(self) -> None:
        self.connections: dict[str, dict[str, Connection]] = {}

    def create_connection(self, spec: dict[str, Any]) -> Connection:
        domain_id = spec["domainIdentifier"]
        domain = self.get_domain(domain_id)
        kind, props = _props(spec)
        with self._lock:
            self.writable_domain(domain_id)
            store = self.connections.setdefault(domain_id, {})
            token = spec.get("clientToken")
            for existing in store.values():
                if token and existing.client_token == token:
                    return existing
                if existing.name == spec["name"]:
                    raise ConflictException(f"A connection with name {spec['name']} already exists.")
            sync = props.get("lineageSync") if kind == "redshiftProperties" else None
            connection = Connection(
                domain_id=domain_id,
                domain_unit_id=domain.root_domain_unit_id,
                id=_id(),
                name=spec["name"],
                type=SUPPORTED_PROPS[kind],
                props_kind=kind,
                props=props,
                region=self.region_name,
                account_id=self.account_id,
                description=spec.get("description"),
                environment_id=spec.get("environmentIdentifier"),
                scope=spec.get("scope"),
                aws_location=spec.get("awsLocation"),
                client_token=token,
                lineage_job_id=_id() if isinstance(sync, dict) and sync.get("enabled") else None,
            )
            store[connection.id] = connection
            return connection

    def get_connection(self, domain_identifier: str, identifier: str) -> Connection:
        self.get_domain(domain_identifier)
        connection = self.connections.get(domain_identifier, {}).get(identifier)
        if connection is None:
            raise ResourceNotFoundException(f"Connection {identifier} does not exist in domain {domain_identifier}.")
        return connection

    def list_connections(self, domain_identifier: str, query: dict[str, Any]) -> tuple[list[Connection], str | None]:
        self.get_domain(domain_identifier)
        filters: dict[str, Callable[[Connection, Any], bool]] = {
            "name": lambda c, v: c.name == v,
            "type": lambda c, v: c.type == v,
            "scope": lambda c, v: c.scope == v,
            "environmentIdentifier": lambda c, v: c.environment_id == v,
            "projectIdentifier": lambda c, v: False,  # no projects are modelled: no connection has one
        }
        found = [
            c
            for c in list(self.connections.get(domain_identifier, {}).values())
            if all(test(c, query[key]) for key, test in filters.items() if query.get(key) is not None)
        ]
        order = query.get("sortOrder") or "ASCENDING"
        found.sort(key=lambda c: (c.name, c.created_at), reverse=order == "DESCENDING")
        fingerprint = {"op": "ListConnections", **{k: query.get(k) for k in (*filters, "sortBy", "sortOrder")}}
        try:
            return page(found, query.get("maxResults") or 50, query.get("nextToken"), fingerprint)
        except InvalidToken:
            raise ValidationException(f"Invalid nextToken: {query.get('nextToken')}") from None

    def delete_connection(self, domain_identifier: str, identifier: str) -> str:
        with self._lock:
            self.get_connection(domain_identifier, identifier)
            del self.connections[domain_identifier][identifier]
            return "DELETING"

    def lineage_job_ids(self, domain_identifier: str) -> set[str]:
        return {c.lineage_job_id for c in self.connections.get(domain_identifier, {}).values() if c.lineage_job_id}
