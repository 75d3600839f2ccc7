"""A run's only way to the mock: an HTTP gateway on a Unix socket in the run's folder.

User code's ``AWS_ENDPOINT_URL`` is a loopback port its supervisor forwards here. The gateway, not
the code, decides whom a request acts for: it stamps the run's account on every request (moto's
``x-moto-account-id``, whatever the code sent) and its region wherever moto reads one (the SigV4
credential scope, a presigned URL's ``X-Amz-Credential``, an ``amazonaws.com`` host name, the
``region/...`` token of the User-Agent), then checks, with the rules moto's routing uses, that the
request now resolves to that account and region, refusing it (403) if not. The mock's control
endpoints and moto's own (``/moto-api/...``: reset, state transitions, the dashboard, our test
controls) are refused too: they act on every account at once.
"""

from __future__ import annotations

import json
import re
import threading
from html import escape
from typing import Any
from urllib.parse import unquote

from moto_glue_workflows import _moto
from moto_glue_workflows.protocol.direct_routes import request_scope

Refusal = tuple[int, str, bytes]
_SIGNED_SERVICE = re.compile(r"Credential=[^/,\s]*/[^/,\s]*/[^/,\s]*/([^/,\s]*)/")
_SCOPE = re.compile(r"(Credential=[^/,\s]*/[^/,\s]*/)([^/,\s]*)(/)")
_QUERY_SCOPE = re.compile(r"((?:^|&)X-Amz-Credential=[^&/%]*(?:/|%2F)[^&/%]*(?:/|%2F))([^&/%]*)((?:/|%2F))", re.I)
_AGENT_REGION = re.compile(r"region/\S*")
_AWS_HOST = re.compile(r"\.[^.]+\.amazonaws\.com", re.I)
_CONTROL_PREFIX = "/moto-api"
BODY_BUDGET = 512 * 1024 * 1024  # bytes of request bodies one run may have in flight at once
CONTROL_REFUSED = (
    "User code run by moto-glue-workflows may not call the mock's control endpoints ({path}): "
    "they act on every account. Use them from your test."
)


def _denied(message: str, environ: dict[str, Any] | None = None, code: str = "AccessDeniedException") -> Refusal:
    """403 in the shape the caller's SDK parses: JSON for JSON protocols (and raw callers), S3's XML for
    S3, the query protocols' XML for the rest."""
    environ = environ or {}
    json_protocol = bool(environ.get("HTTP_X_AMZ_TARGET")) or "json" in str(environ.get("CONTENT_TYPE") or "")
    service = "" if json_protocol else _service_of(environ)
    if code == "AccessDenied" or service == "s3":
        body = f"<Error><Code>AccessDenied</Code><Message>{escape(message)}</Message></Error>"
        return 403, "application/xml", body.encode()
    if service not in ("", "glue", "datazone"):
        error = f"<Error><Type>Sender</Type><Code>{code}</Code><Message>{escape(message)}</Message></Error>"
        return 403, "text/xml", f"<ErrorResponse>{error}</ErrorResponse>".encode()
    text = json.dumps({"__type": code, "message": message, "Message": message})
    return 403, "application/x-amz-json-1.1", text.encode()


def _service_of(environ: dict[str, Any]) -> str:
    """The service a SigV4 request is signed for ('' when unsigned or not SigV4)."""
    found = _SIGNED_SERVICE.search(str(environ.get("HTTP_AUTHORIZATION") or ""))
    return found.group(1).lower() if found else ""


def _target_arns(body: bytes) -> list[str]:
    try:
        request = json.loads(body or b"{}")
    except (ValueError, RecursionError):
        return []
    targets = request.get("Targets") if isinstance(request, dict) else None
    return [str(t["Arn"]) for t in targets if isinstance(t, dict) and "Arn" in t] if isinstance(targets, list) else []


