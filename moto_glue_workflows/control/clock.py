"""``/moto-api/static/clock``: read the mock's clock (GET) or move it forward (POST).

POST ``{"AdvanceSeconds": N}`` or ``{"To": "<ISO-8601>"}`` answers ``{"Now": ..., "Fired": [...]}``, what
happened meanwhile in time order (glue/scheduler.py); GET answers ``{"Now": ...}``. Moving backwards,
both fields or neither, or a value of the wrong type answers 400 ValidationException.
"""

from __future__ import annotations

import datetime
import json
import math
import urllib.request
from typing import Any

from moto_glue_workflows import clock
from moto_glue_workflows._moto import ServiceException
from moto_glue_workflows.control.endpoints import ControlOperation
from moto_glue_workflows.glue import scheduler
from moto_glue_workflows.protocol.timestamps import parse_timestamp


class ClockValidationException(ServiceException):
    code = "ValidationException"


def _target(seconds: Any, to: Any) -> datetime.datetime:
    now = clock.now()
    if (seconds is None) == (to is None):
        raise ClockValidationException("Give exactly one of AdvanceSeconds and To")
    if seconds is not None:
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not math.isfinite(seconds):
            raise ClockValidationException(f"AdvanceSeconds must be a number of seconds, not {seconds!r}")
        if seconds < 0:
            raise ClockValidationException(f"The clock only moves forward: AdvanceSeconds {seconds} is negative")
        try:
            return now + datetime.timedelta(seconds=seconds)
        except OverflowError:
            raise ClockValidationException(f"AdvanceSeconds {seconds} is past the last representable time") from None
    if not isinstance(to, str):
        raise ClockValidationException(f"To must be an ISO-8601 timestamp string, not {to!r}")
    try:
        target = parse_timestamp(to).replace(tzinfo=None)
    except ValueError:
        raise ClockValidationException(f"To is not an ISO-8601 timestamp: {to!r}") from None
    if target < now:
        raise ClockValidationException(
            f"The clock only moves forward: To {to} is before the mock's time {clock.iso(now)}"
        )
    return target


def advance_clock(
    *, account_id: str, region: str, seconds: float | None = None, to: str | None = None
) -> dict[str, Any]:
    """Move the mock's clock forward (one clock for every account and region) and do what falls due."""
    with clock.advancing:
        fired = scheduler.advance(_target(seconds, to))
        return {"Now": clock.iso(clock.now()), "Fired": fired}


def read_clock() -> dict[str, Any]:
    return {"Now": clock.iso(clock.now())}


class ClockOperation(ControlOperation):
    """POST moves the clock (the shared control-operation handling); GET reads it."""

    def view(self, request: Any, full_url: str, headers: Any) -> tuple[int, dict[str, str], str]:
        if request.method == "GET":
            return 200, {"Content-Type": "application/json"}, json.dumps(read_clock())
        return super().view(request, full_url, headers)


CLOCK = ClockOperation("clock", advance_clock, {"AdvanceSeconds": "seconds", "To": "to"}, helper_name="advance_clock")


def clock_now(endpoint_url: str | None = None) -> str:
    """The mock's time as ISO-8601, in-process or from the standalone server at ``endpoint_url``."""
    if not endpoint_url:
        return str(read_clock()["Now"])
    with urllib.request.urlopen(f"{endpoint_url.rstrip('/')}/moto-api/static/clock") as response:
        return str(json.loads(response.read())["Now"])
