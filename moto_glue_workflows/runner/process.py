"""Starting user code out of the server's process, walled in, and collecting what it did, without ever
waiting on it unless asked to.

One :class:`UserCodeRun` per run: a private temporary folder (the spec, the result, captured stdout and
stderr, the run's gateway socket, ``home/`` and ``tmp/``, and ``work/``, the user's files and working
directory), the run's :class:`~.gateway.Gateway`, a supervisor process (``child.py``, see
:mod:`.sandbox`) and a deadline. :meth:`UserCodeRun.poll` and :meth:`UserCodeRun.wait` collect the result
once the supervisor has ended, end the run when the deadline has passed, and remove the folder either way
(moved aside at once, deleted by a thread: :mod:`.cleanup`).
A thread per run only reaps the supervisor when it ends (so no run leaves a zombie, read or not) and
closes its gateway; the run's state still changes only when it is read.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from moto_glue_workflows.runner import cleanup, registry, warm
from moto_glue_workflows.runner.gateway import Gateway

CHILD_SCRIPT = Path(__file__).with_name("child.py")
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])
# What the child keeps of the server's environment: enough to start Python, nothing of AWS's or the user's.
_KEPT_ENV = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "SYSTEMROOT", "VIRTUAL_ENV")
OUTPUT_LIMIT = 64 * 1024
ERROR_LIMIT = 2048  # as child.ERROR_LIMIT: Glue's bound on a crawl's ErrorMessage
RESULT_LIMIT = 64 * 1024 * 1024  # a layout's returned workflow; more is refused, not read
_STOP_GRACE = 5.0  # seconds the supervisor has to end the run's processes before it is killed itself
_log = logging.getLogger("moto_glue_workflows.runner")
_walls_lock = threading.Lock()
_namespaces_unavailable: str | None = None  # why, once a run found out; later runs do not try again
_lifeline: tuple[int, int] | None = None
#: "process" runs user code without OS namespaces, behind the process-level walls only (docs/containment.md).
WALLS_ENV = "MOTO_GLUE_WORKFLOWS_USER_CODE_WALLS"


@dataclass(frozen=True)
class FunctionCall:
    """Import ``module`` and call ``function(*args)``; its return value (JSON) is the result's value."""

    module: str
    function: str
    args: Sequence[Any] = ()

    def to_spec(self) -> dict[str, Any]:
        return {"kind": "call", "module": self.module, "function": self.function, "args": list(self.args)}


@dataclass(frozen=True)
class ScriptRun:
    """Run the file ``path`` (relative to the working directory) as ``__main__`` with ``sys.argv[1:] = argv``."""

    path: str
    argv: Sequence[str] = ()

    def to_spec(self) -> dict[str, Any]:
        return {"kind": "script", "path": self.path, "argv": list(self.argv)}


@dataclass(frozen=True)
class RunSpec:
    """What to run, against which mock, as whom, for how long.

    ``files`` are written under the working directory (the archive root); ``sys_path`` lists
    folders relative to it that user code imports from (default: the root only).
    """

    code: FunctionCall | ScriptRun
    account_id: str
    region: str
    time_limit: float
    files: Mapping[str, bytes] = field(default_factory=dict)
    sys_path: Sequence[str] = (".",)
    env: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RunResult:
    """What a run did. ``value`` is the function's return value (None for scripts and failures);
    ``error`` is "<ExceptionType>: <message>" when the code raised; ``exit_status`` is the process's
    (negative: killed by that signal)."""

    exit_status: int
    stdout: str
    stderr: str
    value: Any
    error_type: str | None
    error: str | None
    duration: float
    timed_out: bool
    killed: bool = False
    walls: str = "namespaces"  # or "process": the OS offered no namespaces (see docs/containment.md)
    forked: bool = False  # started as a fork of the warm process, not a new interpreter (see .warm)

    @property
    def succeeded(self) -> bool:
        return self.exit_status == 0 and self.error_type is None and not self.timed_out and not self.killed


