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
ended on moto's reset (``registry``) once a run was forked from it (its successor is started at once,
in a thread, so the next test's first run is forked too) and when the server exits, and goes by itself
when the server's lifeline pipe closes. The runner's lock is held for bookkeeping only: a start and a
fork round-trip run without it, and a fork of the server (``os.register_at_fork``) forgets the parent's
warm process. Where it cannot be used (no ``fork``, no pidfds, no ``SOCK_SEQPACKET``, its start failed
or it died at its first fork, a run's files would stand in for a module it holds, or a run sets
variables only a new interpreter reads: ``PYTHON*``, another locale) runs start cold, as before;
``MOTO_GLUE_WORKFLOWS_USER_CODE_START=cold`` chooses that everywhere.
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
import weakref
from collections.abc import Mapping, Sequence, Set
from pathlib import Path
from typing import Protocol

WARM_SCRIPT = Path(__file__).with_name("warm_process.py")
#: "cold" starts every run in a new interpreter (docs/containment.md, "Starting user code").
START_ENV = "MOTO_GLUE_WORKFLOWS_USER_CODE_START"
_STATUS = struct.Struct("!i")
_READY_WITHIN = 60.0  # seconds the warm process may take to import what it preloads
_REPLY_WITHIN = 10.0  # seconds a fork may take to be reported
_DYING_WITHIN = 1.0  # seconds a warm process that did not answer a fork is given to show it died
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


class _Warm:
    """One warm process: starting, ready, or failed to start. Its fields are set by the thread starting it,
    before ``ready`` is set."""

    def __init__(self, key: str, shared_env: Mapping[str, str], lifeline: int, preloads: Sequence[str]) -> None:
        self.key = key
        self.shared_env = dict(shared_env)
        self.lifeline = lifeline
        self.preloads = list(preloads)
        self.process: subprocess.Popen[bytes] | None = None
        self.control: socket.socket | None = None
        self.folder: str | None = None
        self.loaded: frozenset[str] = frozenset()  # top-level names of the modules it holds
        self.failure: str | None = None
        self.ready = threading.Event()  # set once started, or failed to
        self.sending = threading.Lock()  # held while a request is written to ``control`` (never for long)
        self.forks = 0  # runs forked from it
        self.dropped = False  # no longer the runner's: to be ended as soon as it has started

    def alive(self) -> bool:
        return self.process is None or self.process.poll() is None


