"""How wide text is drawn, so a picture can wrap names and errors inside their boxes.

The pictures name ``Helvetica, Arial, "Liberation Sans"``: three fonts with the same advance widths (Liberation
Sans was made metric-compatible with Arial, Arial with Helvetica). The widths below are Liberation Sans's, read
from its font file, for printable ASCII, in thousandths of the font size; other characters count as wide as the
widest Latin letter, and East Asian wide characters and control pictures as a full em. ``SLACK`` leaves room for a browser rounding
each glyph, and for a fallback font a little wider.
"""

from __future__ import annotations

import re
import unicodedata

SLACK = 1.04
# Advance widths of " " (32) to "~" (126), sixteen a row.
# fmt: off
_REGULAR = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
)
_BOLD = (
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
)
# fmt: on
_OTHER = {"\u00b7": 278, "\u2026": 1000, "\u2014": 1000, "\u2013": 556}
_LATIN = 778  # an unknown character: as wide as "O"
ELLIPSIS = "\u2026"
# Where a long name may break: after a separator (snake_case, paths, ARNs, dotted names, spaces).
_CHUNK = re.compile(r"[^\s_\-./:,;=|]*(?:[\s_\-./:,;=|]+|$)")


def _advance(char: str, bold: bool) -> int:
    code = ord(char)
    if 32 <= code < 127:
        return (_BOLD if bold else _REGULAR)[code - 32]
    if char in _OTHER:
        return _OTHER[char]
    if 0x2400 <= code <= 0x243F:  # control pictures (render.markup): drawn by a fallback font, an em wide at most
        return 1000
    return 1000 if unicodedata.east_asian_width(char) in "WF" else _LATIN


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of ``text`` at ``size`` px, in px."""
    return sum(_advance(char, bold) for char in text) * size / 1000 * SLACK


def _cut(text: str, width: float, size: float, bold: bool) -> tuple[str, str]:
    """The longest head of ``text`` that fits ``width`` (at least one character), and the rest."""
    used = 0.0
    for index, char in enumerate(text):
        used += _advance(char, bold) * size / 1000 * SLACK
        if used > width and index:
            return text[:index], text[index:]
    return text, ""


def ellipsized(text: str, width: float, size: float, bold: bool = False) -> str:
    """``text`` if it fits ``width``, else its longest head that fits with "…" after it."""
    if text_width(text, size, bold) <= width:
        return text
    head, _ = _cut(text, width - text_width(ELLIPSIS, size, bold), size, bold)
    return head.rstrip() + ELLIPSIS


def _pieces(word: str, width: float, size: float, bold: bool) -> list[str]:
    """A word too wide for a line, in pieces that fit: broken after separators where it can be
    (``extract_orders_`` ``from_raw``), and anywhere where it cannot."""
    pieces: list[str] = []
    piece = ""
    for chunk in (found for found in _CHUNK.findall(word) if found):
        while chunk:
            if text_width(piece + chunk, size, bold) <= width:
                piece, chunk = piece + chunk, ""
            elif piece:
                pieces.append(piece)
                piece = ""
            else:
                head, chunk = _cut(chunk, width, size, bold)
                pieces.append(head)
    return [*pieces, piece] if piece else pieces


def wrap(text: str, width: float, size: float, bold: bool = False, max_lines: int = 2) -> list[str]:
    """``text`` in lines no wider than ``width``, broken at spaces, else after separators, else anywhere; at most
    ``max_lines``, the last ending in "…" if text was left over. A line broken at a space keeps it at its end,
    so the lines joined give the text back (its runs of spaces made one)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        joined = f"{line} {word}" if line else word
        if text_width(joined, size, bold) <= width:
            line = joined
            continue
        if line:
            lines.append(line + " ")
            line = ""
        if text_width(word, size, bold) <= width:
            line = word
            continue
        *full, line = _pieces(word, width, size, bold)
        lines += full
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        rest = "".join(lines[max_lines - 1 :])
        lines = [*lines[: max_lines - 1], ellipsized(rest + ELLIPSIS, width, size, bold)]
    return lines
