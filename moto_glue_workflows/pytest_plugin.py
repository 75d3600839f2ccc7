"""pytest fixtures for suites that use moto (entry point ``pytest11``, loaded automatically).

- ``aws_credentials``: fake credentials and region in the environment, so nothing reaches AWS.
- ``mocked_aws``: ``mock_aws`` active for the test (state cleared before and after).
- ``glue_client`` / ``datazone_client`` / ``s3_client``: boto3 clients inside ``mocked_aws``.
- ``moto_server``: a standalone server on a free port, one per test session (per xdist worker);
  its ``endpoint_url``, ``client(service)`` and ``reset()``.
- ``server_endpoint``: ``moto_server``'s URL, with all state reset before the test.
- ``moto_control``: the test-control helpers, in-process (decorator mode).
- ``server_control``: the same helpers, sent to ``moto_server``.
"""

from __future__ import annotations

import sys
import urllib.request
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest

from moto_glue_workflows.control.helpers import Control

REGION = "us-east-1"


@dataclass
class MotoServer:
    """A running standalone server with our services."""

    endpoint_url: str
    _server: Any

    def client(self, service: str, region_name: str = REGION, **kwargs: Any) -> Any:
        kwargs.setdefault("aws_access_key_id", "AKIAIOSFODNN7EXAMPLE")
        kwargs.setdefault("aws_secret_access_key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
        return boto3.client(service, region_name=region_name, endpoint_url=self.endpoint_url, **kwargs)

    def reset(self) -> None:
        request = urllib.request.Request(f"{self.endpoint_url}/moto-api/reset", data=b"", method="POST")
        with urllib.request.urlopen(request) as response:
            response.read()


@pytest.fixture
def aws_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SECURITY_TOKEN": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def mocked_aws(aws_credentials: None) -> Iterator[None]:
    from moto import mock_aws

    with mock_aws():
        yield


@pytest.fixture
def glue_client(mocked_aws: None) -> Any:
    return boto3.client("glue", region_name=REGION)


@pytest.fixture
def datazone_client(mocked_aws: None) -> Any:
    return boto3.client("datazone", region_name=REGION)


@pytest.fixture
def s3_client(mocked_aws: None) -> Any:
    return boto3.client("s3", region_name=REGION)


@pytest.fixture
def moto_control(mocked_aws: None) -> Control:
    return Control()


@pytest.fixture(scope="session")
def moto_server() -> Iterator[MotoServer]:
    from moto.server import ThreadedMotoServer

    from moto_glue_workflows.registration import register

    register()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield MotoServer(f"http://{host}:{port}", server)
    finally:
        server.stop()


@pytest.fixture
def server_endpoint(moto_server: MotoServer) -> str:
    moto_server.reset()
    return moto_server.endpoint_url


@pytest.fixture
def server_control(server_endpoint: str) -> Control:
    return Control(endpoint_url=server_endpoint)


# Failing tests show the workflow runs they started (moto_glue_workflows/render/pytest_report.py).
# These hooks import the report only once the package is in use, and do nothing otherwise.


def _report_module() -> Any:
    if "moto_glue_workflows" not in sys.modules:
        return None
    from moto_glue_workflows.render import pytest_report

    return pytest_report


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, None, None]:
    yield
    report = _report_module()
    if report is not None:
        report.begin(item)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, None]:
    outcome = yield
    report = _report_module()
    if report is not None:
        report.add_section(item, outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, None, None]:
    yield
    if "moto_glue_workflows.render.pytest_report" in sys.modules:
        sys.modules["moto_glue_workflows.render.pytest_report"].end()
