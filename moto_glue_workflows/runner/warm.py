"""The warm runner: one pre-started process per server process, from which each run's supervisor is forked.

A new interpreter that imports boto3 costs about as much as a cold ``python -c "import boto3"``. So the
first run of user code starts ``warm_process.py`` (with the run's interpreter, flags and the
environment every run shares), which imports boto3 and our child-side modules once and then only
forks: a run's supervisor is a fork of it, set up as ``python child.py SPEC`` would be (see that
script), and everything after that (namespaces, walls, time limit, ending the run) is the same code
as for a fresh interpreter. The warm process never runs user code, holds no thread, and carries no
state of any run: each run is a fork of the same clean process, and what it imports or changes dies
with it.

The server keeps a pidfd for each supervisor (signals cannot reach a recycled pid) and learns its exit
status from the warm process, its parent, which reaps it. The warm process is restarted if it died,
ended on moto's reset (``registry``) and when the server exits, and goes by itself when the server's
lifeline pipe closes. Where it cannot be used (no ``fork``, no pidfds, no ``SOCK_SEQPACKET``, its
start failed, a run's files would stand in for a module it holds, or a run sets ``PYTHON*`` variables
that only a new interpreter reads) runs start cold,
as before; ``MOTO_GLUE_WORKFLOWS_USER_CODE_START=cold`` chooses that everywhere.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping, Sequence, Set
from pathlib import Path
from typing import Protocol

WARM_SCRIPT = Path(__file__).with_name("warm_process.py")
#: "cold" starts every run in a new interpreter (docs/containment.md, "Starting user code").
START_ENV = "MOTO_GLUE_WORKFLOWS_USER_CODE_START"
_STATUS = struct.Struct("!i")
_READY_WITHIN = 60.0  # seconds the warm process may take to import what it preloads
_REPLY_WITHIN = 10.0  # seconds a fork may take to be reported
_END_WITHIN = 2.0  # seconds the warm process is waited for once told to end, before a thread takes over
_log = logging.getLogger("moto_glue_workflows.runner")
# Imported in the warm process before it forks: boto3 (what a script's first line imports) and the
# child-side modules our callers name (``preload``).
_preloads: list[str] = ["boto3"]


def preload(module: str) -> None:
    """Have the warm process import ``module`` (ours: stdlib-light, loaded below bare parent packages
    as in the child) before it forks; takes effect when the warm process next starts."""
    if module not in _preloads:
        _preloads.append(module)


class Supervisor(Protocol):
    """A run's supervisor process, however it was started."""

    pid: int

    def poll(self) -> int | None: ...

    def wait(self, timeout: float | None = None) -> int: ...

    def reap(self) -> None: ...

    def send_signal(self, number: int) -> None: ...

    def kill_group(self) -> None: ...


