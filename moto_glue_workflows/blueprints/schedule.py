"""Glue's cron schedules for the triggers a blueprint layout describes.

A blueprint run creates its triggers as CreateTrigger does, so a schedule is read by the same AWS
cron rules (``events/cron.py``) and refused with Glue's wording ("The schedule cron(0 0 * * * *) is
invalid.", AWS Glue developer guide, "Troubleshooting blueprint errors").
"""

from __future__ import annotations

from moto_glue_workflows.events.cron import Cron, CronError


def schedule_problem(schedule: str) -> str | None:
    """Glue's message for an invalid schedule, or None when Glue accepts it."""
    try:
        Cron.parse(schedule)
    except CronError:
        return f"The schedule {schedule} is invalid."
    return None
