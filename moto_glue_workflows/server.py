"""The standalone server: moto_server with our services registered, taking moto_server's flags.

One flag of its own: ``--job-handlers a.module[,another]`` (or the environment variable
``MOTO_GLUE_JOB_HANDLERS``) imports modules that register job handlers before serving.
"""

from __future__ import annotations

import os
import sys

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
    _moto.run_standalone_server(rest)
