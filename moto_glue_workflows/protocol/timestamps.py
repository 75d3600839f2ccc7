"""Timestamps as tests give them: ISO-8601 text or epoch seconds, always read as UTC."""

from __future__ import annotations

import datetime

from moto_glue_workflows import _moto


def utc_now() -> datetime.datetime:
    """Now on the mock's clock (moto's utcnow moved by the clock tests advance), aware UTC."""
    return _moto.utcnow().replace(tzinfo=datetime.UTC)


def parse_timestamp(value: object) -> datetime.datetime:
    """ISO-8601 text, epoch seconds or a datetime, as an aware UTC datetime; ValueError otherwise."""
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return datetime.datetime.fromtimestamp(value, datetime.UTC)
        except (OverflowError, OSError) as exc:
            raise ValueError(str(exc)) from None
    elif isinstance(value, str):
        moment = datetime.datetime.fromisoformat(value.strip())
    else:
        raise ValueError(f"not a timestamp: {value!r}")
    if moment.tzinfo is None:
        return moment.replace(tzinfo=datetime.UTC)
    try:
        return moment.astimezone(datetime.UTC)
    except OverflowError:  # e.g. 9999-12-31T23:59:59-12:00 is past the last representable instant in UTC
        raise ValueError(f"timestamp out of range: {value!r}") from None
