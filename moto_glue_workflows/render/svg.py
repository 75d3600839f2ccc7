"""A self-contained SVG of a picture: no scripts, no external fonts or stylesheets."""

from __future__ import annotations

from moto_glue_workflows.render.layout import layout
from moto_glue_workflows.render.markup import xml_attr as quoteattr
from moto_glue_workflows.render.markup import xml_text as escape
from moto_glue_workflows.render.model import Node, Picture
from moto_glue_workflows.render.text import state_label, statistics_text

# Fill and stroke per state family; colours follow the Glue console's (green, red, blue, grey).
COLOURS = {
    "succeeded": ("#e6f4ea", "#1e8e3e"),
    "failed": ("#fce8e6", "#d93025"),
    "running": ("#e8f0fe", "#1a73e8"),
    "waiting": ("#fef7e0", "#f9ab00"),
    "stopped": ("#f1f3f4", "#5f6368"),
    "not-started": ("#ffffff", "#9aa0a6"),
}
_KIND_MARK = {"JOB": "job", "CRAWLER": "crawler", "TRIGGER": "trigger"}
NODE_WIDTH = 172
NODE_HEIGHT = 64
HEADER = 58
COLUMN_GAP = 48
CHARS = 24  # characters of a name that fit a box at 12px


def _fit(text: str, limit: int = CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _node(node: Node, x: float, y: float) -> str:
    fill, stroke = COLOURS[node.category]
    tip = f"{node.kind} {node.name}: {state_label(node)}"
    if node.error_message:
        tip += f" — {node.error_message}"
    for attempt in node.attempts:  # a hover shows each run or crawl, with its arguments
        tip += f"\n{attempt.id or 'not started'}: {attempt.state}"
        if attempt.error_message:
            tip += f" — {attempt.error_message}"
        tip += "".join(f"\n    {key} = {value}" for key, value in attempt.arguments.items())
    shape = (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{NODE_WIDTH}" height="{NODE_HEIGHT}" rx="{NODE_HEIGHT / 2 if node.kind == "TRIGGER" else 6}" '
        f'fill="{fill}" stroke="{stroke}" stroke-width="{2 if node.kind != "TRIGGER" else 1.2}"/>'
    )
    error = (
        f'<text x="{x + 10:.1f}" y="{y + 55:.1f}" class="error">{escape(_fit(node.error_message, CHARS + 4))}</text>'
        if node.error_message
        else ""
    )
    return (
        f'<g class="node {node.category} {_KIND_MARK.get(node.kind, "node")}" data-id={quoteattr(node.id)} '
        f"data-name={quoteattr(node.name)} data-kind={quoteattr(node.kind)} data-state={quoteattr(node.state)}>"
        f"<title>{escape(tip)}</title>{shape}"
        f'<text x="{x + 10:.1f}" y="{y + 20:.1f}" class="name">{escape(_fit(node.name))}</text>'
        f'<text x="{x + 10:.1f}" y="{y + 38:.1f}" class="state" fill="{stroke}">'
        f"{escape(node.kind.lower())} · {escape(state_label(node))}</text>{error}</g>"
    )


def _path(points: list[tuple[float, float]]) -> str:
    """A smooth line through ``points``: horizontal tangents at each point (cubic Béziers)."""
    (x0, y0), rest = points[0], points[1:]
    parts = [f"M{x0:.1f},{y0:.1f}"]
    for x1, y1 in rest:
        middle = (x0 + x1) / 2
        parts.append(f"C{middle:.1f},{y0:.1f} {middle:.1f},{y1:.1f} {x1:.1f},{y1:.1f}")
        x0, y0 = x1, y1
    return " ".join(parts)


def _short(run_id: str) -> str:
    """Run ids are 67 characters; their first 16 tell runs apart in a picture."""
    return run_id if len(run_id) <= 20 else run_id[:16] + "…"


def header_lines(picture: Picture) -> list[str]:
    if picture.graph == "lineage":
        return [f"Lineage of domain {picture.workflow}", f"{len(picture.nodes)} nodes"]
    if picture.run_id is None:
        return [f"Workflow {picture.workflow}", "graph only (no run)"]
    first = f"Workflow {picture.workflow} · run {_short(picture.run_id)} · {picture.status}"
    second = statistics_text(picture.statistics)
    if picture.previous_run_id:
        second += f" · resumed from {_short(picture.previous_run_id)}"
    if picture.error_message:
        second += f" · {picture.error_message}"
    return [first, second]


def to_svg(picture: Picture) -> str:
    placed = layout([node.id for node in picture.nodes], picture.edges, node_width=NODE_WIDTH, node_height=NODE_HEIGHT)
    width = max(placed.width, 520)
    height = placed.height + HEADER
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="workflow-run" data-workflow={quoteattr(picture.workflow)} '
        f'data-run-id={quoteattr(picture.run_id or "")} width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="Helvetica, Arial, sans-serif" font-size="12">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#5f6368"/></marker>'
        "<style>.name{font-weight:bold;fill:#202124}.state{font-size:11px}.error{font-size:10.5px;fill:#a50e0e}.edge{fill:none;stroke:#80868b;"
        "stroke-width:1.4}.header{font-size:13px;fill:#202124}.header2{font-size:12px;fill:#5f6368}</style></defs>",
        f'<rect width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>',
    ]
    first, second = header_lines(picture)
    parts.append(f'<text x="20" y="24" class="header" font-weight="bold">{escape(first)}</text>')
    parts.append(f'<text x="20" y="44" class="header2">{escape(second)}</text>')
    parts.append(f'<g transform="translate(0,{HEADER})">')
    for source, target, points in placed.routes:
        parts.append(
            f'<path class="edge" data-source={quoteattr(source)} data-target={quoteattr(target)} '
            f'd="{_path(points)}" marker-end="url(#arrow)"/>'
        )
    for node in picture.nodes:
        box = placed.boxes[node.id]
        parts.append(_node(node, box.x, box.y))
    parts.append("</g></svg>")
    return "\n".join(parts)
