"""Redshift lineage sync: each occurrence of a connection's ``lineageSync.schedule`` adds a run of its
lineage job when the mock's clock moves past it (``POST /moto-api/static/clock``, events/timeline.py).

A connection created with ``lineageSync.enabled`` reports a ``lineageJobId`` whose runs ``ListJobRuns``
lists (SageMaker Unified Studio lineage troubleshooting guide: "you will see the lineageJobId along
with the job run schedule", then ``list-job-runs --job-identifier``). DataZone documents no more of
a sync run than its shape (API reference, ``JobRunSummary``, ``LineageSqlQueryRunDetails``), so a run
here is our choice, written down in docs/datazone-lineage.md:

- ``jobType`` LINEAGE, ``runMode`` SCHEDULED, created and started at the occurrence, ``IN_PROGRESS``
  for ``SYNC_DURATION``, then ``SUCCESS`` with ``endTime`` = occurrence + ``SYNC_DURATION`` (seen
  when read: nothing runs in the background);
- ``details.lineageRunDetails.sqlQueryRunDetails``: the query-history window the sync read, from the
  previous sync (or the connection's creation) to the occurrence, and 0 queries processed, 0 failed:
  the mock runs no Redshift, so its query history is empty.

Only connections that still exist and whose sync is enabled sync; a deleted connection syncs no more.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from moto_glue_workflows import clock
from moto_glue_workflows._moto import existing_backends
from moto_glue_workflows.datazone.connections import Connection
from moto_glue_workflows.datazone.job_runs import JobRun, new_run_id
from moto_glue_workflows.datazone.models import DataZoneBackend, datazone_backends
from moto_glue_workflows.events.cron import Cron, CronError, next_occurrence
from moto_glue_workflows.events.due import Due

SYNC_DURATION = datetime.timedelta(minutes=1)
#: who DataZone's own scheduler is, as a run's createdBy
SCHEDULER = "SYSTEM"
_ORDER = 4  # at one moment, after Glue's batches, schedules, timeouts and notifications


def _aware(moment: datetime.datetime) -> datetime.datetime:
    return moment.replace(tzinfo=datetime.UTC)


def sync_schedule(connection: Connection) -> Cron | None:
    """The connection's lineage-sync schedule while its sync is enabled, else None."""
    if connection.props_kind != "redshiftProperties" or not connection.lineage_job_id:
        return None
    sync = connection.props.get("lineageSync")
    if not isinstance(sync, dict) or not sync.get("enabled"):
        return None
    schedule = (sync.get("schedule") or {}).get("schedule")
    if not schedule:
        return None
    try:
        return Cron.parse(schedule)
    except CronError:
        return None  # CreateConnection refuses these; none is stored


def due(cursor: datetime.datetime, until: datetime.datetime) -> list[Due]:
    """The next sync of every syncing connection in (cursor, until]."""
    found = []
    for account_id, region, backend in existing_backends(datazone_backends):
        for domain_id, store in list(backend.connections.items()):
            for connection in list(store.values()):
                cron = sync_schedule(connection)
                moment = next_occurrence(connection, cron.expression, cursor) if cron else None
                if moment is not None and moment <= until:
                    key = ("lineage-sync", account_id, region, domain_id, connection.id, moment)
                    found.append(Due(moment, _ORDER, key, _sync(account_id, region, backend, connection, moment)))
    return found


def _sync(
    account_id: str, region: str, backend: DataZoneBackend, connection: Connection, moment: datetime.datetime
) -> Callable[[], dict[str, Any] | None]:
    def act() -> dict[str, Any] | None:
        with backend._lock:
            current = backend.connections.get(connection.domain_id, {}).get(connection.id)
            if current is not connection or sync_schedule(connection) is None:
                return None  # deleted (or its domain) meanwhile
            started = _aware(moment)
            window_start = connection.lineage_synced_until or connection.created_at
            run = JobRun(
                domain_id=connection.domain_id,
                job_id=str(connection.lineage_job_id),
                id=new_run_id(),
                status="IN_PROGRESS",
                run_mode="SCHEDULED",
                created_by=SCHEDULER,
                created_at=started,
                start_time=started,
                details={
                    "lineageRunDetails": {
                        "sqlQueryRunDetails": {
                            "queryStartTime": min(window_start, started),
                            "queryEndTime": started,
                            "totalQueriesProcessed": 0,
                            "numQueriesFailed": 0,
                        }
                    }
                },
                finishes_at=started + SYNC_DURATION,
            )
            connection.lineage_synced_until = started
            backend.record_job_run(run)
        return {
            "Action": "LineageSyncRunStarted",
            "AccountId": account_id,
            "Region": region,
            "DomainId": connection.domain_id,
            "ConnectionId": connection.id,
            "JobId": run.job_id,
            "RunId": run.id,
        }

    return act


def now() -> datetime.datetime:
    """The mock's time, aware, to compare with run times."""
    return _aware(clock.now())
