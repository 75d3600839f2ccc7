"""Every touch of moto's internals lives here.

moto's backends, URL index, server dispatcher and moto-api routes are not a public API, so the
rest of the package imports them only through this module. What this module relies on
is listed, and checked at import, in ``moto_requirements.py``; ``TESTED_MOTO`` is the range CI tests.

The rule: only our operations go through our code. Where this module wraps something of moto's (Glue's
route, the decorator's request hook, EventBridge's target delivery), everything that is not ours is
handed to moto's own code unchanged; nothing of moto's is subclassed to serve moto's own operations.
"""

from __future__ import annotations

from moto_glue_workflows.moto_requirements import SUPPORTED_MOTO, require_supported_moto

# Before the first import of moto's internals, and before anything is patched: a moto this package
# cannot work with is refused here, saying why (moto_requirements.py).
require_supported_moto()

import base64
import contextlib
import contextvars
import datetime
import functools
import importlib
import importlib.abc
import math
import os
import re
import sys
import time
import types
import warnings
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol
from urllib.parse import SplitResult

import moto
import moto.backend_index as backend_index
from moto.core.base_backend import BackendDict, BaseBackend

# moto's CloudFormation finds resource types as this class's direct subclasses (cloudformation/)
from moto.core.common_models import CloudFormationModel
from moto.core.exceptions import ServiceException
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.core.responses import ActionContext, ActionResult, BaseResponse, EmptyResult
from moto.core.serialize import get_serializer_class
from moto.core.utils import get_service_model
from moto.core.utils import unix_time as _wall_unix_time
from moto.core.utils import utcnow as wall_utcnow
from moto.moto_api import state_manager
from moto.moto_api._internal import mock_random
from moto.moto_api._internal.managed_state_model import ManagedState
from moto.utilities.utils import get_partition
from werkzeug.http import http_date

__all__ = [
    "DEFAULT_ACCOUNT_ID",
    "TESTED_MOTO",
    "ActionContext",
    "ActionResult",
    "BackendDict",
    "BaseBackend",
    "BaseResponse",
    "CloudFormationModel",
    "EmptyResult",
    "GatewayGuard",
    "ManagedState",
    "ObservedState",
    "ServiceException",
    "get_partition",
    "get_serializer_class",
    "get_service_model",
    "http_date",
    "mock_random",
    "register_control_paths",
    "register_dashboard_model",
    "register_service",
    "s3_bucket_owner",
    "serve_user_code_gateway",
    "server_mode_endpoint",
    "state_manager",
    "utcnow",
    "wall_utcnow",
]

TESTED_MOTO = SUPPORTED_MOTO

# The mock's clock (moto_glue_workflows/clock.py) is an offset over moto's wall clock; clock.py installs
# the function giving it. Every timestamp this package stamps goes through utcnow() here.
_clock_offset: Callable[[], datetime.timedelta] | None = None


def set_clock_offset_source(source: Callable[[], datetime.timedelta]) -> None:
    global _clock_offset
    _clock_offset = source


def utcnow() -> datetime.datetime:
    """moto's utcnow (naive UTC, frozen by freezegun like moto's) moved by the mock's clock.

    What moto's ``utcnow`` does, without its import per call: ``datetime.datetime`` is looked up on
    the module at each call, so freezegun's class (which it puts there) answers while time is frozen.
    """
    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    offset = None if _clock_offset is None else _clock_offset()
    return now + offset if offset else now


_last_date: tuple[int, str] = (-(2**62), "")


def http_date_now() -> str:
    """The ``Date`` header of a response made now (on the mock's clock): werkzeug's http_date, worked out
    once per second rather than per response."""
    global _last_date
    # One reading of the clock: time.time() is the wall clock datetime.now() reads (freezegun freezes
    # and ticks both), plus the mock's offset.
    offset = None if _clock_offset is None else _clock_offset()
    second = math.floor(time.time() + offset.total_seconds()) if offset else math.floor(time.time())
    last = _last_date
    if last[0] == second:
        return last[1]
    text = http_date(datetime.datetime.fromtimestamp(second, datetime.UTC))
    _last_date = (second, text)
    return text


def _clock_unix_time(dt: datetime.datetime | None = None) -> float:
    return _wall_unix_time(dt or utcnow())


def follow_clock_in_moto() -> None:
    """Let moto's Glue models (job runs, crawls, triggers) and EventBridge (event times) stamp the
    mock's clock: they imported moto's utcnow and unix_time by name."""
    import moto.events.models as events_models
    import moto.glue.models as glue_models

    glue_models.utcnow = utcnow  # type: ignore[attr-defined]
    events_models.unix_time = _clock_unix_time  # type: ignore[attr-defined]


ControlHandler = Callable[[Any, str, Any], tuple[int, dict[str, str], str]]


def register_service(name: str, module: types.ModuleType, url_patterns: list[str]) -> None:
    """Make ``module`` (holding ``<name>_backends`` and a ``urls`` submodule) a moto service.

    moto resolves a service through ``moto.<name>`` in three places: the decorator's botocore
    hook, the server's host dispatcher and its per-service Flask app. Aliasing the module there
    and adding its URL patterns to moto's index is what all three read.
    """
    from moto.core import models as core_models

    sys.modules[f"moto.{name}"] = module
    setattr(moto, name, module)
    # Under moto's lock: a mock_aws starting meanwhile either sees the new patterns or is seen
    # here as active.
    with core_models.MockAWS._mock_init_lock:
        added: list[re.Pattern[str]] = []
        for pattern in url_patterns:
            if not any(s == name and p.pattern == pattern for s, p in backend_index.backend_url_patterns):
                compiled = re.compile(pattern)
                # First, not last: the decorator's hook tries moto's ~180 patterns in order per request.
                backend_index.backend_url_patterns.insert(len(added), (name, compiled))
                added.append(compiled)
        if added and core_models.botocore_stubber.enabled:
            _intercept_in_active_mock(added)


def _intercept_in_active_mock(patterns: list[re.Pattern[str]]) -> None:
    """Route ``requests`` calls to ``patterns`` to moto in a ``mock_aws`` that started before us.

    ``mock_aws`` hands the URL patterns it knows to ``responses`` when it starts, and
    ``responses`` passes every other URL through to the network; botocore's calls are
    intercepted either way.
    """
    from moto.core import models as core_models
    from moto.core.custom_responses_mock import CallbackResponse

    stubber: Any = core_models.botocore_stubber
    # The callback moto gives responses: process_prepared_request from moto 5.2.5, process_request before.
    callback = getattr(stubber, "process_prepared_request", None) or stubber.process_request
    for method in core_models.RESPONSES_METHODS:
        for pattern in patterns:
            core_models.responses_mock.add(CallbackResponse(method=method, url=pattern, callback=callback))


def register_control_paths(paths: dict[str, ControlHandler]) -> None:
    """Serve ``paths`` (relative to ``/moto-api/static/``) in moto's moto-api, in every mode."""
    from moto.moto_api._internal import urls as moto_api_urls

    for path, handler in paths.items():
        moto_api_urls.url_paths["{0}/moto-api/static/" + path] = handler  # type: ignore[assignment]


GlueHandler = Callable[[Any, Any, Any], Any]
#: (request, full_url, headers, moto's own Glue handler) -> the answer
GlueRoute = Callable[[Any, Any, Any, GlueHandler], Any]
_GLUE_ROUTE = "{0}/$"


def route_glue_requests(route: GlueRoute) -> None:
    """Put ``route`` on Glue's one URL path (every Glue operation is a POST to ``/``), handing it moto's own
    handler: ``route`` answers our operations and passes every other request to that handler as it came,
    so moto's Glue operations run exactly as without this package, whatever a moto release changes in them.
    """
    from moto.glue import urls as glue_urls

    current = glue_urls.url_paths[_GLUE_ROUTE]
    moto_handler: GlueHandler = getattr(current, "moto_handler", current)

    def glue_route(request: Any, full_url: Any = None, headers: Any = None) -> Any:
        return route(request, full_url, headers, moto_handler)

    glue_route.moto_handler = moto_handler  # type: ignore[attr-defined]
    glue_urls.url_paths[_GLUE_ROUTE] = glue_route


