"""Running a blueprint's layout generator the way AWS does, in a process of its own.

AWS extracts the archive and calls ``generate_layout(user_params, system_params)`` with
``system_params = {"region": ..., "accountId": ...}`` ("Creating the blueprint layout script"),
with the working directory at the extraction root: AWS's samples open their job scripts as
``conversion/conversion.py`` and name their generator ``conversion.layout.generate_layout``,
resolved from the root ("Troubleshooting blueprint errors"). So the root, and only the root, is
on ``sys.path``: the blueprint's folder is a package (a namespace package without
``__init__.py``), a sibling module is imported as ``conversion.helper``, and a plain
``import helper`` fails as nothing in AWS's documentation or samples says it would work.

The generator runs through :mod:`moto_glue_workflows.runner`: a subprocess per run whose boto3
calls reach this mock in the caller's account and region, killed at its time limit. A failure of
any kind becomes a :class:`LayoutError` whose message is the run's ErrorMessage.
"""

from __future__ import annotations

import secrets
import signal
import string
from collections.abc import Mapping
from typing import Any

from moto_glue_workflows import runner
from moto_glue_workflows.blueprints.archive import LoadedBlueprint
from moto_glue_workflows.blueprints.errors import LayoutError
from moto_glue_workflows.blueprints.plan import LayoutPlan, build_plan
from moto_glue_workflows.blueprints.settings import DISABLED_MESSAGE, execution_enabled, time_limit

_SUFFIX_ALPHABET = string.ascii_lowercase + string.digits
SUFFIX_LENGTH = 8
_ENTRY = "moto_glue_workflows.blueprints.layout_entry"
# Imported once in the warm process rather than in every run: the entry and the awsglue.blueprint classes,
# which read botocore's Glue model when they are defined.
runner.preload(_ENTRY)
runner.preload("moto_glue_workflows.blueprints.awsglue_compat")
_STDERR_SHOWN = 500


def new_name_suffix() -> str:
    """A run's suffix for entity names. AWS documents "a randomly generated suffix" but not its
    form; eight lowercase letters and digits keep names short and readable."""
    return "".join(secrets.choice(_SUFFIX_ALPHABET) for _ in range(SUFFIX_LENGTH))


def _last_lines(text: str) -> str:
    text = text.strip()
    return text[-_STDERR_SHOWN:] if text else ""


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


class LayoutRun:
    """One started layout; :meth:`poll` / :meth:`wait` give its plan or raise its LayoutError once done."""

    def __init__(self, generator: str, name_suffix: str, handle: runner.UserCodeRun | None, failure: str | None):
        self.generator = generator
        self.name_suffix = name_suffix
        self.handle = handle
        self._failure = failure

    def poll(self) -> LayoutPlan | LayoutError | None:
        if self.handle is None:
            return LayoutError(self._failure or "")
        result = self.handle.poll()
        return None if result is None else self._outcome(result)

    def wait(self, timeout: float | None = None) -> LayoutPlan | LayoutError | None:
        """Wait for the layout, at most ``timeout`` seconds (None: until its time limit)."""
        if self.handle is None:
            return LayoutError(self._failure or "")
        result = self.handle.wait(timeout)
        return None if result is None else self._outcome(result)

    def cancel(self) -> None:
        if self.handle is not None:
            self.handle.kill()

    def _outcome(self, result: runner.RunResult) -> LayoutPlan | LayoutError:
        where = f"Layout generator {self.generator}"
        if result.timed_out:
            assert self.handle is not None
            return LayoutError(
                f"{where} did not return within the time limit of {self.handle.spec.time_limit:g} seconds "
                "and was stopped"
            )
        if result.killed:
            return LayoutError(f"{where} was stopped before it returned (the mock was reset or the blueprint deleted)")
        value = result.value
        if isinstance(value, dict) and isinstance(value.get("error"), str):
            return LayoutError(value["error"])
        if isinstance(value, dict) and "document" in value:
            try:
                return build_plan(value["document"], self.name_suffix)
            except LayoutError as error:
                return error
            except RecursionError:
                return LayoutError(f"{where} returned a workflow nested too deeply to read")
        if result.error_type:
            return LayoutError(f"Unknown error executing layout generator function {result.error_type}: {result.error}")
        stderr = _last_lines(result.stderr)
        if result.exit_status < 0:
            reason = f"{where} crashed ({_signal_name(-result.exit_status)}) before it returned"
        else:
            reason = f"{where} ended the process with exit status {result.exit_status} before it returned"
        return LayoutError(f"{reason}{': ' + stderr if stderr else ''}")


def start_layout(
    blueprint: LoadedBlueprint,
    user_params: Mapping[str, Any],
    region: str,
    account_id: str,
    *,
    name_suffix: str | None = None,
    limit: float | None = None,
) -> LayoutRun:
    """Start the blueprint's layout generator in a process of its own; returns at once."""
    suffix = new_name_suffix() if name_suffix is None else name_suffix
    generator = blueprint.layout_generator
    if not execution_enabled():
        return LayoutRun(generator, suffix, None, DISABLED_MESSAGE)
    spec = runner.RunSpec(
        code=runner.FunctionCall(
            _ENTRY, "generate", [generator, dict(user_params), {"region": region, "accountId": account_id}, suffix]
        ),
        account_id=account_id,
        region=region,
        time_limit=time_limit() if limit is None else limit,
        files=blueprint.files,
    )
    try:
        handle = runner.start(spec)
    except (OSError, ValueError) as error:
        # Archives that pass the checks yet cannot be unpacked onto a file system: "x" beside
        # "x/y", a member named ".", names longer than the file system allows.
        return LayoutRun(generator, suffix, None, f"The blueprint archive could not be extracted: {error}")
    return LayoutRun(generator, suffix, handle, None)


def run_layout(
    blueprint: LoadedBlueprint,
    user_params: Mapping[str, Any],
    region: str,
    account_id: str,
    *,
    name_suffix: str | None = None,
) -> LayoutPlan:
    """Run the layout generator to the end and return the checked plan of Glue requests.

    ``user_params`` are the resolved parameters (see ``resolve_parameters``). ``name_suffix``
    defaults to a new random suffix. Raises :class:`LayoutError` with the run's ErrorMessage.
    """
    outcome = start_layout(blueprint, user_params, region, account_id, name_suffix=name_suffix).wait()
    assert outcome is not None  # wait() without a timeout returns at the time limit at the latest
    if isinstance(outcome, LayoutError):
        raise outcome
    return outcome
