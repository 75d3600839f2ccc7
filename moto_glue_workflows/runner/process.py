"""Starting user code in its own interpreter and collecting what it did, without ever waiting
on it unless asked to.

One :class:`UserCodeRun` per run: a private temporary folder (the spec, the result, captured
stdout and stderr, and ``work/``, the user's files and working directory), a child process in a
new session (so it and everything it starts form one process group that can be killed at once),
and a deadline. :meth:`UserCodeRun.poll` and :meth:`UserCodeRun.wait` collect the result once the
child has ended, kill the group when the deadline has passed, and remove the folder either way.
"""

from __future__ import annotations

import contextlib
import json
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

from moto_glue_workflows.runner import registry

CHILD_SCRIPT = Path(__file__).with_name("child.py")
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])
# What the child keeps of the server's environment: enough to start Python, nothing of AWS's.
_KEPT_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "TEMP", "TMP", "SYSTEMROOT", "VIRTUAL_ENV")
OUTPUT_LIMIT = 64 * 1024


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
    endpoint_url: str
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


def _child_env(spec: RunSpec) -> dict[str, str]:
    env = {key: os.environ[key] for key in _KEPT_ENV if key in os.environ}
    env.update(
        {
            "PYTHONPATH": os.pathsep.join(p for p in sys.path if p and os.path.isdir(p)),
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONIOENCODING": "utf-8",
            "AWS_ENDPOINT_URL": spec.endpoint_url,
            "AWS_DEFAULT_REGION": spec.region,
            "AWS_REGION": spec.region,
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
    env.update(spec.env)
    return env


def _safe_target(root: Path, name: str) -> Path:
    target = (root / name).resolve()
    if not str(target).startswith(str(root.resolve()) + os.sep):
        raise ValueError(f"{name!r} is outside the working directory")
    return target


class UserCodeRun:
    """A started run. Thread-safe; every method returns at once except :meth:`wait`."""

    def __init__(self, spec: RunSpec) -> None:
        self.spec = spec
        self._lock = threading.Lock()
        self._result: RunResult | None = None
        self._folder = Path(tempfile.mkdtemp(prefix="moto-glue-run-"))
        self.workdir = self._folder / "work"
        self._result_file = self._folder / "result.json"
        self._stdout = self._folder / "stdout"
        self._stderr = self._folder / "stderr"
        self._process: subprocess.Popen[bytes] | None = None
        self.started = time.monotonic()
        self.deadline = self.started + spec.time_limit
        try:
            self._start()
        except BaseException:
            shutil.rmtree(self._folder, ignore_errors=True)
            raise
        registry.add(self)

    def _start(self) -> None:
        self.workdir.mkdir()
        for name, content in self.spec.files.items():
            target = _safe_target(self.workdir, name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        spec_file = self._folder / "spec.json"
        spec_file.write_text(
            json.dumps(
                {
                    "code": self.spec.code.to_spec(),
                    "result_file": str(self._result_file),
                    "workdir": str(self.workdir),
                    "sys_path": [str((self.workdir / p).resolve()) for p in self.spec.sys_path],
                    "account_id": self.spec.account_id,
                    "time_limit": self.spec.time_limit,
                    "package_roots": {"moto_glue_workflows": str(Path(_PACKAGE_ROOT) / "moto_glue_workflows")},
                }
            )
        )
        with self._stdout.open("wb") as out, self._stderr.open("wb") as err:
            self._process = subprocess.Popen(
                [sys.executable, "-X", "utf8", str(CHILD_SCRIPT), str(spec_file)],
                cwd=self.workdir,
                env=_child_env(self.spec),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                start_new_session=True,
                close_fds=True,
            )

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
                self._kill_group()
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
            self._kill_group()
            return self._collect(timed_out=False, killed=True)

    def _kill_group(self) -> None:
        assert self._process is not None
        try:
            if hasattr(os, "killpg"):
                os.killpg(self._process.pid, signal.SIGKILL)
            else:  # pragma: no cover - Windows has no process groups of this kind
                self._process.kill()
        except ProcessLookupError:
            pass
        self._process.wait()

    def _read_result(self) -> dict[str, Any] | None:
        try:
            payload = json.loads(self._result_file.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            return None
        return payload if isinstance(payload, dict) else None

    def _collect(self, *, timed_out: bool, killed: bool) -> RunResult:
        assert self._process is not None
        status = self._process.returncode
        payload = None if (timed_out or killed) else self._read_result()
        self._result = RunResult(
            exit_status=status,
            stdout=_tail(self._stdout),
            stderr=_tail(self._stderr),
            value=payload.get("value") if payload else None,
            error_type=payload.get("error_type") if payload else None,
            error=payload.get("error") if payload else None,
            duration=time.monotonic() - self.started,
            timed_out=timed_out,
            killed=killed,
        )
        shutil.rmtree(self._folder, ignore_errors=True)
        registry.discard(self)
        return self._result


def start(spec: RunSpec) -> UserCodeRun:
    """Start ``spec`` in a new interpreter; returns at once."""
    return UserCodeRun(spec)
