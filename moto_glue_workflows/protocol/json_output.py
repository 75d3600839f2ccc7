"""Successful JSON and REST-JSON answers, serialized by functions compiled once per output shape.

moto's model-driven serializer walks the botocore model for every response; for our operations
that walk was most of the server-side time. This compiles the same walk once per operation and
produces the same JSON (member names from the model, timestamps as epoch seconds truncated to
milliseconds unless the model says otherwise, blobs base64-encoded). Outputs that bind members to
headers or the status code, and all errors, still go through moto's serializer.
"""

from __future__ import annotations

import base64
import datetime
import json
import json.encoder
from collections.abc import Callable
from functools import cache
from typing import Any

from botocore.model import ListShape, MapShape, OperationModel, Shape, StructureShape

from moto_glue_workflows.protocol.shape_compiler import PerModel, ShapeCompiler

Convert = Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


_EPOCH = datetime.datetime(1970, 1, 1)
_EPOCH_UTC = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _unix(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        delta = value - (_EPOCH if value.tzinfo is None else _EPOCH_UTC)
        seconds = delta.days * 86400 + delta.seconds
        # Truncated to milliseconds, as Smithy asks and moto does.
        return seconds + (value.microsecond // 1000) / 1000.0 if value.microsecond else seconds
    return value


def _iso8601(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
        return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ" if value.microsecond else "%Y-%m-%dT%H:%M:%SZ")
    return value


def _blob(value: Any) -> Any:
    if isinstance(value, str):
        value = value.encode("utf-8")
    return base64.b64encode(value).decode("ascii")


class _Compiler(ShapeCompiler[Convert]):
    def build(self, shape: Shape) -> Convert:
        kind = shape.type_name
        if kind == "structure":
            assert isinstance(shape, StructureShape)
            if shape.is_document_type:
                return _identity
            return self._structure(shape)
        if kind == "list":
            assert isinstance(shape, ListShape)
            item = self.compile(shape.member)
            if item is _identity:
                return lambda value: [v for v in value if v is not None]
            return lambda value: [item(v) for v in value if v is not None]
        if kind == "map":
            assert isinstance(shape, MapShape)
            entry = self.compile(shape.value)
            if entry is _identity:
                return lambda value: {k: v for k, v in value.items() if v is not None}
            return lambda value: {k: entry(v) for k, v in value.items() if v is not None}
        if kind == "timestamp":
            return _iso8601 if shape.serialization.get("timestampFormat") == "iso8601" else _unix
        if kind == "blob":
            return _blob
        return _identity

    def _structure(self, shape: StructureShape) -> Convert:
        # Members sent as they are, under their own name (most: strings, numbers, booleans), and the rest.
        kept: set[str] = set()
        converted: dict[str, tuple[str, Convert]] = {}
        for name, member in shape.members.items():
            wire, function = member.serialization.get("name", name), self.compile(member)
            if wire == name and function is _identity:
                kept.add(name)
            else:
                converted[name] = (wire, function)
        same = frozenset(kept)

        def convert(value: Any) -> Any:
            # Walk the value's keys, not the model's: results set few of a shape's many members.
            out = {}
            for name, item in value.items():
                if item is not None:
                    if name in same:
                        out[name] = item
                    else:
                        spec = converted.get(name)
                        if spec is not None:
                            out[spec[0]] = spec[1](item)
            return out

        return convert


_converters: PerModel[Convert] = PerModel(_Compiler)


@cache
def output_converter(operation: OperationModel) -> Convert | None:
    """A function turning a handler's result dict into the JSON body's object, or None when this
    operation's output needs moto's serializer (members bound to headers or the status code)."""
    shape = operation.output_shape
    if shape is None or shape.serialization.get("payload"):
        return None
    if any(member.serialization.get("location") for member in shape.members.values()):
        return None
    return _converters(shape)


def _encoder() -> Callable[[Any], str]:
    """``json.dumps`` with its defaults, built once: ``dumps`` builds its C encoder on every call.

    The encoder keeps no record of the containers it is in (``markers``): answers are trees the
    serializers above just built, never cyclic."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # no C accelerator (another Python): json.dumps itself
        return json.dumps
    encode = make(
        None, json.JSONEncoder().default, json.encoder.encode_basestring_ascii, None, ": ", ", ", False, False, True
    )
    return lambda value: "".join(encode(value, 0))


#: what ``json.dumps(value)`` gives, for the answers of every operation we serialize ourselves
dumps = _encoder()


@cache
def content_type(operation: OperationModel) -> str:
    service = operation.service_model
    if service.protocol == "json":
        return f"application/x-amz-json-{service.metadata.get('jsonVersion', '1.0')}"
    return "application/json"


@cache
def success_status(operation: OperationModel) -> int:
    return int(operation.http.get("responseCode", 200))
