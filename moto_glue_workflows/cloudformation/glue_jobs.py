"""``AWS::Glue::Job`` and ``AWS::Glue::Crawler``: stored in moto's Glue as CreateJob and CreateCrawler store them,
so job runs and crawls (ours) start them as they start API-made ones. An update in place changes the definition
later runs use; runs already made keep theirs, and the job's or crawler's history stays."""

from __future__ import annotations

from typing import Any, ClassVar

from moto_glue_workflows._moto import CloudFormationModel
from moto_glue_workflows.cloudformation.glue_workflows import glue_backend
from moto_glue_workflows.cloudformation.properties import service_request, tag_map
from moto_glue_workflows.cloudformation.resource import StackResource
from moto_glue_workflows.glue.exceptions import AlreadyExistsException, EntityNotFoundException
from moto_glue_workflows.glue.models import GlueWorkflowBackend

_JOB_PROPERTIES = (
    "AllocatedCapacity",
    "Command",
    "Connections",
    "DefaultArguments",
    "Description",
    "ExecutionClass",
    "ExecutionProperty",
    "GlueVersion",
    "JobMode",
    "JobRunQueuingEnabled",
    "LogUri",
    "MaintenanceWindow",
    "MaxCapacity",
    "MaxRetries",
    "Name",
    "NonOverridableArguments",
    "NotificationProperty",
    "NumberOfWorkers",
    "Role",
    "SecurityConfiguration",
    "Tags",
    "Timeout",
    "WorkerType",
)


class _GlueDefinition(StackResource):
    """A job or crawler: its request is CreateJob's or CreateCrawler's; a name taken is refused, an update
    redefines it in place (its history kept), delete takes it out of moto's Glue."""

    KIND: ClassVar[str]
    #: AlreadyExistsException's message for a name taken
    TAKEN: ClassVar[str]
    #: EntityNotFoundException's message for one gone
    GONE: ClassVar[str]

    @classmethod
    def _members(cls, properties: dict[str, Any]) -> dict[str, Any]:
        return {key: properties.get(key) for key in cls.PROPERTIES if key not in ("Name", "Tags")}

    @classmethod
    def _request(cls, name: str, properties: dict[str, Any]) -> dict[str, Any]:
        request = {**cls._members(properties), "Name": name, "Tags": tag_map(properties.get("Tags"))}
        return service_request("glue", f"Create{cls.KIND.title()}", request)

    @classmethod
    def _keep(cls, backend: GlueWorkflowBackend, name: str, request: dict[str, Any]) -> None:
        """What the type keeps that moto's Glue does not (none unless the type says)."""

    @classmethod
    def create(cls, name: str, properties: dict[str, Any], account_id: str, region: str) -> str:
        request = cls._request(name, properties)
        backend = glue_backend(account_id, region)
        with backend.lock:
            if backend.glue.exists(cls.KIND, name):  # (moto's CreateJob would put the new job in its place)
                raise AlreadyExistsException(cls.TAKEN.format(name=name))
            backend.glue.define(cls.KIND, request)
            cls._keep(backend, name, request)
        return name

    def modify(self, properties: dict[str, Any]) -> None:
        request = self._request(self.physical_resource_id, properties)
        backend = glue_backend(self.account_id, self.region)
        with backend.lock:
            if not backend.glue.exists(self.KIND, self.physical_resource_id):
                raise EntityNotFoundException(self.GONE.format(name=self.physical_resource_id))
            backend.glue.redefine(self.KIND, request)
            self._keep(backend, self.physical_resource_id, request)

    def remove(self) -> None:
        backend = glue_backend(self.account_id, self.region)
        with backend.lock:
            if backend.glue.exists(self.KIND, self.physical_resource_id):
                backend.glue.delete(self.KIND, self.physical_resource_id)


class GlueJobResource(_GlueDefinition, CloudFormationModel):
    """Ref: the job's name. No Fn::GetAtt attributes."""

    TYPE: ClassVar[str] = "AWS::Glue::Job"
    PROPERTIES = _JOB_PROPERTIES
    REQUIRED = ("Role", "Command")
    OBJECTS = (
        "Command",
        "Connections",
        "DefaultArguments",
        "ExecutionProperty",
        "NonOverridableArguments",
        "NotificationProperty",
        "Tags",
    )
    REPLACED_BY = (("Name",),)
    KIND = "job"
    TAKEN = "Job with name {name} already exists."
    GONE = "Job {name} not found."

    @classmethod
    def _keep(cls, backend: GlueWorkflowBackend, name: str, request: dict[str, Any]) -> None:
        # kept as our routing keeps it for CreateJob (moto drops it)
        backend.glue.keep_job_queuing(name, bool(request.get("JobRunQueuingEnabled", False)))


_CRAWLER_PROPERTIES = (
    "Classifiers",
    "Configuration",
    "CrawlerSecurityConfiguration",
    "DatabaseName",
    "Description",
    "LakeFormationConfiguration",
    "Name",
    "RecrawlPolicy",
    "Role",
    "Schedule",
    "SchemaChangePolicy",
    "TablePrefix",
    "Tags",
    "Targets",
)


class GlueCrawlerResource(_GlueDefinition, CloudFormationModel):
    """Ref: the crawler's name. No Fn::GetAtt attributes."""

    TYPE: ClassVar[str] = "AWS::Glue::Crawler"
    PROPERTIES = _CRAWLER_PROPERTIES
    REQUIRED = ("Role", "Targets")
    OBJECTS = ("LakeFormationConfiguration", "RecrawlPolicy", "Schedule", "SchemaChangePolicy", "Tags", "Targets")
    ARRAYS = ("Classifiers",)
    REPLACED_BY = (("Name",),)
    KIND = "crawler"
    TAKEN = "Crawler already exists."  # moto's CreateCrawler's words
    GONE = "Crawler with name {name} not found."

    @classmethod
    def _members(cls, properties: dict[str, Any]) -> dict[str, Any]:
        schedule = properties.get("Schedule")
        # the template's Schedule is an object, {ScheduleExpression: "cron(...)"}; CreateCrawler's a string
        expression = schedule.get("ScheduleExpression") if isinstance(schedule, dict) else schedule
        return {**super()._members(properties), "Schedule": expression}
