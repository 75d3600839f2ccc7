"""``Control``: every test-control operation bound to one place, in-process or a server."""

from __future__ import annotations

from typing import Any

from moto_glue_workflows.registration import control_operations


class Control:
    """Call control operations by name, e.g. ``Control().seed_datazone_job_runs(...)``.

    With ``endpoint_url`` each call is POSTed to that standalone server; without it, it runs in
    this process (decorator mode), or, when moto's ``TEST_SERVER_MODE=true`` is set, at
    ``TEST_SERVER_MODE_ENDPOINT``. ``account_id`` and ``region`` apply to every call unless a
    call names its own; without either, the region is the one boto3's clients use (``resolve_region``).
    ``clock_now()`` reads the mock's clock there too.
    """

    def __init__(self, endpoint_url: str | None = None, account_id: str | None = None, region: str | None = None):
        self.endpoint_url = endpoint_url
        self.account_id = account_id
        self.region = region
        self._operations = {op.helper_name: op for op in control_operations()}

    def __getattr__(self, name: str) -> Any:
        operations = self.__dict__.get("_operations", {})
        if name not in operations:
            raise AttributeError(name)
        operation = operations[name]

        def call(**kwargs: Any) -> dict[str, Any]:
            kwargs.setdefault("account_id", self.account_id)
            kwargs.setdefault("region", self.region)
            return operation(endpoint_url=self.endpoint_url, **kwargs)  # type: ignore[no-any-return]

        return call

    def clock_now(self) -> str:
        """The mock's time, read where this Control's other calls go."""
        from moto_glue_workflows.control.clock import clock_now

        return clock_now(endpoint_url=self.endpoint_url)

    def __dir__(self) -> list[str]:
        return sorted([*super().__dir__(), *self._operations])
