"""Glue's errors for the operations we serve: JSON 1.1, ``{"__type": ..., "Message": ...}``, HTTP 400."""

from __future__ import annotations

from moto_glue_workflows._moto import ServiceException


class GlueError(ServiceException):
    status = 400


class InvalidInputException(GlueError):
    code = "InvalidInputException"


class ValidationException(GlueError):
    """What AWS's request validation answers for values the model does not allow (see protocol/validation.py)."""

    code = "ValidationException"


class EntityNotFoundException(GlueError):
    code = "EntityNotFoundException"


class AlreadyExistsException(GlueError):
    code = "AlreadyExistsException"


class ConcurrentRunsExceededException(GlueError):
    code = "ConcurrentRunsExceededException"


class IllegalWorkflowStateException(GlueError):
    code = "IllegalWorkflowStateException"


class IllegalBlueprintStateException(GlueError):
    code = "IllegalBlueprintStateException"


class ResourceNumberLimitExceededException(GlueError):
    code = "ResourceNumberLimitExceededException"


class CrawlerRunningException(GlueError):
    code = "CrawlerRunningException"


class AccessDeniedException(GlueError):
    code = "AccessDeniedException"


def glue_error(code: str, message: str) -> GlueError:
    """Glue's error of type ``code`` (one of ours above, else a plain 400 of that type)."""
    for known in GlueError.__subclasses__():
        if known.code == code:
            return known(message)
    error = GlueError(message)
    error.code = code
    return error
