"""``GET /moto-api/static/ui/``: a page of everything held, drawn with the same renderer.

Plain HTML and inline SVG, no script and no CDN, so it works offline and in any browser; while
something is running it reloads itself every few seconds (a meta refresh: reading is what moves a
lazy engine forward, so each reload shows the next state). Every value a user chose (names,
arguments, messages) goes through ``render.markup`` (escaped, control characters drawn visibly); the SVG escapes its own text the same way.
"""

from __future__ import annotations

import datetime
import json
import urllib.parse
from typing import Any

from moto_glue_workflows._moto import existing_backends
from moto_glue_workflows.render.markup import html_text as escape
from moto_glue_workflows.render.model import Picture, category
from moto_glue_workflows.render.sources import local_picture, local_run_ids, run_picture
from moto_glue_workflows.render.svg import to_svg
from moto_glue_workflows.render.text import state_label, statistics_text

REFRESH_SECONDS = 3
_ACTIVE = {"RUNNING", "STOPPING", "ROLLING_BACK", "CREATING", "UPDATING", "IN_PROGRESS", "SCHEDULED", "DELETING"}

# Fits a 1400-px window: ids are cut to their head with the full id on hover (title) and in a copy (the text
# is all there, CSS only hides its tail), times stay on one line, messages and arguments wrap anywhere, and
# pictures (at most 1300 px wide, render.svg) scale down in a narrower window rather than scroll.
_STYLE = """
body{font-family:Helvetica,Arial,sans-serif;margin:24px;color:#202124}
h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #dadce0;padding-bottom:4px;margin-top:32px}
h3{font-size:15px;margin-top:20px}table{border-collapse:collapse;margin:8px 0;max-width:100%}
td,th{border:1px solid #dadce0;padding:4px 8px;font-size:13px;text-align:left;vertical-align:top}
th{background:#f1f3f4;white-space:nowrap}.svg{overflow-x:auto;border:1px solid #dadce0;margin:8px 0}
.svg svg{display:block;max-width:100%;height:auto}
.state{font-weight:bold}.succeeded{color:#1e8e3e}.failed{color:#d93025}.running{color:#1a73e8}
.waiting{color:#b06000}.stopped{color:#5f6368}.not-started{color:#80868b}code{font-size:12px}
code.id{display:inline-block;max-width:17ch;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;
vertical-align:bottom}.when{white-space:nowrap}td.wrap{min-width:12em;overflow-wrap:anywhere}
td.args{min-width:20em;max-width:30em;overflow-wrap:anywhere}
details{margin:6px 0}summary{cursor:pointer}.muted{color:#5f6368}
"""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return escape(value.isoformat(timespec="seconds"))
    return escape(str(value))


def _id(value: Any) -> str:
    """An id cut to its head on screen; hovering shows it whole, and copying it copies it whole."""
    if not value:
        return ""
    return f'<code class="id" title="{_text(value)}">{_text(value)}</code>'


def _when(value: Any) -> str:
    """A time on one line, to the second, in UTC (the column says so); hovering shows it as stored."""
    if value is None or value == "":
        return ""
    moment = value
    if not isinstance(moment, datetime.datetime):
        try:
            moment = datetime.datetime.fromisoformat(str(value))
        except ValueError:
            return f'<span class="when">{_text(value)}</span>'
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.UTC)
    full = value.isoformat() if isinstance(value, datetime.datetime) else str(value)
    return f'<span class="when" title="{_text(full)}">{moment:%Y-%m-%d %H:%M:%S}</span>'


def _state(state: str | None, failures: int = 0) -> str:
    # A COMPLETED run may have failed actions (AWS calls it completed all the same): show it red.
    family = "failed" if failures else category(state or "")
    return f'<span class="state {family}">{_text(state)}</span>'


def _failures(picture: Picture) -> int:
    return sum(picture.statistics.get(key, 0) for key in ("FailedActions", "TimeoutActions", "ErroredActions"))


def _arguments(arguments: dict[str, str]) -> str:
    return "<br>".join(f"<code>{_text(key)}</code> = <code>{_text(value)}</code>" for key, value in arguments.items())


def _run_section(picture: Picture) -> str:
    rows = []
    for node in picture.nodes:
        if node.kind == "TRIGGER":
            continue
        if not node.attempts:
            rows.append(
                f'<tr id="node-{_text(node.id)}"><td>{_text(node.kind)}</td><td>{_text(node.name)}</td>'
                f"<td>{_state(state_label(node))}</td><td></td><td></td><td></td><td></td></tr>"
            )
        for attempt in node.attempts:
            rows.append(
                f"<tr><td>{_text(node.kind)}</td><td>{_text(node.name)}</td><td>{_state(attempt.state)}</td>"
                f"<td>{_id(attempt.id)}</td><td>{_when(attempt.started_on)}<br>{_when(attempt.completed_on)}</td>"
                f'<td class="args">{_arguments(attempt.arguments)}</td><td class="wrap">{_text(attempt.error_message)}</td></tr>'
            )
    table = (
        "<table><tr><th>type</th><th>node</th><th>state</th><th>job run / crawl id</th><th>started / completed (UTC)</th>"
        "<th>arguments</th><th>error</th></tr>" + "".join(rows) + "</table>"
    )
    return f'<div class="svg">{to_svg(picture)}</div>{table}'


