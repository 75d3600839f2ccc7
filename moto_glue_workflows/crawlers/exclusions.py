"""S3Target exclusions: glob patterns matched against an object's path below the include path.

Guide, "Include and exclude patterns": ``*`` matches within one path component, ``**`` across
folders, ``?`` one character, ``[...]`` a set, ``{a,b}`` alternatives, ``\\`` escapes.
"""

from __future__ import annotations

import functools
import re


@functools.lru_cache(maxsize=256)
def _compile(pattern: str) -> re.Pattern[str]:
    out, index, depth = [], 0, 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            out.append(re.escape(pattern[index + 1]))
            index += 2
            continue
        if pattern.startswith("**", index):
            out.append(".*")
            index += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = pattern.find("]", index + 1)
            if end == -1:
                out.append(re.escape(char))
            else:
                body = pattern[index + 1 : end]
                out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
                index = end
        elif char == "{":
            out.append("(?:")
            depth += 1
        elif char == "}" and depth:
            out.append(")")
            depth -= 1
        elif char == "," and depth:
            out.append("|")
        else:
            out.append(re.escape(char))
        index += 1
    return re.compile("".join(out) + ")" * depth)


def excluded(relative_path: str, patterns: list[str]) -> bool:
    """Whether the object (or a folder holding it) matches one of ``patterns``."""
    folders = relative_path.split("/")[:-1]
    candidates = [relative_path] + ["/".join(folders[: i + 1]) for i in range(len(folders))]
    return any(_compile(p).fullmatch(candidate) for p in patterns for candidate in candidates)
