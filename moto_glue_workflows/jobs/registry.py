"""Job handlers: Python callables that do a job's work when a run of it starts.

``@job_handler("transform")`` registers a callable for the job named ``transform``, in every
account and region, or in one account and/or region when given. The most specific registration
wins (account and region, then account, then region, then everywhere).

Handlers are code, not AWS state: moto's reset keeps them, as it keeps a standalone server's
``--job-handlers`` module loaded. Tests that register handlers for one test remove them with
``remove_job_handler`` (or ``clear_job_handlers``).
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from typing import Any, TypeVar

Handler = Callable[[dict[str, str], Any], Any]
H = TypeVar("H", bound=Handler)
_Key = tuple[str, str | None, str | None]

_handlers: dict[_Key, Handler] = {}
_lock = threading.Lock()


def job_handler(job_name: str, *, account_id: str | None = None, region: str | None = None) -> Callable[[H], H]:
    """Register the decorated ``handler(args, context)`` for runs of ``job_name``."""

    def register(handler: H) -> H:
        if not callable(handler):
            raise TypeError(f"a job handler must be callable, not {type(handler).__name__}")
        with _lock:
            _handlers[(job_name, account_id, region)] = handler
        return handler

    return register


def remove_job_handler(job_name: str, *, account_id: str | None = None, region: str | None = None) -> None:
    with _lock:
        _handlers.pop((job_name, account_id, region), None)


def clear_job_handlers() -> None:
    with _lock:
        _handlers.clear()


def handler_for(job_name: str, account_id: str, region: str) -> Handler | None:
    with _lock:
        for key in ((job_name, account_id, region), (job_name, account_id, None), (job_name, None, region)):
            if key in _handlers:
                return _handlers[key]
        return _handlers.get((job_name, None, None))


HANDLER_MODULES_ENV = "MOTO_GLUE_JOB_HANDLERS"


def load_handler_modules(names: str | list[str]) -> list[str]:
    """Import the modules that register handlers (``a.b,c.d`` or a list); returns their names."""
    modules = [n.strip() for n in (names.split(",") if isinstance(names, str) else names) if n.strip()]
    for module in modules:
        importlib.import_module(module)
    return modules
