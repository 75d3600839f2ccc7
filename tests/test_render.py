"""Pictures of workflow runs: structure of the SVG, Mermaid, DOT and text; the layout's guarantees.

Each scenario runs in both modes (``aws`` fixture): rendered in-process by name, from a standalone
server by name (``endpoint_url``), and from a GetWorkflowRun answer.
"""

from __future__ import annotations

import datetime
import itertools
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any

import pytest

import moto_glue_workflows
from moto_glue_workflows.render.layout import layout
from moto_glue_workflows.render.model import Node, Picture
from tests import render_scenarios as scenarios

SVG = "{http://www.w3.org/2000/svg}"


def draw(aws: Any, workflow: str, run_id: str, format: str = "svg") -> str:
    return moto_glue_workflows.render(workflow, run_id, format=format, endpoint_url=aws.endpoint_url)


def svg_structure(svg: str) -> tuple[dict[str, dict[str, str]], list[tuple[str, str]], list[tuple[float, ...]]]:
    """Nodes by name (their data- attributes and texts), edges (source and target ids), and boxes."""
    root = ET.fromstring(svg)  # valid XML, or this raises
    assert root.tag == f"{SVG}svg"
    nodes: dict[str, dict[str, str]] = {}
    boxes = []
    for group in root.iter(f"{SVG}g"):
        if "node" not in group.get("class", "").split():
            continue
        texts = " | ".join("".join(t.itertext()) for t in group.iter(f"{SVG}text"))  # a tspan per line
        nodes[group.get("data-name", "")] = {**group.attrib, "texts": texts}
        rect = group.find(f"{SVG}rect")
        assert rect is not None
        boxes.append(tuple(float(rect.get(key, "0")) for key in ("x", "y", "width", "height")))
    edges = [
        (p.get("data-source", ""), p.get("data-target", ""))
        for p in root.iter(f"{SVG}path")
        if p.get("class") == "edge"
    ]
    return nodes, edges, boxes


def assert_no_overlap(boxes: Sequence[tuple[float, ...]]) -> None:
    for index, (x, y, w, h) in enumerate(boxes):
        for x2, y2, w2, h2 in boxes[index + 1 :]:
            assert x + w <= x2 or x2 + w2 <= x or y + h <= y2 or y2 + h2 <= y, "two boxes overlap"


def test_chain_of_three(aws: Any) -> None:
    glue, run_id = scenarios.chain_of_three(aws, fail="transform")
    run = scenarios.finish(glue, "nightly", run_id)
    for svg in (draw(aws, "nightly", run_id), moto_glue_workflows.render({"Run": run})):
        nodes, edges, boxes = svg_structure(svg)
        assert set(nodes) == {
            "nightly-start",
            "extract",
            "nightly-after-extract",
            "transform",
            "nightly-after-transform",
            "load",
        }
        assert nodes["extract"]["data-state"] == "SUCCEEDED" and "succeeded" in nodes["extract"]["class"]
        assert nodes["transform"]["data-state"] == "FAILED" and "failed" in nodes["transform"]["class"]
        assert "bad row 7" in nodes["transform"]["texts"]
        assert nodes["load"]["data-state"] == "NOT_STARTED" and "not started" in nodes["load"]["texts"]
        assert nodes["nightly-after-transform"]["data-state"] == "NOT_FIRED"
        ids = {name: node["data-id"] for name, node in nodes.items()}
        assert sorted(edges) == sorted(
            (ids[a], ids[b])
            for a, b in [
                ("nightly-start", "extract"),
                ("extract", "nightly-after-extract"),
                ("nightly-after-extract", "transform"),
                ("transform", "nightly-after-transform"),
                ("nightly-after-transform", "load"),
            ]
        )
        xs = [float(nodes[n]["texts"] and b[0]) for n, b in zip(nodes, boxes, strict=True)]
        assert xs == sorted(xs), "a chain reads left to right"
        assert_no_overlap(boxes)
        assert "COMPLETED" in svg and "Failed 1" in svg

    text = str(moto_glue_workflows.describe_run("nightly", run_id, endpoint_url=aws.endpoint_url))
    lines = text.splitlines()
    assert lines[0].startswith(f"workflow nightly run {run_id}: COMPLETED (Total 3 · Failed 1 · Succeeded 1)")
    assert [line.split()[:2] for line in lines[1:]] == [
        ["TRIGGER", "nightly-start"],
        ["JOB", "extract"],
        ["TRIGGER", "nightly-after-extract"],
        ["JOB", "transform"],
        ["TRIGGER", "nightly-after-transform"],
        ["JOB", "load"],
    ]
    assert lines[4].split()[2:] == ["FAILED", "bad", "row", "7"]
    assert lines[6].split()[2:] == ["not", "started"]

    mermaid = draw(aws, "nightly", run_id, "mermaid")
    assert mermaid.startswith("flowchart LR\n")
    assert len(re.findall(r"^  n\d+ --> n\d+$", mermaid, re.M)) == 5
    assert re.search(r'n\d+\["transform<br/>job · FAILED: bad row 7"\]', mermaid)
    dot = draw(aws, "nightly", run_id, "dot")
    assert dot.startswith("digraph workflow {") and "rankdir=LR;" in dot
    assert len(re.findall(r"^  n\d+ -> n\d+;$", dot, re.M)) == 5
    assert 'label="transform\\njob · FAILED\\nbad row 7"' in dot


