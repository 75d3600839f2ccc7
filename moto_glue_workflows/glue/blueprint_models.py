"""Registered blueprints and their runs, for one account and region.

Registration reads the archive from moto's S3 at once and keeps a copy (AWS copies it to its own
service location), so later changes to the object do not change the blueprint. What the check
found is revealed through the state manager: CREATING/UPDATING -> ACTIVE or FAILED
(``glue::blueprint``), and a run's RUNNING -> SUCCEEDED or ROLLING_BACK -> FAILED
(``glue::blueprint_run``), so tests choose immediate, manual or time progression.

A run's layout runs in its own process (see ``blueprints.start_layout``). StartBlueprintRun answers
at once, and the run reads RUNNING, whatever the progression, until its layout has returned and its
resources are created; only then does the state manager move it on (the next read under
``immediate``, the default; the n-th read after that under ``manual``; the first after the delay
under ``time``). No read waits for a layout: a test that wants the end polls, as SDK users do, or
calls ``wait_for_blueprint_run``.
"""

from __future__ import annotations

import datetime
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from moto_glue_workflows import blueprints, runner
from moto_glue_workflows._moto import (
    BackendDict,
    BaseBackend,
    GlueResources,
    ObservedState,
    mock_random,
    s3_object_bytes,
    utcnow,
)
from moto_glue_workflows.glue.exceptions import (
    AlreadyExistsException,
    EntityNotFoundException,
    IllegalBlueprintStateException,
    InvalidInputException,
)
from moto_glue_workflows.glue.models import GlueWorkflowBackend, glue_workflow_backends
from moto_glue_workflows.protocol.pagination import InvalidToken, page

BLUEPRINT_MODEL = "glue::blueprint"
BLUEPRINT_RUN_MODEL = "glue::blueprint_run"
_LOCATION = re.compile(r"^s3://([^/]+)/((?:[^/]+/)*[^/]+)$")


@dataclass(frozen=True)
class BlueprintVersion:
    """One registered definition: where it came from and the checked archive."""

    location: str
    service_location: str
    description: str | None
    loaded: blueprints.LoadedBlueprint
    last_modified_on: datetime.datetime

    def to_api(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "LastModifiedOn": self.last_modified_on,
            "ParameterSpec": self.loaded.parameter_spec_json,
            "BlueprintLocation": self.location,
            "BlueprintServiceLocation": self.service_location,
        }
        if self.description is not None:
            data["Description"] = self.description
        return data


class Blueprint(ObservedState):
    def __init__(self, name: str, created_on: datetime.datetime) -> None:
        super().__init__(BLUEPRINT_MODEL, transitions=[("CREATING", "ACTIVE")])
        self.name = name
        self.created_on = created_on
        self.last_modified_on = created_on
        self.location = ""
        self.description: str | None = None
        self.active: BlueprintVersion | None = None
        self._candidate: BlueprintVersion | None = None
        self._failure: str | None = None
        self.error_message: str | None = None
        self.runs: dict[str, BlueprintRun] = {}

    def submit(
        self,
        state: str,
        location: str,
        description: str | None,
        candidate: BlueprintVersion | None,
        failure: str | None,
    ) -> None:
        """Start CREATING or UPDATING towards the candidate version, or towards FAILED."""
        self.location = location
        self.description = description
        self._candidate = candidate
        self._failure = failure
        self.last_modified_on = utcnow()
        self._transitions = [(state, "FAILED" if failure else "ACTIVE")]
        self._status = state
        self._tick = 0
        self._time_progressed = datetime.datetime.now()

    def on_status(self, state: str) -> None:
        if state == "ACTIVE" and self._candidate is not None:
            self.active, self._candidate, self.error_message = self._candidate, None, None
        elif state == "FAILED" and self._failure is not None:
            self.error_message, self._failure, self._candidate = self._failure, None, None

    def usable_version(self) -> BlueprintVersion:
        state = self.status
        if state in ("CREATING", "UPDATING") or self.active is None:
            raise IllegalBlueprintStateException(f"Blueprint {self.name} is {state} and has no active version to run.")
        return self.active

    def to_api(self, include_blueprint: bool, include_parameter_spec: bool) -> dict[str, Any]:
        state = self.status
        data: dict[str, Any] = {
            "Name": self.name,
            "CreatedOn": self.created_on,
            "LastModifiedOn": self.last_modified_on,
            "BlueprintLocation": self.location,
            "Status": state,
        }
        if self.description is not None:
            data["Description"] = self.description
        if state == "FAILED" and self.error_message:
            data["ErrorMessage"] = self.error_message
        current = self.active if state == "ACTIVE" else None
        if current is not None and include_parameter_spec:
            data["ParameterSpec"] = current.loaded.parameter_spec_json
        if current is not None and include_blueprint:
            data["BlueprintServiceLocation"] = current.service_location
        if state == "FAILED" and self.active is not None:
            data["LastActiveDefinition"] = self.active.to_api()
        return data


@dataclass
class Created:
    kind: str  # workflow, job, crawler or trigger
    name: str