class ColdSupervisor:
    """A supervisor started as a new interpreter: ``python child.py SPEC``."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self._process = process
        self.pid = process.pid

    def poll(self) -> int | None:
        return self._process.poll()

    def wait(self, timeout: float | None = None) -> int:
        return self._process.wait(timeout=timeout)

    def reap(self) -> None:
        self._process.wait()

    def send_signal(self, number: int) -> None:
        self._process.send_signal(number)

    def kill_group(self) -> None:
        if self._process.poll() is None:
            os.killpg(self._process.pid, signal.SIGKILL)


class WarmSupervisor:
    """A supervisor forked by the warm process. Signalled through a pidfd; its exit status comes from
    the warm process once it has reaped it (or, if the warm process died first, is -SIGKILL's when the
    pidfd says it ended)."""

    def __init__(self, pid: int, pidfd: int, channel: socket.socket) -> None:
        self.pid = pid
        self._pidfd = pidfd
        self._channel = channel
        self._lock = threading.Lock()
        self._ended = threading.Event()
        self._status: int | None = None

    def reap(self) -> None:
        """Block until the supervisor has ended (called by the run's reaper thread, once)."""
        try:
            data = self._channel.recv(_STATUS.size)
        except OSError:
            data = b""
        if len(data) == _STATUS.size:
            status = _STATUS.unpack(data)[0]
        else:  # the warm process died: the supervisor is someone else's child now
            _ended_by_pidfd(self._pidfd, None)
            status = -signal.SIGKILL
        with self._lock:
            self._status = status
            self._channel.close()
            os.close(self._pidfd)
            self._pidfd = -1
        self._ended.set()

    def poll(self) -> int | None:
        return self._status if self._ended.is_set() else None

    def wait(self, timeout: float | None = None) -> int:
        if not self._ended.wait(timeout):
            raise subprocess.TimeoutExpired(str(WARM_SCRIPT), timeout or 0.0)
        assert self._status is not None
        return self._status

    def _alive(self) -> bool:
        return self._pidfd >= 0 and not _ended_by_pidfd(self._pidfd, 0)

    def send_signal(self, number: int) -> None:
        with self._lock:
            if self._pidfd >= 0:
                signal.pidfd_send_signal(self._pidfd, number)

    def kill_group(self) -> None:
        # Unreaped (the pidfd not yet readable), the supervisor's pid is its group's id and nobody else's.
        with self._lock:
            if self._alive():
                os.killpg(self.pid, signal.SIGKILL)


def _ended_by_pidfd(pidfd: int, timeout_ms: int | None) -> bool:
    """Whether the process ``pidfd`` names has ended, waiting up to ``timeout_ms`` (None: until it has).
    ``poll``, not ``select``: a server's descriptors may be numbered past select's bound."""
    watcher = select.poll()
    watcher.register(pidfd, select.POLLIN)
    with contextlib.suppress(InterruptedError):
        return bool(watcher.poll(timeout_ms))
    return False


def _loaded_names(answer: bytes) -> frozenset[str] | None:
    """The warm process's "ready" answer: ``+`` and the JSON list of its modules' top-level names; None
    for anything else (it failed, and said why after ``!``)."""
    if not answer.startswith(b"+"):
        return None
    try:
        names = json.loads(answer[1:])
    except ValueError:
        return None
    return frozenset(str(name) for name in names) if isinstance(names, list) else None


def _supported() -> str | None:
    """Why this platform cannot have a warm runner, or None."""
    if not hasattr(os, "fork") or not hasattr(os, "pidfd_open") or not hasattr(signal, "pidfd_send_signal"):
        return "this platform has no fork or no pidfds"
    if not hasattr(socket, "SOCK_SEQPACKET") or not hasattr(socket, "send_fds"):
        return "this platform has no SOCK_SEQPACKET sockets or descriptor passing"
    return None


class WarmRunner:
    """The one warm process of this server process: started at the first run, restarted if it died or
    the shared environment changed, ended by :meth:`stop`. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._control: socket.socket | None = None
        self._folder: str | None = None
        self._key: str | None = None
        self._unusable: str | None = None
        self._owner = os.getpid()
        self._loaded: frozenset[str] = frozenset()  # top-level names of the modules the warm process holds
        self.starts = 0  # how many warm processes this server has started (tests and the docs' figures)

    @property
    def pid(self) -> int | None:
        """The warm process's pid while one runs (it may have died since; the next run finds out)."""
        process = self._process
        return process.pid if process is not None and process.returncode is None else None

    def spawn(
        self,
        *,
        spec_file: str,
        cwd: str,
        env: Mapping[str, str],
        shared_env: Mapping[str, str],
        fds: Sequence[int],
        lifeline: int,
        own_modules: Set[str] = frozenset(),
    ) -> WarmSupervisor | None:
        """Fork a supervisor for the run from the warm process (starting it first if need be): ``fds``
        are the run's stdout, stderr, result and report; ``own_modules`` the top-level names the run's
        files can be imported as. None: start this run cold (the log says why, once), as a run whose
        files would stand in for a module the warm process has imported must."""
        if os.environ.get(START_ENV, "").strip().lower() == "cold" or _supported() is not None:
            return None
        request = json.dumps({"spec": spec_file, "cwd": cwd, "env": dict(env)}).encode()
        key = json.dumps([sys.executable, sys.flags.utf8_mode, sorted(shared_env.items()), _preloads, lifeline])
        with self._lock:
            if self._unusable is not None:
                return None
            for attempt in range(2):  # a warm process that died since the last run is started again, once
                if not self._ready(key, shared_env, lifeline):
                    return None
                if own_modules & self._loaded:
                    return None
                supervisor = self._fork(request, fds)
                if supervisor is not None:
                    return supervisor
                if attempt == 0:
                    _log.info("moto-glue-workflows: the warm runner had ended; starting it again")
                self._stop_locked()
        return None

    def _ready(self, key: str, shared_env: Mapping[str, str], lifeline: int) -> bool:
        if self._process is not None and self._owner != os.getpid():
            # A fork of the server (multiprocessing's "fork"): the warm process is its parent's; leave it be.
            self._process = self._control = self._folder = self._key = None
        if self._process is not None and (self._process.poll() is not None or self._key != key):
            self._stop_locked()
        if self._process is None:
            why = self._start(key, shared_env, lifeline)
            if why is not None:
                self._unusable = why
                _log.warning(
                    "moto-glue-workflows: user code starts in a new interpreter per run (%s; see docs/containment.md)",
                    why,
                )
                return False
        return True

    def _start(self, key: str, shared_env: Mapping[str, str], lifeline: int) -> str | None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        folder = tempfile.mkdtemp(prefix="moto-glue-warm-")
        env = {**shared_env, "HOME": folder, "TMPDIR": folder}
        preload = {"modules": list(_preloads), "package_roots": _package_roots()}
        errors = open(Path(folder, "stderr"), "wb")  # noqa: SIM115 - closed below, once the process holds it
        try:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-X",
                    "utf8",
                    str(WARM_SCRIPT),
                    str(theirs.fileno()),
                    str(lifeline),
                    json.dumps(preload),
                ],
                cwd="/",
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=errors,
                # Out of the server's process group (a terminal's Ctrl-C is the server's to handle), and
                # holding nothing of the server's but its end of the control socket and the lifeline.
                start_new_session=True,
                close_fds=True,
                pass_fds=(theirs.fileno(), lifeline),
            )
        except OSError as error:
            ours.close()
            shutil.rmtree(folder, ignore_errors=True)
            return f"the warm runner could not start: {error}"
        finally:
            theirs.close()
            errors.close()
        ours.settimeout(_READY_WITHIN)
        try:
            answer = ours.recv(1 << 20)
        except OSError:
            answer = b""
        loaded = _loaded_names(answer)
        if loaded is None:
            with contextlib.suppress(OSError):
                process.kill()
            process.wait()
            said = answer[1:].decode("utf-8", "replace") if answer.startswith(b"!") else ""
            said = said or Path(folder, "stderr").read_text("utf-8", "replace").strip()[-500:]
            ours.close()
            shutil.rmtree(folder, ignore_errors=True)
            return f"the warm runner did not start: {said or 'it ended without a word'}"
        ours.settimeout(None)
        self._process, self._control, self._folder, self._key = process, ours, folder, key
        self._owner = os.getpid()
        self._loaded = loaded
        self.starts += 1
        return None

    def _fork(self, request: bytes, fds: Sequence[int]) -> WarmSupervisor | None:
        assert self._control is not None
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            try:
                socket.send_fds(self._control, [request], [theirs.fileno(), *fds])
            finally:
                theirs.close()
            ours.settimeout(_REPLY_WITHIN)
            message, passed, _, _ = socket.recv_fds(ours, _STATUS.size, 1)
        except OSError:
            ours.close()
            return None
        if len(message) != _STATUS.size or len(passed) != 1:
            for fd in passed:
                os.close(fd)
            ours.close()
            return None
        ours.settimeout(None)
        return WarmSupervisor(_STATUS.unpack(message)[0], passed[0], ours)

    def stop(self) -> None:
        """End the warm process (runs already forked from it go on; their supervisors are their own)."""
        with self._lock:
            self._stop_locked()

    def _stop_locked(self) -> None:
        if self._owner != os.getpid():  # a fork of the server: not its warm process to end
            self._process = self._control = self._folder = self._key = None
            return
        process, control, folder = self._process, self._control, self._folder
        self._process = self._control = self._folder = self._key = None
        if control is not None:
            control.close()  # EOF: the warm process ends by itself
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        if process is not None:
            try:
                process.wait(timeout=_END_WITHIN)
            except subprocess.TimeoutExpired:
                # Runs it forked still going (the shared environment changed under them): it ends once they
                # have, and a thread reaps it then, so it leaves no zombie.
                threading.Thread(target=process.wait, name="moto-glue-warm-reaper", daemon=True).start()


def _package_roots() -> dict[str, str]:
    return {"moto_glue_workflows": str(Path(__file__).resolve().parents[1])}


runner = WarmRunner()