def _tail(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(0, size - OUTPUT_LIMIT))
            return handle.read().decode("utf-8", "replace")
    except OSError:
        return ""


def bounded_error(text: str) -> str:
    """An error message cut to ERROR_LIMIT characters, the cut marked with an ellipsis."""
    return text if len(text) <= ERROR_LIMIT else text[: ERROR_LIMIT - 1] + "\u2026"


def _bounded(text: str | None) -> str | None:
    return None if text is None else bounded_error(str(text))


def _shared_env() -> dict[str, str]:
    """The environment every run has alike (what a warm process starts with: see :mod:`.warm`)."""
    env = {key: os.environ[key] for key in _KEPT_ENV if key in os.environ}
    env.update(
        {
            "PYTHONPATH": os.pathsep.join(p for p in sys.path if p and os.path.isdir(p)),
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONIOENCODING": "utf-8",
            "AWS_ACCESS_KEY_ID": "moto-glue-workflows",
            "AWS_SECRET_ACCESS_KEY": "moto-glue-workflows",
            # Never the user's own profiles, whose settings could name other endpoints.
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "AWS_EC2_METADATA_DISABLED": "true",
            # Anything that honours proxies and is not the mock goes to a port nobody listens on.
            "HTTP_PROXY": "http://127.0.0.1:9",
            "HTTPS_PROXY": "http://127.0.0.1:9",
            "NO_PROXY": "127.0.0.1,localhost",
        }
    )
    return env


def _child_env(spec: RunSpec, folder: Path, shared: Mapping[str, str]) -> dict[str, str]:
    env = {
        **shared,
        "HOME": str(folder / "home"),
        "TMPDIR": str(folder / "tmp"),
        "AWS_DEFAULT_REGION": spec.region,
        "AWS_REGION": spec.region,
    }
    env.update(spec.env)
    return env


def _importable_names(spec: RunSpec) -> frozenset[str]:
    """The top-level names under which the run's files can be imported (from its ``sys_path`` folders):
    ``pkg/mod.py`` gives ``pkg``, ``mod.py`` or ``mod.cpython-311.so`` gives ``mod``."""
    names: set[str] = set()
    for folder in spec.sys_path:
        prefix = os.path.normpath(folder).replace(os.sep, "/").strip("/")
        prefix = "" if prefix == "." else prefix + "/"
        for name in spec.files:
            path = os.path.normpath(name).replace(os.sep, "/")
            if path.startswith(prefix):
                names.add(path[len(prefix) :].split("/", 1)[0].split(".", 1)[0])
    return frozenset(names)


_LOCALE_ENV = ("LC_ALL", "LC_CTYPE", "LANG")  # what an interpreter's start sets its LC_CTYPE locale from


def _startup_env(spec: RunSpec, shared: Mapping[str, str]) -> bool:
    """Whether the run sets a variable only a new interpreter reads (``PYTHONHASHSEED``, ``PYTHONPATH``...,
    or a locale other than the server's: the interpreter's start sets its character locale from it)."""
    return any(key.upper().startswith("PYTHON") for key in spec.env) or any(
        key in spec.env and spec.env[key] != shared.get(key) for key in _LOCALE_ENV
    )


def _kept_paths(folder: Path) -> list[str]:
    """What user code must still see when the server's home and temporary folders are hidden: the
    interpreter, the libraries on the server's ``sys.path``, this package, and the run's own folder."""
    paths = [p for p in sys.path if p and os.path.exists(p)]
    paths += [sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix]
    paths += [os.path.dirname(sys.executable), os.path.dirname(os.path.realpath(sys.executable))]
    # This package and every package installed editable (setuptools' finders map names to folders that are
    # on no sys.path), wherever they live.
    paths += [str(Path(_PACKAGE_ROOT) / "moto_glue_workflows"), str(folder), *_editable_folders()]
    return sorted({os.path.realpath(p) for p in paths})


