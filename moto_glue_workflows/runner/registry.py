"""Every run still going, so a reset or the end of the process can end them all.

moto's reset (``POST /moto-api/reset``, a ``mock_aws`` starting or stopping) resets every backend moto
has made, holding its backend lock throughout. Our entry among them, made again whenever a run starts,
ends every run from inside that reset; as user code's requests are answered under the same lock
(``runner.gateway``), none of them lands in the state a reset leaves behind.
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Callable
from typing import Protocol

from moto_glue_workflows import _moto


class Run(Protocol):
    """What the registry needs of a run (``process.UserCodeRun``, which imports this module, not the
    other way round)."""

    def kill(self) -> object: ...


_lock = threading.Lock()
_running: set[Run] = set()
_after_kill: list[Callable[[], None]] = []  # what ends with the runs: the warm process (``process``)
_REGION = "aws"
exiting = False  # the process is exiting: what ends with the runs is not started again (the warm process)


class RunsOnReset(_moto.BaseBackend):
    """Holds nothing; being reset ends every run."""

    def reset(self) -> None:
        kill_all()
        super().reset()


runs_on_reset: _moto.BackendDict[RunsOnReset] = _moto.BackendDict(
    RunsOnReset, "moto-glue-workflows-runs", use_boto3_regions=False, additional_regions=[_REGION]
)


def add(run: Run) -> None:
    runs_on_reset[_moto.DEFAULT_ACCOUNT_ID][_REGION]  # so that moto's next reset reaches us
    with _lock:
        _running.add(run)


def discard(run: Run) -> None:
    with _lock:
        _running.discard(run)


def running() -> list[Run]:
    with _lock:
        return list(_running)


def after_kill_all(hook: Callable[[], None]) -> None:
    """Call ``hook`` whenever every run has been ended (moto's reset, the process's exit)."""
    if hook not in _after_kill:
        _after_kill.append(hook)


def kill_all() -> int:
    """Kill every run still going and remove its files, then whatever ends with them (the warm process);
    returns how many runs there were."""
    runs = running()
    for run in runs:
        run.kill()
    for hook in list(_after_kill):
        hook()
    return len(runs)


def _at_exit() -> None:
    global exiting
    exiting = True
    kill_all()


atexit.register(_at_exit)
