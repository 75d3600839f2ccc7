"""The mock's clock: moto's wall clock plus an offset that only tests move.

There are no timers. ``now()`` is moto's ``utcnow()`` (which freezegun freezes, as it does moto's own
timestamps) plus an offset; ``advance_to`` moves the offset forward, never back. Under freezegun
the mock's time is therefore the frozen time plus every advance so far: ``freezer.tick(60)`` and
``advance_clock(60)`` both move it by a minute. The offset lives in a moto backend, so moto's reset
(``mock_aws`` starting, ``POST /moto-api/reset``) puts the clock back on the wall clock.
"""

from __future__ import annotations

import datetime
import threading

from moto_glue_workflows import _moto
from moto_glue_workflows._moto import DEFAULT_ACCOUNT_ID, BackendDict, BaseBackend

_ZERO = datetime.timedelta(0)


class ClockState(BaseBackend):
    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.offset = _ZERO


# One clock for the whole mock, kept under one account and region only so that moto's reset clears it.
_clock_states = BackendDict(ClockState, "glue")
# Held while time moves: one advance at a time.
advancing = threading.RLock()


def _state() -> ClockState:
    state: ClockState = _clock_states[DEFAULT_ACCOUNT_ID]["us-east-1"]
    return state


def offset() -> datetime.timedelta:
    return _state().offset


def now() -> datetime.datetime:
    """The mock's time: naive UTC, like moto's timestamps."""
    return _moto.utcnow()


def iso(moment: datetime.datetime) -> str:
    return moment.replace(tzinfo=datetime.UTC).isoformat().replace("+00:00", "Z")


def set_to(moment: datetime.datetime) -> None:
    """Make ``now()`` read ``moment`` (naive UTC); used while an advance walks through time."""
    _state().offset = moment - _moto.wall_utcnow()


def install() -> None:
    """Make every timestamp of this package, and of moto's Glue and EventBridge, follow the clock."""
    _moto.set_clock_offset_source(offset)
    _moto.follow_clock_in_moto()
