"""The request path shared by every operation we serve.

Handlers are thin: they receive request parameters already read from the wire and checked against
botocore's input shape, call plain-Python domain code and return an ``ActionResult`` that moto's
model-driven serializer turns into the exact output shape. What is the same for every request
(operation models, handler lookup, validators) is worked out once per operation, not per call.
"""

from __future__ import annotations

import json
import re
import threading
import zlib
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar
from urllib.parse import unquote

from botocore.model import OperationModel, Shape
from werkzeug.exceptions import HTTPException

from moto_glue_workflows._moto import (
    ActionContext,
    ActionResult,
    BaseResponse,
    ServiceException,
    UnknownRegion,
    get_serializer_class,
    get_service_model,
    http_date_now,
    pretty_responses,
    request_id,
)
from moto_glue_workflows.protocol.json_output import content_type, dumps, output_converter, success_status
from moto_glue_workflows.protocol.validation import InvalidParameter, aws_member, input_validator

_INTEGER = re.compile(r"-?\d+\Z")
# moto builds a REST service's URL router on the first request that needs it (a fifth of a second for
# DataZone), compiling werkzeug rules with Python's ast module, which CPython 3.11 cannot do in two threads
# at once (SystemError): the first routing of each service goes under a lock.
_first_routing = threading.Lock()
_routed: set[str] = set()


@cache
def operation_model(service: str, name: str) -> OperationModel:
    return get_service_model(service).operation_model(name)


@cache
def service_operations(service: str) -> frozenset[str]:
    """Every operation botocore's model of ``service`` has."""
    return frozenset(get_service_model(service).operation_names)


def _target_operation(service: str, target: str) -> str | None:
    """The operation an ``X-Amz-Target`` header names (``AWSGlue.GetWorkflow``), or None when it names none."""
    prefix, _, name = target.partition(".")
    if prefix != get_service_model(service).metadata.get("targetPrefix") or name not in service_operations(service):
        return None
    return name


@cache
def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


def _from_text(shape: Shape, text: str, path: str) -> Any:
    """Convert a URI, query-string or header value to the member's type."""
    kind = shape.type_name
    if kind in ("integer", "long"):
        if not _INTEGER.match(text):
            raise InvalidParameter(path, text, "Member must be an integer")
        return int(text)
    if kind == "boolean":
        if text not in ("true", "false"):
            raise InvalidParameter(path, text, "Member must be a boolean")
        return text == "true"
    if kind in ("float", "double"):
        try:
            return float(text)
        except ValueError:
            raise InvalidParameter(path, text, "Member must be a number") from None
    return text


@dataclass(frozen=True, slots=True)
class WireRequest:
    """What an operation's input is read from: the body, URI labels, query string and headers."""

    body: Any
    uri: Mapping[str, str]
    query: Any  # .get(name) gives the first value
    headers: Any


@dataclass(frozen=True, slots=True)
class _Plan:
    """What answering one operation needs that is the same for every request (one lookup per request)."""

    operation: OperationModel
    handler: str
    #: the output converter, or None where moto's serializer answers (json_output.output_converter)
    convert: Any
    content_type: str
    status: int


class Settled(ActionResult):
    """A handler's answer about something that no longer changes (a run in a final state).

    Its body depends only on ``owner`` and ``key`` (the request's inputs that shape it), so it is
    serialized once and handed out again while ``owner`` is the object the store holds; ``build`` gives
    the result dict the first time. What a read must do (look the object up, let it settle, prune
    expired history) the handler has already done. A handler returns one only where nothing can change
    the object any more: a job run stays as it ended until it is forgotten, and a forgotten one is never
    found to be answered from here. Anything that reads ``result`` (moto's serializer) gets it built."""

    def __init__(self, owner: Any, key: Hashable, build: Callable[[], dict[str, Any]]) -> None:
        self.owner = owner
        self.key = key
        self.build = build

    @property
    def result(self) -> object:
        return self.build()


def _settled_body(plan: _Plan, settled: Settled) -> str:
    """The body of a settled answer, kept on its owner: it goes when the owner goes (moto's reset drops the
    backends that hold it), so nothing here outlives the state it was made from."""
    kept: dict[tuple[Any, ...], str] | None = getattr(settled.owner, "_settled_answers", None)
    if kept is None:
        kept = {}
        settled.owner._settled_answers = kept
    key = (plan.operation.name, settled.key)
    body = kept.get(key)
    if body is None:
        body = dumps(plan.convert(settled.build()))
        kept[key] = body
    return body


@cache
def _plan(service: str, action: str) -> _Plan:
    operation = operation_model(service, action)
    return _Plan(
        operation, _snake(action), output_converter(operation), content_type(operation), success_status(operation)
    )


