"""Glue's cron schedules: ``cron(Minutes Hours Day-of-month Month Day-of-week Year)``.

Glue rejects a schedule that sets both day fields ("The schedule cron(0 0 * * * *) is invalid.",
AWS Glue developer guide, "Troubleshooting blueprint errors"): one of Day-of-month and Day-of-week
must be ``?`` ("Time-based schedules for jobs and crawlers").
"""

from __future__ import annotations

import re

_CRON = re.compile(r"cron\((.*)\)", re.DOTALL)
_FIELD = re.compile(r"[0-9A-Za-z*?,/#\-]+")
_DAY_OF_MONTH, _DAY_OF_WEEK = 2, 4


def schedule_problem(schedule: str) -> str | None:
    """Glue's message for an invalid schedule, or None when Glue accepts it."""
    invalid = f"The schedule {schedule} is invalid."
    match = _CRON.fullmatch(schedule.strip())
    if match is None:
        return invalid
    fields = match.group(1).split()
    if len(fields) != 6 or not all(_FIELD.fullmatch(field) for field in fields):
        return invalid
    for index, field in enumerate(fields):
        if "?" in field and (field != "?" or index not in (_DAY_OF_MONTH, _DAY_OF_WEEK)):
            return invalid
    if (fields[_DAY_OF_MONTH], fields[_DAY_OF_WEEK]).count("?") != 1:
        return invalid
    return None
