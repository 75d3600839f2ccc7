"""The mock's clock moving forward (``POST /moto-api/static/clock``): what falls due, in time order.

In time order, every moment something falls due between the clock's old and new time, in Glue
(glue/scheduler.py: trigger schedules, event batch windows, job-run timeouts and delay notifications) and in
DataZone (datazone/lineage_sync.py: a Redshift connection's lineage-sync schedule). The clock stands at each
moment while it is handled, so what happens is stamped with that moment.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from moto_glue_workflows import clock
from moto_glue_workflows.datazone import lineage_sync
from moto_glue_workflows.glue import scheduler

#: The most one advance does (trigger firings, batch windows, timeouts, notifications, lineage syncs): past it
#: the clock stops at the moment it reached, and the answer says so (docs/events-and-clock.md).
WORK_LIMIT = 5000


@dataclass
class Advanced:
    done: list[dict[str, Any]]
    #: where the clock stopped short of the time asked for, having done WORK_LIMIT things; None when it got there
    stopped_at: datetime.datetime | None = None


def advance(until: datetime.datetime) -> Advanced:
    """Move the clock to ``until`` (naive UTC, not before now), doing in time order what falls due."""
    done: list[dict[str, Any]] = []
    stopped_at: datetime.datetime | None = None
    with clock.advancing:
        cursor = clock.now()
        handled: set[tuple[Any, ...]] = set()
        acted = 0
        while True:
            due = [
                item
                for item in (*scheduler.glue_due(cursor, until), *lineage_sync.due(cursor, until))
                if item.key not in handled
            ]
            if not due:
                break
            if acted >= WORK_LIMIT:
                stopped_at = cursor  # everything up to here is done; what falls due after waits for the next advance
                break
            moment = min(item.moment for item in due)
            scheduler.let_time_pass((moment - cursor).total_seconds())
            clock.set_to(moment)
            for item in sorted((item for item in due if item.moment == moment), key=lambda item: item.order):
                handled.add(item.key)
                acted += 1
                result = item.act()
                if result is not None:
                    done.append({"Time": clock.iso(moment), **result})
            cursor = moment
        if stopped_at is None:
            scheduler.let_time_pass((until - cursor).total_seconds())
            clock.set_to(until)
        scheduler.prune_history()
    return Advanced(done, stopped_at)
