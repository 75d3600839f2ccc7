"""Which Glue requests are ours: Glue's one route, split by operation.

Every Glue operation is a POST to ``/`` naming itself in ``X-Amz-Target``. Ours (``GlueWorkflowResponse``
lists them) go to our response class; every other one goes to moto's own Glue handler exactly as it came,
so a moto release can change its operations without us standing in the way. In front of moto stays only
what AWS's front end refuses before any operation runs and moto cannot read: an operation Glue does not
have, and a body that is not a JSON object (moto answers both with a 500). After moto has answered
CreateJob, the one setting moto drops, ``JobRunQueuingEnabled``, is kept on the job (not for a gzip-compressed
CreateJob, whose body only moto reads: SDKs compress no Glue request).
"""

from __future__ import annotations

from typing import Any

from moto_glue_workflows import _moto
from moto_glue_workflows.glue.models import glue_workflow_backends
from moto_glue_workflows.glue.responses import GlueWorkflowResponse
from moto_glue_workflows.protocol.direct_routes import header, request_body, request_scope
from moto_glue_workflows.protocol.model_response import MalformedBody, json_body, service_operations

_TARGET_PREFIX = "AWSGlue."


def _operation(request: Any) -> str | None:
    target = header(request.headers, "X-Amz-Target")
    return target[len(_TARGET_PREFIX) :] if target.startswith(_TARGET_PREFIX) else None


def _body(request: Any) -> dict[str, Any] | None:
    """The body as a JSON object (MalformedBody when it is not one); None where only moto reads it: a gzip body
    moto decompresses, a chunked upload."""
    headers = request.headers
    if "gzip" in header(headers, "Content-Encoding") or header(headers, "Transfer-Encoding"):
        return None
    return json_body(request_body(request))


def _keep_job_queuing(request: Any, full_url: Any, body: dict[str, Any]) -> None:
    """After moto's CreateJob: JobRunQueuingEnabled, which moto drops, kept on the job (moto has no UpdateJob)."""
    name = body.get("Name")
    if not isinstance(name, str):
        return
    account, region = request_scope(str(full_url or getattr(request, "url", "")), request.headers)
    try:
        backend = _moto.backend_for(glue_workflow_backends, account, region)
    except _moto.UnknownRegion:
        return
    with backend.lock:
        job = backend.glue.job(name)
        if job is not None:
            job.job_run_queuing_enabled = bool(body.get("JobRunQueuingEnabled", False))


def _succeeded(answer: Any) -> bool:
    status = answer[0] if isinstance(answer, tuple) and len(answer) == 3 else 200
    try:
        return 200 <= int(status) < 300
    except (TypeError, ValueError):
        return False


def route(request: Any, full_url: Any, headers: Any, moto_handler: _moto.GlueHandler) -> Any:
    """Glue's route: ours to ``GlueWorkflowResponse``, the rest to ``moto_handler`` as it came."""
    operation = _operation(request)
    if operation in GlueWorkflowResponse.OPERATIONS or operation not in service_operations("glue"):
        return GlueWorkflowResponse.dispatch(request, full_url, headers)  # ours, or refused as an unknown operation
    try:
        body = _body(request)
    except MalformedBody:
        return GlueWorkflowResponse.dispatch(request, full_url, headers)  # refused as Glue refuses such a body
    answer = moto_handler(request, full_url, headers)
    if operation == "CreateJob" and body is not None and _succeeded(answer):
        _keep_job_queuing(request, full_url, body)
    return answer


def install() -> None:
    _moto.route_glue_requests(route)
