"""Fixtures over ``tests.modes``: load with ``pytest_plugins = ["tests.mode_fixtures"]``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from moto import mock_aws

from moto_glue_workflows.pytest_plugin import MotoServer
from tests.modes import MODES, Mode, reset, standalone_server


@pytest.fixture(scope="module")
def standalone_url() -> Iterator[str]:
    with standalone_server() as url:
        yield url


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Mode]:
    """A test run once per mode, with state reset before (and, for servers, after)."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("MOTO_ACCOUNT_ID", raising=False)
    if request.param == "decorator":
        with mock_aws():
            yield Mode("decorator", None)
        return
    if request.param == "threaded":
        server: MotoServer = request.getfixturevalue("mgw_server")
        url = server.endpoint_url
    else:
        url = request.getfixturevalue("standalone_url")
    reset(url)
    yield Mode(request.param, url)
    reset(url)
