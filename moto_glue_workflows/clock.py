"""The mock's clock: moto's wall clock plus an offset that only tests move.

There are no timers. ``now()`` is moto's ``utcnow()`` (which freezegun freezes, as it does moto's own
timestamps) plus an offset; an advance moves the offset forward, never back. Under freezegun
the mock's time is therefore the frozen time plus every advance so far: ``freezer.tick(60)`` and
``advance_clock(60)`` both move it by a minute. moto's reset (``mock_aws`` starting,
``POST /moto-api/reset``) puts the clock back on the wall clock.
"""

from __future__ import annotations

import datetime
import threading

from moto_glue_workflows import _moto

_ZERO = datetime.timedelta(0)


# One clock for the whole mock (every account and region): the offset over moto's wall clock.
_offset = _ZERO
# Held while time moves: one advance at a time.
advancing = threading.RLock()


def offset() -> datetime.timedelta:
    return _offset


def reset() -> None:
    """Back on the wall clock; moto's reset calls this (see install)."""
    global _offset
    _offset = _ZERO


def now() -> datetime.datetime:
    """The mock's time: naive UTC, like moto's timestamps."""
    return _moto.utcnow()


def iso(moment: datetime.datetime) -> str:
    return moment.replace(tzinfo=datetime.UTC).isoformat().replace("+00:00", "Z")


def set_to(moment: datetime.datetime) -> None:
    """Make ``now()`` read ``moment`` (naive UTC); used while an advance walks through time."""
    global _offset
    _offset = moment - _moto.wall_utcnow()


def install() -> None:
    """Make every timestamp of this package, and of moto's Glue and EventBridge, follow the clock."""
    _moto.set_clock_offset_source(offset)
    _moto.on_reset(reset)
    _moto.follow_clock_in_moto()