def test_fan_out_fan_in_of_twenty(aws: Any) -> None:
    glue, run_id = scenarios.fan_out_fan_in(aws, 20)
    scenarios.finish(glue, "fan", run_id)
    nodes, edges, boxes = svg_structure(draw(aws, "fan", run_id))
    assert len(nodes) == 20 + 1 + 2  # 20 parts, publish, and two triggers
    assert len(edges) == 20 + 20 + 1
    assert all(nodes[f"part-{i:02d}"]["data-state"] == "SUCCEEDED" for i in range(20))
    assert nodes["publish"]["data-state"] == "SUCCEEDED"
    assert_no_overlap(boxes)
    # Four columns: start trigger, the parts, the join trigger, publish.
    columns = sorted({box[0] for box in boxes})
    assert len(columns) == 4
    assert sum(1 for box in boxes if box[0] == columns[1]) == 20


def test_resumed_run(aws: Any) -> None:
    _, first, resumed = scenarios.failed_then_resumed(aws)
    nodes, _, _ = svg_structure(draw(aws, "nightly", resumed))
    assert {name: node["data-state"] for name, node in nodes.items() if node["data-kind"] == "JOB"} == {
        "extract": "SUCCEEDED",
        "transform": "SUCCEEDED",
        "load": "SUCCEEDED",
    }
    svg = draw(aws, "nightly", resumed)
    assert f"resumed from {first[:16]}" in svg
    text = str(moto_glue_workflows.describe_run("nightly", resumed, endpoint_url=aws.endpoint_url))
    assert f"resumed from run {first}" in text
    first_text = str(moto_glue_workflows.describe_run("nightly", first, endpoint_url=aws.endpoint_url))
    assert "FAILED  bad row 7" in first_text


def test_crawler_and_failed_start(aws: Any) -> None:
    glue, run_id = scenarios.crawler_and_failed_start(aws)
    run = scenarios.finish(glue, "ingest", run_id)
    assert run["Statistics"]["ErroredActions"] == 1
    nodes, edges, boxes = svg_structure(draw(aws, "ingest", run_id))
    assert nodes["raw"]["data-kind"] == "CRAWLER" and nodes["raw"]["data-state"] == "FAILED"
    assert "access denied" in nodes["raw"]["texts"]
    assert nodes["clean"]["data-state"] == "SUCCEEDED"
    # Only we know why "gone" has no run: its start failed.
    assert nodes["gone"]["data-state"] == "ERROR" and "could not start" in nodes["gone"]["texts"]
    assert len(edges) == 4
    assert_no_overlap(boxes)
    # A GetWorkflowRun answer says nothing of the failed start: the node has no run.
    from_answer, _, _ = svg_structure(moto_glue_workflows.render(run))
    assert from_answer["gone"]["data-state"] == "NOT_STARTED"
    text = str(moto_glue_workflows.describe_run("ingest", run_id, endpoint_url=aws.endpoint_url))
    assert "CRAWLER  raw" in text and "could not start: Job gone not found." in text


def test_workflow_without_a_run_and_names_that_need_escaping(aws: Any) -> None:
    glue = aws.client("glue")
    glue.create_workflow(Name="<script>alert(1)</script>")
    glue.create_job(Name='a&b"c', Role="r", Command={"Name": "glueetl", "ScriptLocation": "s3://x/y.py"})
    glue.create_trigger(
        Name="<t>", WorkflowName="<script>alert(1)</script>", Type="ON_DEMAND", Actions=[{"JobName": 'a&b"c'}]
    )
    svg = moto_glue_workflows.render("<script>alert(1)</script>", endpoint_url=aws.endpoint_url)
    nodes, edges, _ = svg_structure(svg)
    assert set(nodes) == {"<t>", 'a&b"c'} and len(edges) == 1
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    mermaid = moto_glue_workflows.render("<script>alert(1)</script>", format="mermaid", endpoint_url=aws.endpoint_url)
    assert "#lt;t#gt;" in mermaid and "a#amp;b#quot;c" in mermaid


