"""DataZone state for one account and region: domains, the lineage job runs seeded in them, lineage
events and the graph they build (lineage_backend), and connections (connections)."""

from __future__ import annotations

import datetime
import threading
from typing import Any

from moto_glue_workflows import clock
from moto_glue_workflows._moto import BackendDict, BaseBackend, ManagedState, get_partition, mock_random
from moto_glue_workflows.datazone.connections import ConnectionsMixin
from moto_glue_workflows.datazone.exceptions import (
    ConflictException,
    ResourceNotFoundException,
    UnknownDomain,
    ValidationException,
)
from moto_glue_workflows.datazone.job_runs import JobRun, build_run, sorted_runs
from moto_glue_workflows.datazone.lineage_backend import LineageBackendMixin
from moto_glue_workflows.protocol.pagination import InvalidToken, page
from moto_glue_workflows.protocol.timestamps import utc_now
from moto_glue_workflows.protocol.validation import InvalidParameter

DOMAIN_MODEL = "datazone::domain"
_ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyz0123456789"


def _now() -> datetime.datetime:
    """The mock's clock (clock.py), aware, as run times are."""
    return clock.now().replace(tzinfo=datetime.UTC)


def _random_id(prefix: str = "") -> str:
    return prefix + "".join(mock_random.choice(_ALPHANUMERIC) for _ in range(14))


