"""Every run still going, so a reset or the end of the process can end them all.

moto's reset (``POST /moto-api/reset``, a ``mock_aws`` starting or stopping) resets every backend moto
has made, holding its backend lock throughout. Our entry among them, made again whenever a run starts,
ends every run from inside that reset; as user code's requests are answered under the same lock
(``runner.gateway``), none of them lands in the state a reset leaves behind.
"""

from __future__ import annotations

import atexit
import threading
from typing import TYPE_CHECKING

from moto_glue_workflows import _moto

if TYPE_CHECKING:
    from moto_glue_workflows.runner.process import UserCodeRun

_lock = threading.Lock()
_running: set[UserCodeRun] = set()
_REGION = "aws"


class RunsOnReset(_moto.BaseBackend):
    """Holds nothing; being reset ends every run."""

    def reset(self) -> None:
        kill_all()
        super().reset()


runs_on_reset: _moto.BackendDict[RunsOnReset] = _moto.BackendDict(
    RunsOnReset, "moto-glue-workflows-runs", use_boto3_regions=False, additional_regions=[_REGION]
)


def add(run: UserCodeRun) -> None:
    runs_on_reset[_moto.DEFAULT_ACCOUNT_ID][_REGION]  # so that moto's next reset reaches us
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