class BlueprintRun(ObservedState):
    def __init__(
        self, blueprint_name: str, parameters: str | None, role_arn: str, started_on: datetime.datetime
    ) -> None:
        super().__init__(BLUEPRINT_RUN_MODEL, transitions=[("RUNNING", "SUCCEEDED")])
        self.blueprint_name = blueprint_name
        self.run_id = str(mock_random.uuid4())
        self.parameters = parameters
        self.role_arn = role_arn
        self.started_on = started_on
        self.completed_on: datetime.datetime | None = None
        self.workflow_name: str | None = None
        self.error_message: str | None = None
        self.rollback_error_message: str | None = None
        self._layout: blueprints.LayoutRun | None = None
        self._apply: Callable[[blueprints.LayoutPlan], None] | None = None
        self._settle_lock = threading.Lock()
        self._settled = False

    def attach(self, layout: blueprints.LayoutRun, apply: Callable[[blueprints.LayoutPlan], None]) -> None:
        """The run's layout, and what creates its plan's resources once it returned."""
        self._layout, self._apply = layout, apply

    def settle(self) -> None:
        """Collect the layout's outcome if it is there, without waiting for it, and apply it, once."""
        if self._settled or self._layout is None:
            return
        with self._settle_lock:
            if self._settled:
                return
            outcome = self._layout.poll()
            if outcome is None:
                return
            if isinstance(outcome, blueprints.LayoutError):
                self.failed(outcome.message, None)
            elif self._apply is not None:
                self._apply(outcome)
            self._settled = True

    def cancel(self) -> None:
        """Stop the layout if it is still going (the blueprint deleted; moto's reset ends every run, runner.registry)."""
        if self._layout is not None and not self._settled:
            self._layout.cancel()

    @property
    def status(self) -> str:
        if self._layout is not None and not self._settled:
            # The state manager's progression starts once the layout has returned.
            self.settle()
            if not self._settled:
                return "RUNNING"
        return str(ObservedState.status.fget(self))  # type: ignore[attr-defined]

    @status.setter
    def status(self, value: str) -> None:
        self._status = value

    def failed(self, message: str, rollback_error: str | None) -> None:
        self._transitions = [("RUNNING", "ROLLING_BACK"), ("ROLLING_BACK", "FAILED")]
        # Bounded like every error user code can make (runner.ERROR_LIMIT, Glue's bound on a crawl's).
        self.error_message = runner.bounded_error(message)
        self.rollback_error_message = None if rollback_error is None else runner.bounded_error(rollback_error)

    def on_status(self, state: str) -> None:
        if state in ("SUCCEEDED", "FAILED") and self.completed_on is None:
            self.completed_on = utcnow()

    def to_api(self) -> dict[str, Any]:
        state = self.status
        data: dict[str, Any] = {
            "BlueprintName": self.blueprint_name,
            "RunId": self.run_id,
            "State": state,
            "StartedOn": self.started_on,
            "RoleArn": self.role_arn,
        }
        optional = {
            "WorkflowName": self.workflow_name,
            "CompletedOn": self.completed_on,
            "Parameters": self.parameters,
        }
        data.update({key: value for key, value in optional.items() if value is not None})
        if state in ("ROLLING_BACK", "FAILED"):
            if self.error_message:
                data["ErrorMessage"] = self.error_message
            if self.rollback_error_message:
                data["RollbackErrorMessage"] = self.rollback_error_message
        return data


