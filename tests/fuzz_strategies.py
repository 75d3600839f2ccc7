"""Hypothesis strategies for requests, built from botocore's input shapes.

``ShapeStrategies.value(shape)`` draws values the model allows: enums from the enum, patterned
strings from the pattern (or a plain alphabet when the pattern is not Python's), lengths, ranges and
list sizes inside the model's bounds, and member names the test has seeded state for (workflow
names, run ids, domain ids) drawn from that state, so valid requests reach real code paths.

``requests(shape)`` draws a ``Fuzzed`` request: either valid, or one mutation away from valid (a
required member dropped or null, a wrong JSON type, a value outside a length, range, enum or
pattern, an unknown member, a lone surrogate) or not a JSON object at all (array, string, malformed,
truncated, not UTF-8, nested too deep). ``must_refuse`` says whether the model forbids the result.
"""

from __future__ import annotations

import math
import string
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from moto_glue_workflows.protocol.validation import compile_pattern

SIMPLE = string.ascii_letters + string.digits + "-_."
MAX_DEPTH = 6
MAX_ITEMS = 3
Path = tuple[str | int, ...]


class WireText(str):
    """A URI or query-string value sent as this exact text (not the member's type)."""


@dataclass
class Known:
    """Values of seeded state, by member name; lists are read when drawn, so re-seeding updates them."""

    values: dict[str, list[Any]] = field(default_factory=dict)
    #: members whose values should mostly be new (names to create): seeded ones are drawn less often
    fresh: set[str] = field(default_factory=set)
    #: optional members always sent (the service needs them, though the model does not say so)
    always: set[str] = field(default_factory=set)

    def strategy(self, name: str) -> SearchStrategy[Any] | None:
        found = self.values.get(name)
        if not found:
            return None
        # Mostly the first value (the most useful one, and where hypothesis shrinks to), so that the
        # members of one request fit together (a workflow and one of its runs); otherwise any.
        return st.integers(min_value=0, max_value=10_000).map(
            lambda index: found[index % len(found)] if index % 4 == 3 else found[0]
        )


def location(shape: Shape) -> str | None:
    return shape.serialization.get("location")  # type: ignore[no-any-return]


def _bounded(low: int | None, high: int | None, cap: int) -> tuple[int, int]:
    low = low or 0
    top = low + cap
    return low, top if high is None else min(high, top)


