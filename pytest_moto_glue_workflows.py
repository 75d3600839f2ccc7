"""pytest fixtures for moto_glue_workflows (the ``pytest11`` entry point, loaded whenever the package is installed).

Quiet by design: this module imports only the standard library and pytest. moto, boto3 and
moto_glue_workflows are imported, and our services registered with moto, when a test first uses one
of these fixtures (or when the suite itself imports ``moto_glue_workflows``); a suite that does
neither runs exactly as with plain moto. Every fixture name starts with ``mgw_`` so none collides
with the ``aws_credentials``, ``mocked_aws``, ``s3_client`` or ``moto_server`` of a user's conftest.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from moto_glue_workflows.control.helpers import Control
    from moto_glue_workflows.pytest_plugin import MotoServer


def _region() -> str:
    return os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"


@pytest.fixture
def mgw_credentials(monkeypatch: pytest.MonkeyPatch) -> str:
    """Fake AWS credentials in the environment (AWS_PROFILE unset), so nothing can reach AWS.

    Sets AWS_DEFAULT_REGION to itself or us-east-1, and returns that region.
    """
    from moto_glue_workflows.pytest_plugin import FAKE_CREDENTIALS

    region = _region()
    for name, value in {**FAKE_CREDENTIALS, "AWS_DEFAULT_REGION": region}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    return region


@pytest.fixture
def mgw_mock(mgw_credentials: str) -> Iterator[None]:
    """moto's ``mock_aws`` active for the test, with moto_glue_workflows registered; state is reset
    when it starts and stops. Includes ``mgw_credentials``."""
    from moto import mock_aws

    import moto_glue_workflows  # noqa: F401  (registers our services with moto)

    with mock_aws():
        yield


@pytest.fixture
def mgw_glue_client(mgw_mock: None, mgw_credentials: str) -> Any:
    """A boto3 Glue client inside ``mgw_mock``, in AWS_DEFAULT_REGION (else us-east-1)."""
    import boto3

    return boto3.client("glue", region_name=mgw_credentials)


@pytest.fixture
def mgw_datazone_client(mgw_mock: None, mgw_credentials: str) -> Any:
    """A boto3 DataZone client inside ``mgw_mock``, in AWS_DEFAULT_REGION (else us-east-1)."""
    import boto3

    return boto3.client("datazone", region_name=mgw_credentials)


@pytest.fixture
def mgw_s3_client(mgw_mock: None, mgw_credentials: str) -> Any:
    """A boto3 S3 client inside ``mgw_mock``, in AWS_DEFAULT_REGION (else us-east-1)."""
    import boto3

    return boto3.client("s3", region_name=mgw_credentials)


@pytest.fixture
def mgw_control(mgw_mock: None, mgw_credentials: str) -> Control:
    """The test-control helpers (``seed_datazone_job_runs``, ``set_job_run_outcome``, ...), run in
    this process against ``mgw_mock``, in AWS_DEFAULT_REGION (else us-east-1)."""
    from moto_glue_workflows.control.helpers import Control

    return Control(region=mgw_credentials)


@pytest.fixture(scope="session")
def mgw_server() -> Iterator[MotoServer]:
    """A moto server with our services on a free port of 127.0.0.1, one per session (and per xdist
    worker); not reset between tests. ``.endpoint_url``, ``.client(service)`` (fake credentials,
    AWS_DEFAULT_REGION else us-east-1) and ``.reset()``."""
    from moto_glue_workflows.pytest_plugin import running_server

    with running_server() as server:
        yield server


@pytest.fixture
def mgw_server_endpoint(mgw_server: MotoServer, mgw_credentials: str) -> str:
    """``mgw_server``'s URL, with every service's state reset before the test; fake credentials in
    the environment (``mgw_credentials``)."""
    mgw_server.reset()
    return mgw_server.endpoint_url


@pytest.fixture
def mgw_server_control(mgw_server_endpoint: str, mgw_credentials: str) -> Control:
    """The test-control helpers, sent to ``mgw_server`` (reset before the test), in
    AWS_DEFAULT_REGION (else us-east-1)."""
    from moto_glue_workflows.control.helpers import Control

    return Control(endpoint_url=mgw_server_endpoint, region=mgw_credentials)


# Failing tests show the workflow runs they started (moto_glue_workflows/render/pytest_report.py).
# These hooks act only once the package is in use (imported by a fixture or by the suite), and
# import the report module only then, so a suite that never uses us runs as with plain moto.


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
    report = sys.modules.get("moto_glue_workflows.render.pytest_report")
    if report is not None:
        report.end()
