"""Something that falls due at a moment of the mock's clock, whichever service it belongs to."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass
class Due:
    moment: datetime.datetime
    order: int  # at one moment: batch windows, schedules, timeouts, notifications, then lineage syncs
    #: what it is (kind, account, region, name, moment), so an advance handles it once
    key: tuple[Any, ...]
    #: done at ``moment`` (the clock stands there): what happened, for the clock's answer, or None
    act: Callable[[], dict[str, Any] | None]