class WarmRunner:
    """The one warm process of this server process: started at the first run, restarted if it died or
    the shared environment changed, ended (and, if it had been used, replaced in the background) by
    moto's reset, ended by :meth:`close` at exit. Thread-safe, and safe to fork: a fork forgets the
    parent's warm process (``os.register_at_fork``) and starts its own."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # held for bookkeeping only, never across a start or a fork round-trip
        self._current: _Warm | None = None
        self._unusable: str | None = None
        self._closed = False
        self._starter: threading.Thread | None = None  # the background start of a reset's successor
        self.starts = 0  # how many warm processes this server has started (tests and the docs' figures)
        _runners.add(self)

    @property
    def pid(self) -> int | None:
        """The pid of the warm process runs are being forked from (once it has forked one; it may have died
        since: the next run finds out). None before the first run and after a reset, until the next run."""
        current = self._current
        process = current.process if current is not None and current.forks else None
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
        soft, hard = _rlimits()
        # What a new interpreter would inherit from the server now: its umask and limits (the fork sets them).
        request = json.dumps(
            {"spec": spec_file, "cwd": cwd, "env": dict(env), "umask": _umask(), "rlimits": soft}
        ).encode()
        # Hard limits can only be lowered in the fork: a change starts another warm process.
        key = json.dumps([sys.executable, sys.flags.utf8_mode, sorted(shared_env.items()), _preloads, lifeline, hard])
        for attempt in range(2):  # a warm process that died since the last run is started again, once
            warm = self._ready(key, shared_env, lifeline)
            if warm is None or own_modules & warm.loaded:
                return None
            supervisor = self._fork(warm, request, fds)
            if supervisor is not None:
                return supervisor
            died = warm.process is not None and _ended_soon(warm.process)
            with self._lock:
                if died and warm.forks == 0 and not warm.dropped and self._unusable is None:
                    # It started, then died at its first run: starting it again would only do the same.
                    self._unusable = f"the warm runner ended at its first run: {_said(warm) or 'without a word'}"
                    _log.warning(
                        "moto-glue-workflows: user code starts in a new interpreter per run (%s; see docs/containment.md)",
                        self._unusable,
                    )
                ended = self._drop_locked(warm)
            _end(ended, wait=False)
            if self._unusable is not None:
                return None
            if attempt == 0:
                _log.info("moto-glue-workflows: the warm runner had ended; starting it again")
        return None

    def _ready(self, key: str, shared_env: Mapping[str, str], lifeline: int) -> _Warm | None:
        """The warm process for ``key``, started (here, or by the thread starting it) and ready; None: run cold."""
        with self._lock:
            if self._unusable is not None:
                return None
            warm = self._current
            ended = None
            if warm is not None and (warm.key != key or (warm.ready.is_set() and not warm.alive())):
                ended = self._drop_locked(warm)
                warm = None
            starting = warm is None
            if warm is None:
                warm = self._current = _Warm(key, shared_env, lifeline, _preloads)
        # Without the lock: another run may fork meanwhile, and a fork of the server finds it free.
        _end(ended, wait=False)
        if starting:
            self._start(warm)
        elif not warm.ready.wait(_READY_WITHIN + _REPLY_WITHIN):
            return None
        with self._lock:
            if warm.failure is None:
                return warm
            if self._current is warm:
                self._current = None
            if warm.dropped or self._unusable is not None:
                return None
            self._unusable = warm.failure
        _log.warning(
            "moto-glue-workflows: user code starts in a new interpreter per run (%s; see docs/containment.md)",
            warm.failure,
        )
        return None

    def _start(self, warm: _Warm) -> None:
        """Start ``warm``'s process and wait until it is ready (or failed: ``warm.failure``); no lock held."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        folder = tempfile.mkdtemp(prefix="moto-glue-warm-")
        env = {**warm.shared_env, "HOME": folder, "TMPDIR": folder}
        preload = {
            "modules": warm.preloads,
            "package_roots": _package_roots(),
            "folder": folder,  # the warm process removes it when it ends
            "environment": sorted(env),
        }
        errors = open(Path(folder, "stderr"), "wb")  # noqa: SIM115 - closed below, once the process holds it
        try:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-X",
                    "utf8",
                    str(WARM_SCRIPT),
                    str(theirs.fileno()),
                    str(warm.lifeline),
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
                pass_fds=(theirs.fileno(), warm.lifeline),
            )
        except OSError as error:
            ours.close()
            shutil.rmtree(folder, ignore_errors=True)
            self._started(warm, f"the warm runner could not start: {error}")
            return
        finally:
            theirs.close()
            errors.close()
        with self._lock:
            warm.process, warm.folder = process, folder
            dropped = warm.dropped
        if dropped:  # closed meanwhile (the server exits): no need to wait for it
            with contextlib.suppress(OSError):
                process.kill()
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
            said = said or _said(warm)
            ours.close()
            shutil.rmtree(folder, ignore_errors=True)
            self._started(warm, f"the warm runner did not start: {said or 'it ended without a word'}")
            return
        ours.settimeout(None)
        warm.control, warm.loaded = ours, loaded
        self._started(warm, None)

    def _started(self, warm: _Warm, failure: str | None) -> None:
        with self._lock:
            warm.failure = failure
            if failure is None:
                self.starts += 1
            dropped = warm.dropped
            warm.ready.set()
        if dropped and failure is None:
            _end(warm, wait=False)

    def _fork(self, warm: _Warm, request: bytes, fds: Sequence[int]) -> WarmSupervisor | None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            try:
                with warm.sending:  # so that the control socket is not closed (and its number reused) meanwhile
                    if warm.control is None or warm.control.fileno() < 0:
                        raise OSError("the warm process was ended")
                    socket.send_fds(warm.control, [request], [theirs.fileno(), *fds])
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
        with self._lock:
            warm.forks += 1
        return WarmSupervisor(_STATUS.unpack(message)[0], passed[0], ours)

    def _drop_locked(self, warm: _Warm) -> _Warm | None:
        """No longer use ``warm``; returns it if it is to be ended now (else its starter ends it once started)."""
        if self._current is warm:
            self._current = None
        warm.dropped = True
        return warm if warm.ready.is_set() else None

    def stop(self) -> None:
        """moto's reset (every run has been ended): end the warm process if any run was forked from it, so
        nothing of those runs outlives the reset, and start its successor in the background, so that the next
        test's first run is forked too. One that forked nothing holds nothing of any run and is kept."""
        with self._lock:
            warm = self._current
            if warm is None or (warm.forks == 0 and not self._closed):
                return
            ended = self._drop_locked(warm)
            successor = None
            if not self._closed and self._unusable is None:
                successor = self._current = _Warm(warm.key, warm.shared_env, warm.lifeline, warm.preloads)
                self._starter = threading.Thread(
                    target=self._start, args=(successor,), name="moto-glue-warm-start", daemon=True
                )
            starter = self._starter
        _end(ended, wait=True)
        if successor is not None and starter is not None:
            starter.start()

    def close(self) -> None:
        """End the warm process and start no other (the process exits; runs forked from it go on until then,
        their supervisors are their own)."""
        with self._lock:
            self._closed = True
            warm, starter = self._current, self._starter
            ended = self._drop_locked(warm) if warm is not None else None
            if warm is not None and ended is None and warm.process is not None:
                with contextlib.suppress(OSError):
                    warm.process.kill()  # still starting: it has nothing to finish
        _end(ended, wait=True)
        if starter is not None and starter.is_alive() and starter is not threading.current_thread():
            starter.join(_END_WITHIN)

    def _forget_in_fork(self) -> None:
        """In a fork of the server: the parent's warm process (and its start) are the parent's. Another thread
        may have held the lock when the fork was taken; only this one runs here."""
        self._lock = threading.Lock()
        warm, self._current, self._starter = self._current, None, None
        if warm is not None and warm.control is not None:
            warm.sending = threading.Lock()
            with contextlib.suppress(OSError):  # our copy only: the parent's warm process still reads its own
                os.close(warm.control.detach())