class ShapeStrategies:
    """Valid values for botocore shapes, preferring the seeded values of ``known``."""

    def __init__(self, known: Known | None = None) -> None:
        self.known = known or Known()

    def value(self, shape: Shape, member: str | None = None, depth: int = 0) -> SearchStrategy[Any]:
        if member is not None and shape.type_name in ("string", "blob"):
            seeded = self.known.strategy(member)
            if seeded is not None:
                # Mostly seeded values, sometimes anything the model allows (the reverse for fresh names).
                plain = self._plain(shape, depth)
                if member in self.known.fresh:
                    return st.one_of(plain, plain, plain, seeded)
                return st.one_of(seeded, seeded, seeded, plain)
        return self._plain(shape, depth, member)

    def _plain(self, shape: Shape, depth: int, member: str | None = None) -> SearchStrategy[Any]:
        kind = shape.type_name
        meta = shape.metadata
        if kind == "structure":
            assert isinstance(shape, StructureShape)
            return self.structure(shape, depth)
        if kind == "list":
            assert isinstance(shape, ListShape)
            low, high = _bounded(meta.get("min"), meta.get("max"), MAX_ITEMS)
            if member in self.known.values:
                low = max(low, 1)  # a list of seeded things (Names, NodeIds): name at least one
            if depth >= MAX_DEPTH:
                high = low
            # Items of a list named like seeded state (Names, NodeIds) are drawn from that state.
            return st.lists(self.value(shape.member, member, depth + 1), min_size=low, max_size=high)
        if kind == "map":
            assert isinstance(shape, MapShape)
            low, high = _bounded(meta.get("min"), meta.get("max"), MAX_ITEMS)
            if depth >= MAX_DEPTH:
                high = low
            return st.dictionaries(
                self.string(shape.key), self.value(shape.value, None, depth + 1), min_size=low, max_size=high
            )
        if kind == "string":
            if location(shape) == "uri":  # never empty or a dot segment: the path would be another operation's
                return self.string(shape).filter(lambda label: label not in ("", ".", ".."))
            return self.string(shape)
        if kind in ("integer", "long"):
            low = meta.get("min", -(2**31))
            high = meta.get("max", 2**31 - 1)
            small = st.integers(min_value=max(low, 0) if high >= 0 else low, max_value=min(high, max(low, 0) + 10))
            return st.one_of(small, st.integers(min_value=low, max_value=high))
        if kind in ("float", "double"):
            return st.floats(
                min_value=meta.get("min"), max_value=meta.get("max"), allow_nan=False, allow_infinity=False
            ).map(lambda number: 0.0 if number == 0 else number)
        if kind == "boolean":
            return st.booleans()
        if kind == "timestamp":
            return st.integers(min_value=1_600_000_000, max_value=1_900_000_000)
        if kind == "blob":
            return st.text(alphabet=string.ascii_letters + string.digits + "+/", max_size=16)
        return st.none()

    def structure(self, shape: StructureShape, depth: int) -> SearchStrategy[dict[str, Any]]:
        members = {
            name: self.value(member, name, depth + 1)
            for name, member in shape.members.items()
            if location(member) != "header"
        }
        if shape.metadata.get("union"):
            return st.one_of([st.fixed_dictionaries({name: strategy}) for name, strategy in members.items()])
        wanted = [*shape.required_members, *(name for name in self.known.always if name in members)]
        required = {name: members[name] for name in wanted if name in members}
        optional = {} if depth >= MAX_DEPTH else {k: v for k, v in members.items() if k not in required}
        return st.fixed_dictionaries(required, optional=optional)

    @staticmethod
    def string(shape: Shape) -> SearchStrategy[str]:
        meta = shape.metadata
        return _string(tuple(getattr(shape, "enum", None) or ()), meta.get("min"), meta.get("max"), meta.get("pattern"))


_UNICODE = st.characters(min_codepoint=0x20, max_codepoint=0xFFFD)  # surrogates are left out by default


@cache
def _string(enum: tuple[str, ...], low: int | None, high: int | None, pattern: str | None) -> SearchStrategy[str]:
    """Strings the model allows; built once per kind of string (hypothesis' regex strategies are costly)."""
    if enum:
        return st.sampled_from(enum)
    lowest, top = _bounded(low, high, 24)
    plain = st.text(alphabet=SIMPLE, min_size=max(lowest, 1) if lowest else 0, max_size=max(top, lowest))
    regex = compile_pattern(pattern) if pattern else None
    if regex is None:
        return plain
    if "\\u" in (pattern or "") or "\\U" in regex.pattern:
        # A class of most of Unicode: drawing from it is as good as the pattern, and far cheaper.
        unicode = st.text(alphabet=_UNICODE, min_size=max(lowest, 1) if lowest else 0, max_size=max(top, lowest))
        return st.one_of(plain, unicode).filter(lambda text: regex.fullmatch(text) is not None)
    longest = math.inf if high is None else high
    patterned = st.from_regex(regex, fullmatch=True).filter(lambda text: (low or 0) <= len(text) <= longest)
    return st.one_of(patterned, plain)


# What a request can be


@dataclass(frozen=True)
class Fuzzed:
    kind: str  # "valid" or the mutation
    params: Any  # the members sent (a dict, or anything for DataZone bodies)
    raw: bytes | None = None  # the JSON body's exact bytes, replacing params' body members
    field: str | None = None  # the top-level member a mutation broke
    must_refuse: bool = False
    base: Any = None  # the valid request the mutation started from
    site: Path = ()  # where in the request the mutation is

    def describe(self) -> str:
        shown = repr(self.raw[:200]) if self.raw is not None else repr(self.params)[:400]
        return f"{self.kind} ({self.field}): {shown}"