def test_unknown_format_and_unknown_run(aws: Any) -> None:
    with pytest.raises(ValueError, match="format must be one of svg, mermaid, dot, text"):
        moto_glue_workflows.render({"Run": {}}, format="png")


def picture_of(nodes: list[str], edges: list[tuple[str, str]]) -> Picture:
    return Picture("big", [Node(n, "JOB", n, "SUCCEEDED") for n in nodes], edges, run_id="wr_1", status="COMPLETED")


def test_layout_of_fifty_nodes_with_cycles_places_every_node_apart() -> None:
    nodes, edges = scenarios.dag_with_cycle(50)
    placed = layout(nodes, edges)
    assert set(placed.boxes) == set(nodes)
    boxes = [(b.x, b.y, b.width, b.height) for b in placed.boxes.values()]
    assert_no_overlap(boxes)
    for b in placed.boxes.values():
        assert b.x >= 0 and b.y >= 0 and b.x + b.width <= placed.width and b.y + b.height <= placed.height
    assert len(placed.routes) == len(edges)
    # Forward edges run left to right; the two cycle-closing edges are drawn backwards.
    backwards = [(s, t) for s, t, points in placed.routes if points[0][0] > points[-1][0]]
    assert set(backwards) <= {("n49", "n0"), ("n30", "n10")} and backwards
    # No line passes through a box it does not connect: long edges bend around them.
    for source, target, points in placed.routes:
        for x, y in points[1:-1]:
            for name, box in placed.boxes.items():
                assert not (box.x < x < box.x + box.width and box.y < y < box.y + box.height), (source, target, name)
    # Layered, not a line: 10 columns (longest path of steps of 5), text kept at full size.
    assert len(placed.columns) == 10
    svg = moto_glue_workflows.render(picture_of(nodes, edges))
    assert ET.fromstring(svg).get("font-size") == "12"


def _straight_segments(points: list[tuple[float, float]]) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    return [(a, b) for a, b in itertools.pairwise(points) if a[0] == b[0] or a[1] == b[1]]


def _cross(
    a: tuple[tuple[float, float], tuple[float, float]], b: tuple[tuple[float, float], tuple[float, float]]
) -> bool:
    """Whether a horizontal and a vertical segment meet (lanes of edges that wrap are one or the other)."""
    (h0, h1), (v0, v1) = (a, b) if a[0][1] == a[1][1] else (b, a)
    if h0[1] != h1[1] or v0[0] != v1[0]:
        return False
    return min(h0[0], h1[0]) < v0[0] < max(h0[0], h1[0]) and min(v0[1], v1[1]) < h0[1] < max(v0[1], v1[1])


def test_a_long_chain_wraps_into_bands_within_the_width() -> None:
    """Sixteen columns (eight jobs and their triggers) and an edge from the second column to the tenth:
    wrapped within 1300 px, each band left to right, the lanes of wrapping edges crossing no lane and no box."""
    nodes = [f"n{index:02d}" for index in range(16)]
    edges = [*itertools.pairwise(nodes), ("n01", "n09")]
    widths = {node: 148.0 if index % 2 == 0 else 184.0 for index, node in enumerate(nodes)}
    placed = layout(nodes, edges, column_gap=44, max_width=1300, widths=widths)
    assert placed.width <= 1300 and len(placed.bands) == 3
    assert min(len(band) for band in placed.bands) >= 4, placed.bands  # evened out: no band of one left over
    assert_no_overlap([(b.x, b.y, b.width, b.height) for b in placed.boxes.values()])
    for band in placed.bands:
        xs = [placed.boxes[nodes[column]].x for column in band]
        assert xs == sorted(xs), "a band reads left to right"
    lanes = {(s, t): _straight_segments(points) for s, t, points in placed.routes}
    for (edge, mine), (other, theirs) in itertools.combinations(lanes.items(), 2):
        if not set(edge) & set(other):  # edges that share a node may meet at it
            assert not any(_cross(a, b) for a in mine for b in theirs), (edge, other)
    for source, target, points in placed.routes:
        assert all(0 <= x <= placed.width and 0 <= y <= placed.height for x, y in points)
        for x, y in points[1:-1]:
            for name, box in placed.boxes.items():
                assert not (box.x < x < box.x + box.width and box.y < y < box.y + box.height), (source, target, name)


