"""How a resource of ours fails in a stack: the error CloudFormation records as the resource's status reason.

CloudFormation reports a failed resource handler as ``Resource handler returned message: "<the service's
message> (Service: <service>, Status Code: <status>, Request ID: <id>)" (RequestToken: <token>,
HandlerErrorCode: <code>)``, and a template property the resource type does not have as ``Properties
validation failed for resource <logical id> with message: ...``; docs/cloudformation.md gives the sources.
"""

from __future__ import annotations

import uuid
from typing import Any

# Cloud Control's handler error codes for the service errors our resources meet.
_HANDLER_CODES = {
    "AlreadyExistsException": "AlreadyExists",
    "ConflictException": "AlreadyExists",
    "EntityNotFoundException": "NotFound",
    "ResourceNotFoundException": "NotFound",
    "DatabaseNotFoundException": "NotFound",
    "InvalidInputException": "InvalidRequest",
    "ValidationException": "InvalidRequest",
    "AccessDeniedException": "AccessDenied",
    "ConcurrentModificationException": "ResourceConflict",
    "ResourceNumberLimitExceededException": "ServiceLimitExceeded",
}


class ResourceFailed(Exception):
    """A resource of ours could not be created, updated or deleted; ``reason`` is what the stack's events say."""

    def __init__(
        self, logical_id: str, resource_type: str, physical_id: str, reason: str, nested: tuple[Any, ...] = ()
    ) -> None:
        super().__init__(reason)
        self.logical_id = logical_id
        self.resource_type = resource_type
        self.physical_id = physical_id
        self.reason = reason
        #: the nested stacks (``StackView``) whose failure this is: the parent's rollback deletes them
        self.nested = nested


class InvalidProperties(Exception):
    """The template's properties do not fit the resource type (found before any call to the service)."""


def error_code(error: BaseException) -> str:
    """The service's error code: ours carry it in ``code``, moto's JSON errors in ``error_type``."""
    for attribute in ("error_type", "code"):
        value = getattr(error, attribute, None)
        if isinstance(value, str) and value:
            return value
    return type(error).__name__


def error_message(error: BaseException) -> str:
    message = getattr(error, "message", None)
    return message if isinstance(message, str) and message else str(error)


def _status(error: BaseException) -> int:
    for attribute in ("status", "code"):
        value: Any = getattr(error, attribute, None)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return 400


def handler_reason(service: str, error: BaseException) -> str:
    """A resource's status reason for ``error``, raised by ``service`` (Glue, DataZone) for the handler's call."""
    code = error_code(error)
    return (
        f'Resource handler returned message: "{error_message(error)} (Service: {service}, Status Code: '
        f'{_status(error)}, Request ID: {uuid.uuid4()})" (RequestToken: {uuid.uuid4()}, '
        f"HandlerErrorCode: {_HANDLER_CODES.get(code, 'GeneralServiceException')})"
    )


def properties_reason(logical_id: str, problem: str) -> str:
    return f"Properties validation failed for resource {logical_id} with message: {problem}"


REPLACING_CUSTOM_NAME = (
    "CloudFormation cannot update a stack when a custom-named resource requires replacing. "
    "Rename {name} and update the stack again."
)
