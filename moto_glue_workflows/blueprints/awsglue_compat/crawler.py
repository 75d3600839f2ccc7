"""``awsglue.blueprint.crawler``: the ``Crawler`` entity and its target helpers.

The guide's "Crawler class" accepts Name, Role and Targets (mandatory; at least one target),
DependsOn and WaitForDependencies, and the crawler properties of the Crawler structure except its
read-only ones: here every member of botocore's CreateCrawler input.
"""

from __future__ import annotations

from enum import Enum
from typing import Any, ClassVar

from moto_glue_workflows.blueprints.awsglue_compat.base_resource import BaseResource, FieldType, ensure_type
from moto_glue_workflows.blueprints.glue_model import glue_service_model, member_types

__all__ = [
    "BaseResource",
    "CatalogTarget",
    "Crawler",
    "DeleteBehavior",
    "DynamoDBTarget",
    "JDBCTarget",
    "S3Target",
    "SchemaChangePolicy",
    "Targets",
    "UpdateBehavior",
    "ensure_type",
]

_REQUIRED = ("Name", "Role", "Targets")


class UpdateBehavior(Enum):
    LOG = "LOG"
    UPDATE_IN_DATABASE = "UPDATE_IN_DATABASE"

    @staticmethod
    def has_value(item: Any) -> bool:
        return any(member.value == item for member in UpdateBehavior)


class DeleteBehavior(Enum):
    LOG = "LOG"
    DELETE_FROM_DATABASE = "DELETE_FROM_DATABASE"
    DEPRECATE_IN_DATABASE = "DEPRECATE_IN_DATABASE"

    @staticmethod
    def has_value(item: Any) -> bool:
        return any(member.value == item for member in DeleteBehavior)


class S3Target(BaseResource):
    _fields: ClassVar[dict[str, tuple[FieldType, bool]]] = {"Path": (str, True), "Exclusions": (list, False)}


class JDBCTarget(BaseResource):
    _fields: ClassVar[dict[str, tuple[FieldType, bool]]] = {
        "ConnectionName": (str, True),
        "Path": (str, True),
        "Exclusions": (list, False),
    }


class CatalogTarget(BaseResource):
    _fields: ClassVar[dict[str, tuple[FieldType, bool]]] = {"DatabaseName": (str, True), "Tables": (list, True)}


class DynamoDBTarget(BaseResource):
    _fields: ClassVar[dict[str, tuple[FieldType, bool]]] = {"Path": (str, True)}


class SchemaChangePolicy(BaseResource):
    _fields: ClassVar[dict[str, tuple[FieldType, bool]]] = {
        "UpdateBehavior": (str, False),
        "DeleteBehavior": (str, False),
    }

    def _check_field(self, key: str, value: Any) -> Any:
        known = UpdateBehavior if key == "UpdateBehavior" else DeleteBehavior
        if value is not None and not known.has_value(value):
            raise TypeError(f"{value} is not a valid value for key {key} in {type(self).__name__}")
        return value


def _target_kinds() -> list[str]:
    shape = glue_service_model().shape_for("CrawlerTargets")
    return list(getattr(shape, "members", {}))


class Targets(BaseResource):
    """A crawler's ``Targets``: any CrawlerTargets member, each a list of target dicts."""

    _fields: ClassVar[dict[str, tuple[FieldType, bool]]] = {name: (list, False) for name in _target_kinds()}

    _items: ClassVar[dict[str, type[BaseResource]]] = {
        "S3Targets": S3Target,
        "JdbcTargets": JDBCTarget,
        "CatalogTargets": CatalogTarget,
        "DynamoDBTargets": DynamoDBTarget,
    }

    def validate(self) -> bool:
        super().validate()
        for key, item_class in self._items.items():
            for item in getattr(self, key) or []:
                item_class(**ensure_type(f"{key} item", item, dict)).validate()
        return True


def _crawler_fields() -> dict[str, tuple[FieldType, bool]]:
    fields: dict[str, tuple[FieldType, bool]] = {
        name: (kind, name in _REQUIRED) for name, kind in member_types("CreateCrawler").items()
    }
    fields["DependsOn"] = (dict, False)
    fields["WaitForDependencies"] = (str, False)
    return fields


class Crawler(BaseResource):
    """An AWS Glue crawler of the workflow; AWS appends a random suffix to its Name."""

    _fields: ClassVar[dict[str, tuple[FieldType, bool]]] = _crawler_fields()
    _drop_empty: ClassVar[bool] = True

    def _check_field(self, key: str, value: Any) -> Any:
        if key == "Targets":
            Targets(**value).validate()
        elif key == "SchemaChangePolicy":
            SchemaChangePolicy(**value).validate()
        return value
