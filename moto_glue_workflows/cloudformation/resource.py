"""What every resource type of ours does for moto's CloudFormation: create, update, delete, Ref and Fn::GetAtt.

A type is a direct subclass of moto's ``CloudFormationModel`` (moto lists those) and of ``StackResource``, and
says what its service does: ``create`` (the physical id), ``modify`` (an update in place), ``remove``,
``attribute``. Which property changes replace the resource and which update it in place is the type's
``REPLACED_BY``, from the resource type's schema (docs/cloudformation.md). A replacement is made first and the
resource it replaces is deleted only once the whole update has succeeded (CloudFormation's cleanup phase): within a
stack update (``replacements``) the pair is recorded, for the cleanup to delete the original or a rollback to put it
back. A custom name that would have to be replaced fails the update as CloudFormation fails it. Every error the service raises becomes ``ResourceFailed`` with CloudFormation's reason.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from moto_glue_workflows import _moto
from moto_glue_workflows.cloudformation.failures import (
    REPLACING_CUSTOM_NAME,
    InvalidProperties,
    ResourceFailed,
    handler_reason,
    properties_reason,
)
from moto_glue_workflows.cloudformation.properties import check_keys, wrong_type
from moto_glue_workflows.protocol.validation import InvalidParameter


@dataclass(frozen=True)
class Replaced:
    """A resource an update replaced (``replacement`` its successor) or removed from the template (``replacement``
    None): the original waits for the update's end, deleted by the cleanup or, on rollback, the stack's again."""

    logical_id: str
    original: StackResource
    replacement: StackResource | None


_REPLACED: contextvars.ContextVar[list[Replaced] | None] = contextvars.ContextVar(
    "moto_glue_workflows_replaced", default=None
)


@contextlib.contextmanager
def replacements() -> Iterator[list[Replaced]]:
    """Within: what an update replaces or removes is recorded here instead of being deleted at once."""
    replaced: list[Replaced] = []
    token = _REPLACED.set(replaced)
    try:
        yield replaced
    finally:
        _REPLACED.reset(token)


def retire(resource: Any) -> bool:
    """A resource the update removes from the template: kept for the cleanup (True) when it is ours and an update
    records; False leaves moto to delete it at once."""
    pending = _REPLACED.get()
    if pending is None or not isinstance(resource, StackResource):
        return False
    pending.append(Replaced(resource.logical_resource_id, resource, None))
    return True


def replaced_so_far() -> list[Replaced]:
    """What the update under way has replaced, oldest first (none outside an update)."""
    return _REPLACED.get() or []


class StackResource:
    TYPE: ClassVar[str]
    SERVICE: ClassVar[str] = "Glue"
    #: the property moto takes the physical name from ("" when the service makes the id)
    NAME_PROPERTY: ClassVar[str] = "Name"
    #: every property the type has, and those it requires
    PROPERTIES: ClassVar[tuple[str, ...]]
    REQUIRED: ClassVar[tuple[str, ...]] = ()
    #: property paths whose change replaces the resource ("Update requires: Replacement")
    REPLACED_BY: ClassVar[tuple[tuple[str, ...], ...]] = ()
    #: the properties the schema makes JSON objects, and arrays (a scalar is read by its type; these are refused)
    OBJECTS: ClassVar[tuple[str, ...]] = ()
    ARRAYS: ClassVar[tuple[str, ...]] = ()
    #: what Fn::GetAtt can read
    ATTRIBUTES: ClassVar[tuple[str, ...]] = ()

    def __init__(self, physical_id: str, account_id: str, region: str, properties: dict[str, Any]) -> None:
        self.physical_resource_id = physical_id
        self.account_id = account_id
        self.region = region
        self.properties = properties
        # moto sets these on what create and update return; set here too for a resource read before that
        self.logical_resource_id = ""
        self.cf_resource_type = self.TYPE

    # What a type implements

    @classmethod
    def create(cls, name: str, properties: dict[str, Any], account_id: str, region: str) -> str:
        """Create the resource named ``name`` (moto's name: the Name property, or one made from the stack's);
        the physical id."""
        raise NotImplementedError

    def modify(self, properties: dict[str, Any]) -> None:
        """Update in place to ``properties``."""
        raise NotImplementedError

    def remove(self) -> None:
        """Delete; one already gone is no error (CloudFormation's delete succeeds on a resource not found)."""
        raise NotImplementedError

    def attribute(self, name: str) -> Any:
        raise NotImplementedError

    @classmethod
    def custom_name(cls, properties: dict[str, Any]) -> str | None:
        """The name the template gives, if it gives one (else moto makes one from the stack's name)."""
        name = properties.get(cls.NAME_PROPERTY) if cls.NAME_PROPERTY else None
        return None if name is None else str(name)

    @classmethod
    def identity(cls, properties: dict[str, Any]) -> tuple[Any, ...]:
        """What, changed, replaces the resource."""
        return tuple(_path(properties, path) for path in cls.REPLACED_BY)

    # moto's CloudFormationModel

    @classmethod
    def cloudformation_type(cls) -> str:
        return cls.TYPE

    @classmethod
    def cloudformation_name_type(cls) -> str:
        return cls.NAME_PROPERTY

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr in cls.ATTRIBUTES

    def is_created(self) -> bool:
        return True

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        if attribute_name not in self.ATTRIBUTES:
            raise _moto.unsupported_attribute()
        return self.attribute(attribute_name)

    @classmethod
    def _failed(cls, logical_id: str, physical_id: str, error: BaseException) -> ResourceFailed:
        if isinstance(error, ResourceFailed):
            return error
        if isinstance(error, InvalidProperties):
            return ResourceFailed(logical_id, cls.TYPE, physical_id, properties_reason(logical_id, str(error)))
        if isinstance(error, InvalidParameter):  # the service's request validation
            error = _ValidationError(str(error))
        return ResourceFailed(logical_id, cls.TYPE, physical_id, handler_reason(cls.SERVICE, error))

    @classmethod
    def _properties(cls, cloudformation_json: dict[str, Any]) -> dict[str, Any]:
        properties = cloudformation_json.get("Properties") or {}
        if not isinstance(properties, dict):
            raise wrong_type("", "JSONObject", properties)
        check_keys(properties, cls.PROPERTIES, cls.REQUIRED, cls.OBJECTS, cls.ARRAYS)
        return properties

    @classmethod
    def create_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> StackResource:
        logical_id = str(kwargs.get("LogicalId", ""))
        try:
            properties = cls._properties(cloudformation_json)
            physical_id = cls.create(resource_name, properties, account_id, region_name)
        except Exception as error:
            raise cls._failed(logical_id, "", error) from error
        resource = cls(physical_id, account_id, region_name, properties)
        resource.logical_resource_id = logical_id
        return resource

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: StackResource,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> StackResource:
        original = original_resource
        logical_id = original.logical_resource_id
        try:
            properties = cls._properties(cloudformation_json)
        except Exception as error:
            raise cls._failed(logical_id, original.physical_resource_id, error) from error
        if properties == original.properties:
            return original  # nothing to change (a rollback reaching a resource it has put back)
        if cls.identity(properties) == cls.identity(original.properties):
            try:
                original.modify(properties)
            except Exception as error:
                raise cls._failed(logical_id, original.physical_resource_id, error) from error
            original.properties = properties
            return original
        name = cls.custom_name(properties)
        if name is not None and name == original.physical_resource_id:
            reason = REPLACING_CUSTOM_NAME.format(name=name)
            raise ResourceFailed(logical_id, cls.TYPE, original.physical_resource_id, reason)
        # Replacement: the new resource first; the old one goes when the update has succeeded.
        replacement = cls.create_from_cloudformation_json(
            new_resource_name, cloudformation_json, account_id, region_name, LogicalId=logical_id
        )
        pending = _REPLACED.get()
        if pending is None:  # not a stack update of ours (a change set moto applies itself): at once
            original.delete(account_id, region_name)
        else:
            pending.append(Replaced(logical_id, original, replacement))
        return replacement

    @classmethod
    def delete_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str
    ) -> None:
        properties = cloudformation_json.get("Properties") or {}
        cls(resource_name, account_id, region_name, properties).remove()

    def delete(self, account_id: str, region_name: str) -> None:
        try:
            self.remove()
        except Exception as error:
            raise self._failed(self.logical_resource_id, self.physical_resource_id, error) from error


class _ValidationError(Exception):
    code = "ValidationException"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _path(properties: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = properties
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value
