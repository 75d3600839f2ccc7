"""The standalone server: moto_server with our services registered, taking moto_server's flags.

moto_server's flags (``-H``, ``-p``, ``-r``, ``-s``, ``-c``, ``-k``, and ``MOTO_PORT``) are read here
as moto_server reads them, and the same WSGI app is served, with a request handler that answers our
operations before moto's dispatch (``_moto.serve``). One flag of its own: ``--job-handlers
a.module[,another]`` (or the environment variable ``MOTO_GLUE_JOB_HANDLERS``) imports modules that
register job handlers before serving. ``ThreadedServer`` is moto's ``ThreadedMotoServer`` likewise.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
from typing import Any

from moto_glue_workflows import _moto
from moto_glue_workflows.jobs.registry import HANDLER_MODULES_ENV, load_handler_modules
from moto_glue_workflows.registration import register

JOB_HANDLERS_FLAG = "--job-handlers"


def split_job_handlers(argv: list[str]) -> tuple[list[str], list[str]]:
    """(handler modules named by ``--job-handlers``, the rest of ``argv`` for moto_server)."""
    modules: list[str] = []
    rest: list[str] = []
    arguments = iter(argv)
    for argument in arguments:
        if argument == JOB_HANDLERS_FLAG:
            value = next(arguments, None)
            if value is None:
                raise SystemExit(f"{JOB_HANDLERS_FLAG} needs a module name")
            modules.append(value)
        elif argument.startswith(JOB_HANDLERS_FLAG + "="):
            modules.append(argument.split("=", 1)[1])
        else:
            rest.append(argument)
    return modules, rest


def _moto_server_flags(argv: list[str]) -> argparse.Namespace:
    """moto_server's command line, with its defaults."""
    parser = argparse.ArgumentParser(prog="moto-glue-workflows")
    parser.add_argument("-H", "--host", type=str, help="Which host to bind", default="127.0.0.1")
    parser.add_argument(
        "-p",
        "--port",
        type=int,
        help="Port number to use for connection",
        default=int(os.environ.get("MOTO_PORT", 5000)),
    )
    parser.add_argument("-r", "--reload", action="store_true", help="Reload server on a file change", default=False)
    parser.add_argument(
        "-s",
        "--ssl",
        action="store_true",
        help="Enable SSL encrypted connection with auto-generated certificate (use https://... URL)",
        default=False,
    )
    parser.add_argument("-c", "--ssl-cert", type=str, help="Path to SSL certificate", default=None)
    parser.add_argument("-k", "--ssl-key", type=str, help="Path to SSL private key", default=None)
    parser.add_argument(
        JOB_HANDLERS_FLAG, metavar="MODULES", help="modules registering job handlers (comma-separated)", default=None
    )
    return parser.parse_args(argv)


def _stop(signum: int, frame: Any) -> None:
    sys.exit(0)


def main(argv: list[str] | None = None) -> None:
    register()
    modules, rest = split_job_handlers(sys.argv[1:] if argv is None else argv)
    if os.environ.get(HANDLER_MODULES_ENV):
        modules.insert(0, os.environ[HANDLER_MODULES_ENV])
    if modules:
        # The working directory is importable, as for ``python -m``: handler modules live beside the tests.
        if os.getcwd() not in sys.path:
            sys.path.insert(0, os.getcwd())
        load_handler_modules(",".join(modules))
    flags = _moto_server_flags(rest)
    # moto calls back into its server at localhost:MOTO_PORT (Step Functions' service integrations, Lambda):
    # that is the port served here, whatever an inherited MOTO_PORT says (moto_server keeps an inherited one).
    os.environ["MOTO_PORT"] = str(flags.port)
    for stop in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(ValueError):  # not the main thread
            signal.signal(stop, _stop)
    ssl_context: Any = None
    if flags.ssl_key and flags.ssl_cert:
        ssl_context = (flags.ssl_cert, flags.ssl_key)
    elif flags.ssl:
        ssl_context = "adhoc"
    _moto.serve(flags.host, flags.port, reload=flags.reload, ssl_context=ssl_context)


_running: list[ThreadedServer] = []  # started and not stopped, oldest first


class ThreadedServer:
    """moto's ``ThreadedMotoServer`` (same arguments and methods) serving our services too, answering our
    operations before moto's dispatch as the standalone server does. moto's own class also serves them,
    through moto's dispatch."""

    def __init__(self, ip_address: str = "0.0.0.0", port: int = 5000, verbose: bool = True) -> None:
        self._ip_address = ip_address
        self._port = port
        self._verbose = verbose
        self._server: Any = None
        self._set_moto_port = False

    def start(self) -> None:
        register()
        self._server = _moto.serve_in_thread(self._ip_address, self._port, quiet=not self._verbose)
        # As moto_server does: moto's calls back into the server (Step Functions' service integrations,
        # Lambda's endpoint) go to localhost:MOTO_PORT, so a server on a free port names it there.
        _running.append(self)
        if "MOTO_PORT" not in os.environ:
            os.environ["MOTO_PORT"] = str(self.get_host_and_port()[1])
            self._set_moto_port = True

    def get_host_and_port(self) -> tuple[str, int]:
        if self._server is None:
            raise RuntimeError("the server is not started")
        host, port = self._server.server_address[:2]
        return str(host), int(port)

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self in _running:
            _running.remove(self)
        if self._set_moto_port:
            # the port goes with the server that named it; another of ours still running takes it over
            self._set_moto_port = False
            if _running:
                _running[0]._set_moto_port = True
                os.environ["MOTO_PORT"] = str(_running[0].get_host_and_port()[1])
            else:
                os.environ.pop("MOTO_PORT", None)