def s3_object_bytes(account_id: str, bucket: str, key: str) -> bytes | None:
    """The bytes of an object in moto's S3 for ``account_id``, or None when there is none."""
    from moto.s3.exceptions import MissingBucket
    from moto.s3.models import s3_backends

    try:
        found = s3_backends[account_id][get_partition("us-east-1")].get_object(bucket, key)
    except MissingBucket:
        return None
    return None if found is None else bytes(found.value)


def s3_bucket_owner(name: str) -> str | None:
    """The account that owns the bucket ``name`` in moto's S3, or None when there is no such bucket."""
    from moto.s3.models import s3_backends

    owner = s3_backends.bucket_accounts.get(name)
    if owner is None:
        return None
    return str(owner[1] if isinstance(owner, tuple) else owner)  # (partition, account) since 5.0.28


def caller_arn(account_id: str, access_key: str, region: str) -> str:
    """The ARN that moto's STS GetCallerIdentity reports for ``access_key``."""
    from moto.sts.models import sts_backends

    _, arn, _ = sts_backends[account_id]["global"].get_caller_identity(access_key, region)
    return str(arn)


def answer_directly(answer: Callable[[Any], Any]) -> None:
    """Let ``answer`` serve requests under mock_aws before moto's own routing; it returns None to
    leave a request to moto. Every botocore client, old or new, goes through the one stubber."""
    from moto.core import models as core_models

    stubber = core_models.botocore_stubber
    moto_process = type(stubber).process_request

    def process_request(request: Any) -> Any:
        answered = answer(request)
        return moto_process(stubber, request) if answered is None else answered

    stubber.process_request = process_request  # type: ignore[method-assign]


WsgiAnswer = Callable[[dict[str, Any]], Any]
_server_answer: WsgiAnswer | None = None


def answer_in_our_servers(answer: WsgiAnswer) -> None:
    """Let ``answer`` serve requests in the servers this package starts (``serve``, ``serve_in_thread``),
    before moto's WSGI dispatch. moto's own server classes are left as they are: there every request goes
    through moto's dispatch, which reaches our operations through their routes."""
    global _server_answer
    _server_answer = answer


@functools.cache
def _request_handler(quiet: bool = False) -> type[Any]:
    """The request handler of our servers: moto's (5.2.5 and later keep underscored header names), else
    werkzeug's, which moto used before; answering our operations first.

    ``_server_answer`` takes the WSGI environ and returns ``(status line, headers, body)``, or None to leave
    the request to moto (having put back any body it read). werkzeug's handler closes every connection and
    then waits 10 ms for stray input (it cannot drain a keep-alive stream); for a request answered here the
    body was read exactly (``Content-Length``), so the connection stays open for the next request, as it
    does on AWS. Requests left to moto are served exactly as by moto's handler.
    """
    from moto.moto_server import werkzeug_app
    from werkzeug.serving import WSGIRequestHandler

    base: type[WSGIRequestHandler] = getattr(werkzeug_app, "MotoRequestHandler", WSGIRequestHandler)

    class AnswerFirstHandler(base):  # type: ignore[valid-type,misc]
        def make_environ(self) -> dict[str, Any]:
            prepared = self.__dict__.pop("_prepared_environ", None)
            return prepared if prepared is not None else super().make_environ()  # type: ignore[no-any-return]

        def run_wsgi(self) -> None:
            answer = _server_answer
            if answer is None or self.headers.get("Expect", "").lower().strip(" \t") == "100-continue":
                super().run_wsgi()
                return
            self.environ = environ = super().make_environ()
            try:
                answered = answer(environ)
            except Exception:  # moto's dispatch answers it, and reports the error as it does for its own
                answered = None
            if answered is None:
                self._prepared_environ = environ
                super().run_wsgi()
                return
            status, headers, body = answered
            code, _, reason = status.partition(" ")
            self.send_response(int(code), reason)
            for name, value in headers:
                self.send_header(name, value)
            # One write for head and body: two small writes on a kept-alive connection meet Nagle's
            # algorithm and the client's delayed ACK (40 ms a request).
            self._headers_buffer.extend((b"\r\n", body))
            self.flush_headers()

        def log_request(self, *args: Any, **kwargs: Any) -> None:
            # Quiet for the requests of user code the mock runs, or of a test's own server: werkzeug logs each.
            if not quiet:
                super().log_request(*args, **kwargs)

    return AnswerFirstHandler


def _moto_wsgi_app() -> Any:
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    return DomainDispatcherApplication(create_backend_app)


def serve(host: str, port: int, *, reload: bool = False, ssl_context: Any = None) -> None:
    """Serve every moto service, and ours, until interrupted: what ``moto_server`` does, with our handler."""
    from werkzeug.serving import run_simple

    app = _moto_wsgi_app()
    app.debug = True
    run_simple(
        host,
        port,
        app,
        threaded=True,
        use_reloader=reload,
        ssl_context=ssl_context,
        request_handler=_request_handler(),
    )


def serve_in_thread(host: str = "127.0.0.1", port: int = 0, *, quiet: bool = True) -> Any:
    """Serve every moto service, and ours, from a daemon thread; the werkzeug server (``server_address``,
    ``shutdown()``). What moto's ThreadedMotoServer does, with our handler."""
    import threading

    from werkzeug.serving import make_server

    server = make_server(host, port, _moto_wsgi_app(), True, request_handler=_request_handler(quiet))
    threading.Thread(target=server.serve_forever, name="moto-glue-server", daemon=True).start()
    return server


class GatewayGuard(Protocol):
    """What a user-code gateway asks of its run (see ``runner.gateway``)."""

    def refusal(self, environ: dict[str, Any]) -> tuple[int, str, bytes] | None:
        """Stamp the request's environ; or the status, content type and body refusing it."""

    def admitted(self) -> bool:
        """Whether the run may still reach the mock (asked while moto's reset cannot run)."""

    def reserve(self, size: int) -> bool:
        """Whether ``size`` more bytes of request body fit the run's budget (then they are taken)."""

    def release(self, size: int) -> None:
        """Give back ``size`` bytes of the budget."""


