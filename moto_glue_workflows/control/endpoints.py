"""Test-control endpoints under ``/moto-api/static/`` and the Python helpers beside them.

Each control operation is one plain function taking keyword arguments. The HTTP handler reads
the JSON body (``AccountId`` and ``Region`` optional, as in moto's other static endpoints),
calls the function and answers JSON; the helper calls the same function in-process, or POSTs to
a standalone server when given ``endpoint_url``. Both paths share every check.
"""

from __future__ import annotations

import inspect
import json
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
        scope = {key: value for key, value in (("AccountId", account_id), ("Region", region)) if value is not None}
        if endpoint_url:
            keys = {name: key for key, name in self.fields.items()}
            body = {keys[name]: value for name, value in kwargs.items()}
            return post(endpoint_url, self.path, {**body, **scope})
        problem = _scope_problem(scope)
        if problem:
            raise ControlError(400, "ValidationException", problem)
        try:
            return self.function(account_id=account_id or DEFAULT_ACCOUNT_ID, region=region or "us-east-1", **kwargs)
        except ServiceException as error:
            raise ControlError(_status(error), error.code, error.message) from None


def post(endpoint_url: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    """POST a control request to a standalone server; raise ControlError when it is refused."""
    request = urllib.request.Request(
        f"{endpoint_url.rstrip('/')}/moto-api/static/{path}",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request) as response:
            return dict(json.loads(response.read()))
    except urllib.error.HTTPError as refused:
        payload = json.loads(refused.read() or b"{}")
        raise ControlError(refused.code, payload.get("code", "Error"), payload.get("message", "")) from None
