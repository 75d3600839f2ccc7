"""The mock's clock: moto's wall clock plus an offset that only tests move.

There are no timers. ``now()`` is moto's ``utcnow()`` (which freezegun freezes, as it does moto's own
timestamps) plus an offset; an advance moves the offset forward, never back. Under freezegun
the mock's time is therefore the frozen time plus every advance so far: ``freezer.tick(60)`` and
``advance_clock(60)`` both move it by a minute. The offset is held in a moto backend, so moto's
reset (``mock_aws`` starting, ``POST /moto-api/reset``) clears it like any other state and puts the clock
back on the wall clock.
"""

from __future__ import annotations

import datetime
import threading

from moto_glue_workflows import _moto

_ZERO = datetime.timedelta(0)
# One clock for the whole mock (every account and region), kept under one key of its BackendDict.
_KEY = _moto.DEFAULT_ACCOUNT_ID
_REGION = "aws"  # one backend, as moto keeps a global service's
#: The latest time the clock can be moved to: a year short of the last one Python represents, so that the wall
#: clock going on, a job's timeout or a week's wait added to the mock's time still have room (docs/events-and-clock.md).
LATEST = datetime.datetime(9998, 12, 31, 23, 59, 59)
# Held while time moves: one advance at a time.
advancing = threading.RLock()


class MockClock(_moto.BaseBackend):
    """The offset of the mock's time over moto's wall clock."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.offset = _ZERO


clock_backends: _moto.BackendDict[MockClock] = _moto.BackendDict(
    MockClock, "moto-glue-workflows-clock", use_boto3_regions=False, additional_regions=[_REGION]
)


def offset() -> datetime.timedelta:
    """Read on every timestamp: looked up without creating the clock's backend (none means no offset)."""
    account = dict.get(clock_backends, _KEY)
    found = None if account is None else dict.get(account, _REGION)
    return _ZERO if found is None else found.offset


def now() -> datetime.datetime:
    """The mock's time: naive UTC, like moto's timestamps."""
    return _moto.utcnow()


def iso(moment: datetime.datetime) -> str:
    return moment.replace(tzinfo=datetime.UTC).isoformat().replace("+00:00", "Z")


def later(moment: datetime.datetime, delta: datetime.timedelta) -> datetime.datetime | None:
    """``moment + delta``, or None when that is past the last time Python represents (never, for the mock)."""
    try:
        return moment + delta
    except OverflowError:
        return None


def earlier(moment: datetime.datetime, delta: datetime.timedelta) -> datetime.datetime:
    """``moment - delta``, or the first time Python represents when that is before it."""
    try:
        return moment - delta
    except OverflowError:
        return datetime.datetime.min


def set_to(moment: datetime.datetime) -> None:
    """Make ``now()`` read ``moment`` (naive UTC); used while an advance walks through time."""
    clock_backends[_KEY][_REGION].offset = moment - _moto.wall_utcnow()


def install() -> None:
    """Make every timestamp of this package, and of moto's Glue and EventBridge, follow the clock."""
    _moto.set_clock_offset_source(offset)
    _moto.follow_clock_in_moto()