def _workflow_runs(backend: Any, account_id: str, region: str) -> tuple[str, bool]:
    parts: list[str] = []
    active = False
    for workflow in list(backend.workflows.values()):
        parts.append(f"<h3>Workflow {_text(workflow.name)}</h3>")
        runs = list(workflow.runs.values())
        if not runs:
            graph = local_picture(workflow.name, None, account_id, region)
            parts.append(f'<p class="muted">No runs yet.</p><div class="svg">{to_svg(graph)}</div>')
            continue
        rows = []
        details = []
        for run in reversed(runs):
            with backend.lock:
                run.refresh(backend.executor, poll=False)
                picture = run_picture(run, account_id, region)
            active = active or picture.status in _ACTIVE
            rows.append(
                f'<tr><td><a href="#run-{_text(run.id)}">{_id(run.id)}</a></td>'
                f"<td>{_state(picture.status, _failures(picture))}</td><td>{_text(statistics_text(picture.statistics))}</td>"
                f"<td>{_when(picture.started_on)}</td><td>{_when(picture.completed_on)}</td>"
                f'<td>{_id(picture.previous_run_id)}</td><td class="wrap">{_text(picture.error_message)}</td></tr>'
            )
            details.append(
                f'<details id="run-{_text(run.id)}" open><summary>Run {_id(run.id)} '
                f"{_state(picture.status, _failures(picture))}</summary>{_run_section(picture)}</details>"
            )
        parts.append(
            "<table><tr><th>run id</th><th>status</th><th>statistics</th><th>started (UTC)</th><th>completed (UTC)</th>"
            "<th>resumed from</th><th>error</th></tr>" + "".join(rows) + "</table>" + "".join(details)
        )
    return "".join(parts), active


def _blueprints(backend: Any) -> tuple[str, bool]:
    parts: list[str] = []
    active = False
    for blueprint in list(backend.blueprints.values()):
        status = blueprint.status
        active = active or status in _ACTIVE
        parts.append(
            f"<h3>Blueprint {_text(blueprint.name)} {_state(status)}</h3>"
            f'<p class="muted">{_text(blueprint.location)} {_text(blueprint.error_message)}</p>'
        )
        rows = []
        for run in list(blueprint.runs.values()):
            data = run.to_api()
            active = active or data["State"] in _ACTIVE
            rows.append(
                f"<tr><td>{_id(data['RunId'])}</td><td>{_state(data['State'])}</td>"
                f"<td>{_text(data.get('WorkflowName'))}</td><td>{_when(data['StartedOn'])}</td>"
                f'<td>{_when(data.get("CompletedOn"))}</td><td class="args"><code>{_text(data.get("Parameters"))}</code></td>'
                f'<td class="wrap">{_text(data.get("ErrorMessage"))} {_text(data.get("RollbackErrorMessage"))}</td></tr>'
            )
        if rows:
            parts.append(
                "<table><tr><th>run id</th><th>state</th><th>workflow</th><th>started (UTC)</th><th>completed (UTC)</th>"
                "<th>parameters</th><th>error</th></tr>" + "".join(rows) + "</table>"
            )
    return "".join(parts), active


def _domains(backend: Any) -> tuple[str, bool]:
    parts: list[str] = []
    active = False
    for domain in list(backend.domains.values()):
        status = domain.status
        if status == "DELETED":
            continue
        active = active or status in _ACTIVE
        parts.append(f"<h3>DataZone domain {_text(domain.name)} {_id(domain.id)} {_state(status)}</h3>")
        rows = []
        for run in sorted(backend.job_runs.get(domain.id, {}).values(), key=lambda r: r.sequence):
            active = active or run.status in _ACTIVE
            error = (run.error or {}).get("message")
            rows.append(
                f"<tr><td>{_id(run.job_id)}</td><td>{_id(run.id)}</td>"
                f"<td>{_text(run.job_type)}</td><td>{_state(run.status)}</td><td>{_text(run.run_mode)}</td>"
                f"<td>{_when(run.created_at)}</td><td>{_when(run.start_time)}</td><td>{_when(run.end_time)}</td>"
                f'<td class="wrap">{_text(error)}</td></tr>'
            )
        parts.append(
            "<table><tr><th>job</th><th>run id</th><th>type</th><th>status</th><th>mode</th><th>created (UTC)</th>"
            "<th>started (UTC)</th><th>ended (UTC)</th><th>error</th></tr>" + "".join(rows) + "</table>"
            if rows
            else '<p class="muted">No job runs.</p>'
        )
        parts.append(lineage_section(backend, domain))
    return "".join(parts), active


