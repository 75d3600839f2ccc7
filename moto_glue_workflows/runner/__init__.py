"""Running user code (blueprint layouts, job scripts) out of the server's process.

``start(RunSpec(...))`` runs a :class:`FunctionCall` (import a module, call a function, return its
JSON value) or a :class:`ScriptRun` (a file as ``__main__`` with argv) in a process of its own whose
working directory holds the given files, walled in by the OS where it can be (:mod:`.sandbox`), whose
AWS calls reach this mock only, through the run's gateway, in the run's account and region, and which
ends with everything it started at its time limit, when stopped, on moto's reset and with the server.
Each run is forked from a warm process that has boto3 imported (:mod:`.warm`), or started in a new
interpreter where that cannot be; either way it starts from a clean state of its own.
The :class:`UserCodeRun` it returns is polled (or waited on) for a :class:`RunResult`: exit
status, stdout, stderr, returned value, error, duration and whether it timed out.
"""

from moto_glue_workflows.runner.process import (
    ERROR_LIMIT,
    FunctionCall,
    RunResult,
    RunSpec,
    ScriptRun,
    UserCodeRun,
    bounded_error,
    running,
    start,
)
from moto_glue_workflows.runner.registry import kill_all
from moto_glue_workflows.runner.warm import START_ENV, preload

__all__ = [
    "ERROR_LIMIT",
    "START_ENV",
    "FunctionCall",
    "RunResult",
    "RunSpec",
    "ScriptRun",
    "UserCodeRun",
    "bounded_error",
    "kill_all",
    "preload",
    "running",
    "start",
]
