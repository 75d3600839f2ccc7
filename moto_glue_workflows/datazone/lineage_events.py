"""OpenLineage run events posted to DataZone: what is refused outright, what is accepted and then
fails to process, and the summary ``ListLineageEvents`` reports.

DataZone takes the event as an opaque blob of at most 300,000 bytes (the model's ``LineageEvent``
max; the SageMaker Unified Studio lineage troubleshooting guide: "Lineage event has a size limit of
300KB", and oversized events fail with a validation exception). It only supports OpenLineage
``RunEvent``s (the OpenLineage client's DataZone transport drops every other kind before sending).
What a request must hold to be a run event at all — a JSON object with ``eventTime``, ``run.runId``,
``job.namespace`` and ``job.name`` — is refused with ``ValidationException`` naming the member; an
event that parses but whose lineage cannot be built is stored and ends ``FAILED``. See
docs/datazone-lineage.md for the exact split.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from typing import Any

from moto_glue_workflows._moto import ObservedState, mock_random
from moto_glue_workflows.protocol.timestamps import parse_timestamp
from moto_glue_workflows.protocol.validation import InvalidParameter

LINEAGE_EVENT_MODEL = "datazone::lineage_event"
MAX_EVENT_BYTES = 300_000
RUN_STATES = frozenset({"START", "RUNNING", "COMPLETE", "ABORT", "FAIL", "OTHER"})
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z")
_ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789"


def new_event_id() -> str:
    """``LineageEventIdentifier``: ``[a-z0-9]{14}``."""
    return "".join(mock_random.choice(_ID_CHARS) for _ in range(14))


@dataclass(frozen=True)
class Dataset:
    namespace: str
    name: str
    facets: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass
class RunEvent:
    """The parts of an OpenLineage run event lineage is built from."""

    event_type: str | None
    event_time: datetime.datetime
    run_id: str
    job_namespace: str
    job_name: str
    inputs: list[Dataset]
    outputs: list[Dataset]
    run_facets: dict[str, Any]
    job_facets: dict[str, Any]
    #: why DataZone could not build lineage from it (the event is stored and ends FAILED)
    problem: str | None = None

    def summary(self) -> dict[str, Any]:
        summary: dict[str, Any] = {
            "runId": self.run_id,
            "job": {"namespace": self.job_namespace, "name": self.job_name},
            "inputs": [{"namespace": d.namespace, "name": d.name} for d in self.inputs],
            "outputs": [{"namespace": d.namespace, "name": d.name} for d in self.outputs],
        }
        if self.event_type is not None:
            summary["eventType"] = self.event_type
        return {"openLineageRunEventSummary": summary}


def _text(value: Any, path: str) -> str:
    if not isinstance(value, str) or not value:
        raise InvalidParameter(path, value, "Member must be a non-empty string")
    return value


def _object(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidParameter(path, value, "Member must be a JSON object")
    return value


def _datasets(value: Any, path: str, problems: list[str]) -> list[Dataset]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidParameter(path, value, "Member must be a JSON array")
    found = []
    for index, item in enumerate(value):
        where = f"{path}[{index}]"
        if not isinstance(item, dict):
            problems.append(f"{where} is not a dataset object")
            continue
        namespace, name = item.get("namespace"), item.get("name")
        if not isinstance(namespace, str) or not namespace or not isinstance(name, str) or not name:
            problems.append(f"{where} has no namespace and name")
            continue
        facets = item.get("facets") if isinstance(item.get("facets"), dict) else {}
        found.append(Dataset(namespace, name, dict(facets or {})))
    return found


def parse_event(payload: Any) -> RunEvent:
    """The run event in ``payload``; raises InvalidParameter (naming ``event...``) when DataZone refuses it."""
    if isinstance(payload, str):
        payload = payload.encode("utf-8")
    if not isinstance(payload, (bytes, bytearray)):
        raise InvalidParameter("event", payload, "Member must be a blob")
    if len(payload) > MAX_EVENT_BYTES:
        raise InvalidParameter("event", None, f"Member must have length less than or equal to {MAX_EVENT_BYTES}")
    try:
        document = json.loads(bytes(payload))
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise InvalidParameter("event", None, "Member must be an OpenLineage run event in JSON") from None
    event = _object(document, "event")
    event_type = event.get("eventType")
    if event_type is not None and event_type not in RUN_STATES:
        raise InvalidParameter(
            "event.eventType", event_type, f"Member must satisfy enum value set: [{', '.join(sorted(RUN_STATES))}]"
        )
    if event.get("eventTime") is None:
        raise InvalidParameter("event.eventTime", None, "Member must not be null")
    try:
        event_time = parse_timestamp(_text(event["eventTime"], "event.eventTime"))
    except ValueError:
        raise InvalidParameter("event.eventTime", event["eventTime"], "Member must be an ISO-8601 date-time") from None
    run = _object(event.get("run"), "event.run")
    run_id = _text(run.get("runId"), "event.run.runId")
    job = _object(event.get("job"), "event.job")
    job_namespace = _text(job.get("namespace"), "event.job.namespace")
    job_name = _text(job.get("name"), "event.job.name")
    problems: list[str] = []
    inputs = _datasets(event.get("inputs"), "event.inputs", problems)
    outputs = _datasets(event.get("outputs"), "event.outputs", problems)
    if not _UUID.match(run_id):
        # OpenLineage's schema makes runId a UUID; lineage keyed on anything else is not built.
        problems.insert(0, f"run.runId {run_id!r} is not a UUID")
    run_facets = run.get("facets") if isinstance(run.get("facets"), dict) else {}
    job_facets = job.get("facets") if isinstance(job.get("facets"), dict) else {}
    return RunEvent(
        event_type=event_type,
        event_time=event_time,
        run_id=run_id,
        job_namespace=job_namespace,
        job_name=job_name,
        inputs=inputs,
        outputs=outputs,
        run_facets=dict(run_facets or {}),
        job_facets=dict(job_facets or {}),
        problem="; ".join(problems) or None,
    )


class LineageEvent(ObservedState):
    """A posted event: REQUESTED, then PROCESSING, then SUCCESS (its lineage applied) or FAILED."""

    def __init__(
        self,
        *,
        domain_id: str,
        payload: bytes,
        run_event: RunEvent,
        created_by: str,
        created_at: datetime.datetime,
        client_token: str | None,
        on_success: Any,
    ) -> None:
        outcome = "FAILED" if run_event.problem else "SUCCESS"
        super().__init__(LINEAGE_EVENT_MODEL, transitions=[("REQUESTED", "PROCESSING"), ("PROCESSING", outcome)])
        self.id = new_event_id()
        self.domain_id = domain_id
        self.payload = payload
        self.run_event = run_event
        self.created_by = created_by
        self.created_at = created_at
        self.client_token = client_token
        self.sequence = 0
        self._on_success = on_success
        self._applied = False

    def on_status(self, state: str) -> None:
        # Lineage is built exactly when the state manager says processing has succeeded.
        if state == "SUCCESS" and not self._applied:
            self._applied = True
            self._on_success(self)

    @property
    def event_time(self) -> datetime.datetime:
        return self.run_event.event_time

    def to_get(self) -> dict[str, Any]:
        return {
            "domainId": self.domain_id,
            "id": self.id,
            "event": bytes(self.payload),
            "createdBy": self.created_by,
            "processingStatus": self.status,
            "eventTime": self.event_time,
            "createdAt": self.created_at,
        }

    def to_summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "domainId": self.domain_id,
            "processingStatus": self.status,
            "eventTime": self.event_time,
            "eventSummary": self.run_event.summary(),
            "createdBy": self.created_by,
            "createdAt": self.created_at,
        }