def _end(warm: _Warm | None, *, wait: bool) -> None:
    """End ``warm``'s process: its control socket closed, it ends once the runs it forked have ended. ``wait``:
    wait a moment for it (a reset, where every run has been ended); else, or if it takes longer, a thread
    reaps it, so it leaves no zombie and nothing waits on it."""
    if warm is None:
        return
    with warm.sending:
        control, warm.control = warm.control, None
        if control is not None:
            control.close()  # EOF: the warm process ends by itself
    process, folder = warm.process, warm.folder
    if process is None:
        return
    if wait:
        try:
            process.wait(timeout=_END_WITHIN)
        except subprocess.TimeoutExpired:
            pass
        else:
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)
            return

    def reap() -> None:
        process.wait()
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)

    threading.Thread(target=reap, name="moto-glue-warm-reaper", daemon=True).start()


def _ended_soon(process: subprocess.Popen[bytes]) -> bool:
    """Whether ``process`` has ended or ends within a moment (a fork it did not answer: it is dying, or busy)."""
    try:
        process.wait(timeout=_DYING_WITHIN)
    except subprocess.TimeoutExpired:
        return False
    return True


def _said(warm: _Warm) -> str:
    """The end of what the warm process wrote to its stderr (why it died)."""
    if warm.folder is None:
        return ""
    with contextlib.suppress(OSError):
        return Path(warm.folder, "stderr").read_text("utf-8", "replace").strip()[-500:]
    return ""


def _umask() -> int:
    """The server's umask, read without changing it (another thread could create a file meanwhile)."""
    with contextlib.suppress(OSError, ValueError), open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o077)  # the safe value while it is read
    os.umask(mask)
    return mask


def _rlimits() -> tuple[dict[str, tuple[int, int]], list[tuple[str, int]]]:
    """The server's resource limits: (soft, hard) by name, and the hard ones alone."""
    try:
        import resource
    except ImportError:
        return {}, []
    limits: dict[str, tuple[int, int]] = {}
    for name in dir(resource):
        if name.startswith("RLIMIT_"):
            with contextlib.suppress(OSError, ValueError):
                limits[name] = resource.getrlimit(getattr(resource, name))
    return limits, sorted((name, hard) for name, (_, hard) in limits.items())


def _package_roots() -> dict[str, str]:
    return {"moto_glue_workflows": str(Path(__file__).resolve().parents[1])}


_runners: weakref.WeakSet[WarmRunner] = weakref.WeakSet()


def _forget_in_forks() -> None:
    for each in list(_runners):
        each._forget_in_fork()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_in_forks)

runner = WarmRunner()
