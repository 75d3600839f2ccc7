"""How deeply a parsed JSON value nests, measured without recursion.

Blueprint configurations and run parameters are read once and then copied, serialised and shown
in messages by recursive code, whose depth limit depends on how deep the calling thread's stack
already is. A fixed bound, checked right after parsing, makes the answer the same in every thread:
AWS documents none; 100 levels is far beyond any parameter spec or parameter value.
"""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 100


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether ``value`` has containers nested more than ``limit`` levels deep."""
    stack = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        if isinstance(current, dict):
            children: Any = current.values()
        elif isinstance(current, list):
            children = current
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class NestedTooDeep(Exception):
    """A JSON text nesting more than ``MAX_DEPTH`` levels (or deeper than Python's parser recurses)."""

    def __init__(self) -> None:
        super().__init__(f"it is nested more than {MAX_DEPTH} levels deep")


def loads_within_depth(text: str) -> Any:
    """``json.loads`` (its JSONDecodeError as is), refusing values nested past ``MAX_DEPTH`` with NestedTooDeep."""
    try:
        value = json.loads(text)
    except RecursionError:  # nested deeper than the parser recurses: past MAX_DEPTH too
        raise NestedTooDeep() from None
    if too_deep(value):
        raise NestedTooDeep()
    return value
