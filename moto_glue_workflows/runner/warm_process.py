"""The warm process's entry point: ``python warm_process.py CONTROL_FD LIFELINE_FD PRELOAD_JSON``.

Runs as a plain script (never imported by the server), like ``child.py``, which it loads from this
folder. It imports what every run would import (boto3, our child-side modules: see :mod:`.warm`),
then waits. For each run the server sends a request on the control socket; this process forks, and
the fork becomes the run's supervisor exactly as ``python child.py SPEC_FILE`` would: a new session,
the run's descriptors as stdin/stdout/stderr and nothing else of ours, the run's working directory,
environment, umask and limits, and what this process worked out from its own when it started
(:func:`_as_a_new_interpreter`), then :func:`child.supervise`, which puts up every wall (namespaces are
made in the fork's own children, never here).

This process never runs user code and stays single-threaded, so each fork starts from the same clean
state: what one run imports or changes lives and dies in that run's copy. It ends when the server
goes away (its lifeline pipe reads EOF), or once the supervisors it forked have ended after the server
closed the control socket (moto's reset ends every run first); either way it removes its folder.

Protocol (``SOCK_SEQPACKET``, one message each): a request is a JSON object (``spec``, ``cwd``,
``env``, and the server's ``umask`` and ``rlimits`` at the time of the run) carrying five descriptors
(the run's own socket, stdout, stderr, result, report); the reply on the run's socket is the supervisor's pid with a pidfd for it, and, when the supervisor has ended and
been reaped here, a second message with its exit status (as ``subprocess`` gives it).
"""

from __future__ import annotations

import array
import contextlib
import gc
import importlib
import importlib.util
import json
import os
import resource
import selectors
import shutil
import signal
import socket
import struct
import sys
import tempfile
import time
import types
from typing import Any

_HERE = os.path.dirname(os.path.abspath(__file__))
_CHILD_SCRIPT = os.path.join(_HERE, "child.py")
_FDS_PER_REQUEST = 5
STATUS = struct.Struct("!i")
# What this interpreter's start added to its environment (PEP 538's locale coercion sets LC_CTYPE where
# the locale is C), as it adds to every new interpreter's given the same LANG/LC_* (runs setting other
# values start cold: ``process``).
_added_at_start: dict[str, str] = {}


def _load_child() -> types.ModuleType:
    """``child.py`` (and, through it, ``sandbox.py``) under names no user module has."""
    module_spec = importlib.util.spec_from_file_location("_moto_glue_workflows_child", _CHILD_SCRIPT)
    assert module_spec is not None and module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


def _preload(child: types.ModuleType, preload: dict[str, Any]) -> None:
    """Import what every run would: third-party modules as they are, ours below bare parent packages
    (as ``child.py`` does), so our package's ``__init__`` never runs here either."""
    roots = preload.get("package_roots", {})
    for name in preload.get("modules", []):
        child._light_packages(name, roots)
        importlib.import_module(name)


def _status_of(wait_status: int) -> int:
    if os.WIFSIGNALED(wait_status):
        return -os.WTERMSIG(wait_status)
    return os.WEXITSTATUS(wait_status) if os.WIFEXITED(wait_status) else 1


def _become_supervisor(child: types.ModuleType, request: dict[str, Any], fds: list[int], lifeline: int) -> None:
    """In the fork: what ``subprocess.Popen([python, child.py, spec], cwd=, env=, stdin=DEVNULL,
    stdout=, stderr=, start_new_session=True, close_fds=True, pass_fds=...)`` would have set up, then
    the supervisor. Never returns."""
    try:
        _, out, err, result_fd, report_fd = fds
        os.setsid()
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(out, 1)
        os.dup2(err, 2)
        # Nothing of ours but the run's own descriptors: not the control socket, not other runs' sockets.
        child._load_sandbox_once()._keep_only(0, 1, 2, result_fd, report_fd, lifeline)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        for name, value in _added_at_start.items():
            os.environ.setdefault(name, value)
        _as_a_new_interpreter(request)
        sys.argv[:] = [_CHILD_SCRIPT, request["spec"]]
        with open(request["spec"], encoding="utf-8") as handle:
            spec = json.load(handle)
        # The same descriptors the spec names, as numbered in this process.
        spec["fds"] = {"result": result_fd, "report": report_fd, "lifeline": lifeline}
        child.supervise_spec(spec)
    except BaseException as error:  # the server reads the exit status and stderr
        os.write(2, f"moto-glue-workflows: the warm runner could not start the run: {error!r}\n".encode())
    os._exit(70)


def _as_a_new_interpreter(request: dict[str, Any]) -> None:
    """Redo, for the run's working directory, environment, umask and limits, what this process worked out
    from its own when it started or imported its preloads: what a new interpreter started for the run
    would have found (``subprocess`` gives a child the server's umask and limits as they are now)."""
    os.umask(int(request.get("umask", 0o022)))
    for name, (soft, hard) in request.get("rlimits", {}).items():
        with contextlib.suppress(AttributeError, ValueError, OSError):
            resource.setrlimit(getattr(resource, name), (soft, hard))
    time.tzset()  # TZ: time.tzname, localtime() and strftime("%z") follow the run's
    tempfile.tempdir = None  # worked out again from the run's TMPDIR
    mp_process = sys.modules.get("multiprocessing.process")
    if mp_process is not None:  # boto3 imports multiprocessing: spawn and forkserver start children from here
        mp_process.ORIGINAL_DIR = os.path.abspath(os.getcwd())  # type: ignore[attr-defined]
    site_module = sys.modules.get("site")
    if site_module is not None:  # worked out from HOME (pip --user and site.getusersitepackages() ask)
        for name in ("USER_BASE", "USER_SITE"):
            setattr(site_module, name, None)
        with contextlib.suppress(Exception):
            site_module.getusersitepackages()