def serve_user_code_gateway(path: str, guard: GatewayGuard) -> Any:
    """Serve every moto service, and ours, on the Unix socket ``path``, from a daemon thread, for one run's
    user code; the werkzeug server (``shutdown()``, ``server_close()``).

    Each request is answered while holding moto's backend lock, which moto's reset holds while it clears
    every backend: a request from user code is answered wholly before a reset or wholly after it, and
    ``guard.admitted()``, asked under the lock, refuses it after a reset ended its run. The answer is written
    after the lock is released, so a client that does not read cannot hold up the mock."""
    import io
    import json
    import threading

    from moto.core.base_backend import backend_lock
    from werkzeug.serving import make_server

    base = _request_handler(quiet=True)
    app = _moto_wsgi_app()

    def refused(status: int, content_type: str, body: bytes) -> tuple[str, list[tuple[str, str]], bytes]:
        reason = {403: "Forbidden", 413: "Request Entity Too Large", 500: "Internal Server Error"}.get(status, "Error")
        return f"{status} {reason}", [("Content-Type", content_type)], body

    def json_refusal(status: int, code: str, message: str) -> tuple[str, list[tuple[str, str]], bytes]:
        body = json.dumps({"__type": code, "message": message}).encode()
        answer = refused(status, "application/x-amz-json-1.1", body)
        return answer[0], [*answer[1], ("x-amzn-ErrorType", code)], answer[2]

    def wsgi_answer(environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
        started: list[Any] = []
        chunks: list[bytes] = []

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            started[:] = [status, headers]
            return chunks.append

        result = app(environ, start_response)
        try:
            chunks.extend(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        return started[0], list(started[1]), b"".join(chunks)

    class GatewayHandler(base):  # type: ignore[valid-type,misc]
        timeout = 60  # seconds a client may go quiet mid-request: a run cannot pin threads forever

        def run_wsgi(self) -> None:
            # (Python's request parser has already answered "Expect: 100-continue".)
            self.environ = environ = base.make_environ(self)
            body = self._read_body(environ)
            if body is None:
                self.close_connection = True
                return
            try:
                self._answer(environ, body)
            finally:
                guard.release(len(body))

        def _read_body(self, environ: dict[str, Any]) -> bytes | None:
            """The whole body, read before moto's lock is taken (a client that sends half a body holds up only
            its own request) and within the run's budget for bodies in flight; None when the client went away
            or the budget refused it (answered)."""
            stream = environ["wsgi.input"]
            declared = str(environ.get("CONTENT_LENGTH") or "0")
            wanted = int(declared) if declared.isdigit() else 0
            chunked = bool(environ.get("wsgi.input_terminated"))  # werkzeug's reader ends at the last chunk
            if not guard.reserve(wanted):
                self._write(json_refusal(413, "RequestEntityTooLarge", _TOO_LARGE))
                return None
            taken, chunks = wanted, []
            try:
                while chunked or wanted > 0:
                    chunk = stream.read(1 << 20 if chunked else min(wanted, 1 << 20))
                    if not chunk:
                        break
                    chunks.append(chunk)
                    if chunked:
                        if not guard.reserve(len(chunk)):
                            guard.release(taken)
                            self._write(json_refusal(413, "RequestEntityTooLarge", _TOO_LARGE))
                            return None
                        taken += len(chunk)
                    else:
                        wanted -= len(chunk)
            except (OSError, ValueError):  # the client went away mid-body, or sent a broken chunk
                guard.release(taken)
                return None
            body = b"".join(chunks)
            guard.release(taken - len(body))
            return body

        def _answer(self, environ: dict[str, Any], body: bytes) -> None:
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            environ.pop("HTTP_TRANSFER_ENCODING", None)
            environ["wsgi.input_terminated"] = False
            refusal = guard.refusal(environ)
            answered: tuple[str, list[tuple[str, str]], bytes]
            if refusal is not None:
                answered = refused(*refusal)
            else:
                with backend_lock:
                    if not guard.admitted():
                        answered = json_refusal(403, "AccessDeniedException", _RUN_ENDED)
                    else:
                        answer: tuple[str, list[tuple[str, str]], bytes] | None = None
                        if _server_answer is not None:
                            try:
                                answer = _server_answer(environ)
                            except Exception:  # moto's dispatch answers it, as in our other servers
                                answer = None
                        try:
                            answered = wsgi_answer(environ) if answer is None else answer
                        except Exception as error:  # what moto's server would answer with a traceback page
                            message = f"{type(error).__name__}: {error}"[:512]
                            answered = json_refusal(500, "InternalFailure", message)
            self._write(answered, head=environ.get("REQUEST_METHOD") == "HEAD")

        def _write(self, answered: tuple[str, list[tuple[str, str]], bytes], head: bool = False) -> None:
            status, headers, body = answered
            code, _, reason = status.partition(" ")
            self.close_connection = True
            # A run ended (or reset) while its request waited has no one left to read the answer.
            with contextlib.suppress(OSError):
                self.send_response(int(code), reason)
                for name, value in headers:
                    if name.lower() in ("connection", "transfer-encoding") or (
                        name.lower() == "content-length" and not head
                    ):
                        continue
                    self.send_header(name, value)
                if not head:
                    self.send_header("Content-Length", str(len(body)))
                self.send_header("Connection", "close")
                self.end_headers()
                if not head:
                    self.wfile.write(body)

    server: Any = make_server(f"unix://{path}", 0, app, True, request_handler=GatewayHandler)
    # At most so many connections at once, however they come (the run's forwarder, or its code straight to
    # the socket): each holds a thread.
    slots = threading.BoundedSemaphore(GATEWAY_CONNECTIONS)
    serve_one = server.process_request_thread

    def process_request(request: Any, client_address: Any) -> None:
        if not slots.acquire(blocking=False):
            server.shutdown_request(request)
            return
        threading.Thread(target=serve_counted, args=(request, client_address), daemon=True).start()

    def serve_counted(request: Any, client_address: Any) -> None:
        try:
            serve_one(request, client_address)
        finally:
            slots.release()

    server.process_request = process_request
    threading.Thread(target=server.serve_forever, args=(0.05,), name="moto-glue-gateway", daemon=True).start()
    return server


GATEWAY_CONNECTIONS = 64
_TOO_LARGE = "The run's requests in flight would hold more than its budget for request bodies (512 MiB)."
_RUN_ENDED = "This run of user code has ended (its time limit passed, it was stopped, or the mock was reset)."


def glue_url_bases() -> list[str]:
    from moto.glue import urls as glue_urls

    return list(glue_urls.url_bases)


def direct_answer_allowed(service: str, url: SplitResult) -> bool:
    """Whether a request may skip moto's routing: not when a setting or tool moto applies there
    (passthrough, service whitelist, the recorder, IAM authorization) is in play."""
    settings, authenticator, config, recorder = _request_modules()
    if recorder._user_enabled:
        return False
    if authenticator.request_count >= settings.INITIAL_NO_AUTH_ACTION_COUNT:
        return False
    return not (
        config.passthrough_url(f"{url.scheme}://{url.netloc}{url.path}")
        or config.passthrough_service(service)
        or not config.service_whitelisted(service)
    )


def direct_request_account(
    service: str, url: SplitResult, access_key: str, header_account: str | None, region: str
) -> str | None:
    """The account a request answered without moto's routing belongs to, having recorded what moto
    records of every request it answers; None when moto's routing must answer it instead
    (``direct_answer_allowed``). One call per request: these three steps run on every call a test makes."""
    if not direct_answer_allowed(service, url):
        return None
    account = account_for(access_key, header_account)
    note_request(account, access_key, service, region)
    return account


@functools.cache
def _request_modules() -> tuple[Any, Any, Any, Any]:
    """moto's settings, IAM authenticator, mock config and recorder, imported once (not per request)."""
    from moto import settings
    from moto.core import config
    from moto.core.authorization import ActionAuthenticatorMixin
    from moto.moto_api import recorder

    return settings, ActionAuthenticatorMixin, config, recorder


def account_for(access_key: str, header_account: str | None) -> str:
    """The account moto's BaseResponse.get_current_account would choose."""
    chosen = os.environ.get("MOTO_ACCOUNT_ID")
    if chosen is not None:
        return chosen
    if header_account:
        return header_account
    # moto's get_account_id_from, walking the same backends in the same order. Within one account
    # the partition does not change the answer, so the partitions' backends already made are looked
    # at first; moto's __getitem__ makes any that are not, as moto's own walk does.
    iam_backends, partitions = _iam()
    for account_id, account in list(iam_backends.items()):
        for backend in list(dict.values(account)):
            if access_key in backend.access_keys:
                return str(account_id)
        if dict.__len__(account) < len(partitions):
            for partition in partitions:
                if access_key in account[partition].access_keys:
                    return str(account_id)
    return DEFAULT_ACCOUNT_ID


@functools.cache
def _iam() -> tuple[Any, tuple[str, ...]]:
    from moto.iam.models import iam_backends
    from moto.utilities.utils import PARTITION_NAMES

    return iam_backends, tuple(PARTITION_NAMES)


_partition_of = functools.lru_cache(maxsize=256)(get_partition)


def note_request(account_id: str, access_key: str, service: str, region: str) -> None:
    """What moto records of every request it answers: the access key's last use, and one more
    request before IAM authorization starts (set_initial_no_auth_action_count)."""
    # moto's mark_account_as_visited does nothing for an access key IAM does not hold (the usual case
    # in tests); looked up here without making the account's IAM backends.
    iam_backends, _ = _iam()
    account = dict.get(iam_backends, account_id)
    backend = None if account is None else dict.get(account, _partition_of(region))
    if backend is None or access_key in backend.access_keys:
        from moto.iam.models import mark_account_as_visited

        mark_account_as_visited(account_id=account_id, access_key=access_key, service=service, region=region)
    _request_modules()[1].request_count += 1


def pretty_responses() -> bool:
    """moto's MOTO_PRETTIFY_RESPONSES setting, which indents JSON answers."""
    return bool(_request_modules()[0].PRETTIFY_RESPONSES)


_ALPHANUMERIC = bytes.maketrans(b"+/", b"Az")


def request_id() -> str:
    """A 52-character alphanumeric request id, as moto makes them, from moto's seedable random source.

    One 312-bit draw, base64-encoded, instead of moto's 52 random.choice calls: this runs on every
    response.
    """
    raw = mock_random.getrandbits(312).to_bytes(39, "big")
    return base64.b64encode(raw).translate(_ALPHANUMERIC).decode("ascii")


def server_mode_endpoint() -> str | None:
    """Where moto sends a suite run with ``TEST_SERVER_MODE=true``: ``TEST_SERVER_MODE_ENDPOINT``,
    default ``http://localhost:5000``; None in decorator mode."""
    from moto import settings

    return settings.test_server_mode_endpoint() if settings.TEST_SERVER_MODE else None


class DashboardModel:
    """One entry of moto's dashboard data (``GET /moto-api/data.json``) whose instances are computed
    when the dashboard is read, from state moto's reset already clears."""

    def __init__(self, instances: Callable[[], list[Any]]) -> None:
        self._instances = instances

    @property
    def instances_tracked(self) -> list[Any]:
        return self._instances()

    @instances_tracked.setter
    def instances_tracked(self, _: list[Any]) -> None:
        """moto's reset empties every model's list; ours hold nothing between reads."""


def register_dashboard_model(service: str, name: str, instances: Callable[[], list[Any]]) -> None:
    """List ``instances()`` under ``service``/``name`` in moto's dashboard data, in every mode."""
    from moto.core.model_instances import model_data

    model_data[service][name] = DashboardModel(instances)


class ObservedState(ManagedState):
    """moto's ManagedState, calling ``on_status`` whenever a read has moved (or found) the state, so a
    model can stamp completion times or apply a pending result exactly when the state manager says."""

    @property
    def status(self) -> str:
        state = str(ManagedState.status.fget(self))  # type: ignore[attr-defined]
        self.on_status(state)
        while self._status != state:  # on_status moved the state itself (a queued run admitted or expired)
            state = str(ManagedState.status.fget(self))  # type: ignore[attr-defined]
            self.on_status(state)
        return state

    @status.setter
    def status(self, value: str) -> None:
        self._status = value

    def on_status(self, state: str) -> None:
        pass


class UnknownRegion(Exception):
    def __init__(self, region: str) -> None:
        super().__init__(f"Unknown region: {region}")
        self.region = region


def backend_for(backends: BackendDict[Any], account_id: str, region: str) -> Any:
    """The backend of one account and region; UnknownRegion where moto has none."""
    # Straight from the dicts when both already exist: moto's BackendDict.__getitem__ takes a lock and
    # compares itself with every BackendDict in use (~15 µs), on every request. A BackendDict that holds
    # an account is one moto registered when it made it (its reset empties every registered one).
    account = dict.get(backends, account_id)
    if account is not None:
        backend = dict.get(account, region)
        if backend is not None:
            return backend
    try:
        return backends[account_id][region]
    except KeyError:
        raise UnknownRegion(region) from None


# moto's Glue: the job-run and crawl models our runs extend, and its trigger parsing.
from moto.glue import exceptions as glue_exceptions
from moto.glue.models import FakeCrawl, FakeCrawler, FakeJob, FakeJobRun, FakeTrigger, GlueBackend
from moto.glue.models import glue_backends as moto_glue_backends
from moto.glue.utils import Action as MotoTriggerAction
from moto.glue.utils import Predicate as MotoTriggerPredicate

__all__ += [
    "FakeCrawl",
    "FakeCrawler",
    "FakeJob",
    "FakeJobRun",
    "FakeTrigger",
    "GlueBackend",
    "GlueResources",
    "MotoTriggerAction",
    "MotoTriggerPredicate",
    "aws_calls_in_process",
    "glue_exceptions",
    "moto_glue_backends",
    "s3_object_bytes",
]


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def _kwargs_for(method: Callable[..., Any], request: dict[str, Any], renamed: dict[str, str]) -> dict[str, Any]:
    """A moto backend method's keyword arguments from an API request (snake_case names, None when absent)."""
    import inspect

    names = [p for p in inspect.signature(method).parameters if p != "self"]
    given = {renamed.get(key, _snake(key)): value for key, value in request.items()}
    return {name: given.get(name) for name in names}


class GlueResources:
    """Jobs, crawlers and triggers in moto's Glue backend of one account and region."""

    def __init__(self, backend: GlueBackend) -> None:
        self.backend = backend

    def job(self, name: str) -> FakeJob | None:
        return self.backend.jobs.get(name)

    def crawler(self, name: str) -> FakeCrawler | None:
        return self.backend.crawlers.get(name)

    def trigger(self, name: str) -> FakeTrigger | None:
        return self.backend.triggers.get(name)

    def crawlers(self) -> list[FakeCrawler]:
        return list(self.backend.crawlers.values())

    def triggers(self, dependent_job_name: str | None = None) -> list[FakeTrigger]:
        """Every trigger, or those with an action starting ``dependent_job_name``. (Not moto's ``get_triggers``:
        it returns a page and a token on some motos, the list on others.)"""
        triggers = list(self.backend.triggers.values())
        if not dependent_job_name:
            return triggers
        return [t for t in triggers if any(a.get("JobName") == dependent_job_name for a in t.as_dict()["Actions"])]

    def job_runs(self) -> list[Any]:
        """Every job's runs, in moto's order (jobs, then runs by start)."""
        return [run for job in list(self.backend.jobs.values()) for run in list(job.job_runs)]

    def trigger_definitions(self, workflow: str) -> list[dict[str, Any]]:
        """GetTrigger's shape of every trigger in ``workflow``."""
        return [t.as_dict() for t in list(self.backend.triggers.values()) if t.workflow_name == workflow]

    def tag(self, arn: str, tags: dict[str, str]) -> None:
        self.backend.tag_resource(arn, tags)

    def untag_all(self, arn: str) -> None:
        self.backend.tagger.delete_all_tags_for_resource(arn)

    def job_exists(self, name: str) -> bool:
        return name in self.backend.jobs

    def crawler_exists(self, name: str) -> bool:
        return name in self.backend.crawlers

    def trigger_exists(self, name: str) -> bool:
        return name in self.backend.triggers

    def create_job(self, request: dict[str, Any]) -> None:
        self.backend.create_job(**_kwargs_for(self.backend.create_job, request, {}))

    def create_crawler(self, request: dict[str, Any]) -> None:
        self.backend.create_crawler(**_kwargs_for(self.backend.create_crawler, request, {}))

    def create_trigger(self, request: dict[str, Any]) -> None:
        request = dict(request)
        predicate = request.pop("Predicate", None)
        actions = request.pop("Actions", [])
        kwargs = _kwargs_for(self.backend.create_trigger, request, {"Type": "trigger_type"})
        kwargs["predicate"] = None
        if predicate:
            single = not predicate.get("Logical")
            kwargs["predicate"] = MotoTriggerPredicate({**predicate, "Logical": predicate.get("Logical") or "AND"})
            if single:
                kwargs["predicate"].logical = None
        kwargs["actions"] = [MotoTriggerAction(action) for action in actions]
        self.backend.create_trigger(**kwargs)
        if kwargs.get("trigger_type") in ("ON_DEMAND", "EVENT"):  # these never enter ACTIVATED
            self.backend.triggers[kwargs["name"]].state = "CREATED"

    def exists(self, kind: str, name: str) -> bool:
        return {"job": self.job_exists, "crawler": self.crawler_exists, "trigger": self.trigger_exists}[kind](name)

    def define(self, kind: str, request: dict[str, Any]) -> None:
        """CreateJob or CreateCrawler (``kind`` "job", "crawler")."""
        {"job": self.create_job, "crawler": self.create_crawler}[kind](request)

    def redefine(self, kind: str, request: dict[str, Any]) -> None:
        """CloudFormation's in-place update of a job or crawler."""
        {"job": self.update_job, "crawler": self.update_crawler}[kind](request)

    def delete(self, kind: str, name: str) -> None:
        {
            "job": self.backend.delete_job,
            "crawler": self.backend.delete_crawler,
            "trigger": self.backend.delete_trigger,
        }[kind](name)

    def _redefine(self, kind: str, request: dict[str, Any], current: Any) -> None:
        """Give ``current`` (a job or crawler) the definition ``request`` describes, in place: what it has run and
        whoever holds it (runs in flight, our bookkeeping) stay with it. moto has no UpdateJob or UpdateCrawler, so
        moto's own Create makes the definition (its defaults and checks) and only what Create sets from the request
        is carried over."""
        stored = self.backend.jobs if kind == "job" else self.backend.crawlers
        create = self.backend.create_job if kind == "job" else self.backend.create_crawler
        kwargs = _kwargs_for(create, {**request, "Tags": None}, {})
        # out of the store while Create runs: moto's CreateCrawler refuses a name it holds (its CreateJob does not)
        del stored[current.name]
        try:
            create(**kwargs)
            fresh = stored[current.name]
        finally:
            stored[current.name] = current
        for attribute in kwargs:
            if attribute not in ("name", "tags") and hasattr(fresh, attribute):
                setattr(current, attribute, getattr(fresh, attribute))

    def keep_job_queuing(self, name: str, enabled: bool) -> None:
        """JobRunQueuingEnabled, which moto's jobs do not keep, kept on the job (read by glue/models.py)."""
        job = self.backend.jobs.get(name)
        if job is not None:
            job.job_run_queuing_enabled = enabled  # type: ignore[attr-defined]

    def update_job(self, request: dict[str, Any]) -> None:
        """CloudFormation's in-place update of a job (UpdateJob's JobUpdate is the whole definition)."""
        job = self.backend.jobs[request["Name"]]
        self._redefine("job", request, job)
        job.last_modified_on = utcnow()

    def update_crawler(self, request: dict[str, Any]) -> None:
        """CloudFormation's in-place update of a crawler (as UpdateCrawler: a new version of its definition)."""
        crawler = self.backend.crawlers[request["Name"]]
        self._redefine("crawler", request, crawler)
        crawler.last_updated = utcnow()
        crawler.version = getattr(crawler, "version", 1) + 1

    # The Data Catalog: databases, tables and connections, with moto's own checks and errors.

    def create_database(self, name: str, database_input: dict[str, Any], tags: dict[str, str] | None) -> None:
        self.backend.create_database(name, {**database_input, "Name": name}, tags)

    def update_database(self, name: str, database_input: dict[str, Any]) -> None:
        self.backend.update_database(name, {**database_input, "Name": name})

    def delete_database(self, name: str) -> bool:
        """Delete a database and its tables; False when there is none."""
        if name not in self.backend.databases:
            return False
        self.backend.delete_database(name)
        return True

    def create_table(self, database: str, name: str, table_input: dict[str, Any]) -> None:
        self.backend.create_table(database, name, {**table_input, "Name": name})

    def update_table(self, database: str, name: str, table_input: dict[str, Any]) -> None:
        self.backend.update_table(database, name, {**table_input, "Name": name})

    def delete_table(self, database: str, name: str) -> bool:
        """False when the table (or its database) is not there."""
        found = self.backend.databases.get(database)
        if found is None or name not in found.tables:
            return False
        self.backend.delete_table(database, name)
        return True

    def create_connection(self, catalog_id: str, connection_input: dict[str, Any], tags: dict[str, str]) -> None:
        self.backend.create_connection(catalog_id, connection_input, tags)

    def connection_exists(self, name: str) -> bool:
        return name in self.backend.connections

    def delete_connection(self, name: str) -> bool:
        """Delete a Data Catalog connection (moto has no DeleteConnection); False when there is none."""
        connection = self.backend.connections.pop(name, None)
        if connection is None:
            return False
        self.backend.tagger.delete_all_tags_for_resource(connection.arn)
        return True

    def update_connection(self, catalog_id: str, connection_input: dict[str, Any]) -> None:
        """UpdateConnection (moto has none): the connection made afresh from ``connection_input``, its creation
        time and tags kept."""
        name = connection_input["Name"]
        current = self.backend.connections[name]
        tags = self.backend.get_tags(current.arn)
        del self.backend.connections[name]
        try:
            self.backend.create_connection(catalog_id, connection_input, tags)
        except BaseException:
            self.backend.connections[name] = current
            raise
        self.backend.connections[name].created_time = current.created_time


@functools.lru_cache(maxsize=64)
def _in_process_session(account_id: str, region: str) -> Any:
    """One boto3 session per account and region: a new session loads botocore's models afresh,
    which costs more than the call it makes (job handlers run at every job run)."""
    import boto3

    session = boto3.Session(region_name=region)

    def tag_account(request: Any, **_: Any) -> None:
        request.headers["x-moto-account-id"] = account_id

    session.events.register("before-sign", tag_account)
    return session


@contextlib.contextmanager
def aws_calls_in_process(account_id: str, region: str) -> Iterator[None]:
    """Let code running inside a request (job handlers) call AWS through boto3 and reach this
    moto, in the caller's account and region, in decorator and server mode alike; never real AWS.
    """
    import boto3
    from moto import mock_aws

    mock = mock_aws()
    mock.start(reset=False)
    previous_session = boto3.DEFAULT_SESSION
    previous_region = os.environ.get("AWS_DEFAULT_REGION")
    os.environ["AWS_DEFAULT_REGION"] = region
    boto3.DEFAULT_SESSION = _in_process_session(account_id, region)
    try:
        yield
    finally:
        boto3.DEFAULT_SESSION = previous_session
        if previous_region is None:
            os.environ.pop("AWS_DEFAULT_REGION", None)
        else:
            os.environ["AWS_DEFAULT_REGION"] = previous_region
        mock.stop(remove_data=False)


# moto's CloudWatch Logs: where executed job runs write their output.


def write_log_lines(account_id: str, region: str, group: str, stream: str, lines: list[str]) -> None:
    """Append ``lines`` as events to ``group``/``stream`` in moto's CloudWatch Logs, creating both if needed."""
    from moto.core.utils import unix_time_millis
    from moto.logs.models import logs_backends

    backend = logs_backends[account_id][region]
    if group not in backend.groups:
        backend.create_log_group(group, {})
    backend.ensure_log_stream(group, stream)
    if lines:
        now = int(unix_time_millis(utcnow()))
        # Straight to the group: the backend's PutLogEvents drops events more than 2 hours ahead of (or 14 days
        # behind) the wall clock, and ours carry the mock's time, which a test may have moved days on.
        backend.groups[group].put_log_events(stream, [{"timestamp": now, "message": line} for line in lines])


# moto's Glue Data Catalog and S3 objects: what crawls read and write.


def s3_listing(account_id: str, bucket: str, prefix: str) -> list[tuple[str, int]] | None:
    """(key, size) of every object under ``prefix`` in moto's S3 for ``account_id``; None when the bucket is missing."""
    from moto.s3.exceptions import MissingBucket
    from moto.s3.models import s3_backends

    try:
        found = s3_backends[account_id][get_partition("us-east-1")].get_bucket(bucket)
    except MissingBucket:
        return None
    listing = []
    for key, obj in list(found.keys.items()):
        size = getattr(obj, "size", None)  # delete markers of versioned buckets have none
        if key.startswith(prefix) and size is not None:
            listing.append((key, int(size)))
    return sorted(listing)


class CatalogTables:
    """Databases, tables and partitions in moto's Glue Data Catalog of one account and region."""

    def __init__(self, account_id: str, region: str) -> None:
        self.backend: GlueBackend = moto_glue_backends[account_id][region]

    def ensure_database(self, name: str) -> None:
        if name not in self.backend.databases:
            self.backend.create_database(name, {"Name": name})

    def table(self, database: str, name: str) -> dict[str, Any] | None:
        db = self.backend.databases.get(database)
        found = None if db is None else db.tables.get(name)
        return None if found is None else dict(found.as_dict())

    def tables(self, database: str) -> list[dict[str, Any]]:
        db = self.backend.databases.get(database)
        return [] if db is None else [t.as_dict() for t in list(db.tables.values())]

    def create_table(self, database: str, table_input: dict[str, Any]) -> None:
        self.backend.create_table(database, table_input["Name"], table_input)

    def update_table(self, database: str, table_input: dict[str, Any]) -> None:
        self.backend.update_table(database, table_input["Name"], table_input)

    def delete_table(self, database: str, name: str) -> None:
        self.backend.delete_table(database, name)

    def partitions(self, database: str, name: str) -> list[dict[str, Any]]:
        table = self.backend.databases[database].tables[name]
        return [dict(p.as_dict()) for p in list(table.partitions.values())]

    def put_partition(self, database: str, name: str, partition_input: dict[str, Any]) -> None:
        table = self.backend.databases[database].tables[name]
        key = str(partition_input["Values"])
        if key in table.partitions:
            table.update_partition(partition_input["Values"], partition_input)
        else:
            table.create_partition(partition_input)

    def delete_partition(self, database: str, name: str, values: list[str]) -> None:
        self.backend.databases[database].tables[name].partitions.pop(str(values), None)


__all__ += ["CatalogTables", "s3_listing", "write_log_lines"]


def existing_backends(backends: BackendDict[Any]) -> list[tuple[str, str, Any]]:
    """(account, region, backend) for every backend already made in ``backends``; creates none."""
    return list(backends.iter_backends())


# moto's EventBridge: service events on the default bus, and targets moto does not deliver to.


def put_service_event(
    account_id: str, region: str, source: str, detail_type: str, detail: dict[str, Any], resources: list[str]
) -> bool:
    """Put an AWS service event on the default bus of ``account_id`` and ``region``, as the service
    would, so rules and their targets receive it; nothing happens (no event id is drawn from moto's
    random source) when no rule on that bus matches it. True when it was put."""
    import copy
    import json

    from moto.events.models import events_backends
    from moto.events.utils import _BASE_EVENT_MESSAGE

    # Looked up without creating it: a test that never used EventBridge has no rule to match.
    backend = dict.get(dict.get(events_backends, account_id) or {}, region)
    if backend is None:
        return False
    bus = backend.event_buses.get("default")
    if bus is None or not bus.rules:
        return False
    candidate = copy.deepcopy(_BASE_EVENT_MESSAGE)
    candidate.update({"detail-type": detail_type, "source": source, "account": account_id, "region": region})
    candidate.update({"resources": list(resources), "detail": detail, "time": _clock_unix_time()})
    if not any(rule.event_pattern.matches_event(candidate) for rule in list(bus.rules.values())):
        return False
    backend.put_events(
        [
            {
                "Source": source,
                "DetailType": detail_type,
                "Detail": json.dumps(detail),
                "Resources": list(resources),
                "Time": _clock_unix_time(),
            }
        ]
    )
    return True


EventTargetHandler = Callable[[str, dict[str, Any], dict[str, Any]], None]


def deliver_event_targets(is_ours: Callable[[str], bool], deliver: EventTargetHandler) -> None:
    """Deliver events to the rule targets ``is_ours`` claims (by ARN) with ``deliver(rule_arn, target,
    event)``; moto raises NotImplementedError for them. Other targets go to moto as before, in order."""
    import copy

    from moto.events.models import Rule

    original = Rule.send_to_targets
    if getattr(original, "_moto_glue_workflows", False):
        return

    def send_to_targets(self: Any, original_event: Any, transform_input: bool = True) -> None:
        targets: Iterable[dict[str, Any]] = list(self.targets)
        if not any(is_ours(target["Arn"]) for target in targets):
            original(self, original_event, transform_input)
            return
        if not self.event_pattern.matches_event(original_event):
            return
        for target in targets:
            if is_ours(target["Arn"]):
                if self.state != "DISABLED":
                    deliver(self.arn, target, dict(original_event))
                continue
            single = copy.copy(self)
            single.targets = [target]
            original(single, original_event, transform_input)

    send_to_targets._moto_glue_workflows = True  # type: ignore[attr-defined]
    Rule.send_to_targets = send_to_targets  # type: ignore[method-assign]


# Step Functions: moto runs state machines with LocalStack's interpreter (moto.stepfunctions.parser), which
# this package must not import for a suite that never runs one (it costs a tenth of a second), so its Glue
# integrations are fixed when moto first imports them.


class _AfterImport:
    """A meta path finder that runs hooks on a module right after it is first executed."""

    def __init__(self) -> None:
        self.hooks: dict[str, list[Callable[[types.ModuleType], None]]] = {}

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name not in self.hooks:
            return None
        import importlib.machinery

        spec = importlib.machinery.PathFinder.find_spec(name, path, target)
        if spec is None or spec.loader is None:
            return None
        spec.loader = _HookedLoader(spec.loader, self.hooks.pop(name))
        return spec


class _HookedLoader(importlib.abc.Loader):
    def __init__(self, loader: Any, hooks: list[Callable[[types.ModuleType], None]]) -> None:
        self.loader = loader
        self.hooks = hooks

    def create_module(self, spec: Any) -> Any:
        return self.loader.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        try:
            self.loader.exec_module(module)
        except BaseException:
            # moto's own import failed: keep the hooks for the import that is tried next
            _after_import.hooks.setdefault(module.__name__, []).extend(self.hooks)
            raise
        for hook in self.hooks:
            try:
                hook(module)
            except Exception as error:  # a fix that cannot apply must not break moto's module
                import warnings

                warnings.warn(
                    f"moto_glue_workflows: could not adapt {module.__name__} ({type(error).__name__}: {error}); "
                    "it runs as moto ships it",
                    RuntimeWarning,
                    stacklevel=2,
                )

    def __getattr__(self, name: str) -> Any:  # get_source, get_filename, is_package...: the wrapped loader's
        return getattr(self.loader, name)


_after_import = _AfterImport()


def after_import(name: str, hook: Callable[[types.ModuleType], None]) -> None:
    """Run ``hook(module)`` once module ``name`` is imported: now if it already is, else right after."""
    if name in sys.modules:
        hook(sys.modules[name])
        return
    if _after_import not in sys.meta_path:
        sys.meta_path.insert(0, _after_import)
    _after_import.hooks.setdefault(name, []).append(hook)


_SFN_SERVICES = "moto.stepfunctions.parser.asl.component.state.exec.state_task.service."
SFN_GLUE = _SFN_SERVICES + "state_task_service_glue"
SFN_AWS_SDK = _SFN_SERVICES + "state_task_service_aws_sdk"
SFN_CALLBACK = _SFN_SERVICES + "state_task_service_callback"

AnswerFix = Callable[[dict[str, Any]], None]


def _fix_answers(client: Any, event: str, fix: AnswerFix) -> Any:
    def after_call(parsed: dict[str, Any], **_: Any) -> None:
        fix(parsed)

    client.meta.events.register(event, after_call, unique_id="moto-glue-workflows-sfn")
    return client


def sync_needs_a_callback_endpoint(callback_module: types.ModuleType, glue_module: types.ModuleType) -> bool:
    """True where moto's interpreter ends every ``.sync`` task with ``callback_endpoint.interrupt_all()``
    unguarded, while Glue's integration has no callback endpoint (no ``.waitForTaskToken``): there every
    ``glue:startJobRun.sync`` fails at once with "'NoneType' object has no attribute 'interrupt_all'"
    (moto 5.2.4 to 5.2.6; LocalStack guards the call)."""
    import inspect

    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.resource import ResourceCondition

    try:
        source = inspect.getsource(callback_module.StateTaskServiceCallback._eval_integration_pattern)
    except (OSError, TypeError):  # no source to read (a moto installed as bytecode only): cannot tell, leave it
        return False
    unguarded = re.search(r"finally:\s*(?:#[^\n]*\s*)*callback_endpoint\.interrupt_all\(\)", source)
    return bool(unguarded) and ResourceCondition.WaitForTaskToken not in glue_module._SUPPORTED_INTEGRATION_PATTERNS


def _run_sync_without_callback(original: Callable[..., None]) -> Callable[..., None]:
    """Glue's ``_eval_integration_pattern``, for ``.sync``: moto's own steps (timeout, sync resolver,
    polling) without the callback endpoint Glue does not have."""
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.resource import ResourceCondition

    def eval_integration_pattern(
        self: Any, env: Any, resource_runtime_part: Any, normalised_parameters: Any, state_credentials: Any
    ) -> None:
        if self.resource.condition != ResourceCondition.Sync:
            original(self, env, resource_runtime_part, normalised_parameters, state_credentials)
            return
        started = env.stack.pop()
        self.timeout.eval(env=env)
        timeout_seconds = env.stack.pop()
        env.stack.append(started)  # the sync resolver reads StartJobRun's answer from the stack
        resolver = self._build_sync_resolver(
            env=env,
            resource_runtime_part=resource_runtime_part,
            normalised_parameters=normalised_parameters,
            state_credentials=state_credentials,
        )
        outcome = self._eval_sync(
            env=env,
            sync_resolver=resolver,
            timeout_seconds=timeout_seconds,
            callback_endpoint=None,
            heartbeat_endpoint=None,
        )
        env.stack.append(outcome)

    return eval_integration_pattern


def integrate_step_functions(sync_job_run: AnswerFix, sdk_answer: AnswerFix) -> None:
    """Make moto's Step Functions interpreter run Glue as AWS's does: ``glue:startJobRun.sync`` waits for
    the run (where moto needs the fix, see ``sync_needs_a_callback_endpoint``) and outputs its JobRun as
    ``sync_job_run`` writes it; ``aws-sdk:glue:*`` outputs Glue's answers as ``sdk_answer`` writes them.
    Only the Glue clients the interpreter makes are touched; if moto's interpreter lacks what this relies
    on (``moto_requirements.STEP_FUNCTIONS_INTERNALS``), it is left as moto ships it, with a warning."""

    def glue_integration(module: types.ModuleType) -> None:
        if not _step_functions_as_needed():
            return
        service = module.StateTaskServiceGlue
        if service.__dict__.get("_moto_glue_workflows"):
            return
        service._moto_glue_workflows = True
        make_client = service._get_glue_client

        def glue_client(resource_runtime_part: Any, state_credentials: Any) -> Any:
            client = make_client(resource_runtime_part=resource_runtime_part, state_credentials=state_credentials)
            return _fix_answers(client, "after-call.glue.GetJobRun", sync_job_run)

        service._get_glue_client = staticmethod(glue_client)
        callback = importlib.import_module(SFN_CALLBACK)
        if sync_needs_a_callback_endpoint(callback, module):
            service._eval_integration_pattern = _run_sync_without_callback(service._eval_integration_pattern)

    def aws_sdk_integration(module: types.ModuleType) -> None:
        if not _step_functions_as_needed() or getattr(module.boto_client_for, "_moto_glue_workflows", False):
            return
        make_client = module.boto_client_for

        def boto_client_for(region: str, service: str, state_credentials: Any = None) -> Any:
            client = make_client(region=region, service=service, state_credentials=state_credentials)
            return _fix_answers(client, "after-call.glue", sdk_answer) if service == "glue" else client

        boto_client_for._moto_glue_workflows = True  # type: ignore[attr-defined]
        module.__dict__["boto_client_for"] = boto_client_for

    after_import(SFN_GLUE, glue_integration)
    after_import(SFN_AWS_SDK, aws_sdk_integration)


@functools.cache
def _step_functions_as_needed() -> bool:
    import warnings

    from moto_glue_workflows.moto_requirements import STEP_FUNCTIONS_INTERNALS, problems

    missing = problems(STEP_FUNCTIONS_INTERNALS)
    if missing:
        warnings.warn(
            f"moto_glue_workflows: moto {moto.__version__}'s Step Functions interpreter lacks what its Glue "
            "integration fixes rely on, so it runs as moto ships it:\n  - " + "\n  - ".join(missing),
            RuntimeWarning,
            stacklevel=2,
        )
    return not missing


# moto's CloudFormation: our resource types, and a stack whose resource of ours fails (cloudformation/).

CFN_PARSING = "moto.cloudformation.parsing"
CFN_MODELS = "moto.cloudformation.models"
_CFN_TYPE_LISTS = ("get_model_list", "get_model_map", "get_name_type_map")


def unsupported_attribute() -> Exception:
    """What a resource raises for an attribute it does not have: moto's CloudFormation answers it with
    "Template error: resource <logical id> does not support attribute type <name> in Fn::GetAtt"."""
    from moto.cloudformation.exceptions import UnformattedGetAttTemplateException

    return UnformattedGetAttTemplateException()


def refresh_cloudformation_types() -> None:
    """moto lists the resource types once (``lru_cache`` over ``CloudFormationModel.__subclasses__()``): a list
    made before our types were defined (moto's CloudFormation used before this package was imported) is dropped,
    so the next template sees them. Not imported yet: nothing listed, nothing to drop (and nothing imported)."""

    def drop_lists(module: types.ModuleType) -> None:
        # (checked here by name only: moto's CloudFormation models import this module half-way through their own
        # import, so the whole check waits for them, in handle_stack_failures)
        for name in _CFN_TYPE_LISTS:
            listed = getattr(module, name, None)
            if callable(getattr(listed, "cache_clear", None)):
                listed.cache_clear()  # type: ignore[union-attr]

    after_import(CFN_PARSING, drop_lists)


class StackView:
    """What a stack's failure handling reads and changes of one moto CloudFormation stack."""

    def __init__(self, stack: Any) -> None:
        self.stack = stack

    @property
    def status(self) -> str:
        return str(self.stack.status)

    @status.setter
    def status(self, value: str) -> None:
        self.stack.status = value

    def add_event(self, logical_id: str, physical_id: str, resource_type: str, status: str, reason: str | None) -> None:
        from moto.cloudformation.models import Event

        stack = self.stack
        event = Event(stack.stack_id, stack.name, logical_id, physical_id, resource_type, status, reason, None)
        stack.events.append(event)

    def add_stack_event(self, status: str, reason: str | None = None) -> None:
        self.stack._add_stack_event(status, resource_status_reason=reason)

    def created(self) -> list[tuple[str, Any]]:
        """(logical id, resource) of every resource of the template the stack has made, in the order made (moto's
        update leaves the resources it removed among those it has made)."""
        resource_map = self.stack.resource_map
        return [
            (logical_id, resource)
            for logical_id, resource in resource_map._parsed_resources.items()
            if hasattr(resource, "logical_resource_id") and logical_id in resource_map._resource_json_map
        ]

    def delete_created(self) -> list[tuple[str, Any, str | None]]:
        """Delete what the stack made, newest first, each as moto's DeleteStack deletes it (a failure does not stop
        the others); (logical id, resource, the failure or None) for each."""
        resource_map = self.stack.resource_map
        outcomes: list[tuple[str, Any, str | None]] = []
        for logical_id, resource in reversed(self.created()):
            problem = None
            try:
                resource_map._delete_resource(resource, resource_map._resource_json_map.get(logical_id, {}))
            except Exception as error:
                problem = str(getattr(error, "message", error))
            resource_map._parsed_resources.pop(logical_id, None)
            outcomes.append((logical_id, resource, problem))
        return outcomes

    def forget_resources(self) -> None:
        """A rolled-back stack holds no resources and shows no outputs: moto creates a resource of its template the
        first time anything reads it (ListStackResources, outputs), which would bring back what was rolled back."""
        from moto.cloudformation.parsing import OutputMap, ResourceMap

        stack = self.stack
        empty = ResourceMap(
            stack.stack_id, stack.name, stack.parameters, stack.tags, stack.region_name, stack.account_id, {}, {}
        )
        stack.resource_map = empty
        stack.output_map = OutputMap(empty, {}, stack.stack_id)

    def resolved_properties(self, logical_id: str) -> dict[str, Any]:
        """The resource's properties as the template gives them now, every Ref and Fn::GetAtt resolved."""
        import copy

        from moto.cloudformation.parsing import parse_resource

        resource_map = self.stack.resource_map
        parsed = parse_resource(copy.deepcopy(resource_map._resource_json_map[logical_id]), resource_map)
        return dict(parsed[1].get("Properties") or {}) if parsed else {}

    def update_resource(self, logical_id: str) -> None:
        """Update the resource to the template as it resolves now, as moto's UpdateStack updates one it sees changed."""
        from moto.cloudformation.parsing import parse_and_update_resource

        resource_map = self.stack.resource_map
        updated = parse_and_update_resource(
            logical_id,
            resource_map._resource_json_map[logical_id],
            resource_map,
            account_id=self.stack.account_id,
            region_name=self.stack.region_name,
        )
        if updated is not None:
            resource_map._parsed_resources[logical_id] = updated

    @property
    def stack_id(self) -> str:
        return str(self.stack.stack_id)

    @property
    def name(self) -> str:
        return str(self.stack.name)

    def events(self) -> list[tuple[str, str, str | None]]:
        """(logical id, status, reason) of the stack's events, oldest first."""
        return [(e.logical_resource_id, e.resource_status, e.resource_status_reason) for e in self.stack.events]

    def template_resources(self) -> dict[str, dict[str, Any]]:
        """The template's resources by logical id."""
        return dict(self.stack.resource_map._resource_json_map)

    def put_resource(self, logical_id: str, resource: Any) -> None:
        """Make ``resource`` the stack's resource ``logical_id`` (a rollback putting back what was replaced)."""
        self.stack.resource_map._parsed_resources[logical_id] = resource

    def delete(self) -> None:
        """DeleteStack, as moto's backend deletes a stack (a parent's rollback deleting its nested stack)."""
        from moto.cloudformation.models import cloudformation_backends

        backend = cloudformation_backends[self.stack.account_id][self.stack.region_name]
        backend.delete_stack(self.stack.stack_id)

    def forget_removed(self, which: Callable[[Any], bool]) -> None:
        """The stack no longer holds those of ``which`` its template no longer has (deleted): moto's update keeps a
        removed resource among those it made, and would hand it back, deleted, were the template to add it again."""
        resource_map = self.stack.resource_map
        parsed = resource_map._parsed_resources
        for logical_id in [key for key in parsed if key not in resource_map._resource_json_map]:
            if which(parsed[logical_id]):
                del parsed[logical_id]

    @contextlib.contextmanager
    def settling(self, settle: Callable[[], None], retire: Callable[[Any], bool]) -> Iterator[None]:
        """Within: moto's update calls ``settle`` right after changing the resources (its ``ResourceMap.update``),
        before it adds UPDATE_COMPLETE and takes the new parameters; a resource the update removes from the
        template is given to ``retire`` first (True: not deleted now)."""
        resource_map = self.stack.resource_map
        update, delete_resource = resource_map.update, resource_map._delete_resource

        def update_then_settle(*args: Any, **kwargs: Any) -> None:
            update(*args, **kwargs)
            settle()

        def retire_or_delete(resource: Any, resource_json: dict[str, Any]) -> None:
            if not retire(resource):
                delete_resource(resource, resource_json)

        resource_map.update, resource_map._delete_resource = update_then_settle, retire_or_delete
        try:
            yield
        finally:
            del resource_map.update, resource_map._delete_resource  # the class's again

    def template(self) -> tuple[Any, dict[str, Any], dict[str, Any]]:
        """The template as given, as parsed, and the parameters: what an update that fails goes back to."""
        return self.stack.template, self.stack.template_dict, dict(self.stack.resource_map.input_parameters)

    def restore(self, template: Any, template_dict: dict[str, Any], parameters: dict[str, Any]) -> None:
        """Bring the stack's resources back to ``template_dict`` (moto's own update, from where the failed one
        stopped), and the stack to that template."""
        resource_map = self.stack.resource_map
        resource_map.input_parameters = parameters  # (moto's update keeps the current ones when given none)
        with warnings.catch_warnings():
            # What the failed update added but could not create is not there to delete: expected in a rollback.
            warnings.filterwarnings("ignore", message="Unable to delete .*, as it was never created")
            resource_map.update(template_dict, parameters)
        self.stack.template = template
        self.stack.template_dict = template_dict
        self.stack.output_map = self.stack._create_output_map()


CreateFailure = Callable[[StackView, BaseException], bool]
#: the stack, the error, and the stack's template, parsed template and parameters before the update
UpdateFailure = Callable[[StackView, BaseException, tuple[Any, dict[str, Any], dict[str, Any]]], bool]

#: statuses our rollback leaves that CloudFormation's UpdateStack refuses (moto refuses ROLLBACK_COMPLETE itself)
_NOT_UPDATABLE = ("ROLLBACK_FAILED", "UPDATE_ROLLBACK_FAILED")

#: the stacks whose resources are being created or updated, outermost first (a nested stack is made inside its
#: parent's operation: moto's AWS::CloudFormation::Stack calls CreateStack)
_STACKS_IN_OPERATION: contextvars.ContextVar[tuple[Any, ...]] = contextvars.ContextVar(
    "moto_glue_workflows_stacks", default=()
)


@contextlib.contextmanager
def _in_operation(stack: Any) -> Iterator[Any]:
    """The stack's operation; yields the stack whose operation this one runs inside (None: not nested)."""
    outer = _STACKS_IN_OPERATION.get()
    token = _STACKS_IN_OPERATION.set((*outer, stack))
    try:
        yield outer[-1] if outer else None
    finally:
        _STACKS_IN_OPERATION.reset(token)


def handle_stack_failures(
    create_failed: CreateFailure,
    update_failed: UpdateFailure,
    updated: Callable[[StackView], None],
    update_scope: Callable[[], contextlib.AbstractContextManager[Any]],
    nested_failed: Callable[[StackView, StackView], BaseException],
    retire: Callable[[Any], bool],
) -> None:
    """Have moto's stacks call ``create_failed`` / ``update_failed`` when creating or updating their resources raises,
    and ``updated`` once an update has made its resource changes, before moto marks the stack UPDATE_COMPLETE and
    takes its new parameters, role and tags (so ``updated`` failing is the update failing);
    each returns True when it has dealt with the failure (a resource of ours failed: the stack rolled back), False to
    let moto's own behaviour stand (the error goes to the caller as before). An update runs inside
    ``update_scope()``, and a resource it removes from the template goes to ``retire`` (True: kept for the update's
    end) before moto would delete it. A nested stack that rolled back raises ``nested_failed(child, parent)`` into its parent's
    operation, as CloudFormation fails the parent's AWS::CloudFormation::Stack resource. Applied when moto imports
    its CloudFormation models (moto's ``Stack.create_resources`` and ``Stack.update``)."""

    def wrap(module: types.ModuleType) -> None:
        if not _cloudformation_as_needed():
            return
        stack_class = module.Stack
        if stack_class.__dict__.get("_moto_glue_workflows"):
            return
        stack_class._moto_glue_workflows = True
        create_resources = stack_class.create_resources
        update = stack_class.update

        def create_resources_or_roll_back(self: Any) -> None:
            with _in_operation(self) as parent:
                try:
                    create_resources(self)
                except Exception as error:
                    if not create_failed(StackView(self), error):
                        raise
                    if parent is not None:
                        raise nested_failed(StackView(self), StackView(parent)) from error

        def update_or_roll_back(self: Any, template: str, *args: Any, **kwargs: Any) -> None:
            if self.status in _NOT_UPDATABLE:
                from moto.cloudformation.exceptions import ValidationError

                message = f"Stack:{self.stack_id} is in {self.status} state and can not be updated."
                raise ValidationError(self.stack_id, message=message)
            view = StackView(self)
            before = view.template()
            with _in_operation(self), update_scope():
                try:
                    with view.settling(lambda: updated(view), retire):
                        update(self, template, *args, **kwargs)
                except Exception as error:
                    if not update_failed(view, error, before):
                        raise

        stack_class.create_resources = create_resources_or_roll_back
        stack_class.update = update_or_roll_back

    after_import(CFN_MODELS, wrap)


@functools.cache
def _cloudformation_as_needed() -> bool:
    import warnings

    from moto_glue_workflows.moto_requirements import CLOUDFORMATION_INTERNALS, problems

    missing = problems(CLOUDFORMATION_INTERNALS)
    if missing:
        warnings.warn(
            f"moto_glue_workflows: moto {moto.__version__}'s CloudFormation lacks what our resource types rely on, "
            "so it runs as moto ships it (our types may be unseen, and a failing one does not roll back):\n  - "
            + "\n  - ".join(missing),
            RuntimeWarning,
            stacklevel=2,
        )
    return not missing