def test_edges_into_a_fan_in_meet_it_at_ports_in_order() -> None:
    """Three jobs into one trigger: three ports down its side, top source to top port, so no two lines cross."""
    placed = layout(["a", "b", "c", "join"], [("a", "join"), ("b", "join"), ("c", "join")])
    ends = sorted((placed.boxes[source].y, points[-1][1]) for source, _, points in placed.routes)
    assert [end for _, end in ends] == sorted(end for _, end in ends) and len({end for _, end in ends}) == 3
    box = placed.boxes["join"]
    assert all(box.y < end < box.y + box.height for _, end in ends)


def test_pictures_in_the_docs_are_what_the_renderer_draws_today() -> None:
    from tests import docs_pictures

    for name, svg in docs_pictures.draw().items():
        checked_in = (docs_pictures.IMAGES / name).read_text(encoding="utf-8")
        assert checked_in == svg, f"docs/images/{name} is stale: run python -m tests.docs_pictures"
        svg_structure(svg)


def test_lineage_graph_from_get_lineage_node_answers() -> None:
    """A job run reading an S3 dataset and a Glue table and writing an S3 dataset, as GetLineageNode
    answers name their neighbours (each link appears on both of its ends)."""

    def node(node_id: str, name: str, type_name: str, up: list[str], down: list[str]) -> dict[str, Any]:
        stamp = datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC)
        return {
            "domainId": "dzd_abc123def45678",
            "id": node_id,
            "name": name,
            "typeName": type_name,
            "sourceIdentifier": name,
            "upstreamNodes": [{"id": other, "eventTimestamp": stamp} for other in up],
            "downstreamNodes": [{"id": other, "eventTimestamp": stamp} for other in down],
        }

    answers = [
        node("raw", "s3://data/raw", "amazon.datazone.DatasetLineageNodeType", [], ["run1"]),
        node("orders", "arn:aws:glue:us-east-1:123456789012:table/db/orders", "DatasetNodeType", [], ["run1"]),
        node("run1", "spark.clean/run-1", "amazon.datazone.JobRunLineageNodeType", ["raw", "orders"], ["clean"]),
        node("clean", "s3://data/<clean>", "amazon.datazone.DatasetLineageNodeType", ["run1"], []),
    ]
    svg = moto_glue_workflows.render(answers)
    nodes, edges, boxes = svg_structure(svg)
    assert {name: n["data-kind"] for name, n in nodes.items()} == {
        "s3://data/raw": "DATASET",
        "arn:aws:glue:us-east-1:123456789012:table/db/orders": "DATASET",
        "spark.clean/run-1": "JOB_RUN",
        "s3://data/<clean>": "DATASET",
    }
    assert sorted(edges) == [("orders", "run1"), ("raw", "run1"), ("run1", "clean")]
    assert len({box[0] for box in boxes}) == 3  # inputs, the run, the output
    assert_no_overlap(boxes)
    assert "Lineage of domain dzd_abc123def45678" in svg and "&lt;clean&gt;" in svg
    assert str(moto_glue_workflows.describe_run(answers)).splitlines()[0] == "lineage of domain dzd_abc123def45678"


def test_lineage_graph_of_a_domain_from_real_answers(aws: Any) -> None:
    from tests.test_render_page import LINEAGE_EVENT

    dz = aws.client("datazone")
    domain = dz.create_domain(name="lineage", domainExecutionRole="arn:aws:iam::123456789012:role/dz")["id"]
    dz.post_lineage_event(domainIdentifier=domain, event=json.dumps(LINEAGE_EVENT).encode())
    run_id = LINEAGE_EVENT["run"]["runId"]
    sources = ["glue.orders_daily", f"glue.orders_daily/{run_id}", "s3://raw-bucket/orders/2026"]
    sources.append("s3://curated-bucket/orders_enriched")
    answers = [dz.get_lineage_node(domainIdentifier=domain, identifier=source) for source in sources]
    nodes, edges, boxes = svg_structure(moto_glue_workflows.render(answers))
    assert {name: node["data-kind"] for name, node in nodes.items()} == {
        "orders_daily": "JOB",
        run_id: "JOB_RUN",
        "orders/2026": "DATASET",
        "orders_enriched": "DATASET",
    }
    ids = {name: node["data-id"] for name, node in nodes.items()}
    assert sorted(edges) == sorted(
        [(ids["orders_daily"], ids[run_id]), (ids["orders/2026"], ids[run_id]), (ids[run_id], ids["orders_enriched"])]
    )
    assert_no_overlap(boxes)