class GlueBlueprintBackend(BaseBackend):
    """The blueprints of one account and region."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.region = region_name
        self.blueprints: dict[str, Blueprint] = {}
        self.tags: dict[str, dict[str, str]] = {}
        self.lock = threading.RLock()

    @property
    def runner(self) -> BlueprintRunner:
        workflows = glue_workflow_backends[self.account_id][self.region_name]
        return BlueprintRunner(self, workflows.glue, workflows)

    def _check(self, name: str, location: str) -> tuple[BlueprintVersion | None, str | None]:
        """Read and check the archive now; the blueprint's status reveals the result."""
        match = _LOCATION.match(location)
        data = s3_object_bytes(self.account_id, match.group(1), match.group(2)) if match else None
        if data is None:
            return None, blueprints.missing_object_message(location)
        try:
            loaded = blueprints.load_archive(data, location)
        except blueprints.BlueprintArchiveError as error:
            return None, str(error)
        file_name = location.rsplit("/", 1)[-1]
        service_location = (
            f"s3://aws-glue-blueprints-{self.account_id}-{self.region}/{name}/{mock_random.uuid4()}/{file_name}"
        )
        return BlueprintVersion(location, service_location, None, loaded, utcnow()), None

    def create(self, name: str, description: str | None, location: str, tags: dict[str, str] | None) -> str:
        with self.lock:
            if name in self.blueprints:
                raise AlreadyExistsException(f"Blueprint with name {name} already exists.")
            candidate, failure = self._check(name, location)
            blueprint = Blueprint(name, utcnow())
            blueprint.submit("CREATING", location, description, _described(candidate, description), failure)
            self.blueprints[name] = blueprint
            self.tags[name] = dict(tags or {})
            return name

    def update(self, name: str, description: str | None, location: str) -> str:
        with self.lock:
            blueprint = self.get(name)
            state = blueprint.status
            if state in ("CREATING", "UPDATING"):
                raise IllegalBlueprintStateException(f"Blueprint {name} is {state}; wait until it is not.")
            candidate, failure = self._check(name, location)
            blueprint.submit("UPDATING", location, description, _described(candidate, description), failure)
            return name

    def delete(self, name: str) -> str:
        with self.lock:
            removed = self.blueprints.pop(name, None)
            self.tags.pop(name, None)
        for run in list(removed.runs.values()) if removed else []:
            run.cancel()
        return name

    def get(self, name: str) -> Blueprint:
        blueprint = self.blueprints.get(name)
        if blueprint is None:
            raise EntityNotFoundException(f"Blueprint {name} not found.")
        return blueprint

    def list_names(
        self, tags: dict[str, str] | None, max_results: int | None, next_token: str | None
    ) -> tuple[list[str], str | None]:
        names = [
            name
            for name in list(self.blueprints)
            if not tags or all(self.tags.get(name, {}).get(k) == v for k, v in tags.items())
        ]
        try:
            return page(names, max_results or 25, next_token, {"op": "ListBlueprints", "tags": tags})
        except InvalidToken:
            raise InvalidInputException(f"Invalid NextToken: {next_token}") from None

    def runs(self, name: str, max_results: int | None, next_token: str | None) -> tuple[list[BlueprintRun], str | None]:
        runs = list(self.get(name).runs.values())[::-1]
        try:
            return page(runs, max_results or 100, next_token, {"op": "GetBlueprintRuns", "name": name})
        except InvalidToken:
            raise InvalidInputException(f"Invalid NextToken: {next_token}") from None

    def get_run(self, name: str, run_id: str) -> BlueprintRun:
        run = self.get(name).runs.get(run_id)
        if run is None:
            raise EntityNotFoundException(f"Blueprint run {run_id} of blueprint {name} not found.")
        run.advance()
        return run


def _described(version: BlueprintVersion | None, description: str | None) -> BlueprintVersion | None:
    if version is None:
        return None
    return BlueprintVersion(
        version.location, version.service_location, description, version.loaded, version.last_modified_on
    )


class BlueprintRunner:
    """Runs a blueprint: resolves parameters, runs the layout, creates what it describes, or rolls back."""

    def __init__(self, store: GlueBlueprintBackend, glue: GlueResources, workflows: GlueWorkflowBackend) -> None:
        self.store = store
        self.glue = glue
        self.workflows = workflows

    def start(self, name: str, parameters: str | None, role_arn: str) -> str:
        with self.store.lock:
            blueprint = self.store.get(name)
            version = blueprint.usable_version()
            try:
                resolved = blueprints.resolve_parameters(version.loaded.parameter_spec, parameters)
            except blueprints.BlueprintParameterError as error:
                raise InvalidInputException(str(error)) from None
            run = BlueprintRun(name, parameters, role_arn, utcnow())
            layout = blueprints.start_layout(version.loaded, resolved, self.store.region, self.store.account_id)
            run.attach(layout, lambda plan: self.apply(plan, run))
            blueprint.runs[run.run_id] = run
        return run.run_id

    def apply(self, plan: blueprints.LayoutPlan, run: BlueprintRun) -> None:
        """Create what the layout described, or roll back and fail the run."""
        with self.store.lock:
            run.workflow_name = plan.workflow_name
            self._create(plan, run)

    def _create(self, plan: blueprints.LayoutPlan, run: BlueprintRun) -> None:
        created: list[Created] = []
        try:
            for request in plan.ordered():
                self._create_one(request, run, created)
        except Exception as error:
            run.failed(str(getattr(error, "message", error)), self._rollback(created))

    def _create_one(self, request: blueprints.GlueRequest, run: BlueprintRun, created: list[Created]) -> None:
        body = request.to_request()
        name = body["Name"]
        kind = request.KIND
        if kind == "workflow":
            self.workflows.create_workflow(
                name,
                body.get("Description"),
                body.get("DefaultRunProperties"),
                body.get("MaxConcurrentRuns"),
                body.get("Tags"),
                blueprint_details={"BlueprintName": run.blueprint_name, "RunId": run.run_id},
            )
        else:
            exists = {
                "job": self.glue.job_exists,
                "crawler": self.glue.crawler_exists,
                "trigger": self.glue.trigger_exists,
            }
            if exists[kind](name):
                raise AlreadyExistsException(f"A {kind} named {name} already exists.")
            {"job": self.glue.create_job, "crawler": self.glue.create_crawler, "trigger": self.glue.create_trigger}[
                kind
            ](body)
        created.append(Created(kind, name))

    def _rollback(self, created: list[Created]) -> str | None:
        problems = []
        for entity in reversed(created):
            try:
                if entity.kind == "workflow":
                    self.workflows.delete_workflow(entity.name)
                else:
                    self.glue.delete(entity.kind, entity.name)
            except Exception as error:
                problems.append(f"Could not delete {entity.kind} {entity.name}: {error}")
        return "; ".join(problems) or None


glue_blueprint_backends = BackendDict(GlueBlueprintBackend, "glue")
