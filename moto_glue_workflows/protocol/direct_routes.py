"""Answer our operations under ``mock_aws`` without moto's generic request pipeline.

moto's decorator hook tries ~180 URL patterns, builds a werkzeug request, sets up a response
object that parses every header, then matches the operation route again; for our operations that
was most of the time a call spent server side. Here each of our operations is recognised from the
request line alone (host, method, path, X-Amz-Target), with routes compiled once from botocore's
model, and answered by the same ``ModelResponse.answer`` moto's path ends in.

Anything this cannot answer exactly as moto's path would — another operation, a passthrough or
whitelist setting, the recorder, IAM authorization — is left to moto's path (see
``_moto.direct_answer_allowed``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Any
from urllib.parse import SplitResult, parse_qs, unquote, urlsplit

from botocore.awsrequest import HeadersDict

from moto_glue_workflows import _moto
from moto_glue_workflows.protocol.model_response import ModelResponse, WireRequest, operation_model

_REGION_IN_HOST = re.compile(r"\.(?P<region>[^.]+)\.amazonaws\.com")
_REGION_IN_AGENT = re.compile(r"region/(?P<region>[a-z]{2}-[a-z]+-\d{1})")
# moto's reading of the access key: the last 20-character key followed by ":" or "/" after the first "AWS".
_ACCESS_KEY = re.compile(r"AWS.*(?P<access_key>(?<![A-Z0-9])[A-Z0-9]{20}(?![A-Z0-9]))[:/]")
# A ":" or "/" right after such a key: the engine only looks back at the few separators.
_AFTER_KEY = re.compile(r"[:/](?<=(?<![A-Z0-9])[A-Z0-9]{20}[:/])")
# The header every SDK sends: the scope's region and service segments kept under 20 characters.
_SIGV4 = re.compile(
    r"AWS4-HMAC-SHA256 Credential=([A-Za-z0-9]{1,128})/\d{8}/[a-z0-9-]{1,19}/[a-z0-9-]{1,19}/aws4_request, "
    r"SignedHeaders=[a-z0-9;_.-]{1,2000}, Signature=[0-9a-f]{64}"
)
_KEY_RUN = re.compile(r"[A-Z0-9]{20}")
_KEY_RUN_CHAR = re.compile(r"[A-Z0-9]")


_NO_LABELS: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True)
class Route:
    service: str
    responder: type[ModelResponse]
    action: str
    uri: Mapping[str, str]


class _Query:
    """The query string, parsed when a member bound to it is first read (JSON operations never read it)."""

    def __init__(self, query: str) -> None:
        self._query = query
        self._values: dict[str, list[str]] | None = None

    def get(self, name: str) -> str | None:
        if not self._query:
            return None
        if self._values is None:
            self._values = parse_qs(self._query, keep_blank_values=True)
        values = self._values.get(name)
        return values[0] if values else None


def _uri_pattern(request_uri: str) -> re.Pattern[str]:
    path = request_uri.split("?", 1)[0]
    pattern = re.sub(
        r"\\\{([^}]+?)(\\\+)?\\\}",
        lambda m: f"(?P<{m.group(1)}>{'.+' if m.group(2) else '[^/]+'})",
        re.escape(path),
    )
    return re.compile(f"^{pattern}$")


class Router:
    """Recognises requests for the operations our response classes serve themselves."""

    def __init__(self, services: list[tuple[str, type[ModelResponse], list[str]]]) -> None:
        self._hosts: list[tuple[re.Pattern[str], str, type[ModelResponse]]] = []
        #: JSON-protocol services: X-Amz-Target -> its route (routes of JSON operations bind no URI labels)
        self._targets: dict[str, dict[str, Route]] = {}
        self._paths: dict[str, list[tuple[str, re.Pattern[str], str]]] = {}
        self._responders: dict[str, type[ModelResponse]] = {}
        # Each endpoint's service, and each REST path's route, worked out once: polling asks for the same
        # ones again and again (bounded all the same).
        self._service_at = lru_cache(maxsize=1024)(self._find_service)
        self._rest_route = lru_cache(maxsize=512)(self._find_rest_route)
        for service, responder, url_bases in services:
            self._responders[service] = responder
            for base in url_bases:
                self._hosts.append((re.compile(base + "$"), service, responder))
            for action in responder.OPERATIONS:
                operation = operation_model(responder.SERVICE, action)
                metadata = operation.service_model.metadata
                if metadata["protocol"] == "json":
                    route = Route(service, responder, action, _NO_LABELS)
                    self._targets.setdefault(service, {})[f"{metadata['targetPrefix']}.{action}"] = route
                else:
                    http = operation.http
                    entry = (http["method"], _uri_pattern(http["requestUri"]), action)
                    self._paths.setdefault(service, []).append(entry)

    def match(self, method: str, scheme: str, netloc: str, path: str, headers: Any) -> Route | None:
        service = self._service_at(f"{scheme}://{netloc}")
        return None if service is None else self.match_service(service, method, path, headers)

    def _find_service(self, origin: str) -> str | None:
        return next((service for host, service, _ in self._hosts if host.match(origin) is not None), None)

    def match_service(self, service: str, method: str, path: str, headers: Any) -> Route | None:
        """The route of a request already known to be for ``service`` (in a server, by its credential scope)."""
        if service not in self._responders:
            return None
        targets = self._targets.get(service)
        if targets is not None:
            if method != "POST" or path != "/":
                return None
            return targets.get(_text(headers.get("X-Amz-Target", "")))
        return self._rest_route(service, method, path)

    def _find_rest_route(self, service: str, method: str, path: str) -> Route | None:
        for route_method, pattern, action in self._paths.get(service, []):
            found = pattern.match(path) if route_method == method else None
            if found is not None:
                uri = MappingProxyType({name: unquote(value) for name, value in found.groupdict().items()})
                return Route(service, self._responders[service], action, uri)
        return None


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def header(headers: Any, name: str) -> str:
    """A header as text ('' when absent), from any of the header mappings requests come with."""
    return _text(headers.get(name, ""))


def _region(url: str, headers: Any, authorization: str) -> str:
    # The order moto's BaseResponse.get_region_from_url uses.
    found = _REGION_IN_HOST.search(url)
    if found:
        return found.group(1)
    agent_region = _agent_region(_text(headers.get("User-Agent", "")))
    if agent_region is not None:
        return agent_region
    if "AWS4" in authorization:
        return authorization.split(",")[0].split("/")[2]
    return "us-east-1"


@lru_cache(maxsize=64)
def _agent_region(agent: str) -> str | None:
    """The region a User-Agent names (``region/us-east-1``), if any: a client sends the same one each time."""
    found = _REGION_IN_AGENT.search(agent)
    return found.group(1) if found else None


def _access_key_in(authorization: str) -> str:
    """The access key moto's pattern finds (``_ACCESS_KEY``), without its regex: that one backtracks
    through the whole header (about 7 µs of CPU a request); here only the few ":" and "/" are looked back from."""
    sigv4 = _SIGV4.fullmatch(authorization)
    if sigv4 is not None:
        # After the key nothing in a header of this form can end a 20-character key: the scope's
        # segments are shorter and lowercase, the signature ends the header. The last 20 characters of
        # the key are moto's answer when they are a whole run of [A-Z0-9].
        key = sigv4.group(1)
        tail = key[-20:]
        if len(tail) == 20 and _KEY_RUN.fullmatch(tail) and (len(key) == 20 or not _KEY_RUN_CHAR.match(key[-21])):
            return tail
        return "AKIAEXAMPLE"
    start = authorization.find("AWS")
    if start < 0:
        return "AKIAEXAMPLE"
    if "\n" in authorization:  # never in a header a client sends; the pattern itself decides
        found = _ACCESS_KEY.search(authorization)
        return found.group(1) if found else "AKIAEXAMPLE"
    last = None
    # A separator after a 20-character key that starts after "AWS"; lookbehinds see before ``pos``.
    for last in _AFTER_KEY.finditer(authorization, start + 23):  # noqa: B007 (the last one is wanted)
        pass
    return "AKIAEXAMPLE" if last is None else authorization[last.start() - 20 : last.start()]


class _PlainHeaders:
    """botocore's request headers read case-insensitively from one plain dict. Its ``HeadersDict`` makes
    a key object and goes through ``MutableMapping.get`` for every lookup, and a request is looked at
    for six or more headers."""

    __slots__ = ("_values",)

    def __init__(self, values: dict[str, Any]) -> None:
        self._values = values

    def get(self, name: str, default: Any = None) -> Any:
        return self._values.get(name.lower(), default)


def _plain_headers(headers: Any) -> Any:
    # HeadersDict keeps each header under a key object holding its lowercased name (``_lower``); any
    # other mapping is read as it is.
    if type(headers) is HeadersDict:
        try:
            return _PlainHeaders({key._lower: value for key, value in headers._dict.items()})
        except AttributeError:  # another botocore's HeadersDict: read it through its own interface
            pass
    return headers


def request_body(request: Any) -> Any:
    """The body of a request as sent, left readable for moto: botocore's prepared request (the decorator's
    hook, and routes in moto before 5.2.4), or a werkzeug request (moto 5.2.4's hook, and routes since),
    which keeps what it read."""
    get_data = getattr(request, "get_data", None)
    if get_data is not None:
        return get_data(cache=True)
    body = request.body
    if hasattr(body, "read"):
        position = body.tell() if hasattr(body, "tell") else None
        data = body.read()
        if position is not None:
            body.seek(position)
        return data
    return body


def answer_route(
    route: Route, request: Any, parts: SplitResult | None = None, headers: Any = None
) -> tuple[int, dict[str, str], Any] | None:
    """Answer a request (URL, method, headers, body) already routed to one of our operations, or None
    where moto's path must answer it. Shared by ``mock_aws`` and the servers, so both give the same bytes.
    ``parts``, ``headers``: the request's URL already split, and its headers as read, if the caller has them."""
    if parts is None:
        parts = urlsplit(_url_of(request))
    if headers is None:
        headers = request.headers
    if "gzip" in _text(headers.get("Content-Encoding", "")):
        return None  # moto's path decompresses it
    # A query-string Action never overrides the operation the X-Amz-Target header named (see _get_action).
    authorization = _text(headers.get("Authorization", ""))
    access_key = _access_key_in(authorization)
    region = _region(_url_of(request), headers, authorization)
    moto_account = headers.get("x-moto-account-id")
    header_account = _text(moto_account) if moto_account else None
    account = _moto.direct_request_account(route.service, parts, access_key, header_account, region)
    if account is None:
        return None
    responder = route.responder.direct(account, region)
    wire = WireRequest(request_body(request), route.uri, _Query(parts.query), headers)
    return responder.answer(route.action, wire)


def request_scope(url: str, headers: Any) -> tuple[str, str]:
    """The account and region moto takes a request to be in (as moto's BaseResponse reads them)."""
    authorization = _text(headers.get("Authorization", ""))
    moto_account = headers.get("x-moto-account-id")
    account = _moto.account_for(_access_key_in(authorization), _text(moto_account) if moto_account else None)
    return account, _region(url, headers, authorization)


def _url_of(request: Any) -> str:
    """The URL as sent: a werkzeug request (moto 5.2.4's hook) keeps it in ``raw_url``."""
    raw = getattr(request, "raw_url", None)
    return str(raw) if isinstance(raw, str) else str(request.url)


def direct_answer(router: Router) -> Callable[[Any], tuple[int, dict[str, str], Any] | None]:
    """A function answering a botocore request for one of our operations, or None to let moto do it."""

    def answer(request: Any) -> tuple[int, dict[str, str], Any] | None:
        parts = urlsplit(_url_of(request))
        headers = _plain_headers(request.headers)
        route = router.match(request.method, parts.scheme, parts.netloc, parts.path, headers)
        return None if route is None else answer_route(route, request, parts, headers)

    return answer
