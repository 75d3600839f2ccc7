"""Our resources in moto's dashboard data (``GET /moto-api/data.json``, shown by ``/moto-api/``).

moto lists the instances of its ``BaseModel`` classes there; ours are not ``BaseModel``s, so each
kind is listed by a function that reads the backends when the dashboard is read. Each entry carries
the fields of the matching Get/List answer (timestamps as ISO-8601 strings) plus ``AccountId`` and
``Region``. Reading the dashboard brings runs up to date, as ``GetWorkflow``'s ``LastRun`` does, but
never counts as a poll.
"""

from __future__ import annotations

import datetime
import types
from collections.abc import Callable, Iterator
from typing import Any

from moto_glue_workflows._moto import register_dashboard_model


def _plain(value: Any) -> Any:
    """``value`` with timestamps as ISO-8601 strings, so the dashboard's JSON keeps every field."""
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _entry(account_id: str, region: str, data: dict[str, Any]) -> types.SimpleNamespace:
    return types.SimpleNamespace(AccountId=account_id, Region=region, **_plain(data))


def _glue_workflow_backends() -> Iterator[tuple[str, str, Any]]:
    from moto_glue_workflows.glue.models import glue_workflow_backends

    yield from glue_workflow_backends.iter_backends()


def workflows() -> list[types.SimpleNamespace]:
    found = []
    for account_id, region, backend in _glue_workflow_backends():
        with backend.lock:
            found += [_entry(account_id, region, w.to_api()) for w in list(backend.workflows.values())]
    return found


def workflow_runs() -> list[types.SimpleNamespace]:
    found = []
    for account_id, region, backend in _glue_workflow_backends():
        with backend.lock:
            for workflow in list(backend.workflows.values()):
                for run in list(workflow.runs.values()):
                    run.refresh(backend.executor, poll=False)
                    found.append(_entry(account_id, region, run.to_api(include_graph=False)))
    return found


def glue_job_runs() -> list[types.SimpleNamespace]:
    found = []
    for account_id, region, backend in _glue_workflow_backends():
        with backend.lock:
            found += [_entry(account_id, region, run.as_dict()) for run in backend.glue.job_runs()]
    return found


def _blueprint_backends() -> Iterator[tuple[str, str, Any]]:
    from moto_glue_workflows.glue.blueprint_models import glue_blueprint_backends

    yield from glue_blueprint_backends.iter_backends()


def blueprints() -> list[types.SimpleNamespace]:
    found = []
    for account_id, region, backend in _blueprint_backends():
        with backend.lock:
            found += [_entry(account_id, region, b.to_api(True, False)) for b in list(backend.blueprints.values())]
    return found


def blueprint_runs() -> list[types.SimpleNamespace]:
    found = []
    for account_id, region, backend in _blueprint_backends():
        with backend.lock:
            for blueprint in list(backend.blueprints.values()):
                found += [_entry(account_id, region, run.to_api()) for run in list(blueprint.runs.values())]
    return found


def _datazone_backends() -> Iterator[tuple[str, str, Any]]:
    from moto_glue_workflows.datazone.models import datazone_backends

    yield from datazone_backends.iter_backends()


def domains() -> list[types.SimpleNamespace]:
    found = []
    for account_id, region, backend in _datazone_backends():
        found += [
            _entry(account_id, region, d.to_summary()) for d in list(backend.domains.values()) if d.status != "DELETED"
        ]
    return found


def datazone_job_runs() -> list[types.SimpleNamespace]:
    found = []
    for account_id, region, backend in _datazone_backends():
        for runs in list(backend.job_runs.values()):
            found += [_entry(account_id, region, run.to_get()) for run in list(runs.values())]
    return found


MODELS: dict[tuple[str, str], Callable[[], list[types.SimpleNamespace]]] = {
    ("glue", "Workflow"): workflows,
    ("glue", "WorkflowRun"): workflow_runs,
    ("glue", "JobRun"): glue_job_runs,
    ("glue", "Blueprint"): blueprints,
    ("glue", "BlueprintRun"): blueprint_runs,
    ("datazone", "Domain"): domains,
    ("datazone", "JobRun"): datazone_job_runs,
}


def register() -> None:
    for (service, name), instances in MODELS.items():
        register_dashboard_model(service, name, instances)
