"""Test-control endpoints under ``/moto-api/static/`` and the Python helpers beside them.

Each control operation is one plain function taking keyword arguments. The HTTP handler reads
the JSON body (``AccountId`` and ``Region`` optional, as in moto's other static endpoints),
calls the function and answers JSON; the helper calls the same function in-process, or POSTs to
a standalone server when given ``endpoint_url``. Both paths share every check.
"""

from __future__ import annotations

import functools
import http.client
import inspect
import json
import os
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

from moto_glue_workflows._moto import DEFAULT_ACCOUNT_ID, ServiceException, server_mode_endpoint

ControlFunction = Callable[..., dict[str, Any]]


class ControlError(Exception):
    """A control request that was refused; ``status`` and ``code`` are what the endpoint answers."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.status = status
        self.code = code
        self.message = message


DEFAULT_REGION = "us-east-1"
NO_ANSWER = 0  # ControlError.status when no HTTP answer came (nothing listening, a dropped connection)
_SHOWN_BODY = 200  # bytes of an answer that is not JSON, quoted in the error


def resolve_region(region: str | None) -> str:
    """The region a helper works in: ``region`` if given, else where boto3's clients go (``AWS_DEFAULT_REGION``,
    then the profile's ``region`` in the AWS config file), else ``AWS_REGION`` (what the other AWS SDKs read),
    else us-east-1 (moto's default)."""
    if region is not None:
        return region
    return os.environ.get("AWS_DEFAULT_REGION") or _profile_region() or os.environ.get("AWS_REGION") or DEFAULT_REGION


def _profile_region() -> str | None:
    return _profile_region_of(os.environ.get("AWS_CONFIG_FILE"), os.environ.get("AWS_PROFILE"))


@functools.lru_cache(maxsize=8)
def _profile_region_of(config_file: str | None, profile: str | None) -> str | None:
    # botocore reads the config file as boto3 does; a session costs ~20 ms, hence the cache (per file and profile).
    import botocore.session

    try:
        found = botocore.session.Session().get_config_variable("region")
    except Exception:  # a profile that is not in the file: boto3 would refuse; the helpers fall back
        return None
    return str(found) if found else None


def _status(error: ServiceException) -> int:
    return int(getattr(error, "status", 400))


def _scope_problem(scope: dict[str, Any]) -> str | None:
    """What is wrong with the ``AccountId`` and ``Region`` given (absent ones are defaulted)."""
    for key in ("AccountId", "Region"):
        if key in scope and (not isinstance(scope[key], str) or not scope[key]):
            return f"{key} must be a non-empty string"
    return None


class ControlOperation:
    """One control operation: its path under /moto-api/static/, its function, and its fields.

    ``fields`` maps the JSON body's keys to the function's keyword arguments; ``AccountId`` and
    ``Region`` are always accepted and become ``account_id`` and ``region``.
    """

    def __init__(self, path: str, function: ControlFunction, fields: dict[str, str], helper_name: str) -> None:
        self.path = path
        self.helper_name = helper_name
        self.function = function
        self.fields = fields
        parameters = inspect.signature(function).parameters
        self.required = [key for key, name in fields.items() if parameters[name].default is inspect.Parameter.empty]

    def view(self, request: Any, full_url: str, headers: Any) -> tuple[int, dict[str, str], str]:
        json_headers = {"Content-Type": "application/json"}

        def refuse(message: str) -> tuple[int, dict[str, str], str]:
            return (
                400,
                {**json_headers, "x-amzn-ErrorType": "ValidationException"},
                json.dumps({"message": message, "code": "ValidationException"}),
            )

        if request.method != "POST":
            return 405, json_headers, json.dumps({"message": f"POST to /moto-api/static/{self.path}"})
        try:
            body = json.loads(request.get_data(parse_form_data=False) or b"{}")
        except (ValueError, RecursionError):  # not JSON, or nested deeper than the parser goes
            return refuse("The request body must be a JSON object")
        if not isinstance(body, dict):
            return refuse("The request body must be a JSON object")
        unknown = sorted(set(body) - set(self.fields) - {"AccountId", "Region"})
        if unknown:
            return refuse(f"Unknown field: {unknown[0]}; expected {', '.join(sorted(self.fields))}")
        problem = _scope_problem(body)
        if problem:
            return refuse(problem)
        missing = [key for key in self.required if key not in body]
        if missing:
            return refuse(f"Missing field: {missing[0]}")
        kwargs = {name: body[key] for key, name in self.fields.items() if key in body}
        try:
            result = self.function(
                account_id=body.get("AccountId", DEFAULT_ACCOUNT_ID), region=body.get("Region", "us-east-1"), **kwargs
            )
        except ServiceException as error:
            return (
                _status(error),
                {**json_headers, "x-amzn-ErrorType": error.code},
                json.dumps({"message": error.message, "code": error.code}),
            )
        return 200, json_headers, json.dumps(result)

    def __call__(
        self,
        *,
        account_id: str | None = None,
        region: str | None = None,
        endpoint_url: str | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Run in-process, or against the standalone server at ``endpoint_url``.

        Without ``endpoint_url``, a suite run with moto's ``TEST_SERVER_MODE=true`` sends the call to
        ``TEST_SERVER_MODE_ENDPOINT`` (default ``http://localhost:5000``), where its ``mock_aws`` sends
        every AWS call.
        """
        endpoint_url = endpoint_url or server_mode_endpoint()
        region = resolve_region(region)
        scope = {key: value for key, value in (("AccountId", account_id), ("Region", region)) if value is not None}
        if endpoint_url:
            keys = {name: key for key, name in self.fields.items()}
            body = {keys[name]: value for name, value in kwargs.items()}
            return post(endpoint_url, self.path, {**body, **scope})
        problem = _scope_problem(scope)
        if problem:
            raise ControlError(400, "ValidationException", problem)
        try:
            return self.function(account_id=account_id or DEFAULT_ACCOUNT_ID, region=region, **kwargs)
        except ServiceException as error:
            raise ControlError(_status(error), error.code, error.message) from None


def post(endpoint_url: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    """POST a control request to a standalone server; raise ControlError when it is refused."""
    url = f"{endpoint_url.rstrip('/')}/moto-api/static/{path}"
    try:
        request = urllib.request.Request(
            url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
        )
    except ValueError as unusable:  # not a URL (no scheme, say)
        raise ControlError(NO_ANSWER, "ConnectionError", f"{url}: {unusable}") from None
    answer = call_server(request)
    if not isinstance(answer, dict):
        raise _not_ours(request.full_url, 200, json.dumps(answer).encode())
    return answer


def call_server(request: urllib.request.Request | str) -> Any:
    """Send a request to a control or ``ui/`` endpoint; its JSON answer, or ControlError for every way it can
    fail: a refusal (the endpoint's status, code and message), an answer that is not ours (a server without this
    package, such as plain ``moto_server``: the status and the first bytes of what it said), or no answer at all
    (status 0)."""
    url = request if isinstance(request, str) else request.full_url
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as refused:
        status, raw = refused.code, refused.read()
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as unreachable:
        # nothing listening, a dropped connection, something that does not speak HTTP, or not a URL at all
        reason = getattr(unreachable, "reason", unreachable)
        raise ControlError(NO_ANSWER, "ConnectionError", f"{url}: no answer ({reason})") from None
    try:
        payload = json.loads(raw or b"{}")
    except (ValueError, RecursionError):
        raise _not_ours(url, status, raw) from None
    if status >= 400:
        if not isinstance(payload, dict):
            raise _not_ours(url, status, raw)
        raise ControlError(status, str(payload.get("code", "Error")), str(payload.get("message", "")))
    return payload


def _not_ours(url: str, status: int, raw: bytes) -> ControlError:
    shown = raw[:_SHOWN_BODY].decode("utf-8", "replace")
    return ControlError(
        status,
        "NotAControlEndpoint",
        f"{url} answered {status} with {shown!r}, not a control answer: is the server moto-glue-workflows "
        "(plain moto_server does not load this package)?",
    )