class Domain(ManagedState):
    def __init__(self, account_id: str, region: str, spec: dict[str, Any], lock: threading.RLock | None = None) -> None:
        # The backend's lock, held while the status is read or set: a read may move the status (the state
        # manager), and one that moved CREATING to AVAILABLE while DeleteDomain set DELETING would bring
        # a deleted domain back (tests/test_concurrency.py, test_datazone_reads_during_writes).
        self._status_lock = lock or threading.RLock()
        super().__init__(DOMAIN_MODEL, transitions=[("CREATING", "AVAILABLE"), ("DELETING", "DELETED")])
        self.id = _random_id("dzd_")
        self.account_id = account_id
        self.name: str = spec["name"]
        self.description: str | None = spec.get("description")
        self.single_sign_on: dict[str, Any] = spec.get("singleSignOn") or {"type": "DISABLED"}
        self.domain_execution_role: str = spec["domainExecutionRole"]
        self.kms_key: str | None = spec.get("kmsKeyIdentifier")
        self.domain_version: str = spec.get("domainVersion") or "V1"
        self.service_role: str | None = spec.get("serviceRole")
        self.tags: dict[str, str] = dict(spec.get("tags") or {})
        self.client_token: str | None = spec.get("clientToken")
        self.arn = f"arn:{get_partition(region)}:datazone:{region}:{account_id}:domain/{self.id}"
        self.portal_url = f"https://{self.id}.datazone.{region}.on.aws"
        self.root_domain_unit_id = _random_id()
        self.created_at = utc_now()
        self.last_updated_at = self.created_at

    @property  # type: ignore[override,unused-ignore]
    def status(self) -> str:
        with self._status_lock:
            return str(ManagedState.status.fget(self))  # type: ignore[attr-defined]

    @status.setter
    def status(self, value: str) -> None:
        with self._status_lock:
            ManagedState.status.fset(self, value)  # type: ignore[attr-defined]

    def _optional(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.description is not None:
            data["description"] = self.description
        if self.kms_key is not None:
            data["kmsKeyIdentifier"] = self.kms_key
        if self.service_role is not None:
            data["serviceRole"] = self.service_role
        return data

    def to_created(self) -> dict[str, Any]:
        return {**self._description(), "status": "CREATING"}

    def _description(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "rootDomainUnitId": self.root_domain_unit_id,
            "name": self.name,
            "singleSignOn": self.single_sign_on,
            "domainExecutionRole": self.domain_execution_role,
            "arn": self.arn,
            "status": self.status,
            "portalUrl": self.portal_url,
            "tags": self.tags,
            "domainVersion": self.domain_version,
            **self._optional(),
        }

    def to_get(self) -> dict[str, Any]:
        return {
            **self._description(),
            "createdAt": self.created_at,
            "lastUpdatedAt": self.last_updated_at,
        }

    def to_summary(self) -> dict[str, Any]:
        data = {
            "id": self.id,
            "name": self.name,
            "arn": self.arn,
            "managedAccountId": self.account_id,
            "status": self.status,
            "portalUrl": self.portal_url,
            "createdAt": self.created_at,
            "lastUpdatedAt": self.last_updated_at,
            "domainVersion": self.domain_version,
        }
        if self.description is not None:
            data["description"] = self.description
        return data


class DataZoneBackend(LineageBackendMixin, ConnectionsMixin, BaseBackend):
    _urls: dict[str, Any] | None = None

    @property
    def urls(self) -> dict[str, Any]:
        # moto rebuilds this dict on every request it routes; ours never changes.
        if DataZoneBackend._urls is None:
            DataZoneBackend._urls = super().urls
        return DataZoneBackend._urls

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.domains: dict[str, Domain] = {}
        self.job_runs: dict[str, dict[str, JobRun]] = {}
        self._sequence = 0
        self._lock = threading.RLock()
        self._lineage_init()
        self._connections_init()

    # Domains

    def create_domain(self, spec: dict[str, Any]) -> Domain:
        if not spec.get("domainExecutionRole"):
            raise ValidationException(str(InvalidParameter("domainExecutionRole", None, "Member must not be null")))
        with self._lock:
            token = spec.get("clientToken")
            for domain in self._live_domains():
                if token and domain.client_token == token:
                    return domain
                if domain.name == spec["name"]:
                    raise ConflictException(f"A domain with name {spec['name']} already exists.")
            domain = Domain(self.account_id, self.region_name, spec, self._lock)
            self.domains[domain.id] = domain
            return domain

    def _live_domains(self) -> list[Domain]:
        with self._lock:  # as get_domain: reading a status may move it
            return [d for d in list(self.domains.values()) if d.status != "DELETED"]

    def get_domain(self, identifier: str) -> Domain:
        # Under the lock: reading the status may move it (the state manager), and a read that moved
        # CREATING to AVAILABLE while DeleteDomain set DELETING would bring a deleted domain back.
        with self._lock:
            domain = self.domains.get(identifier)
            if domain is None or domain.status == "DELETED":
                raise UnknownDomain(identifier)
            return domain

    def writable_domain(self, identifier: str) -> Domain:
        """The domain a write goes into. One being deleted takes nothing more: DeleteDomain has dropped
        its runs, lineage and connections, and anything written after would outlive it (docs/datazone-lineage.md)."""
        domain = self.get_domain(identifier)
        if domain.status == "DELETING":
            raise ConflictException(f"Domain {identifier} is being deleted.")
        return domain

    def describe_domain(self, identifier: str) -> Domain:
        """A read that counts as a poll for manual state progression."""
        with self._lock:
            domain = self.get_domain(identifier)
            domain.advance()
            return domain

    def list_domains(
        self, status: str | None, max_results: int | None, next_token: str | None
    ) -> tuple[list[Domain], str | None]:
        domains = [d for d in self._live_domains() if status is None or d.status == status]
        try:
            return page(domains, max_results or 25, next_token, {"op": "ListDomains", "status": status})
        except InvalidToken:
            raise ValidationException(f"Invalid nextToken: {next_token}") from None

    def update_domain(self, identifier: str, spec: dict[str, Any]) -> Domain:
        """UpdateDomain's members (name, description, singleSignOn, domainExecutionRole, serviceRole), as a
        CloudFormation update in place sets them: those not given are unset, except the name and roles."""
        with self._lock:
            domain = self.writable_domain(identifier)
            name = spec.get("name") or domain.name
            if name != domain.name and any(d.name == name for d in self._live_domains() if d is not domain):
                raise ConflictException(f"A domain with name {name} already exists.")
            domain.name = name
            domain.description = spec.get("description")
            domain.single_sign_on = spec.get("singleSignOn") or {"type": "DISABLED"}
            domain.domain_execution_role = spec.get("domainExecutionRole") or domain.domain_execution_role
            domain.service_role = spec.get("serviceRole") or domain.service_role
            if "tags" in spec:
                domain.tags = dict(spec["tags"] or {})
            domain.last_updated_at = utc_now()
            return domain

    def delete_domain(self, identifier: str) -> str:
        with self._lock:
            domain = self.get_domain(identifier)
            if domain.status != "DELETING":
                domain.status = "DELETING"
                domain.last_updated_at = utc_now()
            self.job_runs.pop(identifier, None)
            self._drop_lineage(identifier)
            self.connections.pop(identifier, None)
            return "DELETING"

    # Job runs

    def seed_job_runs(self, domain_identifier: str, job_identifier: str, runs: list[Any], caller: str) -> list[str]:
        """Store the runs a test describes; all or none, in the order given. The runs are checked before the
        domain, as PostLineageEvent and CreateConnection check their input first."""
        now = utc_now()
        built = [
            build_run(
                spec, f"runs.{index + 1}", domain_id=domain_identifier, job_id=job_identifier, caller=caller, now=now
            )
            for index, spec in enumerate(runs)
        ]
        with self._lock:
            # Under the lock: a DeleteDomain taking its runs cannot come between the check and the store.
            self.writable_domain(domain_identifier)
            store = self.job_runs.setdefault(domain_identifier, {})
            for run in built:
                self._sequence += 1
                run.sequence = self._sequence
                store[run.id] = run
        return [run.id for run in built]

    def record_job_run(self, run: JobRun) -> None:
        """Store a run DataZone itself started (a lineage sync, datazone/lineage_sync.py)."""
        with self._lock:
            try:
                self.writable_domain(run.domain_id)
            except (UnknownDomain, ConflictException):
                return  # the domain went while its connection synced: nothing of it is kept
            self._sequence += 1
            run.sequence = self._sequence
            self.job_runs.setdefault(run.domain_id, {})[run.id] = run

    def get_job_run(self, domain_identifier: str, identifier: str) -> JobRun:
        self.get_domain(domain_identifier)
        run = self.job_runs.get(domain_identifier, {}).get(identifier)
        if run is None:
            raise ResourceNotFoundException(f"Job run {identifier} does not exist in domain {domain_identifier}.")
        run.settle(_now())
        return run

    def list_job_runs(
        self,
        domain_identifier: str,
        job_identifier: str,
        status: str | None,
        sort_order: str | None,
        max_results: int | None,
        next_token: str | None,
    ) -> tuple[list[JobRun], str | None]:
        self.get_domain(domain_identifier)
        now = _now()
        runs = []
        for run in list(self.job_runs.get(domain_identifier, {}).values()):
            if run.job_id == job_identifier:
                run.settle(now)
                if status is None or run.status == status:
                    runs.append(run)
        order = sort_order or "DESCENDING"
        query = {"op": "ListJobRuns", "job": job_identifier, "status": status, "order": order}
        try:
            return page(sorted_runs(runs, order), max_results or 50, next_token, query)
        except InvalidToken:
            raise ValidationException(f"Invalid nextToken: {next_token}") from None


datazone_backends = BackendDict(DataZoneBackend, "datazone")
