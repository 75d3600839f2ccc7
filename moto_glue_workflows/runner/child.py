"""The child process's entry point: ``python child.py SPEC_FILE``.

Runs as a plain script (never imported by the server) and uses only the standard library until
user code starts, so a run pays for Python's start-up and what the user code imports, not for
moto. Most runs do not even pay for the start-up: the warm process (``warm_process.py``) loads this
script once and calls :func:`supervise_spec` in a fork of itself. The spec file (JSON, written by :mod:`.process`) says what to run. This process is the run's
supervisor (:mod:`.sandbox`, loaded from this folder): it puts up the walls, runs the user code in a
process of its own, and ends everything that code started. The user code's result is written, as
JSON, to the descriptor the server passed for it, before that process ends with ``os._exit``, which
also ends every thread the user code started.

The user code's AWS calls go to ``AWS_ENDPOINT_URL``, a loopback port forwarded to the run's
gateway, which stamps the run's account and region on each of them: whatever the code sends, it
acts in its own account and region only. Where the OS offers no network namespace, sockets are
also confined to loopback addresses here, in Python (a courtesy against accidents, not a wall).
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import ipaddress
import json
import os
import runpy
import socket
import sys
import types
from typing import Any

_LOOPBACK_NAMES = frozenset({"localhost", "ip6-localhost", "ip6-loopback"})
ERROR_LIMIT = 2048  # Glue's bound on a crawl's ErrorMessage (DescriptionString), used for every error here


class NetworkRefused(ConnectionRefusedError):
    """Raised for any connection outside this machine's loopback interface."""


def _loopback_host(host: Any) -> bool:
    """A literal loopback address or the loopback names; never a name merely starting with "127."."""
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return bool(address.is_loopback or (mapped is not None and mapped.is_loopback))


def _loopback_address(address: Any) -> bool:
    if isinstance(address, (str, bytes)):  # AF_UNIX
        return True
    return isinstance(address, tuple) and bool(address) and _loopback_host(address[0])


def _refuse(target: Any) -> NetworkRefused:
    return NetworkRefused(f"moto-glue-workflows: user code may only reach the mock, not {target!r}")


def _confine_network() -> None:
    """Only where the OS gave us no network namespace: a courtesy against accidents, not a wall."""
    real_getaddrinfo = socket.getaddrinfo
    real_gethostbyname = socket.gethostbyname
    real_gethostbyname_ex = socket.gethostbyname_ex
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_sendto = socket.socket.sendto

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None and not _loopback_host(host):
            raise _refuse(host)
        return real_getaddrinfo(host, *args, **kwargs)

    def gethostbyname(host: str) -> str:
        if not _loopback_host(host):
            raise _refuse(host)
        return real_gethostbyname(host)

    def gethostbyname_ex(host: str) -> tuple[str, list[str], list[str]]:
        if not _loopback_host(host):
            raise _refuse(host)
        return real_gethostbyname_ex(host)

    def connect(self: socket.socket, address: Any) -> None:
        if not _loopback_address(address):
            raise _refuse(address)
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        if not _loopback_address(address):
            raise _refuse(address)
        return real_connect_ex(self, address)

    def sendto(self: socket.socket, data: Any, *rest: Any) -> int:
        if not _loopback_address(rest[-1] if rest else None):
            raise _refuse(rest[-1] if rest else None)
        return real_sendto(self, data, *rest)

    socket.getaddrinfo = getaddrinfo
    socket.gethostbyname = gethostbyname
    socket.gethostbyname_ex = gethostbyname_ex
    socket.socket.connect = connect  # type: ignore[method-assign,assignment]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign,assignment]
    socket.socket.sendto = sendto  # type: ignore[method-assign,assignment]


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


def _bounded(text: str) -> str:
    return text if len(text) <= ERROR_LIMIT else text[: ERROR_LIMIT - 1] + "\u2026"


def _write(result_fd: int, payload: dict[str, Any]) -> None:
    try:
        text = json.dumps(payload)
    except (TypeError, ValueError, RecursionError) as exc:
        text = json.dumps(
            {"ok": False, "error_type": type(exc).__name__, "error": _bounded(f"the returned value is not JSON: {exc}")}
        )
    data = text.encode("utf-8", "surrogatepass")
    with contextlib.suppress(OSError):
        os.lseek(result_fd, 0, os.SEEK_SET)
        while data:
            data = data[os.write(result_fd, data) :]


def _run_user_code(spec: dict[str, Any], endpoint_url: str, namespaced: bool) -> None:
    """In the user code's own process: run it, write its result, end the process."""
    os.environ["AWS_ENDPOINT_URL"] = endpoint_url
    if not namespaced:
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
                payload.update(error_type="SystemExit", error=_bounded(str(exc.code)))
        else:
            payload = {"ok": False, "error_type": "SystemExit", "error": _bounded(str(exc))}
    except BaseException as exc:
        try:
            message = str(exc)
        except BaseException:  # a __str__ that raises must not lose the result
            message = f"<unprintable {type(exc).__name__}>"
        payload = {"ok": False, "error_type": _bounded(type(exc).__name__), "error": _bounded(message)}
    _write(spec["fds"]["result"], payload)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a closed or replaced stream must not lose the result
            stream.flush()
    os._exit(int(payload.get("exit_status", 0 if payload["ok"] else 1)))


_sandbox: types.ModuleType | None = None


def _load_sandbox_once() -> types.ModuleType:
    """The sibling module, under a name no user module has (this folder is never on ``sys.path``);
    loaded once per interpreter (the warm process loads it before it forks)."""
    global _sandbox
    if _sandbox is not None:
        return _sandbox
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sandbox.py")
    module_spec = importlib.util.spec_from_file_location("_moto_glue_workflows_sandbox", path)
    assert module_spec is not None and module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    _sandbox = module
    return module


def supervise_spec(spec: dict[str, Any]) -> None:
    """Be the run's supervisor (``sandbox.supervise``); never returns. Called in a new interpreter
    (``main``) or in a fork of the warm process (``warm_process.py``)."""
    sandbox = _load_sandbox_once()
    sandbox.supervise(spec, spec["fds"], lambda endpoint, namespaced: _run_user_code(spec, endpoint, namespaced))


def _low(fd: int) -> int:
    """``fd`` moved to the lowest free number: passed as numbered in the server, it may be past 1023, where
    the supervisor's ``select`` cannot go (the warm process does the same for the forked runs)."""
    low = os.dup(fd)
    if low > fd:
        os.close(low)
        return fd
    os.close(fd)
    os.set_inheritable(low, True)
    return low


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as handle:
        spec = json.load(handle)
    spec["fds"] = {name: _low(fd) for name, fd in spec["fds"].items()}
    supervise_spec(spec)


if __name__ == "__main__":
    main()
