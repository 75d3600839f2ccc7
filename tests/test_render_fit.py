"""Pictures and the page as a person sees them on a laptop: a Chromium window 1400 by 900 px, measured.

An eight-job chain with long names, a crawler joining it and a long Spark error, and a lineage graph of three
datasets (two named ``orders``, in ``s3://raw`` and ``s3://curated``), drawn by ``render()`` and on the page,
in each mode. Chromium lays them out and reports, in CSS pixels: the document's width against the window, each
picture's size and scale, every text's box against its node's shape, texts that overlap, edges that pass over
a text, and table cells that stick out (tests/browser.py, MEASURE).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any

import requests

import moto_glue_workflows
from moto_glue_workflows.render.model import Node, Picture
from tests import render_scenarios as scenarios
from tests.modes import Mode

if TYPE_CHECKING:
    from tests.browser import Chromium

pytest_plugins = ["tests.mode_fixtures", "tests.browser"]

SVG = "{http://www.w3.org/2000/svg}"


def assert_reads(facts: dict[str, Any]) -> None:
    """No sideways scroll, no text outside its box, over another text, or under an edge."""
    page = facts["page"]
    assert page["scrollWidth"] <= page["clientWidth"] <= 1400, page
    outside = [(t["node"], t["text"]) for t in facts["texts"] if not t["inside"]]
    assert not outside, f"texts outside their boxes: {outside}"
    assert not facts["overlaps"], f"texts over texts: {facts['overlaps']}"
    assert not facts["crossings"], f"edges over texts: {facts['crossings']}"
    for svg in facts["svgs"]:
        drawn, container = svg["drawn"], svg["container"]
        assert drawn["x"] + drawn["w"] <= container["x"] + container["w"] + 0.5, svg


def tooltips(svg: str) -> dict[str, str]:
    root = ET.fromstring(svg)
    return {
        group.get("data-name", ""): "".join(group.find(f"{SVG}title").itertext())  # type: ignore[union-attr]
        for group in root.iter(f"{SVG}g")
        if "node" in group.get("class", "").split()
    }


def node_texts(facts: dict[str, Any], svg_index: int) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for text in facts["texts"]:
        if text["svg"] == svg_index and text["node"] is not None:
            found.setdefault(text["node"], []).append(text["text"])
    return found


def standalone(svg: str) -> str:
    return f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">{svg}</body></html>'


def test_an_eight_job_chain_fits_a_laptop_at_full_size(chromium: Chromium, mode: Mode) -> None:
    glue, run_id = scenarios.chain_of_eight(mode)
    run = scenarios.finish(glue, "revenue", run_id)
    assert run["Statistics"]["FailedActions"] == 1
    svg = moto_glue_workflows.render("revenue", run_id, endpoint_url=mode.endpoint_url)
    facts = chromium.measure(standalone(svg))
    assert_reads(facts)
    (drawn,) = facts["svgs"]
    assert drawn["width"] <= 1300 and drawn["scale"] == 1, "it fits without being scaled down"
    texts = node_texts(facts, 0)
    assert len(texts) == 8 + 8 + 1  # eight jobs, their eight triggers, the crawler: every one drawn
    # A name too long for its box is wrapped; the whole name, and the whole error, are in its tooltip.
    stage = scenarios.STAGES[2]
    assert texts[stage][0] == stage and len(texts[stage][0]) > 30  # textContent joins the wrapped lines
    failed = texts[scenarios.STAGES[-1]]
    assert failed[1] == "job · FAILED" and failed[2].startswith("An error occurred while calling")
    tips = tooltips(svg)
    assert scenarios.LONG_ERROR in tips[scenarios.STAGES[-1]]
    assert all(name in tips[name] for name in tips)
    # Wrapped like lines of text: several bands, each reading left to right.
    tops = sorted({round(t["shape"]["y"]) for t in facts["texts"] if t["node"]})
    assert len(tops) >= 3


def test_three_datasets_of_lineage_show_their_namespaces(chromium: Chromium, mode: Mode) -> None:
    _, domain, answers = scenarios.lineage_of_three_datasets(mode)
    svg = moto_glue_workflows.render(answers)
    facts = chromium.measure(standalone(svg))
    assert_reads(facts)
    texts = node_texts(facts, 0)
    assert len(texts) == 4  # the job, its run, "orders" (twice: one entry, both nodes' texts) and "customers"
    orders = texts["orders"]
    namespaces = sorted(line for line in orders if line.startswith("s3://"))
    assert namespaces == ["s3://curated", "s3://raw"], orders
    assert "s3://raw" in texts["customers"]
    assert any(line.startswith("dataset · as of 2026-03-01") for line in orders)
    assert f"Lineage of domain {domain}" in svg


def test_the_page_fits_a_1400_px_window(chromium: Chromium, mode: Mode) -> None:
    glue, run_id = scenarios.chain_of_eight(mode)
    scenarios.finish(glue, "revenue", run_id)
    scenarios.lineage_of_three_datasets(mode)
    page = requests.get(f"{mode.base_url}/moto-api/static/ui/", timeout=30).text
    facts = chromium.measure(page)
    assert_reads(facts)
    assert not facts["cells"], f"cells wider than their columns or the window: {facts['cells']}"
    assert len(facts["svgs"]) == 2 and all(svg["scale"] == 1 for svg in facts["svgs"])
    # Ids are cut on screen, whole on hover and in a copy; times sit on one line.
    assert f'<code class="id" title="{run_id}">{run_id}</code>' in page
    assert re.search(r'<span class="when" title="[^"]+">\d{4}-\d\d-\d\d \d\d:\d\d:\d\d</span>', page)
    # A crawl's row names the crawl (ListCrawls' CrawlId), not the crawler.
    (crawl,) = glue.list_crawls(CrawlerName="raw-orders-crawler")["Crawls"]
    row = re.search(r"<tr><td>CRAWLER</td><td>raw-orders-crawler</td>.*?</tr>", page)
    assert row and f'title="{crawl["CrawlId"]}"' in row.group(0), row


def test_the_measure_sees_what_a_person_would(chromium: Chromium) -> None:
    """The checks above can fail: a picture with a name past its box, two texts on one another, an edge over a
    text, and a page wider than the window, measured the same way."""
    bad = (
        '<svg xmlns="http://www.w3.org/2000/svg" class="workflow-run" width="1600" height="200" font-size="12">'
        '<g class="node" data-name="a"><rect x="10" y="10" width="60" height="40"/>'
        '<text x="15" y="30">a name far too long for its box</text><text x="15" y="32">over it</text></g>'
        '<path class="edge" data-source="a" data-target="b" d="M0,28 L300,28"/></svg>'
    )
    facts = chromium.measure(standalone(bad))
    assert [t["text"] for t in facts["texts"] if not t["inside"]] == ["a name far too long for its box"]
    assert facts["overlaps"] == [["a name far too long for its box", "over it"]]
    assert facts["crossings"] and facts["crossings"][0][:3] == ["a", "b", "a name far too long for its box"]
    assert facts["page"]["scrollWidth"] > facts["page"]["clientWidth"]


def test_names_of_the_widest_letters_other_scripts_and_control_characters_stay_in_their_boxes(
    chromium: Chromium,
) -> None:
    names = ["W" * 60, "m" * 80, "界" * 40, "\x01\x0b\x7f" * 15, "ÆØÅ" * 20, "a b " * 30]
    nodes = [Node(f"n{index}", "JOB", name, "FAILED", error_message=name * 2) for index, name in enumerate(names)]
    nodes.append(Node("t", "TRIGGER", "W" * 40, "FIRED"))
    picture = Picture("w" * 300, nodes, [("t", node.id) for node in nodes[:-1]], run_id="wr_1", status="COMPLETED")
    facts = chromium.measure(standalone(moto_glue_workflows.render(picture)))
    assert_reads(facts)
    assert len([t for t in facts["texts"] if t["node"]]) == 7 * 2 + 6  # names and states; each job's error