def _editable_folders() -> list[str]:
    folders: list[str] = []
    for name, module in list(sys.modules.items()):
        mapping = getattr(module, "MAPPING", None) if name.startswith("__editable___") else None
        if isinstance(mapping, dict):
            folders += [str(path) for path in mapping.values() if isinstance(path, str) and os.path.exists(path)]
    return folders


def _closed_ancestors(kept: list[str]) -> set[str]:
    """For a root server, whose user code runs as nobody: the outermost folder above each kept path that
    others may not pass through (a project checked out into a 0700 folder, with its virtualenv). Hidden
    like a home folder, it is passed through the empty cover instead, to the kept path put back below it."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return set()
    closed: set[str] = set()
    for path in kept:
        parts = Path(path).parts
        for depth in range(2, len(parts)):
            ancestor = str(Path(*parts[:depth]))
            try:
                if not os.stat(ancestor).st_mode & 0o001:
                    closed.add(ancestor)
                    break
            except OSError:
                break
    return closed


def _hidden_paths(kept: list[str]) -> list[tuple[str, bool]]:
    """Home folders (the server's, whatever HOME says, and everyone's), the host's service folders and
    folders nobody may pass through to a kept path, read-only and empty; the temporary folders, private
    and writable."""
    homes = {os.path.expanduser("~"), "/root", "/home"}
    with contextlib.suppress(ImportError, KeyError):
        import pwd

        homes.add(pwd.getpwuid(os.getuid()).pw_dir)
    # Unix sockets of the host's services (a Docker socket is the host), and cgroups (freezing or killing
    # another process is a write to a file there).
    services = {"/run", "/var/run", "/sys/fs/cgroup"}
    temporary = {"/tmp", "/var/tmp", "/dev/shm", tempfile.gettempdir()}
    hidden = sorted(homes | services | _closed_ancestors(kept))
    return [*((path, False) for path in hidden), *((path, True) for path in sorted(temporary))]


NOBODY = 65534  # as sandbox._NOBODY (that module is the child's, stdlib-only, and not imported here)


def _hand_to_nobody(folder: Path, owned: list[Path]) -> None:
    """A root server's user code runs as nobody (``sandbox.drop_privileges``): it may pass through the
    run's folder and owns what it works in, while the spec, result and report stay root's alone."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return
    folder.chmod(0o711)
    for path in owned:
        os.chown(path, NOBODY, NOBODY)
        if path.is_dir():
            for below in path.rglob("*"):
                os.chown(below, NOBODY, NOBODY, follow_symlinks=False)


def _run_parent() -> str | None:
    """Where run folders go: the temporary folder, unless its path is too long for the gateway's Unix
    socket path in it (108 bytes on Linux, 104 on macOS), as macOS's per-user ones can be."""
    if len(tempfile.gettempdir()) <= 60 or not os.path.isdir("/tmp"):
        return None
    return "/tmp"


def _lifeline_reader() -> int:
    """The read end of a pipe whose write end only this process holds: it reads EOF in every supervisor
    when this process ends, however it ends, so no run outlives the server."""
    global _lifeline
    with _walls_lock:
        if _lifeline is None:
            _lifeline = os.pipe()
        return _lifeline[0]


def _safe_target(root: Path, name: str) -> Path:
    target = (root / name).resolve()
    if not str(target).startswith(str(root.resolve()) + os.sep):
        raise ValueError(f"{name!r} is outside the working directory")
    return target


