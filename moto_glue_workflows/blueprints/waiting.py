"""Waiting for a blueprint run from a test, as an SDK user polls: StartBlueprintRun answers at once and
the run reads RUNNING while its layout runs (boto3 has no waiter for blueprint runs)."""

from __future__ import annotations

import time
from typing import Any

BLUEPRINT_RUN_ENDED = frozenset({"SUCCEEDED", "FAILED"})


def wait_for_blueprint_run(
    glue: Any, blueprint_name: str, run_id: str, *, timeout: float = 60.0, delay: float = 0.05
) -> dict[str, Any]:
    """Poll GetBlueprintRun with the boto3 Glue client ``glue`` until the run has SUCCEEDED or FAILED;
    its ``BlueprintRun``. Raises TimeoutError, naming the last state, after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        run: dict[str, Any] = glue.get_blueprint_run(BlueprintName=blueprint_name, RunId=run_id)["BlueprintRun"]
        if run["State"] in BLUEPRINT_RUN_ENDED:
            return run
        if time.monotonic() >= deadline:
            raise TimeoutError(
                f"Blueprint run {run_id} of {blueprint_name} was still {run['State']} after {timeout:g} seconds"
            )
        time.sleep(delay)
