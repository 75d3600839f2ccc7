"""The child interpreter's entry point: ``python child.py SPEC_FILE``.

Runs as a plain script (never imported by the server) and uses only the standard library until
user code starts, so a run pays for Python's start-up and what the user code imports, not for
moto. The spec file (JSON, written by :mod:`.process`) says what to run; the result is written,
as JSON, to the spec's ``result_file`` before the process ends with ``os._exit``, which also ends
every thread the user code started.

Before user code runs, the interpreter is confined to the mock:
- sockets may only connect to loopback addresses and only loopback names resolve, so nothing,
  whatever endpoint or proxy the code configures, reaches AWS or anything else;
- every botocore request carries ``x-moto-account-id`` (moto's per-request account header), and
  the environment holds ``AWS_ENDPOINT_URL``, the region and fake credentials, set by the parent.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import runpy
import signal
import socket
import sys
import threading
import time
import traceback
import types
from typing import Any

_LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "ip6-localhost"})


class NetworkRefused(ConnectionRefusedError):
    """Raised for any connection outside this machine's loopback interface."""


def _loopback_address(address: Any) -> bool:
    if isinstance(address, (str, bytes)):  # AF_UNIX
        return True
    if not isinstance(address, tuple) or not address:
        return False
    host = str(address[0])
    return host in _LOOPBACK_NAMES or host.startswith("127.") or host == "::ffff:127.0.0.1"


def _confine_network() -> None:
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if name is not None and str(name) not in _LOOPBACK_NAMES and not str(name).startswith("127."):
            raise NetworkRefused(f"moto-glue-workflows: user code may only reach the mock, not {name}")
        return real_getaddrinfo(host, *args, **kwargs)

    def connect(self: socket.socket, address: Any) -> None:
        if not _loopback_address(address):
            raise NetworkRefused(f"moto-glue-workflows: user code may only reach the mock, not {address!r}")
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        if not _loopback_address(address):
            raise NetworkRefused(f"moto-glue-workflows: user code may only reach the mock, not {address!r}")
        return real_connect_ex(self, address)

    socket.getaddrinfo = getaddrinfo
    socket.socket.connect = connect  # type: ignore[method-assign,assignment]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign,assignment]


def _tag_account(account_id: str) -> None:
    """Every botocore request, from any client of any session, names the caller's account."""
    try:
        from botocore import httpsession
    except ImportError:  # no botocore: nothing can call AWS through it
        return
    real_send = httpsession.URLLib3Session.send

    def send(self: Any, request: Any) -> Any:
        request.headers["x-moto-account-id"] = account_id
        return real_send(self, request)

    httpsession.URLLib3Session.send = send


def _watchdog(seconds: float) -> None:
    """End the whole process group at the time limit, even if nobody asks about this run."""

    def expire() -> None:
        time.sleep(seconds)
        try:
            os.killpg(os.getpgid(0), signal.SIGKILL)
        finally:
            os._exit(137)

    threading.Thread(target=expire, name="moto-glue-time-limit", daemon=True).start()


def _light_packages(module: str, package_roots: dict[str, str]) -> None:
    """Make the parent packages of ``module`` bare packages, so importing one of our small modules
    does not run our package's ``__init__`` (which registers everything with moto)."""
    parts = module.split(".")
    for depth in range(1, len(parts)):
        name = ".".join(parts[:depth])
        top = parts[0]
        if top not in package_roots or name in sys.modules:
            continue
        package = types.ModuleType(name)
        package.__path__ = [os.path.join(package_roots[top], *parts[1:depth])]
        sys.modules[name] = package


def _write(result_file: str, payload: dict[str, Any]) -> None:
    try:
        text = json.dumps(payload)
    except (TypeError, ValueError, RecursionError) as exc:
        text = json.dumps(
            {"ok": False, "error_type": type(exc).__name__, "error": f"the returned value is not JSON: {exc}"}
        )
    with open(result_file, "w", encoding="utf-8") as out:
        out.write(text)


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as handle:
        spec = json.load(handle)
    result_file: str = spec["result_file"]
    if spec.get("time_limit"):
        _watchdog(float(spec["time_limit"]))
    _tag_account(spec["account_id"])
    _confine_network()
    # The archive's root, then the interpreter's libraries: never this script's folder or the
    # server's working directory.
    library_paths = [p for p in sys.path[1:] if p and os.path.abspath(p) != os.path.abspath(spec["workdir"])]
    sys.path[:] = [*spec.get("sys_path", []), *library_paths]
    code = spec["code"]
    payload: dict[str, Any]
    try:
        if code["kind"] == "call":
            _light_packages(code["module"], spec.get("package_roots", {}))
            module = importlib.import_module(code["module"])
            value = getattr(module, code["function"])(*code.get("args", []))
            payload = {"ok": True, "value": value}
        else:
            sys.argv[:] = [code["path"], *code.get("argv", [])]
            runpy.run_path(code["path"], run_name="__main__")
            payload = {"ok": True, "value": None}
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if code["kind"] == "script":
            payload = {"ok": status == 0, "value": None, "exit_status": status}
            if status != 0:
                payload.update(error_type="SystemExit", error=str(exc.code))
        else:
            payload = {"ok": False, "error_type": "SystemExit", "error": str(exc), "traceback": traceback.format_exc()}
    except BaseException as exc:
        payload = {
            "ok": False,
            "error_type": type(exc).__name__,
            "error": str(exc),
            "traceback": traceback.format_exc(),
        }
    _write(result_file, payload)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a closed or replaced stream must not lose the result
            stream.flush()
    os._exit(int(payload.get("exit_status", 0 if payload["ok"] else 1)))


if __name__ == "__main__":
    main()
