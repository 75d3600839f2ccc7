"""Whether layout code from blueprint archives may run, and for how long.

Layout code is arbitrary Python from an S3 object; a test suite that registers untrusted archives
can switch execution off, and runs then fail with a message saying why.
"""

from __future__ import annotations

import os

ENV_VAR = "MOTO_GLUE_BLUEPRINT_EXECUTION"
_FALSE_WORDS = frozenset({"false", "0", "no", "off", "disabled"})

_override: bool | None = None


def set_execution_enabled(enabled: bool | None) -> None:
    """Allow or forbid running layout code; ``None`` goes back to the environment variable."""
    global _override
    _override = enabled


def execution_enabled() -> bool:
    """The Python setting when one was made, else ``MOTO_GLUE_BLUEPRINT_EXECUTION`` (default on)."""
    if _override is not None:
        return _override
    return os.environ.get(ENV_VAR, "true").strip().lower() not in _FALSE_WORDS


DISABLED_MESSAGE = (
    "Blueprint execution is disabled in this mock "
    f"({ENV_VAR}=false or set_execution_enabled(False)): the layout generator was not run."
)

TIME_LIMIT_ENV_VAR = "MOTO_GLUE_BLUEPRINT_TIME_LIMIT"
# AWS documents no limit for layout generators; five minutes is far beyond any layout that only
# describes a workflow, and short enough that a hung one does not stall a test suite for long.
DEFAULT_TIME_LIMIT = 300.0
MAX_TIME_LIMIT = 24 * 3600.0

_time_limit: float | None = None


def _valid_limit(value: float) -> bool:
    # Compared as given, never converted first: float() of an integer of hundreds of digits overflows.
    return 0 < value <= MAX_TIME_LIMIT


def set_time_limit(seconds: float | None) -> None:
    """Seconds a layout may run before it is stopped and its run fails; ``None`` goes back to the
    environment variable (``MOTO_GLUE_BLUEPRINT_TIME_LIMIT``, default 300)."""
    global _time_limit
    if seconds is not None and (
        isinstance(seconds, bool) or not isinstance(seconds, int | float) or not _valid_limit(seconds)
    ):
        raise ValueError(f"The time limit must be a number of seconds above 0 and at most {MAX_TIME_LIMIT:g}")
    _time_limit = None if seconds is None else float(seconds)


def time_limit() -> float:
    """The setting made in Python or through the control endpoint, else the environment's, else 300."""
    if _time_limit is not None:
        return _time_limit
    try:
        value = float(os.environ.get(TIME_LIMIT_ENV_VAR, DEFAULT_TIME_LIMIT))
    except ValueError:
        return DEFAULT_TIME_LIMIT
    return value if _valid_limit(value) else DEFAULT_TIME_LIMIT