class Gateway:
    """One run's gateway: started with the run, closed when it ends (``close``)."""

    def __init__(self, path: str, account_id: str, region: str) -> None:
        self.account_id = account_id
        self.region = region
        self._open = True
        self._closing = threading.Lock()
        self._budget_lock = threading.Lock()
        self._in_flight = 0  # bytes of request bodies being read or answered
        self._server = _moto.serve_user_code_gateway(path, self)

    # GatewayGuard
    def refusal(self, environ: dict[str, Any]) -> Refusal | None:
        path = str(environ.get("PATH_INFO") or "")
        if path == _CONTROL_PREFIX or path.startswith(_CONTROL_PREFIX + "/"):
            return _denied(CONTROL_REFUSED.format(path=path))  # raw callers: JSON
        self._stamp(environ)
        host = str(environ.get("HTTP_HOST") or "")
        query = str(environ.get("QUERY_STRING") or "")
        url = f"http://{host}{path}" + (f"?{query}" if query else "")
        headers = {
            "Authorization": str(environ.get("HTTP_AUTHORIZATION") or ""),
            "User-Agent": str(environ.get("HTTP_USER_AGENT") or ""),
            "x-moto-account-id": self.account_id,
        }
        account, region = request_scope(url, headers)
        if account != self.account_id or region != self.region:
            return _denied(
                f"User code of a run in account {self.account_id}, region {self.region} may act there only; "
                f"this request resolves to account {account}, region {region}",
                environ,
            )
        return self._foreign_resource(environ, host, path)

    def _foreign_resource(self, environ: dict[str, Any], host: str, path: str) -> Refusal | None:
        """Requests that would reach another account through a resource's name or ARN, which moto follows
        wherever it leads: another account's S3 bucket (AWS answers AccessDenied unless the bucket's policy
        grants access, and moto keeps no policies), an EventBridge target in another account or region."""
        service = _service_of(environ)
        # moto's dispatch sends S3's way whatever is signed for S3 and whatever it cannot place otherwise
        # (unsigned, SigV2, presigned): every such request is checked, its copy source too.
        if service in ("s3", "") and not environ.get("HTTP_X_AMZ_TARGET"):
            names = {path.lstrip("/").split("/", 1)[0], host.split(".", 1)[0] if "." in host else ""}
            source = unquote(str(environ.get("HTTP_X_AMZ_COPY_SOURCE") or "")).lstrip("/")
            names.add(source.split("/", 1)[0].split("?", 1)[0])
            for name in names - {""}:
                owner = _moto.s3_bucket_owner(name)
                if owner is not None and owner != self.account_id:
                    return _denied(f"Access Denied: bucket {name} belongs to another account", code="AccessDenied")
        if str(environ.get("HTTP_X_AMZ_TARGET") or "") == "AWSEvents.PutTargets":
            for arn in _target_arns(environ["wsgi.input"].getvalue()):
                parts = arn.split(":")
                if len(parts) > 4 and (parts[4] not in ("", self.account_id) or parts[3] not in ("", self.region)):
                    return _denied(
                        f"User code of a run in account {self.account_id}, region {self.region} may not target "
                        f"{arn}: it is in another account or region",
                        environ,
                    )
        return None

    def admitted(self) -> bool:
        return self._open

    def reserve(self, size: int) -> bool:
        with self._budget_lock:
            if self._in_flight + size > BODY_BUDGET:
                return False
            self._in_flight += size
            return True

    def release(self, size: int) -> None:
        with self._budget_lock:
            self._in_flight = max(0, self._in_flight - size)

    def _stamp(self, environ: dict[str, Any]) -> None:
        region = self.region
        for key in [key for key in environ if key.upper().replace("-", "_") == "HTTP_X_MOTO_ACCOUNT_ID"]:
            del environ[key]
        environ["HTTP_X_MOTO_ACCOUNT_ID"] = self.account_id
        if environ.get("HTTP_AUTHORIZATION"):
            environ["HTTP_AUTHORIZATION"] = _SCOPE.sub(rf"\g<1>{region}\g<3>", str(environ["HTTP_AUTHORIZATION"]), 1)
        if environ.get("QUERY_STRING"):
            environ["QUERY_STRING"] = _QUERY_SCOPE.sub(rf"\g<1>{region}\g<3>", str(environ["QUERY_STRING"]), 1)
        if environ.get("HTTP_USER_AGENT"):
            environ["HTTP_USER_AGENT"] = _AGENT_REGION.sub(f"region/{region}", str(environ["HTTP_USER_AGENT"]))
        for key in ("HTTP_HOST", "SERVER_NAME"):
            if environ.get(key) and _AWS_HOST.search(str(environ[key])):
                environ[key] = _AWS_HOST.sub(f".{region}.amazonaws.com", str(environ[key]))

    def shut(self) -> None:
        """Refuse every request from now on (a reset or the end of the run); returns at once."""
        self._open = False

    def close(self) -> None:
        """Refuse, stop serving and release the socket."""
        self._open = False
        with self._closing:
            server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
