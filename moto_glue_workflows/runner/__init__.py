"""Running user code (blueprint layouts, job scripts) out of the server's process.

``start(RunSpec(...))`` runs a :class:`FunctionCall` (import a module, call a function, return its
JSON value) or a :class:`ScriptRun` (a file as ``__main__`` with argv) in a new interpreter whose
working directory holds the given files, whose AWS calls reach this mock only (``mock_endpoint_url``)
in one account and region, and which is killed with everything it started at its time limit.
The :class:`UserCodeRun` it returns is polled (or waited on) for a :class:`RunResult`: exit
status, stdout, stderr, returned value, error, duration and whether it timed out.
"""

from moto_glue_workflows.runner.endpoint import mock_endpoint_url
from moto_glue_workflows.runner.process import FunctionCall, RunResult, RunSpec, ScriptRun, UserCodeRun, start
from moto_glue_workflows.runner.registry import kill_all, running

__all__ = [
    "FunctionCall",
    "RunResult",
    "RunSpec",
    "ScriptRun",
    "UserCodeRun",
    "kill_all",
    "mock_endpoint_url",
    "running",
    "start",
]
