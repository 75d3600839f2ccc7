"""``awsglue.blueprint.workflow``: ``Entities`` and the ``Workflow`` a layout returns.

``Workflow.to_json(name_suffix)`` is where AWS's blueprint service turns the returned object into
Glue requests: entity names get the run's suffix, the start trigger is
``<workflow>_starting_trigger`` (ON_DEMAND; SCHEDULED with the cron of ``OnSchedule``, started on
creation; EVENT when ``OnSchedule`` is "EVENT"), and every entity with ``DependsOn`` gets a
CONDITIONAL trigger ``<workflow>_<entity name with suffix>_trigger`` watching its dependencies'
states, with ``WaitForDependencies`` as the predicate's ``Logical``. Sources: the guide's "Creating
the blueprint layout script" (DependsOn, WaitForDependencies, OnSchedule) and "Troubleshooting
blueprint errors" (trigger names), and the output the awslabs library produces.
"""

from __future__ import annotations

from typing import Any, ClassVar

from moto_glue_workflows.blueprints.awsglue_compat.base_resource import BaseResource, FieldType, ensure_type
from moto_glue_workflows.blueprints.awsglue_compat.crawler import Crawler
from moto_glue_workflows.blueprints.awsglue_compat.job import Job

__all__ = ["BaseResource", "Crawler", "Entities", "Job", "Workflow", "ensure_type"]


def suffixed(name: str, name_suffix: str) -> str:
    return f"{name}_{name_suffix}" if name_suffix else name


def _condition(dependency: Any, state: Any, name_suffix: str) -> dict[str, Any]:
    if isinstance(dependency, Crawler):
        return {
            "LogicalOperator": "EQUALS",
            "CrawlerName": suffixed(dependency.Name, name_suffix),
            "CrawlState": state,
        }
    if isinstance(dependency, Job):
        return {"LogicalOperator": "EQUALS", "JobName": suffixed(dependency.Name, name_suffix), "State": state}
    raise TypeError(f"Dependencies must be of type Job or Crawler, but found {type(dependency)} instead")


def _starting_trigger(workflow_name: str, schedule: str | None) -> dict[str, Any]:
    trigger: dict[str, Any] = {"WorkflowName": workflow_name, "Name": f"{workflow_name}_starting_trigger"}
    if schedule == "EVENT":
        trigger.update(Type="EVENT", EventBatchingCondition={"BatchSize": 1})
    elif not schedule or schedule == "ON_DEMAND":
        trigger["Type"] = "ON_DEMAND"
    else:
        trigger.update(Type="SCHEDULED", Schedule=schedule, StartOnCreation=True)
    trigger["Actions"] = []
    return trigger


class Entities:
    """The jobs and crawlers of a workflow: ``Entities(Jobs=[...], Crawlers=[...])``."""

    def __init__(self, **kwargs: Any) -> None:
        self.Jobs: list[Job] | None = kwargs.get("Jobs")
        self.Crawlers: list[Crawler] | None = kwargs.get("Crawlers")

    def _all(self) -> list[tuple[str, Any]]:
        ensure_type("Jobs", self.Jobs, list)
        ensure_type("Crawlers", self.Crawlers, list)
        # Crawlers first: the order the library emits entities and their triggers in.
        return [("CrawlerName", crawler) for crawler in self.Crawlers or []] + [
            ("JobName", job) for job in self.Jobs or []
        ]

    def validate(self) -> bool:
        for _, entity in self._all():
            if not isinstance(entity, (Job, Crawler)):
                raise TypeError(f"Entities must be of type Job or Crawler, but found {type(entity)} instead")
            entity.validate()
        return True

    def to_json(
        self, workflow_name: str, starting_trigger_schedule: str | None, name_suffix: str
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
        self.validate()
        crawlers: list[dict[str, Any]] = []
        jobs: list[dict[str, Any]] = []
        triggers: list[dict[str, Any]] = []
        starting = _starting_trigger(workflow_name, starting_trigger_schedule)
        for action_key, entity in self._all():
            document = entity.to_json()
            depends_on = document.pop("DependsOn", None)
            wait_for = document.pop("WaitForDependencies", None)
            document["Name"] = suffixed(document["Name"], name_suffix)
            (crawlers if action_key == "CrawlerName" else jobs).append(document)
            action = {action_key: document["Name"]}
            if not depends_on:
                starting["Actions"].append(action)
                continue
            predicate: dict[str, Any] = {
                "Conditions": [_condition(dep, state, name_suffix) for dep, state in depends_on.items()]
            }
            if wait_for:
                predicate["Logical"] = wait_for
            triggers.append(
                {
                    "WorkflowName": workflow_name,
                    "Type": "CONDITIONAL",
                    "Name": f"{workflow_name}_{document['Name']}_trigger",
                    "Predicate": predicate,
                    "StartOnCreation": True,
                    "Actions": [action],
                }
            )
        triggers.append(starting)
        return crawlers, jobs, triggers


class Workflow(BaseResource):
    """What the layout function returns; AWS creates a Glue workflow from it."""

    _fields: ClassVar[dict[str, tuple[FieldType, bool]]] = {
        "Name": (str, True),
        "Description": (str, False),
        "DefaultRunProperties": (dict, False),
        "Tags": (dict, False),
        "OnSchedule": (str, False),
        # CreateWorkflow's MaxConcurrentRuns, beyond the documented constructor arguments.
        "MaxConcurrentRuns": (int, False),
        "Entities": (Entities, True),
    }

    def validate(self) -> bool:
        super().validate()
        entities: Entities = self.Entities
        return entities.validate()

    def to_json(self, name_suffix: str = "") -> dict[str, Any]:
        self.validate()
        values = super().to_json()
        entities: Entities = values.pop("Entities")
        schedule = values.pop("OnSchedule", None)
        crawlers, jobs, triggers = entities.to_json(values["Name"], schedule, name_suffix)
        return {"Workflow": values, "Crawlers": crawlers, "Jobs": jobs, "Triggers": triggers}