class UserCodeRun:
    """A started run. Thread-safe; every method returns at once except :meth:`wait` (and :meth:`kill`, which
    waits the moment it takes to end the run's processes)."""

    def __init__(self, spec: RunSpec) -> None:
        self.spec = spec
        self._lock = threading.Lock()
        self._result: RunResult | None = None
        self._folder = Path(tempfile.mkdtemp(prefix="moto-glue-run-", dir=_run_parent()))
        self.workdir = self._folder / "work"
        self._result_file = self._folder / "result.json"
        self._report_file = self._folder / "report"
        self._stdout = self._folder / "stdout"
        self._stderr = self._folder / "stderr"
        self._process: warm.Supervisor | None = None
        self.forked = False  # started from the warm process rather than a new interpreter
        self._gateway: Gateway | None = None
        chosen = os.environ.get(WALLS_ENV, "").strip().lower()
        self._walls_off = f"{WALLS_ENV}={chosen}" if chosen == "process" else None
        self.started = time.monotonic()
        self.deadline = self.started + spec.time_limit
        try:
            self._start()
        except BaseException:
            if self._gateway is not None:
                self._gateway.close()
            shutil.rmtree(self._folder, ignore_errors=True)
            raise
        registry.add(self)
        threading.Thread(target=self._reap, name="moto-glue-run-reaper", daemon=True).start()

    def _start(self) -> None:
        for name in ("work", "home", "tmp"):
            (self._folder / name).mkdir()
        for name, content in self.spec.files.items():
            target = _safe_target(self.workdir, name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        gateway_path = self._folder / "gateway.sock"
        self._gateway = Gateway(str(gateway_path), self.spec.account_id, self.spec.region)
        _hand_to_nobody(self._folder, [self.workdir, self._folder / "home", self._folder / "tmp", gateway_path])
        result_fd = os.open(self._result_file, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
        report_fd = os.open(self._report_file, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        lifeline = _lifeline_reader()
        kept = _kept_paths(self._folder)
        try:
            spec_file = self._folder / "spec.json"
            spec_file.write_text(
                json.dumps(
                    {
                        "code": self.spec.code.to_spec(),
                        "fds": {"result": result_fd, "report": report_fd, "lifeline": lifeline},
                        "folder": str(self._folder),
                        "workdir": str(self.workdir),
                        "gateway": str(gateway_path),
                        "sys_path": [str((self.workdir / p).resolve()) for p in self.spec.sys_path],
                        "time_limit": self.spec.time_limit,
                        "keep_paths": kept,
                        "hide_paths": _hidden_paths(kept),
                        "namespaces_unavailable": self._walls_off or _namespaces_unavailable,
                        "package_roots": {"moto_glue_workflows": str(Path(_PACKAGE_ROOT) / "moto_glue_workflows")},
                    }
                )
            )
            shared = _shared_env()
            env = _child_env(self.spec, self._folder, shared)
            with self._stdout.open("wb") as out, self._stderr.open("wb") as err:
                forked = None
                if not _startup_env(self.spec, shared):
                    forked = warm.runner.spawn(
                        spec_file=str(spec_file),
                        cwd=str(self.workdir),
                        env=env,
                        shared_env=shared,
                        fds=(out.fileno(), err.fileno(), result_fd, report_fd),
                        lifeline=lifeline,
                        own_modules=_importable_names(self.spec),
                    )
                if forked is not None:
                    self._process, self.forked = forked, True
                else:
                    process = subprocess.Popen(
                        [sys.executable, "-X", "utf8", str(CHILD_SCRIPT), str(spec_file)],
                        cwd=self.workdir,
                        env=env,
                        stdin=subprocess.DEVNULL,
                        stdout=out,
                        stderr=err,
                        start_new_session=True,
                        close_fds=True,
                        pass_fds=(result_fd, report_fd, lifeline),
                    )
                    self._process = warm.ColdSupervisor(process)
        finally:
            os.close(result_fd)
            os.close(report_fd)

    def _reap(self) -> None:
        assert self._process is not None and self._gateway is not None
        self._process.reap()
        self._gateway.close()

    @property
    def finished(self) -> bool:
        return self._result is not None

    def poll(self) -> RunResult | None:
        """The result if the run has ended (or has just been ended by its time limit), else None."""
        with self._lock:
            if self._result is not None:
                return self._result
            assert self._process is not None
            if self._process.poll() is not None:
                return self._collect(timed_out=False, killed=False)
            if time.monotonic() >= self.deadline:
                self._end()
                return self._collect(timed_out=True, killed=False)
            return None

    def wait(self, timeout: float | None = None) -> RunResult | None:
        """Wait until the run ends, its time limit passes, or ``timeout`` seconds pass (None: no more than the limit)."""
        until = self.deadline if timeout is None else min(self.deadline, time.monotonic() + timeout)
        assert self._process is not None
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._process.wait(timeout=max(0.0, until - time.monotonic()))
        return self.poll()

    def kill(self) -> RunResult:
        """End the run now (its process and everything it started) and clean up."""
        with self._lock:
            if self._result is not None:
                return self._result
            self._end()
            return self._collect(timed_out=False, killed=True)

    def _end(self) -> None:
        """Refuse the run's requests, then have its supervisor end every process of the run; if the
        supervisor does not end in time, kill its process group."""
        assert self._process is not None and self._gateway is not None
        self._gateway.shut()
        if self._process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            self._process.send_signal(signal.SIGTERM)
        try:
            self._process.wait(timeout=_STOP_GRACE)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                self._process.kill_group()
            self._process.wait()

    def _read_result(self) -> dict[str, Any] | None:
        try:
            if self._result_file.stat().st_size > RESULT_LIMIT:
                return {"ok": False, "error_type": "ValueError", "error": "the returned value is too large to read"}
            payload = json.loads(self._result_file.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            return None
        return payload if isinstance(payload, dict) else None

    def _read_report(self) -> dict[str, Any]:
        """What the supervisor (and the namespace's init) reported: the walls, the exit status, how it ended.
        Later lines win; nothing in it is trusted beyond being a report."""
        merged: dict[str, Any] = {}
        try:
            lines = self._report_file.read_bytes()[:65536].splitlines()
        except OSError:
            return merged
        for line in lines:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict):
                merged.update(entry)
        return merged

    def _collect(self, *, timed_out: bool, killed: bool) -> RunResult:
        global _namespaces_unavailable
        assert self._process is not None
        report = self._read_report()
        status = report.get("exit")
        if not isinstance(status, int) or isinstance(status, bool):
            status = self._process.poll()
            status = 1 if status is None else status
        ended = report.get("ended")
        timed_out = timed_out or (ended == "timeout" and not killed)
        payload = None if (timed_out or killed or ended) else self._read_result()
        walls = "namespaces" if report.get("walls") == "namespaces" else "process"
        if walls == "process" and report.get("walls") == "process" and self._walls_off is None:
            why = str(report.get("why") or "unknown")
            with _walls_lock:
                first = _namespaces_unavailable is None
                _namespaces_unavailable = why
            if first:
                _log.warning(
                    "moto-glue-workflows: user code runs without OS namespaces (%s); only process-level "
                    "walls hold (see docs/containment.md)",
                    why,
                )
        self._result = RunResult(
            exit_status=status,
            stdout=_tail(self._stdout),
            stderr=_tail(self._stderr),
            value=payload.get("value") if payload else None,
            error_type=_bounded(payload.get("error_type")) if payload else None,
            error=_bounded(payload.get("error")) if payload else None,
            duration=time.monotonic() - self.started,
            timed_out=timed_out,
            killed=killed,
            walls=walls,
            forked=self.forked,
        )
        cleanup.remove_later(self._folder)
        registry.discard(self)
        return self._result


def start(spec: RunSpec) -> UserCodeRun:
    """Start ``spec`` walled in, forked from the warm process (or in a new interpreter where that
    cannot be: see :mod:`.warm`); returns at once."""
    return UserCodeRun(spec)


def running() -> list[UserCodeRun]:
    """Every run still going."""
    return [run for run in registry.running() if isinstance(run, UserCodeRun)]


def _end_warm_runner() -> None:
    if registry.exiting:
        warm.runner.close()
    else:
        warm.runner.stop()  # and start its successor, if it was used


# moto's reset and the process's exit end the warm process too, once every run has ended, and remove
# the folders of ended runs still waiting for the remover thread.
registry.after_kill_all(_end_warm_runner)
registry.after_kill_all(cleanup.remove_pending)
