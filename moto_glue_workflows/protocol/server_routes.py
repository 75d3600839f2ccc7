"""Answer our operations in the standalone and threaded servers without Flask's dispatch.

moto's server hands every request to ``DomainDispatcherApplication``, which finds the service (by
host, then by the SigV4 credential scope), builds a Flask app per service, matches the URL against
every route of that service, builds a werkzeug request and a moto response object, and only then
reaches our ``ModelResponse.answer``. For our operations that dispatch was most of a request's cost.
Here the WSGI environ is matched the way ``direct_routes`` matches a botocore request under
``mock_aws`` (the service from the credential scope, the operation from ``X-Amz-Target`` or the
modelled URI), and answered by the same function, so both modes give the same bytes.

Anything else — moto's own operations, ``/moto-api``, a browser's CORS request (moto's Flask app
adds the CORS headers), a chunked body — goes to moto's dispatch unchanged. ``_moto`` installs this in
moto's request handler, which also keeps the connection open after an answer given here.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from http import HTTPStatus
from typing import Any
from urllib.parse import quote, urlsplit

from werkzeug.datastructures import EnvironHeaders

from moto_glue_workflows.protocol.direct_routes import Router, answer_route

_SCOPE = re.compile(r"Credential=[^/,]+/\d{8}/(?P<region>[^/,]+)/(?P<service>[^/,]+)/aws4_request")
_REASONS = {status.value: status.phrase for status in HTTPStatus}

WsgiAnswer = tuple[str, list[tuple[str, str]], bytes]


class _BodyRequest:
    """What ``answer_route`` reads of a request: its URL, method, headers and body."""

    __slots__ = ("body", "headers", "method", "url")

    def __init__(self, method: str, url: str, headers: Any, body: bytes) -> None:
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body


def _url(environ: dict[str, Any]) -> str:
    host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME', 'localhost')}:{environ.get('SERVER_PORT', '')}"
    # The request target as sent (percent-encoded), as a botocore request's URL has it: werkzeug keeps
    # it in REQUEST_URI; PATH_INFO is already decoded.
    target = environ.get("REQUEST_URI") or environ.get("RAW_URI")
    if not target:
        query = environ.get("QUERY_STRING", "")
        target = quote(environ.get("PATH_INFO", ""), safe="/") + (f"?{query}" if query else "")
    return f"{environ.get('wsgi.url_scheme', 'http')}://{host}{target}"


def server_answer(router: Router) -> Callable[[dict[str, Any]], WsgiAnswer | None]:
    """A function answering a WSGI request for one of our operations, or None to leave it to moto."""

    def answer(environ: dict[str, Any]) -> WsgiAnswer | None:
        path = environ.get("PATH_INFO", "")
        if not isinstance(path, str) or path.startswith("/moto-api") or environ.get("HTTP_ORIGIN"):
            return None
        scope = _SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
        if scope is None:
            return None
        headers = EnvironHeaders(environ)
        method = environ.get("REQUEST_METHOD", "GET")
        url = _url(environ)
        route = router.match_service(scope.group("service"), method, urlsplit(url).path, headers)
        if route is None:
            return None
        length = environ.get("CONTENT_LENGTH") or "0"
        if not length.isdigit() or environ.get("HTTP_TRANSFER_ENCODING"):
            return None
        body = environ["wsgi.input"].read(int(length)) if int(length) else b""
        environ["wsgi.input"] = io.BytesIO(body)  # moto's dispatch reads it again if it answers instead
        answered = answer_route(route, _BodyRequest(method, url, headers, body))
        if answered is None:
            return None
        status, response_headers, response_body = answered
        data = response_body.encode("utf-8") if isinstance(response_body, str) else bytes(response_body or b"")
        # The WSGI handler sends its own Date (as for moto's answers, which leave theirs out in a server):
        # a second one reaches clients joined into one unparseable value ("<date>, <date>").
        header_list = [(name, str(value)) for name, value in response_headers.items() if name.lower() != "date"]
        header_list.append(("Content-Length", str(len(data))))
        return f"{status} {_REASONS.get(status, '')}".rstrip(), header_list, data

    return answer