def _wrong_types(shape: Shape) -> list[Any]:
    """JSON values our model check must refuse for ``shape`` (as JSON, or as text on the wire)."""
    if location(shape) in ("uri", "querystring", "header"):
        return {
            "integer": [WireText("abc"), WireText("1.5")],
            "long": [WireText("abc")],
            "boolean": [WireText("maybe"), WireText("1")],
            "double": [WireText("abc")],
            "float": [WireText("abc")],
        }.get(shape.type_name, [])
    return {
        "structure": [[], "text", 7],
        "map": [["k", "v"], "text", 3],
        "list": [{"a": 1}, "text", 5],
        "string": [17, True, ["s"], {"s": "s"}, 1.5],
        "integer": ["12", 1.5, True, [1]],
        "long": ["12", 2.5, False],
        "float": ["1.5", True, {}],
        "double": ["1.5", True, {}],
        "boolean": ["true", 1, 0, [], "false"],
        "timestamp": [True, [], {}],
    }.get(shape.type_name, [])


def _pattern_breakers(shape: Shape) -> list[str]:
    meta = shape.metadata
    regex = compile_pattern(meta["pattern"]) if "pattern" in meta else None
    if regex is None:
        return []
    low, high = meta.get("min", 0), meta.get("max", math.inf)
    candidates = ["!", "a!", "\x01", "~~~", "a b/c", "\x7f" * max(low, 1), "!" * max(low, 1)]
    return [
        text
        for text in candidates
        if regex.fullmatch(text) is None and low <= len(text) <= high and not (location(shape) and "/" in text)
    ]


def _out_of_range(shape: Shape, value: Any) -> list[Any]:
    meta = shape.metadata
    low, high = meta.get("min"), meta.get("max")
    kind = shape.type_name
    found: list[Any] = []
    if kind == "string":
        if getattr(shape, "enum", None):
            found.append("NOT_IN_THE_ENUM")
        if low and not location(shape):
            found.append("x" * (low - 1))
        if high is not None and high < 200_000:
            found.append("x" * (high + 1))
        found += _pattern_breakers(shape)
    elif kind in ("integer", "long", "float", "double"):
        if low is not None:
            found.append(low - 1)
        if high is not None:
            found.append(high + 1)
    elif kind == "list" and isinstance(value, list):
        if low and len(value) >= low:
            found.append(value[: low - 1])
        if high is not None and high <= 1000 and value:
            found.append((value * (high + 1))[: high + 1])
    elif kind == "map" and isinstance(value, dict):
        if low and len(value) >= low:
            found.append(dict(list(value.items())[: low - 1]))
        if high is not None and high <= 100 and value:
            found.append({f"k{index}": next(iter(value.values())) for index in range(high + 1)})
    if location(shape):
        # Text on the wire: the numbers and strings above, as text.
        found = [WireText(str(item).lower() if isinstance(item, bool) else str(item)) for item in found if item != ""]
    return found


@dataclass(frozen=True)
class Site:
    """A place in a request: the path to it, its shape, and whether the model requires it."""

    path: Path
    shape: Shape
    value: Any
    required: bool
    member: bool = False  # a structure's member (not a list item or map entry)


def sites(shape: Shape, value: Any, path: Path = (), required: bool = True, member: bool = False) -> Iterator[Site]:
    yield Site(path, shape, value, required, member)
    if shape.type_name == "structure" and isinstance(value, dict):
        assert isinstance(shape, StructureShape)
        for name, item in value.items():
            if name in shape.members and item is not None:
                yield from sites(shape.members[name], item, (*path, name), name in shape.required_members, True)
    elif shape.type_name == "list" and isinstance(value, list):
        assert isinstance(shape, ListShape)
        for index, item in enumerate(value):
            yield from sites(shape.member, item, (*path, index), True)
    elif shape.type_name == "map" and isinstance(value, dict):
        assert isinstance(shape, MapShape)
        for key, item in value.items():
            yield from sites(shape.value, item, (*path, key), True)


