"""Raw HTTP to a running server, as an SDK in any language would send it, with no client-side checks.

Requests carry an unsigned ``Authorization`` header whose credential scope names the service and
region, which is all moto_server routes by; Glue is JSON 1.1 (``POST /`` with ``X-Amz-Target``),
DataZone is REST-JSON on the model's ``requestUri``. ``Answer`` is what came back, and
``check_answer_shape`` holds a successful answer to botocore's output shape, on the wire and parsed.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import requests
from botocore.model import OperationModel
from botocore.parsers import create_parser
from moto.core.utils import get_service_model
from requests.structures import CaseInsensitiveDict

from tests.shape_checker import check_value, check_wire

ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
REGION = "us-east-1"


def authorization(service: str, region: str = REGION, access_key: str = ACCESS_KEY) -> str:
    scope = f"{access_key}/20260101/{region}/{service}/aws4_request"
    return f"AWS4-HMAC-SHA256 Credential={scope}, SignedHeaders=host;x-amz-date, Signature={'0' * 64}"


@cache
def operation(service: str, name: str) -> OperationModel:
    return get_service_model(service).operation_model(name)


@dataclass
class Answer:
    service: str
    operation: str
    status: int
    headers: CaseInsensitiveDict[str]
    body: bytes
    sent: bytes | None = field(default=None, repr=False)

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else {}

    @property
    def error_code(self) -> str | None:
        if self.status < 400:
            return None
        if self.service == "datazone" or "x-amzn-ErrorType" in self.headers:
            header = self.headers.get("x-amzn-ErrorType")
            if header:
                return header.split(":")[0]
        try:
            body = self.json
        except ValueError:
            return None
        code = body.get("__type") if isinstance(body, dict) else None
        return str(code).split("#")[-1] if code else None

    @property
    def message(self) -> str:
        try:
            body = self.json
        except ValueError:
            return ""
        if not isinstance(body, dict):
            return ""
        return str(body.get("Message", body.get("message", "")))

    def describe(self) -> str:
        sent = (self.sent or b"")[:300]
        return f"{self.operation} -> {self.status} {self.body[:400]!r} (sent {sent!r})"

    def parsed(self) -> dict[str, Any]:
        """The body as botocore parses it for this operation."""
        model = operation(self.service, self.operation)
        protocol = model.metadata["protocol"]
        response = {"status_code": self.status, "headers": self.headers, "body": self.body}
        return create_parser(protocol).parse(response, model.output_shape)  # type: ignore[no-any-return]


def check_answer_shape(answer: Answer) -> dict[str, Any]:
    """Raise ShapeError if a 2xx answer does not fit its output shape; return it as botocore parses it."""
    model = operation(answer.service, answer.operation)
    if model.output_shape is None:
        return {}
    if answer.body and not model.output_shape.serialization.get("payload"):  # a payload body is one member
        check_wire(model.output_shape, answer.json)
    parsed = answer.parsed()
    parsed.pop("ResponseMetadata", None)
    payload = model.output_shape.serialization.get("payload")
    if payload and model.output_shape.members[payload].type_name == "blob" and payload in parsed:
        parsed[payload] = answer.body  # botocore hands a non-streamed blob payload back decoded as text
    check_value(model.output_shape, parsed)
    return parsed


class Wire:
    """Raw requests to one server; safe to share between threads (one HTTP session per thread)."""

    def __init__(self, endpoint_url: str, region: str = REGION, access_key: str = ACCESS_KEY) -> None:
        self.endpoint_url = endpoint_url.rstrip("/")
        self.region = region
        self.access_key = access_key
        self._local = threading.local()

    @property
    def session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session

    def glue(self, name: str, body: Any = None, *, data: bytes | None = None) -> Answer:
        payload = data if data is not None else json.dumps({} if body is None else body).encode()
        headers = {
            "X-Amz-Target": f"AWSGlue.{name}",
            "Content-Type": "application/x-amz-json-1.1",
            "Authorization": authorization("glue", self.region, self.access_key),
        }
        response = self.session.post(self.endpoint_url + "/", data=payload, headers=headers, timeout=60)
        return Answer(
            "glue", name, response.status_code, CaseInsensitiveDict(response.headers), response.content, payload
        )

    def datazone(
        self,
        name: str,
        params: dict[str, Any] | None = None,
        *,
        body: Any = None,
        data: bytes | None = None,
        uri: dict[str, str] | None = None,
        query: dict[str, str] | None = None,
    ) -> Answer:
        """A DataZone request; ``params`` are split by the model into URI, query string and body members,
        or give ``uri``/``query``/``body`` (or raw ``data``) directly."""
        model = operation("datazone", name)
        uri = dict(uri or {})
        query = dict(query or {})
        json_body: dict[str, Any] = dict(body or {}) if isinstance(body, dict) or body is None else body
        members = model.input_shape.members if model.input_shape else {}
        for key, value in (params or {}).items():
            member = members.get(key)
            location = member.serialization.get("location") if member is not None else None
            wire_name = member.serialization.get("name", key) if member is not None else key
            if location == "uri":
                uri[wire_name] = value
            elif location == "querystring":
                query[wire_name] = value
            else:
                json_body[key] = value
        path = model.http["requestUri"]
        for key, value in uri.items():
            path = path.replace("{" + key + "}", urllib.parse.quote(str(value), safe=""))
        if query:
            path += "?" + urllib.parse.urlencode(query)
        method = model.http["method"]
        if data is not None:
            payload: bytes | None = data
        elif method in ("GET", "DELETE") and not json_body:
            payload = None
        else:
            payload = json.dumps(json_body).encode()
        headers = {
            "Content-Type": "application/json",
            "Authorization": authorization("datazone", self.region, self.access_key),
        }
        response = self.session.request(method, self.endpoint_url + path, data=payload, headers=headers, timeout=60)
        sent = method.encode() + b" " + path.encode() + b" " + (payload or b"")
        return Answer(
            "datazone", name, response.status_code, CaseInsensitiveDict(response.headers), response.content, sent
        )

    def control(self, path: str, body: Any = None, *, data: bytes | None = None) -> Answer:
        payload = data if data is not None else json.dumps(body).encode()
        response = self.session.post(
            f"{self.endpoint_url}/moto-api/static/{path}",
            data=payload,
            headers={"Content-Type": "application/json"},
            timeout=60,
        )
        return Answer(
            "control", path, response.status_code, CaseInsensitiveDict(response.headers), response.content, payload
        )

    def set_transition(self, model: str, transition: dict[str, Any]) -> None:
        self.session.post(
            f"{self.endpoint_url}/moto-api/state-manager/set-transition",
            json={"model_name": model, "transition": transition},
            timeout=10,
        ).raise_for_status()

    def unset_transition(self, model: str) -> None:
        self.session.post(
            f"{self.endpoint_url}/moto-api/state-manager/unset-transition", json={"model_name": model}, timeout=10
        ).raise_for_status()

    def reset(self) -> None:
        self.session.post(f"{self.endpoint_url}/moto-api/reset", timeout=10).raise_for_status()
