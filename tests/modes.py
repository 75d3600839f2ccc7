"""The three ways tests reach moto, for tests that must behave the same in each.

- ``decorator``: ``mock_aws`` in this process; control requests go to ``http://motoapi.amazonaws.com``.
- ``threaded``: the ``mgw_server`` fixture (our ``ThreadedServer`` in this process).
- ``standalone``: ``python -m moto_glue_workflows`` as a subprocess, one per test module.

``tests.mode_fixtures`` turns these into fixtures.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import requests

from tests.conftest import AWS

MODES = ["decorator", "threaded", "standalone"]
CONTROL_PATH = "/moto-api/static/datazone/job-runs"
DECORATOR_BASE = "http://motoapi.amazonaws.com"
CONSOLE_SCRIPT = Path(sys.executable).with_name("moto-glue-workflows")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_command(kind: str, port: int) -> list[str]:
    """``module``: ``python -m moto_glue_workflows -p PORT``; ``console``: the console script."""
    if kind == "module":
        return [sys.executable, "-m", "moto_glue_workflows", "-p", str(port)]
    return [str(CONSOLE_SCRIPT), "-H", "127.0.0.1", "-p", str(port)]


@contextlib.contextmanager
def standalone_server(kind: str = "module", timeout: float = 20.0) -> Iterator[str]:
    """A standalone server on a free port, killed on exit; yields its URL once it accepts connections."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "MOTO_ACCOUNT_ID"}
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(server_command(kind, port), stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            deadline = time.monotonic() + timeout
            while True:
                if process.poll() is not None:
                    log.seek(0)
                    raise RuntimeError(f"server exited with {process.returncode}: {log.read().decode()[-2000:]}")
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"server not up on port {port} after {timeout}s") from None
                    time.sleep(0.05)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def reset(url: str) -> None:
    request = urllib.request.Request(f"{url}/moto-api/reset", data=b"", method="POST")
    with urllib.request.urlopen(request) as response:
        assert response.status == 200


_session: boto3.Session | None = None


def shared_session() -> boto3.Session:
    """One session for every test: ``mock_aws`` drops boto3's default one, and a new session
    reads botocore's endpoint data again (a third of a second per test)."""
    global _session
    if _session is None:
        _session = boto3.Session()
    return _session


class Mode(AWS):
    """Shape-checked clients for one mode, plus raw access to the control endpoint."""

    def __init__(self, mode: str, endpoint_url: str | None) -> None:
        super().__init__(mode, endpoint_url)
        self.base_url = endpoint_url or DECORATOR_BASE

    def client(self, service: str, region_name: str = "us-east-1", **kwargs: Any) -> Any:
        if self.endpoint_url:
            kwargs.setdefault("endpoint_url", self.endpoint_url)
        kwargs.setdefault("aws_access_key_id", "AKIAIOSFODNN7EXAMPLE")
        kwargs.setdefault("aws_secret_access_key", "secret")
        return self.watcher.watch(shared_session().client(service, region_name=region_name, **kwargs))

    def post_control(self, body: Any = None, *, data: bytes | None = None, **kwargs: Any) -> requests.Response:
        """POST to the job-runs endpoint: ``body`` as JSON, or ``data`` as raw bytes."""
        url = self.base_url + CONTROL_PATH
        if data is not None:
            return requests.post(url, data=data, headers={"Content-Type": "application/json"}, timeout=10, **kwargs)
        return requests.post(url, json=body, timeout=10, **kwargs)

    def answer(self, response: requests.Response) -> tuple[int, str | None, Any]:
        """What a response says, free of transport details: status, error type and JSON body."""
        return response.status_code, response.headers.get("x-amzn-ErrorType"), response.json()
