"""Where a call's time goes under ``mock_aws``: a cProfile breakdown and unprofiled component timings.

``profile_calls`` runs a call under cProfile and attributes cumulative time to the stages of
the decorator-mode request path: this package's direct path for its own operations (routing,
request identity, input, handler, serializer), and moto's (URL matching, request normalisation,
the response class, handlers, the serializer) for moto's. Functions are
found by file and name, so a stage that no longer exists shows as ``n/a`` instead of failing.

cProfile inflates call-heavy code more than the rest, so ``component_timings`` also times each
stage on its own, unprofiled, with the very objects one real request used.

Runs inside a worker process, under ``mock_aws``.
"""

from __future__ import annotations

import cProfile
import pstats
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

StatsDict = dict[tuple[str, int, str], tuple[Any, ...]]

#: what the unprofiled timings here measure: this process's CPU time, which other load on the
#: machine barely disturbs (cProfile itself keeps its own wall-clock timer)
CLOCK = time.process_time


@dataclass(frozen=True)
class Fn:
    """Functions whose file contains ``path`` and whose name is ``name`` (``*``: any)."""

    path: str
    name: str = "*"
    exclude: tuple[str, ...] = ()

    def matches(self, key: tuple[str, int, str]) -> bool:
        filename, _, name = key
        filename = filename.replace("\\", "/")
        return (
            self.path in filename
            and (self.name == "*" or self.name == name)
            and not any(part in filename for part in self.exclude)
        )


def cumulative(stats: StatsDict, fn: Fn) -> float | None:
    found = [value[3] for key, value in stats.items() if fn.matches(key)]
    return sum(found) if found else None


def called_from(stats: StatsDict, callee: Fn, caller: Fn) -> float | None:
    """Cumulative time of ``callee`` when called directly by ``caller``."""
    total, found = 0.0, False
    for key, value in stats.items():
        if not callee.matches(key):
            continue
        for caller_key, caller_value in value[4].items():
            if caller.matches(caller_key):
                total += caller_value[3]
                found = True
    return total if found else None


Measure = Callable[[StatsDict], float | None]


@dataclass
class Stage:
    label: str
    measure: Measure
    children: list[Stage] = field(default_factory=list)


def _cum(path: str, name: str = "*") -> Measure:
    return lambda stats: cumulative(stats, Fn(path, name))


def _from(path: str, name: str, caller_path: str, caller_name: str, exclude: tuple[str, ...] = ()) -> Measure:
    return lambda stats: called_from(stats, Fn(path, name, exclude), Fn(caller_path, caller_name))


def _own(path: str, name: str) -> Measure:
    def measure(stats: StatsDict) -> float | None:
        found = [value[2] for key, value in stats.items() if Fn(path, name).matches(key)]
        return sum(found) if found else None

    return measure


def _difference(whole: Measure, part: Measure) -> Measure:
    def measure(stats: StatsDict) -> float | None:
        a, b = whole(stats), part(stats)
        return None if a is None or b is None else a - b

    return measure


def _sum(*parts: Measure) -> Measure:
    def measure(stats: StatsDict) -> float | None:
        values = [v for v in (part(stats) for part in parts) if v is not None]
        return sum(values) if values else None

    return measure


STUBBER = "moto/core/botocore_stubber.py"
OURS = "moto_glue_workflows/"
CORE = "moto/core/responses.py"
PATTERN_MATCH = "<method 'match' of 're.Pattern' objects>"
ODICT_UPDATE = "<method 'update' of 'collections.OrderedDict' objects>"

TOTAL = _cum("botocore/client.py", "_make_api_call")
MOTO = _cum(STUBBER, "__call__")

