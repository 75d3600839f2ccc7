"""Every scenario runs twice: under ``mock_aws`` and against the standalone server.

The ``aws`` fixture hands a test boto3 clients and the control helpers for one mode; every client
it makes has its responses checked against botocore's output shapes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
import requests
from moto import mock_aws
from moto.moto_api import state_manager

from moto_glue_workflows.control.helpers import Control
from moto_glue_workflows.pytest_plugin import MotoServer
from tests.shape_checker import Watcher

ACCOUNT = "123456789012"
REGION = "us-east-1"


class AWS:
    """Clients and control helpers for one mode, with every response shape-checked."""

    def __init__(self, mode: str, endpoint_url: str | None) -> None:
        self.mode = mode
        self.endpoint_url = endpoint_url
        self.control = Control(endpoint_url=endpoint_url)
        self.watcher = Watcher()
        self._transitions: list[str] = []

    def set_transition(self, model: str, transition: dict[str, Any]) -> None:
        """Choose a state-manager progression for ``model``, the way a user of this mode would."""
        self._transitions.append(model)
        if self.endpoint_url:
            requests.post(
                f"{self.endpoint_url}/moto-api/state-manager/set-transition",
                json={"model_name": model, "transition": transition},
                timeout=10,
            ).raise_for_status()
        else:
            state_manager.set_transition(model, transition)

    def unset_transitions(self) -> None:
        for model in self._transitions:
            state_manager.unset_transition(model)
        self._transitions.clear()

    def client(self, service: str, region_name: str = REGION, **kwargs: Any) -> Any:
        if self.endpoint_url:
            kwargs.setdefault("endpoint_url", self.endpoint_url)
        kwargs.setdefault("aws_access_key_id", "AKIAIOSFODNN7EXAMPLE")
        kwargs.setdefault("aws_secret_access_key", "secret")
        return self.watcher.watch(boto3.client(service, region_name=region_name, **kwargs))


@pytest.fixture(params=["decorator", "server"])
def aws(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[AWS]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    if request.param == "decorator":
        with mock_aws():
            env = AWS("decorator", None)
            yield env
            env.unset_transitions()
    else:
        server: MotoServer = request.getfixturevalue("mgw_server")
        server.reset()
        env = AWS("server", server.endpoint_url)
        yield env
        env.unset_transitions()
        server.reset()


# Hypothesis profiles for the request fuzzing (tests/test_fuzz_requests.py), chosen with HYPOTHESIS_PROFILE:
# "ci" (default) is derandomized, so CI runs the same examples every time; "long" is for runs on demand.
def _register_hypothesis_profiles() -> None:
    import os

    from hypothesis import HealthCheck, settings

    quiet = [HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large]
    settings.register_profile(
        "ci", max_examples=40, derandomize=True, database=None, deadline=None, suppress_health_check=quiet
    )
    settings.register_profile("long", max_examples=1000, deadline=None, suppress_health_check=quiet)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


_register_hypothesis_profiles()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """How many requests each fuzzed operation was sent (recorded by tests/test_fuzz_requests.py)."""
    lines = sorted(
        str(value)
        for reports in terminalreporter.stats.values()
        for report in reports
        for name, value in getattr(report, "user_properties", [])
        if name == "fuzz_requests" and getattr(report, "when", "call") == "call"
    )
    if lines:
        terminalreporter.write_sep("-", f"requests fuzzed per operation ({len(lines)} operations)")
        for line in lines:
            terminalreporter.write_line(line)
