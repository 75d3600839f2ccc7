"""AWS's six-field cron schedules, ``cron(Minutes Hours Day-of-month Month Day-of-week Year)``, in UTC.

The rules are those of the Glue developer guide, "Time-based schedules for jobs and crawlers", and the
EventBridge "Cron expressions reference", which Glue triggers share:

- six fields, all required: Minutes 0-59, Hours 0-23, Day-of-month 1-31, Month 1-12 or JAN-DEC,
  Day-of-week 1-7 or SUN-SAT (1 is Sunday), Year 1970-2199;
- ``,`` lists, ``-`` ranges, ``*`` every value and ``/`` increments (``0/15``: 0, 15, 30, 45) in every field;
- Day-of-month and Day-of-week cannot both be given: one of them must be ``?``;
- ``L`` is the last day of the month in Day-of-month and the last day of the week (Saturday) in
  Day-of-week, where ``5L`` is the month's last Thursday; ``W`` in Day-of-month is the weekday nearest
  the day (``3W``), ``LW`` the month's last weekday; ``#`` in Day-of-week is the nth weekday of the
  month (``3#2``, the second Tuesday).

croniter was considered: it numbers weekdays from 0 (Sunday) and has no ``W`` nor AWS's year field
semantics, so translating AWS expressions into it would take as much code as reading them here.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_MONTHS = {name: index for index, name in enumerate(calendar.month_abbr) if name}
_MONTHS = {name.upper(): index for name, index in _MONTHS.items()}
_DAYS = {"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}
_EXPRESSION = re.compile(r"^\s*cron\((.*)\)\s*$", re.IGNORECASE)
LAST_YEAR = 2199

DayTest = Callable[[datetime.date], bool]


class CronError(ValueError):
    """A schedule AWS would refuse; the message names the field."""


def _aws_weekday(day: datetime.date) -> int:
    return (day.weekday() + 1) % 7 + 1  # Monday is 0 in Python, 2 in AWS


def _last_day(day: datetime.date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


# ASCII digits only, and few of them: str.isdigit() takes '²' and other digits int() refuses, and int() refuses
# (or takes long over) a number of thousands of digits.
_NUMBER = re.compile(r"[0-9]{1,4}")


def _number(text: str) -> int | None:
    return int(text) if _NUMBER.fullmatch(text) else None


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:40] + "...")


def _value(text: str, field: str, low: int, high: int, names: dict[str, int]) -> int:
    upper = text.upper()
    if upper in names:
        return names[upper]
    number = _number(text)
    if number is None or not low <= number <= high:
        raise CronError(f"Invalid {field} value in cron expression: {_shown(text)} (expected {low}-{high})")
    return number


def _values(text: str, field: str, low: int, high: int, names: dict[str, int] | None = None) -> frozenset[int]:
    names = names or {}
    chosen: set[int] = set()
    for item in text.split(","):
        base, _, step_text = item.partition("/")
        step = 1
        if step_text:
            number = _number(step_text)
            if number is None or number < 1:
                raise CronError(f"Invalid increment in {field} field of cron expression: {_shown(item)}")
            step = number
        if base == "*":
            start, end = low, high
        elif "-" in base:
            first, _, last = base.partition("-")
            start, end = _value(first, field, low, high, names), _value(last, field, low, high, names)
        else:
            start = _value(base, field, low, high, names)
            end = high if step_text else start
        span = list(range(start, end + 1)) if start <= end else [*range(start, high + 1), *range(low, end + 1)]
        chosen.update(span[::step])
    return frozenset(chosen)


def _nearest_weekday(day: datetime.date, wanted: int) -> bool:
    last = _last_day(day)
    if wanted > last:
        return False
    target = day.replace(day=wanted)
    if target.weekday() == 5:  # Saturday: the Friday before, or the Monday after the 1st
        target = target + datetime.timedelta(days=2) if wanted == 1 else target - datetime.timedelta(days=1)
    elif target.weekday() == 6:  # Sunday: the Monday after, or the Friday before the last day
        target = target - datetime.timedelta(days=2) if wanted == last else target + datetime.timedelta(days=1)
    return day == target


def _last_weekday(day: datetime.date) -> bool:
    last = day.replace(day=_last_day(day))
    while last.weekday() > 4:
        last -= datetime.timedelta(days=1)
    return day == last


def _day_in(day: datetime.date, days: frozenset[int]) -> bool:
    return day.day in days


def _weekday_in(day: datetime.date, weekdays: frozenset[int]) -> bool:
    return _aws_weekday(day) in weekdays


def _last_of_month(day: datetime.date, weekday: int) -> bool:
    return _aws_weekday(day) == weekday and day.day + 7 > _last_day(day)


def _nth_of_month(day: datetime.date, weekday: int, nth: int) -> bool:
    return _aws_weekday(day) == weekday and (day.day - 1) // 7 + 1 == nth


def _day_of_month(text: str) -> DayTest:
    tests: list[DayTest] = []
    for item in text.split(","):
        upper = item.upper()
        if upper == "L":
            tests.append(lambda day: day.day == _last_day(day))
        elif upper == "LW":
            tests.append(_last_weekday)
        elif upper.endswith("W"):
            tests.append(functools.partial(_nearest_weekday, wanted=_value(upper[:-1], "Day-of-month", 1, 31, {})))
        else:
            tests.append(functools.partial(_day_in, days=_values(item, "Day-of-month", 1, 31)))
    return lambda day: any(test(day) for test in tests)


def _day_of_week(text: str) -> DayTest:
    tests: list[DayTest] = []
    for item in text.split(","):
        upper = item.upper()
        if upper == "L":
            tests.append(lambda day: _aws_weekday(day) == 7)
        elif upper.endswith("L"):
            tests.append(functools.partial(_last_of_month, weekday=_value(upper[:-1], "Day-of-week", 1, 7, _DAYS)))
        elif "#" in upper:
            weekday_text, _, nth_text = upper.partition("#")
            weekday = _value(weekday_text, "Day-of-week", 1, 7, _DAYS)
            nth = _value(nth_text, "Day-of-week", 1, 5, {})
            tests.append(functools.partial(_nth_of_month, weekday=weekday, nth=nth))
        else:
            tests.append(functools.partial(_weekday_in, weekdays=_values(item, "Day-of-week", 1, 7, _DAYS)))
    return lambda day: any(test(day) for test in tests)


@dataclass(frozen=True)
class Cron:
    expression: str
    minutes: tuple[int, ...]
    hours: tuple[int, ...]
    months: frozenset[int]
    years: frozenset[int]
    day_matches: DayTest

    @classmethod
    def parse(cls, schedule: str) -> Cron:
        """Read ``cron(...)``; CronError names what AWS would refuse."""
        found = _EXPRESSION.match(schedule or "")
        if not found:
            raise CronError(f"Schedule must be a cron expression, cron(...): {_shown(schedule or '')}")
        fields = found.group(1).split()
        if len(fields) != 6:
            raise CronError(f"A cron expression has six fields, {len(fields)} were given: {_shown(schedule)}")
        minutes, hours, day_of_month, months, day_of_week, years = fields
        if (day_of_month == "?") == (day_of_week == "?"):
            raise CronError(
                "Day-of-month and Day-of-week cannot both be given in a cron expression: one of them must be '?'"
            )
        day_matches = _day_of_week(day_of_week) if day_of_month == "?" else _day_of_month(day_of_month)
        return cls(
            expression=schedule,
            minutes=tuple(sorted(_values(minutes, "Minutes", 0, 59))),
            hours=tuple(sorted(_values(hours, "Hours", 0, 23))),
            months=_values(months, "Month", 1, 12, _MONTHS),
            years=_values(years, "Year", 1970, LAST_YEAR),
            day_matches=day_matches,
        )

    def next_after(self, moment: datetime.datetime) -> datetime.datetime | None:
        """The first occurrence strictly after ``moment`` (naive UTC), or None when there is none."""
        start = moment.replace(second=0, microsecond=0) + datetime.timedelta(minutes=1)
        day = start.date()
        while day.year <= LAST_YEAR:
            if day.year not in self.years:
                day = datetime.date(day.year + 1, 1, 1)
                continue
            if day.month not in self.months:
                day = (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
                continue
            if self.day_matches(day):
                for hour in self.hours:
                    for minute in self.minutes:
                        candidate = datetime.datetime(day.year, day.month, day.day, hour, minute)
                        if candidate >= start:
                            return candidate
            day += datetime.timedelta(days=1)
        return None

    def between(self, after: datetime.datetime, until: datetime.datetime) -> list[datetime.datetime]:
        """Every occurrence in (after, until]."""
        found = []
        moment = self.next_after(after)
        while moment is not None and moment <= until:
            found.append(moment)
            moment = self.next_after(moment)
        return found


@functools.cache
def parsed_cron(schedule: str) -> Cron:
    """``Cron.parse``, once per expression (a Cron is immutable): a clock advance reads every schedule
    at every moment that falls due."""
    return Cron.parse(schedule)


def next_occurrence(owner: Any, schedule: str, cursor: datetime.datetime) -> datetime.datetime | None:
    """The first occurrence of ``schedule`` after ``cursor`` (None: never, or not a schedule AWS accepts), for
    ``owner`` (a trigger, a connection) whose schedule it is.

    Worked out once and kept on the owner while it stays right: with no occurrence between the moment it was
    worked out from and the one found, that one is the next from any cursor before it, and a schedule with
    none left has none from any later cursor. So a clock advance costs what fires, not what it passes:
    ``cron(0 0 30 2 ? *)`` (February 30th) is read to its last year once, not at every moment visited.
    """
    kept: tuple[str, datetime.datetime, datetime.datetime | None] | None = getattr(owner, "_next_occurrence", None)
    if kept is not None:
        kept_schedule, since, found = kept
        if kept_schedule == schedule and since <= cursor and (found is None or cursor < found):
            return found
    moment: datetime.datetime | None
    try:
        moment = parsed_cron(schedule).next_after(cursor)
    except CronError:
        moment = None
    owner._next_occurrence = (schedule, cursor, moment)
    return moment