REQUEST_PATH = Stage(
    "boto3 call (BaseClient._make_api_call)",
    TOTAL,
    [
        Stage("botocore client side: serialize, sign, events, parse", _difference(TOTAL, MOTO)),
        Stage(
            "moto botocore_stubber (everything server-side)",
            MOTO,
            [
                Stage(
                    "moto_glue_workflows' direct path (our operations; moto's rows below stay empty)",
                    _cum(OURS + "protocol/direct_routes.py", "answer"),
                    [
                        Stage(
                            "URL split + route (host, X-Amz-Target or URI)",
                            _cum(OURS + "protocol/direct_routes.py", "match"),
                        ),
                        Stage(
                            "account, access key, region, settings, IAM bookkeeping",
                            _sum(
                                _cum(OURS + "_moto.py", "direct_request_account"),
                                _cum(OURS + "protocol/direct_routes.py", "_access_key_in"),
                                _cum(OURS + "protocol/direct_routes.py", "_region"),
                            ),
                        ),
                        Stage("responder set-up (Date header)", _cum(OURS + "protocol/model_response.py", "direct")),
                        Stage("read + check input (once per distinct input)", _cum(OURS, "checked_params")),
                        Stage(
                            "handler + backend",
                            _from(
                                OURS,
                                "*",
                                OURS + "protocol/model_response.py",
                                "answer",
                                exclude=("protocol/", "_moto.py"),
                            ),
                        ),
                        Stage("output shape conversion", _cum(OURS + "protocol/json_output.py", "convert")),
                        Stage("JSON encoding", _from(OURS + "protocol/json_output.py", "<lambda>", OURS, "answer")),
                        Stage("request id", _cum(OURS + "_moto.py", "request_id")),
                    ],
                ),
                Stage(
                    "URL parse + passthrough/whitelist checks",
                    _sum(
                        _from("moto/core/utils.py", "get_equivalent_url_in_aws_domain", STUBBER, "process_request"),
                        _from("moto/core/config.py", "*", STUBBER, "process_request"),
                    ),
                ),
                Stage(
                    "re.Pattern.match in process_request (service scan + backend.urls)",
                    _from("~", PATTERN_MATCH, STUBBER, "process_request"),
                ),
                Stage("re.compile(url) per request", _from("re/__init__.py", "compile", STUBBER, "process_request")),
                Stage("backends.get_backend", _from("moto/backends.py", "get_backend", STUBBER, "process_request")),
                Stage("BaseBackend.urls (rebuilt per request)", _from("base_backend.py", "urls", STUBBER, "*")),
                Stage("process_request's own loop (one iteration per pattern tried)", _own(STUBBER, "process_request")),
                Stage(
                    "normalize_request (werkzeug Request)",
                    _from("moto/core/request.py", "normalize_request", STUBBER, "process_request"),
                ),
                Stage("request.raw_url (werkzeug url_root)", _from("moto/core/request.py", "raw_url", STUBBER, "*")),
                Stage("recorder._record_request", _from("recorder", "_record_request", STUBBER, "*")),
                Stage(
                    "response class: dispatch",
                    _cum(CORE, "dispatch"),
                    [
                        Stage(
                            "BaseResponse.setup_class",
                            _cum(CORE, "setup_class"),
                            [
                                Stage(
                                    "account: get_current_account + mark_account_as_visited",
                                    _sum(
                                        _from(CORE, "get_current_account", CORE, "setup_class"),
                                        _from("moto/iam/models.py", "mark_account_as_visited", CORE, "setup_class"),
                                    ),
                                ),
                                Stage("get_region_from_url", _from(CORE, "get_region_from_url", CORE, "setup_class")),
                                Stage(
                                    "querystring.update(headers): no query, no body -> every header",
                                    _from("~", ODICT_UPDATE, CORE, "setup_class"),
                                ),
                                Stage(
                                    "werkzeug lazy properties (data, form, files, ...)",
                                    _from("werkzeug/utils.py", "__get__", CORE, "setup_class"),
                                ),
                                Stage("_decode_dict(querystring)", _from(CORE, "_decode_dict", CORE, "setup_class")),
                                Stage("utcnow + http_date", _from("werkzeug/http.py", "http_date", CORE, "*")),
                            ],
                        ),
                        Stage(
                            "call_action",
                            _from("/", "call_action", CORE, "_dispatch"),
                            [
                                Stage(
                                    "IAM authorization check",
                                    _from("authorization.py", "_authenticate_and_authorize_normal_action", "/", "*"),
                                ),
                                Stage(
                                    "_get_action: operation route match #1",
                                    _from(CORE, "_get_action", "/", "call_action"),
                                ),
                                Stage(
                                    "method_names_from_class",
                                    _from("moto/core/utils.py", "method_names_from_class", CORE, "*"),
                                ),
                                Stage(
                                    "read params (ours)",
                                    _from("moto_glue_workflows/", "_read_params", "/", "call_action"),
                                ),
                                Stage(
                                    "validation (ours)",
                                    _from("moto_glue_workflows/validation.py", "*", "/", "call_action"),
                                ),
                                Stage(
                                    "handler + backend",
                                    _from("responses.py", "*", "/", "call_action", exclude=("moto/core/",)),
                                ),
                                Stage(
                                    "serialized: moto's model serializer",
                                    _from(CORE, "serialized", "/", "call_action"),
                                    [
                                        Stage(
                                            "_get_action: operation route match #2",
                                            _from(CORE, "_get_action", CORE, "serialized"),
                                        ),
                                        Stage(
                                            "serializer set-up (service model, protocol, class)",
                                            _sum(
                                                _from("moto/core/", "get_service_model", CORE, "serialized"),
                                                _from(CORE, "determine_response_protocol", CORE, "serialized"),
                                                _from("moto/core/serialize.py", "get_serializer_class", CORE, "*"),
                                            ),
                                        ),
                                        Stage("serialize result", _from(CORE, "execute_result", CORE, "serialized")),
                                    ],
                                ),
                                Stage(
                                    "_enrich_response (request id)", _from(CORE, "_enrich_response", "/", "call_action")
                                ),
                            ],
                        ),
                    ],
                ),
            ],
        ),
    ],
)


