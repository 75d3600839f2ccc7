"""Whether layout code from blueprint archives may run in this process.

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
