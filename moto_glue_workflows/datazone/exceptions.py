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
