"""The three ways a blueprint can fail, each carrying the message AWS-style callers show as is."""

from __future__ import annotations


class BlueprintError(Exception):
    """Base of the blueprint failures; ``message`` is the text for ErrorMessage or the API error."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BlueprintArchiveError(BlueprintError):
    """The archive cannot be registered: the blueprint's Status becomes FAILED with this message."""


class BlueprintParameterError(BlueprintError):
    """StartBlueprintRun's Parameters do not fit the ParameterSpec: an InvalidInputException."""


class LayoutError(BlueprintError):
    """Running the layout failed: the blueprint run's ErrorMessage."""
