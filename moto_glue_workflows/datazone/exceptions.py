"""DataZone's errors: the code goes in ``x-amzn-ErrorType``, the text in ``{"message": ...}``."""

from __future__ import annotations

from moto_glue_workflows._moto import ServiceException


class DataZoneError(ServiceException):
    status = 400


class ValidationException(DataZoneError):
    code = "ValidationException"


class ResourceNotFoundException(DataZoneError):
    code = "ResourceNotFoundException"
    status = 404


class ConflictException(DataZoneError):
    code = "ConflictException"
    status = 409


class AccessDeniedException(DataZoneError):
    code = "AccessDeniedException"
    status = 403


class UnknownDomain(AccessDeniedException):
    """A domain that is not there (never made, or deleted) in the caller's account and region. DataZone
    authorizes every operation against its domain, so it answers 403 AccessDeniedException "User is not
    permitted to perform operation: <Operation>" (quoted for GetDomain in terraform-provider-aws's
    internal/service/datazone/errors.go, which takes that answer as "not found" for every DataZone resource).
    The response names the operation (``DataZoneResponse.refined``)."""

    def __init__(self, identifier: str) -> None:
        super().__init__(f"User is not permitted to perform operations on domain {identifier}.")
        self.identifier = identifier
