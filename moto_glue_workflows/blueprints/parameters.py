"""StartBlueprintRun's ``Parameters`` checked against the blueprint's ParameterSpec."""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from typing import Any

from moto_glue_workflows.blueprints.errors import BlueprintParameterError
from moto_glue_workflows.blueprints.json_depth import NestedTooDeep, loads_within_depth
from moto_glue_workflows.blueprints.parameter_spec import ParameterSpec, parse_parameter_spec, show


def _as_spec(spec: ParameterSpec | Mapping[str, Any] | str) -> ParameterSpec:
    if isinstance(spec, ParameterSpec):
        return spec
    # A stored ParameterSpec JSON (GetBlueprint's form) or its parsed object works too, so callers
    # holding only what the API returns need not keep the archive around.
    try:
        return parse_parameter_spec(json.loads(spec) if isinstance(spec, str) else dict(spec))
    except ValueError as exc:  # JSONDecodeError is a ValueError too
        raise BlueprintParameterError(f"The blueprint's ParameterSpec is invalid: {exc}") from exc
    except RecursionError:
        raise BlueprintParameterError("The blueprint's ParameterSpec is nested too deeply to read") from None


def resolve_parameters(spec: ParameterSpec | Mapping[str, Any] | str, parameters_json: str | None) -> dict[str, Any]:
    """The layout's ``user_params``: the given values checked, defaults filled in.

    Raises :class:`BlueprintParameterError` naming the parameter at the first problem.
    """
    try:
        return _resolve(_as_spec(spec), parameters_json)
    except RecursionError:
        # Deeper than Python's parser and checks go (within the model's 131,072 characters).
        raise BlueprintParameterError("Parameters is not valid JSON: it is nested too deeply") from None


def _resolve(parameter_spec: ParameterSpec, parameters_json: str | None) -> dict[str, Any]:
    given: Any = {}
    if parameters_json is not None and parameters_json.strip():
        try:
            given = loads_within_depth(parameters_json)
        except json.JSONDecodeError as exc:
            raise BlueprintParameterError(f"Parameters is not valid JSON: {exc.msg} at position {exc.pos}") from exc
        except NestedTooDeep as exc:
            raise BlueprintParameterError(f"Parameters is not valid JSON: {exc}") from None
    if not isinstance(given, dict):
        raise BlueprintParameterError(
            f"Parameters must be a JSON object of parameter names to values, got {show(given)}"
        )

    unknown = [name for name in given if parameter_spec.get(name) is None]
    if unknown:
        accepted = ", ".join(parameter_spec.names) or "no parameters"
        raise BlueprintParameterError(
            f"Unknown blueprint parameter '{unknown[0]}': the blueprint's ParameterSpec accepts {accepted}"
        )

    resolved: dict[str, Any] = {}
    for parameter in parameter_spec.parameters:
        # null is what forms send for an untouched optional field: treat it as not given.
        value = given.get(parameter.name)
        if value is None:
            if parameter.required:
                raise BlueprintParameterError(
                    f"Missing required blueprint parameter '{parameter.name}' ({parameter.type}"
                    f"{' collection' if parameter.collection else ''}): it has no defaultValue"
                )
            resolved[parameter.name] = copy.deepcopy(parameter.default)
            continue
        problem = parameter.check(value)
        if problem:
            raise BlueprintParameterError(problem)
        resolved[parameter.name] = value
    return resolved
