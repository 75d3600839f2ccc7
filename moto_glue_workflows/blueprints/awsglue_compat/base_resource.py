"""``awsglue.blueprint.base_resource``: typed keyword-argument resources.

Behaviour kept from the library: a known keyword of the wrong type raises ``TypeError`` at once
with the library's wording (AWS shows it in the run's ErrorMessage, e.g. "Value ['foo'] for key
Connections should be of type <class 'dict'>!"); unknown keywords are ignored; missing required
fields are reported by ``validate()``, which ``to_json()`` calls.
"""

from __future__ import annotations

from typing import Any, ClassVar

__all__ = ["BaseResource", "ensure_type"]

FieldType = type | tuple[type, ...]


def ensure_type(key: str, value: Any, types: FieldType) -> Any:
    """``value`` when it is None or of ``types``; otherwise the library's TypeError."""
    if value is None or isinstance(value, types):
        return value
    raise TypeError(f"Value {value} for key {key} should be of type {types}!")


class BaseResource:
    """A resource whose fields are declared in ``_fields``: name -> (type, required)."""

    _fields: ClassVar[dict[str, tuple[FieldType, bool]]] = {}
    # Job and Crawler drop empty values (Timeout=0, DefaultArguments={}) instead of sending them,
    # as the library does; Workflow keeps them.
    _drop_empty: ClassVar[bool] = False

    def __init__(self, **kwargs: Any) -> None:
        object.__setattr__(self, "_values", {})
        for key in self._fields:
            if key in kwargs:
                setattr(self, key, kwargs[key])

    def __setattr__(self, key: str, value: Any) -> None:
        spec = self._fields.get(key)
        if spec is None:
            object.__setattr__(self, key, value)
            return
        values: dict[str, Any] = self.__dict__["_values"]
        if self._drop_empty and not value:
            values.pop(key, None)
            return
        values[key] = self._check_field(key, ensure_type(key, value, spec[0]))

    def __getattr__(self, key: str) -> Any:
        # Only reached when ordinary lookup fails: declared fields that were never set read as None.
        if key in type(self)._fields:
            return self.__dict__.get("_values", {}).get(key)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {key!r}")

    def _check_field(self, key: str, value: Any) -> Any:
        """Hook for subclasses that check a field's contents beyond its type."""
        return value

    def _missing_fields(self) -> list[str]:
        values: dict[str, Any] = self.__dict__["_values"]
        return [key for key, (_, required) in self._fields.items() if required and values.get(key) is None]

    def validate(self) -> bool:
        missing = self._missing_fields()
        if missing:
            raise TypeError(f"Required Fields for {type(self).__name__} were missing: {missing}")
        return True

    def to_json(self) -> dict[str, Any]:
        self.validate()
        values: dict[str, Any] = self.__dict__["_values"]
        return {key: value for key, value in values.items() if value is not None}

    def __repr__(self) -> str:
        name = self.__dict__["_values"].get("Name")
        return f"<{type(self).__name__} {name!r}>" if name is not None else f"<{type(self).__name__}>"
