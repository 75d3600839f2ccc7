"""Text made safe for the pictures (SVG) and the page (HTML): escaped, and with no control characters.

XML 1.0 allows no control character but tab, line feed and carriage return, so one in an ErrorMessage or
a lineage name would make the SVG ill-formed; HTML shows them as nothing. Each is drawn as its Unicode
control picture instead (U+0001 as "␁", DEL as "␡"), so it stays visible; unpaired surrogates and the
non-characters U+FFFE and U+FFFF, which XML forbids too, become U+FFFD.
"""

from __future__ import annotations

import html
import re
from xml.sax.saxutils import escape, quoteattr

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def _picture(found: re.Match[str]) -> str:
    char = found.group(0)
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else "\ufffd"


def visible(text: str) -> str:
    """``text`` with every character XML forbids drawn as a visible stand-in."""
    return _FORBIDDEN.sub(_picture, text)


def xml_text(text: str) -> str:
    return escape(visible(text))


def xml_attr(text: str) -> str:
    """An attribute value, quoted."""
    return quoteattr(visible(text))


def html_text(text: str) -> str:
    return html.escape(visible(text))