def _replace(value: Any, path: Path, new: Any) -> Any:
    """A copy of ``value`` with the item at ``path`` replaced (or removed when ``new`` is _DROP)."""
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, list):
        copy_list = list(value)
        assert isinstance(head, int)
        if not rest and new is _DROP:
            del copy_list[head]
        else:
            copy_list[head] = _replace(copy_list[head], rest, new)
        return copy_list
    copy = dict(value)
    if not rest and new is _DROP:
        copy.pop(head, None)
    else:
        copy[head] = _replace(copy[head], rest, new)
    return copy


_DROP = object()
_NOT_OBJECTS = [b"[]", b'"text"', b"42", b"null", b"true", b'[{"Name": "x"}]']
_MALFORMED = [b"{", b'{"Name": ', b"{'Name': 'x'}", b'{"Name": "x",}', b"\xff\xfe\x00{", b'{"Name": "\xc3\x28"}']
_DEEP = b"[" * 100_000 + b"]" * 100_000
_DEEP_OBJECT = b'{"a":' * 50_000 + b"1" + b"}" * 50_000


def _top(path: Path) -> str | None:
    return str(path[0]) if path else None


@st.composite
def requests(draw: st.DrawFn, shape: StructureShape | None, values: ShapeStrategies, has_body: bool = True) -> Fuzzed:
    """A valid request for ``shape``, or one mutation away from one."""
    base: dict[str, Any] = draw(values.structure(shape, 0)) if shape is not None else {}
    kind = draw(
        st.sampled_from(
            [
                *["valid"] * 4,
                *["drop", "null", "wrong-type", "out-of-range", "unknown", "surrogate", "body"],
            ]
        )
    )
    all_sites = list(sites(shape, base)) if shape is not None else []
    members = [site for site in all_sites if site.path]
    if kind == "drop":
        droppable = [s for s in members if s.required and s.member and location(s.shape) != "uri"]
        if droppable:
            site = draw(st.sampled_from(droppable))
            return Fuzzed(kind, _replace(base, site.path, _DROP), field=_top(site.path), must_refuse=True, base=base)
        kind = "valid"
    if kind == "null":
        nullable = [s for s in members if s.member and not location(s.shape)]
        if nullable:
            site = draw(st.sampled_from(nullable))
            return Fuzzed(
                kind, _replace(base, site.path, None), field=_top(site.path), must_refuse=site.required, base=base
            )
        kind = "valid"
    if kind == "wrong-type":
        typed = [(s, wrong) for s in members for wrong in _wrong_types(s.shape)]
        if typed:
            site, wrong = draw(st.sampled_from(typed))
            return Fuzzed(kind, _replace(base, site.path, wrong), field=_top(site.path), must_refuse=True, base=base)
        kind = "valid"
    if kind == "out-of-range":
        ranged = [(s, bad) for s in members for bad in _out_of_range(s.shape, s.value)]
        if ranged:
            site, bad = draw(st.sampled_from(ranged))
            return Fuzzed(kind, _replace(base, site.path, bad), field=_top(site.path), must_refuse=True, base=base)
        kind = "valid"
    if kind == "unknown":
        structures = [s for s in all_sites if s.shape.type_name == "structure" and not s.shape.metadata.get("union")]
        if structures:
            site = draw(st.sampled_from(structures))
            extra: Any = draw(st.sampled_from([1, "x", None, [], {"deep": [1, 2]}, True]))
            target = _replace(base, site.path, {**site.value, "NotAModelMember": extra})
            return Fuzzed(kind, target, field=_top(site.path), base=base, site=site.path)
        kind = "valid"
    if kind == "surrogate":
        texts = [s for s in members if s.shape.type_name == "string" and not location(s.shape)]
        if texts:
            site = draw(st.sampled_from(texts))
            return Fuzzed(kind, _replace(base, site.path, "a\ud800b"), field=_top(site.path), base=base)
        kind = "valid"
    if kind == "body":
        raw = draw(st.sampled_from([*_NOT_OBJECTS, *_MALFORMED, _DEEP, _DEEP_OBJECT, b""]))
        if raw == b"":  # no body: the same as {}
            refused = shape is not None and any(not location(shape.members[n]) for n in shape.required_members)
        else:
            refused = True
        return Fuzzed(kind, base, raw=raw, must_refuse=has_body and refused, base=base)
    return Fuzzed("valid", base, base=base)
