"""The section a failing test's report gets: every workflow run the test started, as text, and
the path of an SVG of each, written under pytest's base temporary directory.

The pytest plugin calls ``begin`` once the test's setup is done and ``section`` when its call
fails. Runs are found three ways, so that none is missed whatever the test did:
- runs created while the test ran, as the engine announces them (``run_observers``): these
  survive a ``with mock_aws():`` inside the test, which clears the backends before the report;
- runs held in this process now but not when the test began (the package imported mid-test);
- runs of each standalone server the test's fixtures point at (an ``endpoint_url`` attribute,
  or a URL string), compared with what the server held when the test began.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from moto_glue_workflows.render.model import Picture
from moto_glue_workflows.render.sources import remote_picture, remote_run_ids, run_picture
from moto_glue_workflows.render.svg import to_svg
from moto_glue_workflows.render.text import to_text
from moto_glue_workflows.workflows.engine import WorkflowRun, run_observers

TITLE = "moto_glue_workflows: workflow runs started by this test"
RunKey = tuple[str, str, str, str]  # account, region, workflow, run id


class _Test:
    def __init__(self, endpoints: list[str]) -> None:
        self.created: list[WorkflowRun] = []
        self.endpoints = endpoints
        self.remote_before = {endpoint: set(_remote_ids(endpoint)) for endpoint in endpoints}


_current: _Test | None = None


def _observe(run: WorkflowRun) -> None:
    if _current is not None:
        _current.created.append(run)


if _observe not in run_observers:
    run_observers.append(_observe)


def _remote_ids(endpoint: str) -> list[RunKey]:
    try:
        return remote_run_ids(endpoint)
    except Exception:  # a server already stopped, or not ours: it has nothing to show
        return []


def _ours(value: Any) -> bool:
    return type(value).__module__.startswith("moto_glue_workflows")


def _endpoints(item: Any) -> list[str]:
    """URLs of the servers our fixtures and control helpers point the test at (only those: any
    other URL may be a real service, which must not be sent our requests)."""
    found: list[str] = []
    for name, value in getattr(item, "funcargs", {}).items():
        if isinstance(value, str):
            url = value if "server" in name else None
        else:
            holder = value if _ours(value) else getattr(value, "control", None)
            url = getattr(holder, "endpoint_url", None) if holder is not None and _ours(holder) else None
        if isinstance(url, str) and re.match(r"https?://", url) and url.rstrip("/") not in found:
            found.append(url.rstrip("/"))
    return found


def begin(item: Any) -> None:
    global _current
    _current = _Test(_endpoints(item))


def end() -> None:
    global _current
    _current = None


def _locate(run: WorkflowRun) -> tuple[str | None, str | None, Any]:
    """The account, region and backend holding ``run``, if the backends still hold it."""
    from moto_glue_workflows._moto import existing_backends
    from moto_glue_workflows.glue.models import glue_workflow_backends

    for account_id, region, backend in existing_backends(glue_workflow_backends):
        workflow = backend.workflows.get(run.workflow)
        if workflow is not None and workflow.runs.get(run.id) is run:
            return account_id, region, backend
    return None, None, None


def _local_picture(run: WorkflowRun) -> Picture:
    account_id, region, backend = _locate(run)
    if backend is not None:
        with backend.lock:
            run.refresh(backend.executor, poll=False)
            return run_picture(run, account_id, region)
    return run_picture(run)


def pictures(item: Any) -> list[Picture]:
    """Every workflow run the test started, oldest first."""
    test = _current or _Test([])
    found: list[Picture] = []
    seen: set[str] = set()
    for run in test.created:
        if run.id not in seen:
            seen.add(run.id)
            found.append(_local_picture(run))
    for endpoint in test.endpoints or _endpoints(item):
        before = test.remote_before.get(endpoint, set())
        for key in _remote_ids(endpoint):
            account_id, region, workflow, run_id = key
            if key in before or run_id in seen:
                continue
            seen.add(run_id)
            try:
                found.append(remote_picture(endpoint, workflow, run_id, account_id, region))
            except Exception:  # gone meanwhile
                continue
    return found


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text)[:80].strip("_") or "test"


def section(item: Any) -> tuple[str, str] | None:
    """The report section for ``item``, writing one SVG per run; None when it started no run."""
    drawn = pictures(item)
    if not drawn:
        return None
    folder = Path(item.config._tmp_path_factory.getbasetemp()) / "moto-glue-workflows" / _safe(item.nodeid)
    folder.mkdir(parents=True, exist_ok=True)
    parts = []
    for index, picture in enumerate(drawn, start=1):
        path = folder / f"{index:02d}-{_safe(picture.workflow)}-{_safe(picture.run_id or '')[:19]}.svg"
        path.write_text(to_svg(picture), encoding="utf-8")
        where = f"account {picture.account_id}, {picture.region}: " if picture.account_id else ""
        parts.append(f"{where}{to_text(picture)}\n  picture: {path}")
    return TITLE, "\n\n".join(parts)


def add_section(item: Any, report: Any) -> None:
    """Add the section to a failed call's report (a test's own failure, not setup or teardown)."""
    if report.when != "call" or not report.failed:
        return
    try:
        found = section(item)
    except Exception as error:  # never hide the test's own failure behind ours
        found = (TITLE, f"(could not draw the runs: {type(error).__name__}: {error})")
    if found is not None:
        report.sections.append(found)
