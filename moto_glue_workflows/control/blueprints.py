"""``POST /moto-api/static/glue/blueprint-run-limits``: how long a blueprint's layout may run.

The limit applies to every account and region of this process (it is a property of the mock, not
of an account), to runs started after the call. ``TimeLimitSeconds`` null or absent goes back to
``MOTO_GLUE_BLUEPRINT_TIME_LIMIT`` (default 300 seconds).
"""

from __future__ import annotations

from typing import Any

from moto_glue_workflows.blueprints import settings
from moto_glue_workflows.control.endpoints import ControlOperation
from moto_glue_workflows.glue.exceptions import InvalidInputException


def set_blueprint_run_limits(*, account_id: str, region: str, time_limit_seconds: Any = None) -> dict[str, Any]:
    if time_limit_seconds is not None and (
        isinstance(time_limit_seconds, bool) or not isinstance(time_limit_seconds, (int, float))
    ):
        raise InvalidInputException("TimeLimitSeconds must be a number of seconds")
    try:
        settings.set_time_limit(time_limit_seconds)
    except ValueError as error:
        raise InvalidInputException(f"TimeLimitSeconds: {error}") from None
    limit = settings.time_limit()
    return {"TimeLimitSeconds": int(limit) if limit.is_integer() else limit}  # 10 answers 10, as documented


BLUEPRINT_RUN_LIMITS = ControlOperation(
    "glue/blueprint-run-limits",
    set_blueprint_run_limits,
    {"TimeLimitSeconds": "time_limit_seconds"},
    helper_name="set_blueprint_run_limits",
)
