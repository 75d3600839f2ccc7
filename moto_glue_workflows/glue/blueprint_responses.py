"""Glue's blueprint handlers: parse, call the blueprint backend, return the model's shape."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from moto_glue_workflows._moto import ActionResult, backend_for
from moto_glue_workflows.glue.blueprint_models import GlueBlueprintBackend, glue_blueprint_backends
from moto_glue_workflows.glue.exceptions import EntityNotFoundException

BLUEPRINT_OPERATIONS = frozenset(
    {
        "CreateBlueprint",
        "UpdateBlueprint",
        "DeleteBlueprint",
        "GetBlueprint",
        "ListBlueprints",
        "BatchGetBlueprints",
        "StartBlueprintRun",
        "GetBlueprintRun",
        "GetBlueprintRuns",
    }
)


class BlueprintHandlers:
    """Mixed into the Glue response class; ``params``/``param`` come from ModelResponse."""

    params: dict[str, Any]
    current_account: str
    region: str

    if TYPE_CHECKING:

        def param(self, name: str, default: Any = None) -> Any: ...

    @property
    def blueprints(self) -> GlueBlueprintBackend:
        return backend_for(glue_blueprint_backends, self.current_account, self.region)  # type: ignore[no-any-return]

    def create_blueprint(self) -> ActionResult:
        name = self.blueprints.create(
            self.params["Name"], self.param("Description"), self.params["BlueprintLocation"], self.param("Tags")
        )
        return ActionResult({"Name": name})

    def update_blueprint(self) -> ActionResult:
        name = self.blueprints.update(self.params["Name"], self.param("Description"), self.params["BlueprintLocation"])
        return ActionResult({"Name": name})

    def delete_blueprint(self) -> ActionResult:
        return ActionResult({"Name": self.blueprints.delete(self.params["Name"])})

    def get_blueprint(self) -> ActionResult:
        blueprint = self.blueprints.get(self.params["Name"])
        blueprint.advance()
        shown = blueprint.to_api(bool(self.param("IncludeBlueprint")), bool(self.param("IncludeParameterSpec")))
        return ActionResult({"Blueprint": shown})

    def list_blueprints(self) -> ActionResult:
        names, token = self.blueprints.list_names(self.param("Tags"), self.param("MaxResults"), self.param("NextToken"))
        result: dict[str, Any] = {"Blueprints": names}
        if token:
            result["NextToken"] = token
        return ActionResult(result)

    def batch_get_blueprints(self) -> ActionResult:
        found, missing = [], []
        for name in self.params["Names"]:
            try:
                blueprint = self.blueprints.get(name)
            except EntityNotFoundException:
                missing.append(name)
                continue
            found.append(
                blueprint.to_api(bool(self.param("IncludeBlueprint")), bool(self.param("IncludeParameterSpec")))
            )
        # Both lists are always there, empty or not, as in BatchGetWorkflows (the model's min: 1 is about input).
        return ActionResult({"Blueprints": found, "MissingBlueprints": missing})

    def start_blueprint_run(self) -> ActionResult:
        run_id = self.blueprints.runner.start(
            self.params["BlueprintName"], self.param("Parameters"), self.params["RoleArn"]
        )
        return ActionResult({"RunId": run_id})

    def get_blueprint_run(self) -> ActionResult:
        run = self.blueprints.get_run(self.params["BlueprintName"], self.params["RunId"])
        return ActionResult({"BlueprintRun": run.to_api()})

    def get_blueprint_runs(self) -> ActionResult:
        runs, token = self.blueprints.runs(
            self.params["BlueprintName"], self.param("MaxResults"), self.param("NextToken")
        )
        result: dict[str, Any] = {"BlueprintRuns": [run.to_api() for run in runs]}
        if token:
            result["NextToken"] = token
        return ActionResult(result)