class MalformedBody(Exception):
    """A request body the service cannot read: not JSON, not a JSON object, nested deeper than JSON is
    parsed, or declared gzip and not gzip."""


def json_body(raw: Any) -> dict[str, Any]:
    if not raw:
        return {}
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: nested deeper than json parses
        raise MalformedBody("The request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise MalformedBody("The request body is not a JSON object")
    return body


# AWS's JSON 1.0/1.1 front end (Coral) answers an operation it does not know, and a body it cannot
# deserialize, with HTTP 400 and a body holding only the type: {"__type":
# "com.amazon.coral.service#UnknownOperationException"} (as DynamoDB's emulator dynalite answers, to
# match the real service: https://github.com/mhart/dynalite, index.js; likewise SerializationException).
UNKNOWN_OPERATION = "com.amazon.coral.service#UnknownOperationException"
SERIALIZATION_ERROR = "com.amazon.coral.service#SerializationException"
_GZIP_ERRORS = (OSError, EOFError, zlib.error)


def read_params(operation: OperationModel, request: WireRequest) -> dict[str, Any]:
    """The operation's input as the model describes it, read from the wire (types not yet checked)."""
    shape = operation.input_shape
    if shape is None:
        return {}
    payload = shape.serialization.get("payload")
    if payload and shape.members[payload].type_name == "blob":
        # The body is the member itself (DataZone's PostLineageEvent), never parsed as JSON here.
        body = request.body
        params: dict[str, Any] = {payload: body.encode("utf-8") if isinstance(body, str) else bytes(body or b"")}
    else:
        params = json_body(request.body)
    for name, member, location, wire_name in _bound_members(operation):
        text = _wire_value(request, location, wire_name)
        if isinstance(text, bytes):  # header values of botocore's prepared request under mock_aws
            text = text.decode("utf-8", "replace")
        params.pop(name, None)
        if text is not None:
            params[name] = _from_text(member, text, aws_member(name))
    return params


_SCALARS = (str, int, float, bool, bytes)
#: (operation, body, bound members' wire values) -> input already read and checked; see checked_params
_checked: dict[tuple[Any, ...], dict[str, Any]] = {}
_CHECKED_KEPT = 512
#: inputs longer than this are read afresh (polls are short; a large input rarely comes twice)
_CHECKED_BODY = 4096


def checked_params(operation: OperationModel, request: WireRequest) -> dict[str, Any]:
    """``read_params`` checked against the model (``InvalidParameter`` where it does not hold).

    Suites poll: the same ``GetWorkflowRun`` or ``GetJobRun`` request arrives again and again, and
    reading and checking its input is a fixed function of its bytes. A short input of scalars only
    (what reads send) is remembered by those bytes, a few hundred at most, and handed out as a fresh
    copy; operations whose every call differs (``_repeatable``) are not remembered.
    """
    body = request.body
    key = None
    if (body is None or (isinstance(body, (bytes, str)) and len(body) <= _CHECKED_BODY)) and _repeatable(operation):
        bound = (_wire_value(request, location, wire) for _, _, location, wire in _bound_members(operation))
        key = (operation, type(body), body, *bound)
        known = _checked.get(key)
        if known is not None:
            return dict(known)
    params = read_params(operation, request)
    input_validator(operation)(params, "")
    if key is not None and all(type(value) in _SCALARS for value in params.values()):
        if len(_checked) >= _CHECKED_KEPT:
            _checked.clear()
        _checked[key] = dict(params)
    return params


@cache
def _repeatable(operation: OperationModel) -> bool:
    """Whether the same input can come again: not where the SDK fills in a fresh idempotency token
    for each call, nor where the input is a document posted whole (DataZone's PostLineageEvent)."""
    shape = operation.input_shape
    if shape is None:
        return True
    payload = shape.serialization.get("payload")
    if payload and shape.members[payload].type_name == "blob":
        return False
    return not any(member.metadata.get("idempotencyToken") for member in shape.members.values())


def _wire_value(request: WireRequest, location: str, wire_name: str) -> Any:
    if location == "uri":
        return request.uri.get(wire_name)
    if location == "querystring":
        return request.query.get(wire_name)
    return request.headers.get(wire_name)


@cache
def _bound_members(operation: OperationModel) -> tuple[tuple[str, Shape, str, str], ...]:
    shape = operation.input_shape
    bound = []
    for name, member in shape.members.items():
        location = member.serialization.get("location")
        if location in ("uri", "querystring", "header"):
            bound.append((name, member, location, member.serialization.get("name", name)))
    return tuple(bound)


def serialize_with_moto(
    operation: OperationModel, result: ActionResult, response: Any
) -> tuple[int, dict[str, str], Any]:
    """moto's model-driven serializer, for errors and outputs bound to headers or status codes."""
    service = operation.service_model
    context = ActionContext(service, operation, _serializer_class(service.service_name, service.protocol), response)
    status, headers, body = result.execute_result(context)
    return int(status), dict(headers), body


@cache
def _serializer_class(service: str, protocol: str) -> Any:
    return get_serializer_class(service, protocol)


class ModelResponse(BaseResponse):
    """Base for our response classes: subclasses name their operations and validation error."""

    SERVICE: ClassVar[str]
    #: the service's error for input the model does not allow
    VALIDATION_ERROR: ClassVar[type[ServiceException]]
    #: the service's error when moto's IAM authorization refuses a request
    ACCESS_DENIED: ClassVar[type[ServiceException]]
    #: operations this class serves (no other reaches it, but for refusals: see glue/routing.py)
    OPERATIONS: ClassVar[frozenset[str]]
    #: whether error bodies are REST's {"message": ...} rather than JSON 1.1's {"__type", "Message"}
    REST_ERROR_BODY: ClassVar[bool] = False
    #: the bare error type a JSON-protocol service answers an unreadable body with; None: VALIDATION_ERROR
    MALFORMED_BODY_TYPE: ClassVar[str | None] = None

    def __init__(self) -> None:
        # Not super(): a moto response class later in the MRO takes no service name.
        BaseResponse.__init__(self, service_name=self.SERVICE)

    @classmethod
    def direct(cls, account_id: str, region: str) -> ModelResponse:
        """An instance answering without moto's request set-up (see direct_routes)."""
        responder = cls.__new__(cls)
        responder.current_account = account_id
        responder.region = region
        responder.response_headers = {"server": "amazon.com", "date": http_date_now()}
        return responder

    def _dispatch(self, request: Any, full_url: str | None = None, headers: Any = None) -> Any:
        try:
            self.setup_class(request, full_url, headers)
        except _GZIP_ERRORS:
            if "gzip" not in str(request.headers.get("Content-Encoding", "")):
                raise
            # moto unzips the body first; one that is not gzip is refused like any unreadable body.
            self.headers = request.headers
            self.response_headers = {"server": "amazon.com"}
            if not getattr(
                self, "is_werkzeug_request", False
            ):  # as moto's setup_class: a WSGI server sends its own Date
                self.response_headers["date"] = http_date_now()
            return self._malformed(MalformedBody("The request body is declared gzip and is not gzip"))
        return self.call_action()

    def setup_class(
        self, request: Any, full_url: str | None = None, headers: Any = None, use_raw_body: bool | None = None
    ) -> None:
        try:
            super().setup_class(request, full_url, headers, use_raw_body)
        except UnicodeDecodeError:
            # moto decodes the body as UTF-8 first; a body that is not is kept as bytes, and refused as not JSON.
            super().setup_class(request, full_url, headers, use_raw_body=True)

    def _get_action(self) -> str:
        protocol = get_service_model(self.SERVICE).protocol
        if protocol == "json":
            # The target header alone names a JSON-protocol operation (moto may read a query-string
            # Action, or a JSON body as a query string); without one, the operation is unknown.
            target = self.headers.get("X-Amz-Target")
            return (_target_operation(self.SERVICE, str(target)) or "") if target else ""
        if self.SERVICE in _routed or not protocol.startswith("rest"):
            return super()._get_action()
        with _first_routing:
            action = super()._get_action()
            _routed.add(self.SERVICE)
        return action

    def call_action(self) -> Any:
        action = self._get_action()
        if get_service_model(self.SERVICE).protocol == "json" and action not in service_operations(self.SERVICE):
            return self._coral_error(UNKNOWN_OPERATION)
        if action not in self.OPERATIONS:
            if self.MALFORMED_BODY_TYPE is not None:  # routed here because moto could not read the body
                try:
                    json_body(self.raw_body)
                except MalformedBody as malformed:
                    return self._malformed(malformed)
            return self._not_implemented(action)
        try:
            self._authenticate_and_authorize_normal_action("*")
        except HTTPException as denied:  # moto's IAM checks answer in XML; the services answer JSON
            return self._access_denied(denied)
        labels: Any = self.uri_match  # the URI labels moto's routing matched
        if hasattr(labels, "groupdict"):  # moto before 5.2.5: the match of the route's pattern on the raw URL
            labels = {name: unquote(value) for name, value in labels.groupdict().items() if value is not None}
        request = WireRequest(self.raw_body, labels, self.normalized_request.args, self.headers)
        return self.answer(action, request)

    def answer(self, action: str, request: WireRequest) -> tuple[int, dict[str, str], Any]:
        """Read, check and serve one of our operations; the answer as (status, headers, body)."""
        plan = _plan(self.SERVICE, action)
        operation = plan.operation
        text: str | None = None  # the body, when an ended run's kept one answers
        try:
            self.params = checked_params(operation, request)
            result = getattr(self, plan.handler)()
            if type(result) is Settled:  # built (first time only) where the handler's errors are answered
                if plan.convert is not None and not pretty_responses():
                    text = _settled_body(plan, result)
                else:
                    result = ActionResult(result.result)
        except InvalidParameter as invalid:
            result = ActionResult(self.VALIDATION_ERROR(str(invalid)))
        except MalformedBody as malformed:
            return self._malformed(malformed)
        except UnknownRegion as unknown:
            result = ActionResult(self.VALIDATION_ERROR(str(unknown)))
        except ServiceException as error:
            result = ActionResult(self.refined(action, error))
        except HTTPException as error:  # raised by moto's own models we call into
            return self._http_error(error)
        convert = plan.convert
        if text is not None or (
            convert is not None and type(result) is ActionResult and isinstance(result.result, dict)
        ):
            if text is None:
                body = convert(result.result)
                text = json.dumps(body, indent=4) if pretty_responses() else dumps(body)
            headers = {"Content-Type": plan.content_type, **self.response_headers}
            headers, text = self._enrich_response(headers, text)
            return plan.status, headers, text
        status, headers, body = serialize_with_moto(operation, result, self)
        headers.update(self.response_headers)
        if status >= 400 and self.REST_ERROR_BODY:
            # REST services answer {"message": ...} and carry the code in x-amzn-ErrorType only.
            body = json.dumps({"message": json.loads(body).get("message", "")})
        headers, body = self._enrich_response(headers, body)
        return status, headers, body

    def refined(self, action: str, error: ServiceException) -> ServiceException:
        """The error as the service words it for ``action``; a service whose wording names the operation
        overrides this."""
        return error

    @staticmethod
    def _enrich_response(headers: dict[str, str], body: Any) -> tuple[dict[str, str], Any]:
        # moto's version also rewrites <RequestId> in XML bodies; ours are JSON.
        headers["x-amzn-requestid"] = request_id()
        return headers, body

    def _malformed(self, malformed: MalformedBody) -> tuple[int, dict[str, str], Any]:
        if self.MALFORMED_BODY_TYPE is not None:
            return self._coral_error(self.MALFORMED_BODY_TYPE)
        headers = {**self.response_headers, "Content-Type": "application/json"}
        headers["x-amzn-ErrorType"] = self.VALIDATION_ERROR.code
        key = "message" if self.REST_ERROR_BODY else "Message"
        body = json.dumps(
            {key: str(malformed)}
            if self.REST_ERROR_BODY
            else {"__type": self.VALIDATION_ERROR.code, key: str(malformed)}
        )
        headers, body = self._enrich_response(headers, body)
        return 400, headers, body

    def _coral_error(self, error_type: str) -> tuple[int, dict[str, str], Any]:
        """The front end's own refusal of a JSON-protocol request: HTTP 400, a body naming only the type."""
        version = get_service_model(self.SERVICE).metadata.get("jsonVersion", "1.0")
        headers = {**self.response_headers, "Content-Type": f"application/x-amz-json-{version}"}
        headers, body = self._enrich_response(headers, json.dumps({"__type": error_type}))
        return 400, headers, body

    def _not_implemented(self, action: str | None) -> Any:
        headers = {**self.response_headers, "Content-Type": "application/json"}
        if not action:
            status, body = 404, json.dumps({"message": f"No {self.SERVICE} operation at {self.path}"})
        else:
            headers["x-amzn-ErrorType"] = "NotImplementedException"
            message = f"The {action} action has not been implemented in moto_glue_workflows"
            status, body = 501, json.dumps({"message": message})
        headers, body = self._enrich_response(headers, body)
        return status, headers, body

    def _access_denied(self, denied: Any) -> tuple[int, dict[str, str], Any]:
        error = self.ACCESS_DENIED(str(getattr(denied, "message", denied)))
        status, headers, body = serialize_with_moto(
            operation_model(self.SERVICE, self._get_action()), ActionResult(error), self
        )
        headers.update(self.response_headers)
        if self.REST_ERROR_BODY:
            body = json.dumps({"message": json.loads(body).get("message", "")})
        headers, body = self._enrich_response(headers, body)
        return status, headers, body

    def _http_error(self, error: Any) -> tuple[int, dict[str, str], Any]:
        headers = dict(self.response_headers)
        headers.update(dict(error.get_headers() or []))
        body = error.get_body() if hasattr(error, "get_body") else error.description
        return int(error.code), headers, body

    def param(self, name: str, default: Any = None) -> Any:
        return self.params.get(name, default)
