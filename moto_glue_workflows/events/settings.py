"""Whether Glue puts its events on EventBridge in this mock (default on).

``MOTO_GLUE_EVENTS=false`` in the environment, or ``set_event_emission_enabled(False)``, turns it off;
``set_event_emission_enabled(None)`` goes back to the environment variable.
"""

from __future__ import annotations

import os

ENV_VAR = "MOTO_GLUE_EVENTS"
_FALSE_WORDS = frozenset({"false", "0", "no", "off", "disabled"})

_override: bool | None = None


def set_event_emission_enabled(enabled: bool | None) -> None:
    global _override
    _override = enabled


def emission_enabled() -> bool:
    if _override is not None:
        return _override
    return os.environ.get(ENV_VAR, "true").strip().lower() not in _FALSE_WORDS
