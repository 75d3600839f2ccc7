"""Opaque page tokens for list operations.

A token records where the next page starts and a fingerprint of the query it belongs to, so a
token replayed with other filters is refused the way AWS refuses it, instead of paging wrongly.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Sequence
from typing import Any, TypeVar

T = TypeVar("T")


class InvalidToken(Exception):
    pass


def _fingerprint(query: Any) -> str:
    return hashlib.sha1(json.dumps(query, sort_keys=True, default=str).encode()).hexdigest()[:12]


def encode_token(offset: int, query: Any) -> str:
    raw = json.dumps({"o": offset, "q": _fingerprint(query)}).encode()
    return base64.urlsafe_b64encode(raw).decode()


def decode_token(token: str, query: Any) -> int:
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode()))
        offset = data["o"]
        fingerprint = data["q"]
    except (ValueError, KeyError, TypeError):
        raise InvalidToken(token) from None
    if not isinstance(offset, int) or offset < 0 or fingerprint != _fingerprint(query):
        raise InvalidToken(token)
    return offset


def page(items: Sequence[T], max_results: int, next_token: str | None, query: Any = None) -> tuple[list[T], str | None]:
    """One page of ``items`` and the token of the next page, if there is one."""
    start = decode_token(next_token, query) if next_token else 0
    end = start + max_results
    token = encode_token(end, query) if end < len(items) else None
    return list(items[start:end]), token


def page_newest_first(
    oldest_first: Sequence[T], max_results: int, next_token: str | None, query: Any = None, dropped: int = 0
) -> tuple[list[T], str | None]:
    """One page of an append-only history, newest first, and the token of the next page.

    The token holds the position (counted from the first item ever, ``dropped`` of which have since
    expired from the front of the history) where the next page starts, so items appended or expired
    between pages neither repeat nor hide any that existed when paging began.
    """
    end = decode_token(next_token, query) - dropped if next_token else len(oldest_first)
    end = max(0, min(end, len(oldest_first)))
    start = max(0, end - max_results)
    token = encode_token(start + dropped, query) if start > 0 else None
    return list(oldest_first[start:end])[::-1], token
