# The order of imports is what this script tests: ruff must not sort them or move them up.
# ruff: noqa: I001, E402
"""Run in a fresh interpreter by tests/test_registration.py: ``python import_order_probe.py ORDER``.

Imports moto and moto_glue_workflows in ORDER, then uses DataZone under ``mock_aws`` (with the
network cut off) and in a ``ThreadedMotoServer`` of this process, and prints what it saw as JSON.

ORDER is one of:

- ``moto-first``: moto (and its server), then moto_glue_workflows;
- ``us-first``: moto_glue_workflows, then moto;
- ``after-mock-started``: ``mock_aws`` started before moto_glue_workflows is imported;
- ``after-server-started``: a ``ThreadedMotoServer`` started before moto_glue_workflows is imported.
"""

from __future__ import annotations

import importlib
import json
import socket
import sys
from typing import Any

fresh = not any(name == "moto" or name.startswith(("moto.", "moto_glue_workflows")) for name in sys.modules)
order = sys.argv[1]
early_mock: Any = None
early_server: Any = None

if order == "moto-first":
    import moto
    from moto import mock_aws
    from moto.server import ThreadedMotoServer

    import moto_glue_workflows
elif order == "us-first":
    import moto_glue_workflows

    import moto
    from moto import mock_aws
    from moto.server import ThreadedMotoServer
elif order == "after-mock-started":
    import moto
    from moto import mock_aws

    early_mock = mock_aws()
    early_mock.start()
    import moto_glue_workflows
    from moto.server import ThreadedMotoServer
elif order == "after-server-started":
    import moto
    from moto.server import ThreadedMotoServer

    early_server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    early_server.start()
    import moto_glue_workflows
    from moto import mock_aws
else:
    raise SystemExit(f"unknown order {order}")

import boto3
import requests
from botocore.exceptions import ClientError
from moto.backend_index import backend_url_patterns
from moto.core.models import responses_mock
from moto.moto_api._internal import urls as moto_api_urls

from moto_glue_workflows import registration
from moto_glue_workflows.datazone import urls as datazone_urls
from moto_glue_workflows.datazone.models import datazone_backends

ROLE = "arn:aws:iam::123456789012:role/datazone-exec"
CONTROL = "/moto-api/static/datazone/job-runs"
KEYS = {"aws_access_key_id": "AKIAIOSFODNN7EXAMPLE", "aws_secret_access_key": "secret"}
observed: dict[str, Any] = {"fresh": fresh}


def registrations() -> dict[str, Any]:
    datazone_patterns = [p.pattern for service, p in backend_url_patterns if service == "datazone"]
    intercepted = [r for r in responses_mock.registered() if getattr(r.url, "pattern", None) in datazone_patterns]
    return {
        "patterns": datazone_patterns,
        "control_paths": sorted(path for path in moto_api_urls.url_paths if path.endswith(CONTROL)),
        "aliased": sys.modules["moto.datazone"] is moto_glue_workflows.datazone
        and moto.datazone is moto_glue_workflows.datazone,  # type: ignore[attr-defined]
        "requests_routes": len(intercepted),
    }


def error_of(call: Any, **kwargs: Any) -> list[Any]:
    try:
        call(**kwargs)
    except ClientError as error:
        return [error.response["Error"]["Code"], error.response["ResponseMetadata"]["HTTPStatusCode"]]
    return ["no error"]


def exercise(dz: Any, control_base: str, raw_base: str | None = None) -> dict[str, Any]:
    """Domains, a seeded run, an unserved operation and (``raw_base``) an unsigned non-botocore request."""
    seen: dict[str, Any] = {}
    domain = dz.create_domain(name="sales", domainExecutionRole=ROLE)["id"]
    seen["status"] = dz.get_domain(identifier=domain)["status"]
    seeded = requests.post(
        control_base + CONTROL,
        json={"domainIdentifier": domain, "jobIdentifier": "job", "runs": [{"status": "FAILED"}]},
        timeout=10,
    )
    seen["seed"] = seeded.status_code
    items = dz.list_job_runs(domainIdentifier=domain, jobIdentifier="job")["items"]
    seen["runs"] = [[r["runId"], r["status"]] for r in items] == [[seeded.json()["ids"][0], "FAILED"]]
    seen["unserved"] = error_of(dz.list_projects, domainIdentifier=domain)
    if raw_base:
        raw = requests.get(raw_base + "/v2/domains", timeout=10)
        seen["raw"] = [raw.status_code, [d["id"] for d in raw.json()["items"]] == [domain]]
    return seen


# Registration happened exactly once, and importing or registering again changes nothing.
observed["first"] = registrations()
moto_glue_workflows.register()
registration.register()
importlib.import_module("moto_glue_workflows")
observed["again"] = registrations()
observed["url_bases"] = datazone_urls.url_bases

# Decorator mode, with the network cut off.
attempts: list[Any] = []


def refuse(*args: Any, **kwargs: Any) -> Any:
    attempts.append(repr(args))
    raise OSError("network access attempted")


saved = (socket.getaddrinfo, socket.create_connection, socket.socket.connect)
mock = early_mock or mock_aws()
if early_mock is None:
    mock.start()
observed["mock_requests_routes"] = registrations()["requests_routes"]
socket.getaddrinfo, socket.create_connection = refuse, refuse
socket.socket.connect = lambda self, address: refuse(address)  # type: ignore[method-assign]
try:
    dz = boto3.client("datazone", region_name="us-east-1", **KEYS)
    observed["decorator"] = exercise(dz, "http://motoapi.amazonaws.com", "https://datazone.us-east-1.api.aws")
finally:
    socket.getaddrinfo, socket.create_connection, socket.socket.connect = saved  # type: ignore[method-assign]
    mock.stop()
observed["network_attempts"] = attempts
observed["cleared_on_stop"] = len(datazone_backends) == 0
with mock_aws():
    observed["fresh_mock_domains"] = boto3.client("datazone", region_name="us-east-1", **KEYS).list_domains()["items"]

# A ThreadedMotoServer in this process (started before the import, for after-server-started).
server = early_server or ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
if early_server is None:
    server.start()
try:
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    dz = boto3.client("datazone", region_name="us-east-1", endpoint_url=url, **KEYS)
    observed["server"] = exercise(dz, url)
    observed["server_reset"] = requests.post(url + "/moto-api/reset", timeout=10).status_code
    observed["server_domains_after_reset"] = dz.list_domains()["items"]
finally:
    server.stop()

print(json.dumps(observed))
