"""What a job handler is given besides its arguments: where the run is, and boto3 that reaches this mock."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class JobContext:
    """The run a handler works for.

    ``client(service)`` is a boto3 client reaching this mock in the run's account and region, in
    decorator and server mode alike; plain ``boto3.client(...)`` inside a handler does the same.
    """

    job_name: str
    job_run_id: str
    account_id: str
    region: str
    arguments: dict[str, str] = field(default_factory=dict)
    attempt: int = 0
    workflow_name: str | None = None
    workflow_run_id: str | None = None

    def client(self, service: str, **kwargs: Any) -> Any:
        import boto3

        kwargs.setdefault("region_name", self.region)
        return boto3.client(service, **kwargs)