def _low(fd: int) -> int:
    """``fd`` moved to the lowest free number (a server with many connections passes numbers past 1023,
    where ``select`` in the supervisor cannot go)."""
    low = os.dup(fd)
    if low > fd:
        os.close(low)
        return fd
    os.close(fd)
    os.set_inheritable(low, True)  # as passed (the supervisor hands the lifeline on)
    return low


def _receive(control: socket.socket) -> tuple[dict[str, Any] | None, list[int]]:
    fds = array.array("i")
    message, ancillary, _, _ = control.recvmsg(1 << 20, socket.CMSG_SPACE(_FDS_PER_REQUEST * fds.itemsize))
    for level, kind, data in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(data[: len(data) - (len(data) % fds.itemsize)])
    if not message:
        return None, list(fds)
    return json.loads(message), list(fds)


def serve(control: socket.socket, lifeline: int, child: types.ModuleType) -> None:
    watching: dict[int, tuple[int, socket.socket]] = {}  # pidfd -> (pid, the run's socket)
    closing = False  # the server closed the control socket: reap the supervisors still going, then end
    # ``selectors``, not ``select.select``: descriptors may be numbered past 1023.
    watcher = selectors.DefaultSelector()
    watcher.register(lifeline, selectors.EVENT_READ)
    watcher.register(control, selectors.EVENT_READ)
    while not (closing and not watching):
        readable = {key.fd for key, _ in watcher.select()}
        if lifeline in readable:
            return  # the server is gone; each supervisor sees the same EOF and ends its run
        for pidfd in [fd for fd in readable if fd in watching]:
            pid, run_socket = watching.pop(pidfd)
            watcher.unregister(pidfd)
            _, wait_status = os.waitpid(pid, 0)
            os.close(pidfd)
            with contextlib.suppress(OSError):  # the server may no longer listen for this run
                run_socket.send(STATUS.pack(_status_of(wait_status)))
            run_socket.close()
        if closing or control.fileno() not in readable:
            continue
        try:
            request, fds = _receive(control)
        except (OSError, ValueError):
            request, fds = None, []
        if request is None or len(fds) != _FDS_PER_REQUEST:
            for fd in fds:
                os.close(fd)
            if request is None:
                closing = True
                watcher.unregister(control)
            continue
        sys.stdout.flush()
        sys.stderr.flush()
        go_r, go_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            watcher.close()
            control.close()
            os.close(go_w)
            # Nothing runs until the server holds the supervisor's pidfd: if this process dies first, or the
            # server gave up waiting (and may start the run again), the fork ends without doing anything.
            if os.read(go_r, 1) != b"g":
                os._exit(70)
            os.close(go_r)
            _become_supervisor(child, request, fds, lifeline)
        os.close(go_r)
        run_socket = socket.socket(fileno=fds[0])
        for fd in fds[1:]:
            os.close(fd)
        pidfd = os.pidfd_open(pid)
        try:
            socket.send_fds(run_socket, [STATUS.pack(pid)], [pidfd])
            os.write(go_w, b"g")
        except OSError:
            pass  # the server gave up on this run: the fork ends at once, and is reaped below
        os.close(go_w)
        watching[pidfd] = (pid, run_socket)
        watcher.register(pidfd, selectors.EVENT_READ)


def main() -> None:
    control = socket.socket(fileno=_low(int(sys.argv[1])))
    lifeline = _low(int(sys.argv[2]))
    preload = json.loads(sys.argv[3])
    given = set(preload.get("environment", []))
    _added_at_start.update({name: value for name, value in os.environ.items() if name not in given})
    child = _load_child()
    try:
        try:
            sandbox = child._load_sandbox_once()
            if sys.platform.startswith("linux"):
                sandbox._libc()
            _preload(child, preload)
            os.close(os.pidfd_open(os.getpid()))  # fails where the kernel has no pidfds: the server falls back
        except BaseException as error:  # said to the server, which then runs cold
            control.send(b"!" + f"{type(error).__name__}: {error}".encode()[:500])
            return
        # What the preloads built stays put: the collector does not touch (and so copy) it in every fork.
        gc.freeze()
        # The top-level names of every module already imported here: a run whose own files would be imported
        # under one of them (an archive that ships its own boto3) must import them afresh, so it starts cold.
        loaded = sorted({name.partition(".")[0] for name in list(sys.modules)})
        control.send(b"+" + json.dumps(loaded).encode())
        serve(control, lifeline, child)
    finally:
        # Our folder (HOME, TMPDIR, stderr) goes with us, however the server went (a SIGKILL runs nothing).
        if preload.get("folder"):
            shutil.rmtree(preload["folder"], ignore_errors=True)


if __name__ == "__main__":
    main()
