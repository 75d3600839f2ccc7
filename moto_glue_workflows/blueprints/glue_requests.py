"""The Glue requests a blueprint run makes, one dataclass per operation.

Field names are botocore's request member names, so ``to_request()`` is a ready kwargs dict for a
boto3 call or moto's Glue handlers; unset (None) members are left out.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, ClassVar, TypeVar

_Request = TypeVar("_Request", bound="GlueRequest")


class GlueRequest:
    OPERATION: ClassVar[str]
    KIND: ClassVar[str]

    def to_request(self) -> dict[str, Any]:
        """The request kwargs, a deep copy: the backend may keep or alter what it is given."""
        present = {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}  # type: ignore[arg-type]
        return copy.deepcopy(present)

    @classmethod
    def member_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))  # type: ignore[arg-type]

    @classmethod
    def from_request(cls: type[_Request], request: Mapping[str, Any]) -> _Request:
        """Build from a request dict; ``KeyError`` names a member the operation does not have."""
        known = set(cls.member_names())
        for name in request:
            if name not in known:
                raise KeyError(name)
        return cls(**dict(request))


@dataclass
class CreateWorkflowRequest(GlueRequest):
    OPERATION: ClassVar[str] = "CreateWorkflow"
    KIND: ClassVar[str] = "workflow"

    Name: str
    Description: str | None = None
    DefaultRunProperties: dict[str, str] | None = None
    Tags: dict[str, str] | None = None
    MaxConcurrentRuns: int | None = None


@dataclass
class CreateJobRequest(GlueRequest):
    OPERATION: ClassVar[str] = "CreateJob"
    KIND: ClassVar[str] = "job"

    Name: str
    Role: str
    Command: dict[str, Any]
    JobMode: str | None = None
    JobRunQueuingEnabled: bool | None = None
    Description: str | None = None
    LogUri: str | None = None
    ExecutionProperty: dict[str, Any] | None = None
    DefaultArguments: dict[str, str] | None = None
    NonOverridableArguments: dict[str, str] | None = None
    Connections: dict[str, Any] | None = None
    MaxRetries: int | None = None
    AllocatedCapacity: int | None = None
    Timeout: int | None = None
    MaxCapacity: float | None = None
    SecurityConfiguration: str | None = None
    Tags: dict[str, str] | None = None
    NotificationProperty: dict[str, Any] | None = None
    GlueVersion: str | None = None
    NumberOfWorkers: int | None = None
    WorkerType: str | None = None
    CodeGenConfigurationNodes: dict[str, Any] | None = None
    ExecutionClass: str | None = None
    SourceControlDetails: dict[str, Any] | None = None
    MaintenanceWindow: str | None = None


@dataclass
class CreateCrawlerRequest(GlueRequest):
    OPERATION: ClassVar[str] = "CreateCrawler"
    KIND: ClassVar[str] = "crawler"

    Name: str
    Role: str
    Targets: dict[str, Any]
    DatabaseName: str | None = None
    Description: str | None = None
    Schedule: str | None = None
    Classifiers: list[str] | None = None
    TablePrefix: str | None = None
    SchemaChangePolicy: dict[str, Any] | None = None
    RecrawlPolicy: dict[str, Any] | None = None
    LineageConfiguration: dict[str, Any] | None = None
    LakeFormationConfiguration: dict[str, Any] | None = None
    Configuration: str | None = None
    CrawlerSecurityConfiguration: str | None = None
    Tags: dict[str, str] | None = None
    CatalogId: str | None = None


@dataclass
class CreateTriggerRequest(GlueRequest):
    OPERATION: ClassVar[str] = "CreateTrigger"
    KIND: ClassVar[str] = "trigger"

    Name: str
    Type: str
    Actions: list[dict[str, Any]]
    WorkflowName: str | None = None
    Schedule: str | None = None
    Predicate: dict[str, Any] | None = None
    Description: str | None = None
    StartOnCreation: bool | None = None
    Tags: dict[str, str] | None = None
    EventBatchingCondition: dict[str, Any] | None = None
