"""``/moto-api/static/clock``: read the mock's clock (GET) or move it forward (POST).

POST ``{"AdvanceSeconds": N}`` or ``{"To": "<ISO-8601>"}`` answers ``{"Now": ..., "Fired": [...]}``, what
happened meanwhile in time order (events/timeline.py); GET answers ``{"Now": ...}``. Moving backwards,
both fields or neither, or a value of the wrong type answers 400 ValidationException.
"""

from __future__ import annotations

import datetime
import json
import math
from typing import Any

from moto_glue_workflows import clock
from moto_glue_workflows._moto import ServiceException, server_mode_endpoint
from moto_glue_workflows.control.endpoints import ControlError, ControlOperation, call_server
from moto_glue_workflows.events import timeline
from moto_glue_workflows.protocol.timestamps import parse_timestamp


class ClockValidationException(ServiceException):
    code = "ValidationException"


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:40] + "..."


def _target(seconds: Any, to: Any) -> datetime.datetime:
    now = clock.now()
    if (seconds is None) == (to is None):
        raise ClockValidationException("Give exactly one of AdvanceSeconds and To")
    latest = clock.iso(clock.LATEST)
    if seconds is not None:
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds != seconds:
            raise ClockValidationException(f"AdvanceSeconds must be a number of seconds, not {_shown(seconds)}")
        if seconds < 0:
            raise ClockValidationException(
                f"The clock only moves forward: AdvanceSeconds {_shown(seconds)} is negative"
            )
        # Compared before any conversion: an integer of hundreds of digits overflows float() and timedelta().
        room = (clock.LATEST - now).total_seconds()
        if seconds > 0 and seconds > room:
            raise ClockValidationException(
                f"AdvanceSeconds {_shown(seconds)} is past the latest time the mock's clock shows ({latest}); "
                f"at most {math.floor(room)} from now"
            )
        return now + datetime.timedelta(seconds=seconds)
    if not isinstance(to, str):
        raise ClockValidationException(f"To must be an ISO-8601 timestamp string, not {_shown(to)}")
    try:
        target = parse_timestamp(to).replace(tzinfo=None)
    except (ValueError, OverflowError):
        raise ClockValidationException(f"To is not an ISO-8601 timestamp: {_shown(to)}") from None
    if target > clock.LATEST:
        raise ClockValidationException(f"To {_shown(to)} is past the latest time the mock's clock shows ({latest})")
    if target < now:
        raise ClockValidationException(
            f"The clock only moves forward: To {_shown(to)} is before the mock's time {clock.iso(now)}"
        )
    return target


#: What an answer lists one by one; past it, ``FiredCount`` and ``FiredSummary`` count everything.
ANSWER_LIMIT = 500


def _summary(fired: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """How many of each thing happened, and to what (a trigger, a job, a workflow, a connection)."""
    counts: dict[tuple[tuple[str, Any], ...], int] = {}
    for entry in fired:  # what it was and what to, without its time, ids and lists
        key = tuple(
            (name, value)
            for name, value in entry.items()
            if name not in ("Time", "RunId", "JobRunId") and not isinstance(value, (list, dict))
        )
        counts[key] = counts.get(key, 0) + 1
    return [{**dict(key), "Count": count} for key, count in counts.items()]


def advance_clock(
    *, account_id: str, region: str, seconds: float | None = None, to: str | None = None
) -> dict[str, Any]:
    """Move the mock's clock forward (one clock for every account and region) and do what falls due."""
    with clock.advancing:
        target = _target(seconds, to)
        advanced = timeline.advance(target)
        fired = advanced.done
        answer: dict[str, Any] = {"Now": clock.iso(clock.now()), "Fired": fired[:ANSWER_LIMIT]}
        if len(fired) > ANSWER_LIMIT:
            answer["FiredCount"] = len(fired)
            answer["FiredSummary"] = _summary(fired)
        if advanced.stopped_at is not None:
            answer["Stopped"] = {
                "Reason": (
                    f"One advance does at most {timeline.WORK_LIMIT} things; the clock stopped at the last moment "
                    "it reached. Advance again to go on."
                ),
                "RequestedTo": clock.iso(target),
            }
        return answer


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
    """The mock's time as ISO-8601, in-process or from the standalone server at ``endpoint_url``; ControlError
    when the server does not answer it."""
    endpoint_url = endpoint_url or server_mode_endpoint()
    if not endpoint_url:
        return str(read_clock()["Now"])
    answer = call_server(f"{endpoint_url.rstrip('/')}/moto-api/static/clock")
    if not isinstance(answer, dict) or not isinstance(answer.get("Now"), str):
        raise ControlError(200, "NotAControlEndpoint", f"{endpoint_url} answered no clock: {str(answer)[:200]!r}")
    return str(answer["Now"])
