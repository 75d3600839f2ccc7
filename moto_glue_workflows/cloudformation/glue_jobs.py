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


class GlueJobResource(StackResource, CloudFormationModel):
    """Ref: the job's name. No Fn::GetAtt attributes."""

    TYPE: ClassVar[str] = "AWS::Glue::Job"
    PROPERTIES = _JOB_PROPERTIES
    REQUIRED = ("Role", "Command")
    REPLACED_BY = (("Name",),)

    @staticmethod
    def _request(name: str, properties: dict[str, Any]) -> dict[str, Any]:
        request = {key: properties.get(key) for key in _JOB_PROPERTIES if key not in ("Name", "Tags")}
        return service_request("glue", "CreateJob", {**request, "Name": name, "Tags": tag_map(properties.get("Tags"))})

    @classmethod
    def create(cls, name: str, properties: dict[str, Any], account_id: str, region: str) -> str:
        request = cls._request(name, properties)
        backend = glue_backend(account_id, region)
        with backend.lock:
            if backend.glue.job_exists(name):  # moto's Glue would put the new job in its place
                raise AlreadyExistsException(f"Job with name {name} already exists.")
            backend.glue.create_job(request)
            # kept as our routing keeps it for CreateJob (moto drops it)
            backend.glue.keep_job_queuing(name, bool(request.get("JobRunQueuingEnabled", False)))
        return name

    def modify(self, properties: dict[str, Any]) -> None:
        request = self._request(self.physical_resource_id, properties)
        backend = glue_backend(self.account_id, self.region)
        with backend.lock:
            job = backend.glue.job(self.physical_resource_id)
            if job is None:
                raise EntityNotFoundException(f"Job {self.physical_resource_id} not found.")
            backend.glue.update_job(request)
            backend.glue.keep_job_queuing(self.physical_resource_id, bool(request.get("JobRunQueuingEnabled", False)))

    def remove(self) -> None:
        backend = glue_backend(self.account_id, self.region)
        with backend.lock:
            backend.glue.delete("job", self.physical_resource_id)


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


class GlueCrawlerResource(StackResource, CloudFormationModel):
    """Ref: the crawler's name. No Fn::GetAtt attributes."""

    TYPE: ClassVar[str] = "AWS::Glue::Crawler"
    PROPERTIES = _CRAWLER_PROPERTIES
    REQUIRED = ("Role", "Targets")
    REPLACED_BY = (("Name",),)

    @staticmethod
    def _request(name: str, properties: dict[str, Any]) -> dict[str, Any]:
        request = {key: properties.get(key) for key in _CRAWLER_PROPERTIES if key not in ("Name", "Tags", "Schedule")}
        schedule = properties.get("Schedule")
        # the template's Schedule is an object, {ScheduleExpression: "cron(...)"}; CreateCrawler's a string
        expression = schedule.get("ScheduleExpression") if isinstance(schedule, dict) else schedule
        return service_request(
            "glue",
            "CreateCrawler",
            {**request, "Name": name, "Schedule": expression, "Tags": tag_map(properties.get("Tags"))},
        )

    @classmethod
    def create(cls, name: str, properties: dict[str, Any], account_id: str, region: str) -> str:
        request = cls._request(name, properties)
        backend = glue_backend(account_id, region)
        with backend.lock:
            backend.glue.create_crawler(request)  # moto refuses a name taken (AlreadyExistsException)
        return name

    def modify(self, properties: dict[str, Any]) -> None:
        request = self._request(self.physical_resource_id, properties)
        backend = glue_backend(self.account_id, self.region)
        with backend.lock:
            if backend.glue.crawler(self.physical_resource_id) is None:
                raise EntityNotFoundException(f"Crawler with name {self.physical_resource_id} not found.")
            backend.glue.update_crawler(request)

    def remove(self) -> None:
        backend = glue_backend(self.account_id, self.region)
        with backend.lock:
            if backend.glue.crawler_exists(self.physical_resource_id):
                backend.glue.delete("crawler", self.physical_resource_id)
