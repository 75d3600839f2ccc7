"""``AWS::Glue::Workflow`` and ``AWS::Glue::Trigger``: made, changed and deleted by the same code as Glue's
CreateWorkflow, CreateTrigger, UpdateTrigger and DeleteTrigger, so a workflow from a template runs as one made by
API calls (a trigger's ``StartOnCreation`` arms it; a SCHEDULED one fires on the clock). A run in flight keeps
the graph it started with: an update changes the triggers later runs start from."""

from __future__ import annotations

from typing import Any, ClassVar

from moto_glue_workflows import _moto
from moto_glue_workflows._moto import CloudFormationModel
from moto_glue_workflows.cloudformation.properties import service_request, tag_map
from moto_glue_workflows.cloudformation.resource import StackResource
from moto_glue_workflows.glue import triggers
from moto_glue_workflows.glue.exceptions import AlreadyExistsException
from moto_glue_workflows.glue.models import GlueWorkflowBackend, glue_workflow_backends


def glue_backend(account_id: str, region: str) -> GlueWorkflowBackend:
    return _moto.backend_for(glue_workflow_backends, account_id, region)  # type: ignore[no-any-return]


class GlueWorkflowResource(StackResource, CloudFormationModel):
    """Ref: the workflow's name. No Fn::GetAtt attributes."""

    TYPE: ClassVar[str] = "AWS::Glue::Workflow"
    PROPERTIES = ("DefaultRunProperties", "Description", "MaxConcurrentRuns", "Name", "Tags")
    OBJECTS = ("DefaultRunProperties", "Tags")
    REPLACED_BY = (("Name",),)

    @staticmethod
    def _request(name: str, properties: dict[str, Any]) -> dict[str, Any]:
        request = {key: properties.get(key) for key in ("Description", "DefaultRunProperties", "MaxConcurrentRuns")}
        return service_request(
            "glue", "CreateWorkflow", {"Name": name, **request, "Tags": tag_map(properties.get("Tags"))}
        )

    @classmethod
    def create(cls, name: str, properties: dict[str, Any], account_id: str, region: str) -> str:
        request = cls._request(name, properties)
        glue_backend(account_id, region).create_workflow(
            name,
            request.get("Description"),
            request.get("DefaultRunProperties"),
            request.get("MaxConcurrentRuns"),
            request.get("Tags"),
        )
        return name

    def modify(self, properties: dict[str, Any]) -> None:
        request = self._request(self.physical_resource_id, properties)
        backend = glue_backend(self.account_id, self.region)
        with backend.lock:
            workflow = backend.get_workflow(self.physical_resource_id)
            backend.update_workflow(workflow.name, None, None, None)  # checks and stamps LastModifiedOn
            # The template is the whole definition: what it leaves out is unset.
            workflow.description = request.get("Description")
            workflow.default_run_properties = dict(request.get("DefaultRunProperties") or {})
            workflow.max_concurrent_runs = request.get("MaxConcurrentRuns")

    def remove(self) -> None:
        glue_backend(self.account_id, self.region).delete_workflow(self.physical_resource_id)


_TRIGGER_UPDATABLE = ("Description", "Schedule", "Actions", "Predicate", "EventBatchingCondition")


class GlueTriggerResource(StackResource, CloudFormationModel):
    """Ref: the trigger's name. No Fn::GetAtt attributes."""

    TYPE: ClassVar[str] = "AWS::Glue::Trigger"
    PROPERTIES = (
        "Actions",
        "Description",
        "EventBatchingCondition",
        "Name",
        "Predicate",
        "Schedule",
        "StartOnCreation",
        "Tags",
        "Type",
        "WorkflowName",
    )
    REQUIRED = ("Type", "Actions")
    REPLACED_BY = (("Name",), ("WorkflowName",), ("Type",))
    OBJECTS = ("EventBatchingCondition", "Predicate", "Tags")
    ARRAYS = ("Actions",)

    @classmethod
    def create(cls, name: str, properties: dict[str, Any], account_id: str, region: str) -> str:
        request = {key: properties.get(key) for key in cls.PROPERTIES if key not in ("Name", "Tags")}
        request = service_request(
            "glue", "CreateTrigger", {**request, "Name": name, "Tags": tag_map(properties.get("Tags"))}
        )
        backend = glue_backend(account_id, region)
        with backend.lock:
            # moto's Glue would put the new trigger in place of one of that name; Glue refuses it
            if backend.glue.trigger_exists(name):
                raise AlreadyExistsException(f"Trigger with name {name} already exists.")
            triggers.create_trigger(backend, request)
        return name

    def modify(self, properties: dict[str, Any]) -> None:
        update = {key: properties[key] for key in _TRIGGER_UPDATABLE if properties.get(key) is not None}
        update = service_request("glue", "UpdateTrigger", {"Name": self.physical_resource_id, "TriggerUpdate": update})[
            "TriggerUpdate"
        ]
        # The template is the whole definition: what it dropped is unset (UpdateTrigger leaves out what it is not
        # given, so it is given explicitly).
        if "Predicate" not in update and self.properties.get("Predicate") is not None:
            update["Predicate"] = {}
        for dropped in ("Description", "EventBatchingCondition"):
            if dropped not in update and self.properties.get(dropped) is not None:
                update[dropped] = None
        triggers.update_trigger(glue_backend(self.account_id, self.region), self.physical_resource_id, update)

    def remove(self) -> None:
        backend = glue_backend(self.account_id, self.region)
        with backend.lock:
            if backend.glue.trigger_exists(self.physical_resource_id):
                backend.glue.delete("trigger", self.physical_resource_id)
            backend.trigger_updates.pop(self.physical_resource_id, None)
