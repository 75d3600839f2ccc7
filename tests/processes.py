"""Finding a run's processes from outside it: by a token in their command line, on the host's /proc.

Inside a run's PID namespace, pids mean nothing to the host, so tests tag what user code starts with
a token and look for it here.
"""

from __future__ import annotations

import os
import sys
import uuid

import pytest

from moto_glue_workflows.runner.sandbox import processes

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the host's /proc")


def new_token() -> str:
    return f"mgw-probe-{uuid.uuid4().hex}"


def processes_with(token: str) -> list[int]:
    """Host pids of the processes whose command line holds ``token`` (zombies included)."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/cmdline", "rb") as handle:
                cmdline = handle.read()
        except OSError:
            continue
        if token.encode() in cmdline:
            found.append(int(name))
    return found


def zombie_children() -> list[int]:
    """This process's children that ended and were never reaped."""
    me = os.getpid()
    return [pid for pid, parent, state in processes() if parent == me and state == "Z"]