def _flatten(stage: Stage, stats: StatsDict, depth: int, rows: list[dict[str, Any]]) -> None:
    value = stage.measure(stats)
    rows.append({"label": stage.label, "depth": depth, "seconds": value})
    if not stage.children:
        return
    parts = [stage_value for stage_value in (child.measure(stats) for child in stage.children)]
    for child in stage.children:
        _flatten(child, stats, depth + 1, rows)
    if value is not None:
        rest = value - sum(p for p in parts if p is not None)
        rows.append({"label": "(rest, not attributed above)", "depth": depth + 1, "seconds": rest})


def _location(key: tuple[str, int, str]) -> str:
    filename, line, name = key
    if filename == "~":
        return name
    filename = filename.replace("\\", "/")
    for marker in ("site-packages/", "/lib/python3.11/", "/work/main/"):
        if marker in filename:
            filename = filename.split(marker, 1)[1]
            break
    return f"{filename}:{line}({name})"


def profile_calls(call: Callable[[], Any], calls: int, top: int) -> dict[str, Any]:
    call()
    baseline = min(calls, 500)
    start = CLOCK()
    for _ in range(baseline):
        call()
    unprofiled = (CLOCK() - start) / baseline
    profiler = cProfile.Profile()
    start = CLOCK()
    profiler.enable()
    for _ in range(calls):
        call()
    profiler.disable()
    profiled = (CLOCK() - start) / calls
    stats: StatsDict = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    rows: list[dict[str, Any]] = []
    _flatten(REQUEST_PATH, stats, 0, rows)
    for row in rows:
        if row["seconds"] is not None:
            row["seconds"] /= calls
    ranked = sorted(stats.items(), key=lambda item: item[1][3], reverse=True)
    entries = [
        {
            "calls": value[1] / calls,
            "cumulative": value[3] / calls,
            "own": value[2] / calls,
            "where": _location(key),
        }
        for key, value in ranked[:top]
    ]
    own = sorted(stats.items(), key=lambda item: item[1][2], reverse=True)
    own_entries = [
        {"calls": value[1] / calls, "cumulative": value[3] / calls, "own": value[2] / calls, "where": _location(key)}
        for key, value in own[: max(10, top // 2)]
    ]
    return {
        "calls": calls,
        "unprofiled": unprofiled,
        "profiled": profiled,
        "stages": rows,
        "top_cumulative": entries,
        "top_own": own_entries,
    }


# Unprofiled component timings


BATCH_SECONDS = 0.03


def _batch_size(function: Callable[[], Any], calls: int, batches: int) -> int:
    """Calls per batch: ``calls`` in all, but no batch much longer than BATCH_SECONDS."""
    start = CLOCK()
    function()
    once = CLOCK() - start
    return max(2, min(calls // batches, int(BATCH_SECONDS / max(once, 1e-7))))


def _best(function: Callable[[], Any], calls: int, batches: int = 7) -> float:
    """Seconds per call: the best of ``batches`` batches (timeit's convention)."""
    per_batch = _batch_size(function, calls, batches)
    best = float("inf")
    for _ in range(batches):
        start = CLOCK()
        for _ in range(per_batch):
            function()
        best = min(best, (CLOCK() - start) / per_batch)
    return best


def _best_over(function: Callable[[Any], Any], make: Callable[[], Any], calls: int, batches: int = 7) -> float:
    """Like ``_best`` for a function that needs a fresh argument each call (made untimed)."""
    per_batch = _batch_size(lambda: function(make()), calls, batches)
    best = float("inf")
    for _ in range(batches):
        inputs = [make() for _ in range(per_batch)]
        start = CLOCK()
        for item in inputs:
            function(item)
        best = min(best, (CLOCK() - start) / per_batch)
    return best


def component_timings(client: Any, method: str, kwargs: dict[str, Any], calls: int) -> list[dict[str, Any]]:
    """Each stage of one request timed alone, unprofiled, with that request's own objects."""
    import moto.backend_index as backend_index
    import moto.backends as backends
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.core.config import passthrough_url
    from moto.core.models import botocore_stubber
    from moto.core.request import normalize_request
    from moto.core.utils import camelcase_to_underscores, get_equivalent_url_in_aws_domain, method_names_from_class

    from .worker import event_names

    service_id, api = event_names(client, method)
    captured: list[Any] = []

    def grab(request: Any, **_: Any) -> None:
        captured.append(request)

    event = f"before-send.{service_id}.{api}"
    client.meta.events.register(event, grab)
    try:
        call = getattr(client, method)
        call(**kwargs)
    finally:
        client.meta.events.unregister(event, grab)
    request = captured[0]
    rows: list[dict[str, Any]] = []

    def row(label: str, depth: int, timing: Callable[[], float], note: str = "") -> None:
        try:
            rows.append({"label": label, "depth": depth, "seconds": timing(), "note": note})
        except Exception as error:
            rows.append({"label": label, "depth": depth, "seconds": None, "note": f"n/a: {error!r}"[:120]})

    row("boto3 call under mock_aws", 0, lambda: _best(lambda: call(**kwargs), calls))
    row(
        "moto: botocore_stubber.process_request(request)",
        1,
        lambda: _best(lambda: botocore_stubber.process_request(request), calls),
    )

    def clean_url() -> str:
        parsed, _ = get_equivalent_url_in_aws_domain(request.url)
        url = f"{parsed.scheme}://{parsed.netloc}{parsed.path}"
        passthrough_url(url)
        return url

    row("URL parse + passthrough check", 2, lambda: _best(clean_url, calls))
    url = clean_url()
    patterns = backend_index.backend_url_patterns
    position, service = next((i, s) for i, (s, p) in enumerate(patterns) if p.match(url))

    def scan() -> str | None:
        for name, pattern in patterns:
            if pattern.match(url):
                return name
        return None

    row(
        "service scan over backend_index.backend_url_patterns",
        2,
        lambda: _best(scan, calls),
        f"'{service}' is pattern {position + 1} of {len(patterns)}",
    )

    def backend() -> Any:
        backend_dict = backends.get_backend(service)  # type: ignore[call-overload]
        return backend_dict[DEFAULT_ACCOUNT_ID]["us-east-1"]

    row("get_backend + backend_dict[account][region]", 2, lambda: _best(backend, calls))
    the_backend = backend()
    row("backend.urls (dict rebuilt per request)", 2, lambda: _best(lambda: the_backend.urls, calls))
    urls = the_backend.urls

    def url_match() -> Any:
        for pattern, handler in urls.items():
            if re.compile(pattern).match(url):
                return handler
        return None

    handler = url_match()
    tried = list(urls).index(next(p for p in urls if re.compile(p).match(url))) + 1
    row(
        "re.compile(pattern).match over backend.urls",
        2,
        lambda: _best(url_match, calls),
        f"{tried} of {len(urls)} patterns tried",
    )
    row(
        "normalize_request (werkzeug Request from botocore's)",
        2,
        lambda: _best(lambda: normalize_request(request), calls),
    )

    def fresh() -> Any:
        return normalize_request(request)

    row(
        "response class dispatch (setup_class + call_action)",
        2,
        lambda: _best_over(lambda r: handler(r, r.raw_url, r.headers), fresh, calls),
    )
    response_class = handler.__self__
    row("setup_class", 3, lambda: _best_over(lambda r: response_class().setup_class(r), fresh, calls))
    response = response_class()
    response.setup_class(fresh())
    action = response._get_action()
    row("_get_action: operation route match (once)", 3, lambda: _best(response._get_action, calls), f"-> {action}")
    row(
        "IAM authorization check",
        3,
        lambda: _best(lambda: response._authenticate_and_authorize_normal_action("*"), calls),
    )
    row(
        "method_names_from_class(response class)",
        3,
        lambda: _best(lambda: method_names_from_class(response_class), calls),
        "per request only where moto's call_action serves the op",
    )
    handler_method = getattr(response, camelcase_to_underscores(action))
    if hasattr(response, "_read_params"):
        from moto_glue_workflows.protocol.model_response import operation_model
        from moto_glue_workflows.protocol.validation import input_validator

        operation = operation_model(response.SERVICE, action)
        row("read params (ours)", 3, lambda: _best(lambda: response._read_params(operation), calls))
        response.params = response._read_params(operation)
        check = input_validator(operation)
        row("validation (ours)", 3, lambda: _best(lambda: check(response.params, ""), calls))
    row("handler + backend", 3, lambda: _best(handler_method, calls))
    result = handler_method()
    row(
        "serialized (route match #2 + serializer set-up + serialize)",
        3,
        lambda: _best(lambda: response.serialized(result), calls),
    )
    _, headers, body = response.serialized(result)
    row(
        "_enrich_response (request id)",
        3,
        lambda: _best(lambda: response._enrich_response(dict(headers), body), calls),
    )
    return with_rests(rows)


def with_rests(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows, each one that has children followed (after them) by its time less theirs."""
    out: list[dict[str, Any]] = []

    def walk(index: int) -> int:
        row = rows[index]
        out.append(row)
        children = []
        following = index + 1
        while following < len(rows) and rows[following]["depth"] > row["depth"]:
            children.append(rows[following])
            following = walk(following)
        if children and row["seconds"] is not None:
            rest = row["seconds"] - sum(child["seconds"] or 0.0 for child in children)
            out.append(
                {"label": "(rest, not attributed above)", "depth": row["depth"] + 1, "seconds": rest, "note": ""}
            )
        return following

    index = 0
    while index < len(rows):
        index = walk(index)
    return out
