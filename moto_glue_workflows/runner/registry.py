"""Every run still going, so a reset or the end of the process can end them all."""

from __future__ import annotations

import atexit
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from moto_glue_workflows.runner.process import UserCodeRun

_lock = threading.Lock()
_running: set[UserCodeRun] = set()


def add(run: UserCodeRun) -> None:
    with _lock:
        _running.add(run)


def discard(run: UserCodeRun) -> None:
    with _lock:
        _running.discard(run)


def running() -> list[UserCodeRun]:
    with _lock:
        return list(_running)


def kill_all() -> int:
    """Kill every run still going and remove its files; returns how many there were."""
    runs = running()
    for run in runs:
        run.kill()
    return len(runs)


atexit.register(kill_all)
