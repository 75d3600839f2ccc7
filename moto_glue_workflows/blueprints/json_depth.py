"""How deeply a parsed JSON value nests, measured without recursion.

Blueprint configurations and run parameters are read once and then copied, serialised and shown
in messages by recursive code, whose depth limit depends on how deep the calling thread's stack
already is. A fixed bound, checked right after parsing, makes the answer the same in every thread:
AWS documents none; 100 levels is far beyond any parameter spec or parameter value.
"""

from __future__ import annotations

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
