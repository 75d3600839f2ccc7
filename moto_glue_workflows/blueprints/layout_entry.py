"""What the child interpreter calls to run a layout generator (see :mod:`.layout_runner`).

Runs in the child only, with the archive's root as working directory and on ``sys.path``; it
imports nothing heavy; the warm process imports it (and the awsglue classes) before it forks, so a
run costs a fork plus what the layout imports. Every
outcome, any ``BaseException`` included, comes back as a JSON value: ``{"document": ...}`` (what
``Workflow.to_json`` returned) or ``{"error": ...}`` (the run's ErrorMessage).
"""

from __future__ import annotations

import importlib
from typing import Any

from moto_glue_workflows.blueprints.import_shim import AwsglueCompatFinder


def generate(
    generator: str, user_params: dict[str, Any], system_params: dict[str, str], name_suffix: str
) -> dict[str, Any]:
    """Call ``generator`` ("package.module.function") as AWS does and return its workflow document."""
    AwsglueCompatFinder().install()
    module_name, _, function_name = generator.rpartition(".")
    try:
        function = getattr(importlib.import_module(module_name), function_name)
        workflow = function(user_params, system_params)
        if not callable(getattr(workflow, "to_json", None)):
            return {
                "error": f"Layout generator {generator} returned {type(workflow).__name__}, "
                "not an awsglue.blueprint.workflow.Workflow"
            }
        # Library code that checks the entities: its failures are the layout's too.
        return {"document": workflow.to_json(name_suffix)}
    except BaseException as exc:
        # AWS's wording ("Troubleshooting blueprint errors").
        return {"error": f"Unknown error executing layout generator function {type(exc).__name__}: {exc}"}