def lineage_node_answers(backend: Any, domain_id: str) -> list[dict[str, Any]]:
    """The domain's lineage nodes as GetLineageNode answers (their latest versions)."""
    graphs = getattr(backend, "lineage_graphs", None)
    if graphs is None:
        return []
    with backend._lock:
        backend._settle(domain_id)  # events are processed when read, as GetLineageNode reads them
        graph = graphs.get(domain_id)
        if graph is None:
            return []
        return [backend.get_lineage_node(domain_id, node_id, None) for node_id in list(graph.nodes)]


def lineage_section(backend: Any, domain: Any) -> str:
    """The domain's lineage graph, drawn from its nodes in GetLineageNode's shape."""
    nodes = lineage_node_answers(backend, domain.id)
    if not nodes:
        return ""
    from moto_glue_workflows.render.lineage import lineage_picture

    return f'<h4>Lineage</h4><div class="svg">{to_svg(lineage_picture(domain.id, nodes))}</div>'


def page() -> str:
    from moto_glue_workflows.datazone.models import datazone_backends
    from moto_glue_workflows.glue.blueprint_models import glue_blueprint_backends
    from moto_glue_workflows.glue.models import glue_workflow_backends

    scopes: dict[tuple[str, str], list[str]] = {}
    active = False
    for account_id, region, backend in existing_backends(glue_workflow_backends):
        html, running = _workflow_runs(backend, account_id, region)
        active = active or running
        if html:
            scopes.setdefault((account_id, region), []).append("<h3>Glue workflows</h3>" + html)
    for account_id, region, backend in existing_backends(glue_blueprint_backends):
        html, running = _blueprints(backend)
        active = active or running
        if html:
            scopes.setdefault((account_id, region), []).append(html)
    for account_id, region, backend in existing_backends(datazone_backends):
        html, running = _domains(backend)
        active = active or running
        if html:
            scopes.setdefault((account_id, region), []).append(html)
    body = [
        f"<h2>Account {_text(account_id)} · {_text(region)}</h2>" + "".join(sections)
        for (account_id, region), sections in sorted(scopes.items())
    ]
    if not body:
        body = ['<p class="muted">Nothing yet: no workflows, blueprints or DataZone domains in any account.</p>']
    refresh = f'<meta http-equiv="refresh" content="{REFRESH_SECONDS}">' if active else ""
    note = f'<p class="muted">Something is running: this page reloads every {REFRESH_SECONDS} s.</p>' if active else ""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"{refresh}<title>moto_glue_workflows</title><style>{_STYLE}</style></head><body>"
        f"<h1>Glue workflows, blueprints and DataZone in this moto</h1>{note}{''.join(body)}</body></html>"
    )


# The handlers, in moto's (request, full_url, headers) form.

Answer = tuple[int, dict[str, str], str]


def page_view(request: Any, full_url: str, headers: Any) -> Answer:
    if request.method not in ("GET", "HEAD"):
        return 405, {"Content-Type": "text/plain"}, "GET /moto-api/static/ui/"
    return 200, {"Content-Type": "text/html; charset=utf-8"}, page()


def _json(status: int, body: Any) -> Answer:
    return status, {"Content-Type": "application/json"}, json.dumps(body)


def runs_view(request: Any, full_url: str, headers: Any) -> Answer:
    """Every workflow run held, as [account, region, workflow, run id]: what tests compare."""
    return _json(200, [list(entry) for entry in local_run_ids()])


def picture_view(request: Any, full_url: str, headers: Any) -> Answer:
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(full_url).query))
    name = query.get("WorkflowName")
    if not name:
        return _json(400, {"code": "ValidationException", "message": "Missing field: WorkflowName"})
    from moto_glue_workflows._moto import ServiceException, UnknownRegion

    try:
        drawn = local_picture(name, query.get("RunId"), query.get("AccountId"), query.get("Region"))
    except UnknownRegion as unknown:
        return _json(400, {"code": "ValidationException", "message": str(unknown)})
    except ServiceException as error:
        return _json(int(getattr(error, "status", 400)), {"code": error.code, "message": error.message})
    return _json(200, drawn.to_json())


def control_paths() -> dict[str, Any]:
    """Paths under /moto-api/static/ (``$`` ends the page's pattern; moto's server drops it)."""
    return {"ui/$": page_view, "ui/runs.json": runs_view, "ui/picture.json": picture_view}
