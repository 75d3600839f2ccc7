"""A real browser for the tests: Debian's chromium, headless, installed with apt where missing."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _install_chromium() -> str | None:
    """Debian's chromium, installed with apt where missing (CI runs as root); None if it cannot be."""
    found = shutil.which("chromium")
    if found or shutil.which("apt-get") is None or os.geteuid() != 0:
        return found
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", "chromium"]):
        if subprocess.run(command, env=env, capture_output=True, timeout=900).returncode != 0:
            return None
    return shutil.which("chromium")


class Chromium:
    """A headless chromium: ``browse`` runs it on a URL (its stdout: the DOM with ``--dump-dom``); ``measure``
    opens a page with MEASURE appended and returns what it measured, laid out in a ``width`` by ``height`` window."""

    def __init__(self, path: str, scratch: Path) -> None:
        self.path = path
        self.scratch = scratch
        self.profiles = 0

    def browse(self, url: str, *extra: str) -> str:
        self.profiles += 1
        profile = self.scratch / f"profile-{self.profiles}"
        profile.mkdir()
        done = subprocess.run(
            [self.path, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *extra, url],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    def measure(self, html_text: str, width: int = 1400, height: int = 900) -> dict[str, Any]:
        """Layout facts of ``html_text`` (a page, or an SVG wrapped in one) as Chromium lays it out."""
        self.profiles += 1
        page = self.scratch / f"measured-{self.profiles}.html"
        marker = "</body>" if "</body>" in html_text else None
        script = f"<script>{MEASURE}</script>"
        page.write_text(html_text.replace(marker, script + marker) if marker else html_text + script, encoding="utf-8")
        dom = self.browse(page.as_uri(), f"--window-size={width},{height}", "--hide-scrollbars=false", "--dump-dom")
        found = re.search(r'<pre id="measured">(.*?)</pre>', dom, re.S)
        assert found, dom[-2000:]
        facts: dict[str, Any] = json.loads(html.unescape(found.group(1)))
        return facts


# Runs in the page once it is laid out: what a person at this window size would see, in CSS pixels.
# - page: how wide the document is against the window (sideways scrolling);
# - svgs: each picture's drawn size and scale, and whether it sticks out of its box on the page;
# - texts: every text of a picture's node, with its box, and the box of its node's shape;
# - overlaps: pairs of texts that overlap; crossings: edges passing over a text;
# - cells: table cells wider than the window or whose content overflows them.
MEASURE = """
(function () {
  const out = {page: {}, svgs: [], texts: [], overlaps: [], crossings: [], cells: []};
  const doc = document.documentElement;
  out.page = {scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth, innerWidth: window.innerWidth};
  const rect = (r) => ({x: r.x, y: r.y, w: r.width, h: r.height});
  const inside = (a, b, slack) => a.x >= b.x - slack && a.y >= b.y - slack &&
      a.x + a.w <= b.x + b.w + slack && a.y + a.h <= b.y + b.h + slack;
  const meet = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  document.querySelectorAll("svg.workflow-run").forEach((svg, index) => {
    const drawn = svg.getBoundingClientRect();
    const box = svg.parentElement.getBoundingClientRect();
    out.svgs.push({index, run: svg.getAttribute("data-run-id"), workflow: svg.getAttribute("data-workflow"),
      width: Number(svg.getAttribute("width")), drawn: rect(drawn), container: rect(box),
      scale: drawn.width / Number(svg.getAttribute("width"))});
    const texts = [];
    svg.querySelectorAll("text").forEach((text) => {
      const node = text.closest("g.node");
      const shape = node ? node.querySelector("rect").getBoundingClientRect() : drawn;
      const r = rect(text.getBoundingClientRect());
      const entry = {svg: index, node: node ? node.getAttribute("data-name") : null, text: text.textContent,
        box: r, shape: rect(shape), inside: inside(r, rect(shape), 0.5)};
      texts.push(entry);
      out.texts.push(entry);
    });
    for (let i = 0; i < texts.length; i++)
      for (let j = i + 1; j < texts.length; j++)
        if (meet(texts[i].box, texts[j].box)) out.overlaps.push([texts[i].text, texts[j].text]);
    svg.querySelectorAll("path.edge").forEach((path) => {
      const matrix = path.getScreenCTM();  // the path's own coordinates (inside the picture's translated group)
      const length = path.getTotalLength();
      for (let at = 0; at <= length; at += 2) {
        const p = path.getPointAtLength(at);
        const x = matrix.a * p.x + matrix.c * p.y + matrix.e, y = matrix.b * p.x + matrix.d * p.y + matrix.f;
        const hit = texts.find((t) => x > t.box.x && x < t.box.x + t.box.w && y > t.box.y && y < t.box.y + t.box.h);
        if (hit) { out.crossings.push([path.getAttribute("data-source"), path.getAttribute("data-target"), hit.text, Math.round(x), Math.round(y), hit.box]); break; }
      }
    });
  });
  document.querySelectorAll("td, th").forEach((cell) => {
    const r = cell.getBoundingClientRect();
    if (r.right > doc.clientWidth || cell.scrollWidth > cell.clientWidth + 1)
      out.cells.push({text: cell.textContent.slice(0, 80), right: r.right, scrollWidth: cell.scrollWidth,
        clientWidth: cell.clientWidth});
  });
  const pre = document.createElement("pre");
  pre.id = "measured";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
"""


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Chromium:
    path = _install_chromium()
    if path is None:
        reason = "no apt-get" if shutil.which("apt-get") is None else "not root" if os.geteuid() else "apt failed"
        pytest.skip(f"Debian's chromium is not installed and cannot be installed here ({reason})")
    return Chromium(path, tmp_path_factory.mktemp("chromium"))
