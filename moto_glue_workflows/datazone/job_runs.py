"""Lineage job runs: how a seeded run is checked, completed with realistic values, and listed.

No public DataZone API creates a job run (they come from lineage jobs such as a Redshift
connection's query-history sync), so tests describe the runs they need and this module turns each
description into the run AWS would report.
"""

from __future__ import annotations

import copy
import datetime
from dataclasses import dataclass, field
from typing import Any

from moto_glue_workflows._moto import get_service_model, mock_random
from moto_glue_workflows.protocol.timestamps import parse_timestamp
from moto_glue_workflows.protocol.validation import InvalidParameter, shape_validator

ACTIVE_STATUSES = frozenset({"SCHEDULED", "IN_PROGRESS"})
_SEED_FIELDS = frozenset({"status", "runMode", "details", "error", "createdBy", "createdAt", "startTime", "endTime"})
_TIME_FIELDS = ("createdAt", "startTime", "endTime")
_QUERY_TIME_FIELDS = ("queryStartTime", "queryEndTime")


@dataclass
class JobRun:
    domain_id: str
    job_id: str
    id: str
    status: str
    run_mode: str
    created_by: str
    created_at: datetime.datetime
    start_time: datetime.datetime | None = None
    end_time: datetime.datetime | None = None
    details: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    job_type: str = "LINEAGE"
    sequence: int = field(default=0, compare=False)
    #: an IN_PROGRESS run that ends SUCCESS at this time (a lineage-sync run, datazone/lineage_sync.py)
    finishes_at: datetime.datetime | None = None

    def settle(self, now: datetime.datetime) -> None:
        """What a read at ``now`` sees: a run due to finish by then has finished."""
        if self.finishes_at is not None and self.status == "IN_PROGRESS" and now >= self.finishes_at:
            self.status = "SUCCESS"
            self.end_time = self.finishes_at

    @property
    def frozen(self) -> bool:
        """Whether reads can no longer change the run: only an IN_PROGRESS one moves (``settle``)."""
        return self.status != "IN_PROGRESS"

    def _common(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "domainId": self.domain_id,
            "jobId": self.job_id,
            "jobType": self.job_type,
            "runMode": self.run_mode,
            "status": self.status,
            "createdBy": self.created_by,
            "createdAt": self.created_at,
        }
        if self.start_time is not None:
            data["startTime"] = self.start_time
        if self.end_time is not None:
            data["endTime"] = self.end_time
        if self.error is not None:
            data["error"] = self.error
        return data

    def to_get(self) -> dict[str, Any]:
        data = self._common()
        data["id"] = self.id
        if self.details is not None:
            data["details"] = self.details
        return data

    def to_summary(self) -> dict[str, Any]:
        data = self._common()
        data["runId"] = self.id
        return data


def new_run_id() -> str:
    return "".join(mock_random.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(14))


def _member_validators() -> dict[str, Any]:
    shape = get_service_model("datazone").shape_for("GetJobRunOutput")
    return {
        name: shape_validator(shape.members[name]) for name in ("status", "runMode", "error", "createdBy", "details")
    }


_validators: dict[str, Any] = {}


def _check(name: str, value: Any, path: str) -> None:
    if not _validators:
        _validators.update(_member_validators())
    _validators[name](value, path)


def _time(value: Any, path: str) -> datetime.datetime:
    try:
        return parse_timestamp(value)
    except ValueError:
        raise InvalidParameter(path, value, "Member must be an ISO-8601 timestamp or epoch seconds") from None


def _details(details: Any, path: str) -> dict[str, Any]:
    # Timestamps inside the union arrive as ISO strings or epoch seconds; convert before checking.
    if isinstance(details, dict):
        lineage = details.get("lineageRunDetails")
        sql = lineage.get("sqlQueryRunDetails") if isinstance(lineage, dict) else None
        if isinstance(lineage, dict) and isinstance(sql, dict):
            sql = dict(sql)
            for key in _QUERY_TIME_FIELDS:
                if sql.get(key) is not None:
                    sql[key] = _time(sql[key], f"{path}.lineageRunDetails.sqlQueryRunDetails.{key}")
            details = {**details, "lineageRunDetails": {**lineage, "sqlQueryRunDetails": sql}}
    _check("details", details, path)
    return dict(details)


def build_run(
    spec: Any,
    path: str,
    *,
    domain_id: str,
    job_id: str,
    caller: str,
    now: datetime.datetime,
) -> JobRun:
    """A run from a test's description; raises InvalidParameter naming the offending field."""
    if not isinstance(spec, dict):
        raise InvalidParameter(path, spec, "Member must be a structure")
    spec = copy.deepcopy(spec)  # the run owns its values: a test changing its description later changes no run
    unknown = sorted(set(spec) - _SEED_FIELDS)
    if unknown:
        raise InvalidParameter(
            f"{path}.{unknown[0]}", spec[unknown[0]], f"Member must be one of: {', '.join(sorted(_SEED_FIELDS))}"
        )
    if spec.get("status") is None:
        raise InvalidParameter(f"{path}.status", None, "Member must not be null")
    status = spec["status"]
    _check("status", status, f"{path}.status")
    run_mode = spec.get("runMode", "ON_DEMAND")
    _check("runMode", run_mode, f"{path}.runMode")
    created_by = spec.get("createdBy", caller)
    _check("createdBy", created_by, f"{path}.createdBy")
    error = spec.get("error")
    if error is not None:
        _check("error", error, f"{path}.error")
    details = _details(spec["details"], f"{path}.details") if spec.get("details") is not None else None

    times = {key: _time(spec[key], f"{path}.{key}") for key in _TIME_FIELDS if spec.get(key) is not None}
    # A run given startTime/endTime but no createdAt was created no later than the earliest time given.
    created_at = times.get("createdAt") or min([now, *times.values()])
    start_time = times.get("startTime")
    end_time = times.get("endTime")
    if status == "SCHEDULED" and start_time is not None:
        raise InvalidParameter(f"{path}.startTime", spec["startTime"], "A SCHEDULED run has not started")
    if status in ACTIVE_STATUSES and end_time is not None:
        raise InvalidParameter(f"{path}.endTime", spec["endTime"], f"A {status} run has not ended")
    if status != "SCHEDULED" and start_time is None:
        start_time = created_at
    if status not in ACTIVE_STATUSES and end_time is None:
        end_time = max(start_time or created_at, created_at)
    if start_time is not None and start_time < created_at:
        raise InvalidParameter(f"{path}.startTime", spec.get("startTime"), "Member must not be before createdAt")
    if end_time is not None and start_time is not None and end_time < start_time:
        raise InvalidParameter(f"{path}.endTime", spec.get("endTime"), "Member must not be before startTime")
    return JobRun(
        domain_id=domain_id,
        job_id=job_id,
        id=new_run_id(),
        status=status,
        run_mode=run_mode,
        created_by=created_by,
        created_at=created_at,
        start_time=start_time,
        end_time=end_time,
        details=details,
        error=dict(error) if error is not None else None,
    )


def sorted_runs(runs: list[JobRun], order: str) -> list[JobRun]:
    """Runs by createdAt; runs created at the same instant keep the order they were seeded in."""
    ascending = sorted(runs, key=lambda run: (run.created_at, run.sequence))
    return ascending if order == "ASCENDING" else ascending[::-1]
