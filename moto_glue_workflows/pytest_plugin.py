"""What the pytest fixtures of ``pytest_moto_glue_workflows`` stand on: the standalone server they start.

The fixtures themselves live in the top-level module ``pytest_moto_glue_workflows`` (the ``pytest11``
entry point), which imports nothing of this package, moto or boto3 until a test uses one of them:
importing this module runs the package's ``__init__``, which registers our services with moto.
"""

from __future__ import annotations

import contextlib
import os
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3

from moto_glue_workflows.registration import register

DEFAULT_REGION = "us-east-1"
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
}


def default_region() -> str:
    """The region the fixtures use: ``AWS_DEFAULT_REGION``, else us-east-1."""
    return os.environ.get("AWS_DEFAULT_REGION") or DEFAULT_REGION


@dataclass
class MotoServer:
    """A running standalone server with our services."""

    endpoint_url: str
    _server: Any

    def client(self, service: str, region_name: str | None = None, **kwargs: Any) -> Any:
        """A boto3 client for ``service`` at this server, with fake credentials."""
        kwargs.setdefault("aws_access_key_id", "AKIAIOSFODNN7EXAMPLE")
        kwargs.setdefault("aws_secret_access_key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
        return boto3.client(
            service, region_name=region_name or default_region(), endpoint_url=self.endpoint_url, **kwargs
        )

    def reset(self) -> None:
        """Clear every service's state, as ``POST /moto-api/reset`` does."""
        request = urllib.request.Request(f"{self.endpoint_url}/moto-api/reset", data=b"", method="POST")
        with urllib.request.urlopen(request) as response:
            response.read()


@contextlib.contextmanager
def running_server() -> Iterator[MotoServer]:
    """Our ThreadedServer (moto's ThreadedMotoServer, answering our operations first), on a free port of
    127.0.0.1, stopped on exit."""
    from moto_glue_workflows.server import ThreadedServer

    register()
    server = ThreadedServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield MotoServer(f"http://{host}:{port}", server)
    finally:
        server.stop()
