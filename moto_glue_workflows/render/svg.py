"""A self-contained SVG of a picture: no scripts, no external fonts or stylesheets."""

from __future__ import annotations

from dataclasses import dataclass

from moto_glue_workflows.render.layout import layout
from moto_glue_workflows.render.markup import visible
from moto_glue_workflows.render.markup import xml_attr as quoteattr
from moto_glue_workflows.render.markup import xml_text as escape
from moto_glue_workflows.render.metrics import wrap
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
NODE_WIDTH = 184
TRIGGER_WIDTH = 148  # triggers say less ("trigger · fired"), and narrower columns let a chain fit a row
PAD = 10  # between a box's edge and its text
COLUMN_GAP = 44
MAX_WIDTH = 1300  # fits a 1400-px window with the page's margins and a scroll bar
MARGIN = 20
FONT = 'Helvetica, Arial, "Liberation Sans", sans-serif'


@dataclass(frozen=True)
class Style:
    """One kind of text in a picture: its class, size, weight and line height."""

    css: str
    size: float
    bold: bool = False

    @property
    def line(self) -> float:
        return round(self.size * 1.3, 1)


NAME = Style("name", 12, bold=True)
STATE = Style("state", 11)
ERROR = Style("error", 10.5)
NAMESPACE = Style("namespace", 10.5)
TITLE = Style("header", 13, bold=True)
SUBTITLE = Style("header2", 12)


@dataclass
class Block:
    """Lines of one style, drawn as one ``<text>`` with a ``<tspan>`` per line."""

    style: Style
    lines: list[str]
    fill: str | None = None

    @property
    def height(self) -> float:
        return len(self.lines) * self.style.line


def _width(node: Node) -> float:
    return TRIGGER_WIDTH if node.kind == "TRIGGER" else NODE_WIDTH


def _blocks(node: Node) -> list[Block]:
    """What a node's box says, wrapped to fit it: its name, (for lineage) its namespace, its state, its error."""
    stroke = COLOURS[node.category][1]
    width = _width(node) - 2 * PAD - (8 if node.kind == "TRIGGER" else 0)
    blocks = [Block(NAME, wrap(visible(node.name), width, NAME.size, True, max_lines=3) or [""])]
    if node.namespace:
        blocks.append(Block(NAMESPACE, wrap(visible(node.namespace), width, NAMESPACE.size), "#5f6368"))
    state = f"{node.kind.lower()} · {state_label(node)}"
    blocks.append(Block(STATE, wrap(visible(state), width, STATE.size), stroke))
    if node.error_message:
        blocks.append(Block(ERROR, wrap(visible(node.error_message), width, ERROR.size, max_lines=3)))
    return blocks


def _text(block: Block, x: float, y: float) -> str:
    """``y`` is the top of the block; each line's baseline sits a line height below the one before."""
    fill = f' fill="{block.fill}"' if block.fill else ""
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{y + (index + 0.8) * block.style.line:.1f}">{escape(line)}</tspan>'
        for index, line in enumerate(block.lines)
    )
    return f'<text class="{block.style.css}"{fill}>{spans}</text>'


def _tip(node: Node) -> str:
    tip = f"{node.kind} {node.name}"
    if node.namespace:
        tip += f" in {node.namespace}"
    tip += f": {state_label(node)}"
    if node.error_message:
        tip += f" — {node.error_message}"
    for attempt in node.attempts:  # a hover shows each run or crawl, with its arguments
        what = attempt.id or ("crawl" if node.kind == "CRAWLER" and attempt.state != "ERROR" else "not started")
        tip += f"\n{what}: {attempt.state}"
        if attempt.error_message:
            tip += f" — {attempt.error_message}"
        tip += "".join(f"\n    {key} = {value}" for key, value in attempt.arguments.items())
    return tip


def _node(node: Node, blocks: list[Block], x: float, y: float, height: float) -> str:
    fill, stroke = COLOURS[node.category]
    trigger = node.kind == "TRIGGER"
    shape = (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{_width(node)}" height="{height:.1f}" rx="{16 if trigger else 6}" '
        f'fill="{fill}" stroke="{stroke}" stroke-width="{1.2 if trigger else 2}"/>'
    )
    texts = []
    top = y + PAD
    for block in blocks:
        texts.append(_text(block, x + PAD + (4 if trigger else 0), top))
        top += block.height + 2
    return (
        f'<g class="node {node.category} {_KIND_MARK.get(node.kind, "node")}" data-id={quoteattr(node.id)} '
        f"data-name={quoteattr(node.name)} data-kind={quoteattr(node.kind)} data-state={quoteattr(node.state)}>"
        f"<title>{escape(_tip(node))}</title>{shape}{''.join(texts)}</g>"
    )


def _path(points: list[tuple[float, float]]) -> str:
    """A line through ``points``: straight where two points share a row or column (the lanes of edges that wrap
    to the next band), else a smooth curve with horizontal tangents (cubic Béziers)."""
    (x0, y0), rest = points[0], points[1:]
    parts = [f"M{x0:.1f},{y0:.1f}"]
    for x1, y1 in rest:
        if x0 == x1 or y0 == y1:
            parts.append(f"L{x1:.1f},{y1:.1f}")
        else:
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
    contents = {node.id: _blocks(node) for node in picture.nodes}
    heights = {
        node_id: max(sum(b.height + 2 for b in blocks) - 2 + 2 * PAD, 48.0) for node_id, blocks in contents.items()
    }
    placed = layout(
        [node.id for node in picture.nodes],
        picture.edges,
        column_gap=COLUMN_GAP,
        margin=MARGIN,
        max_width=MAX_WIDTH,
        widths={node.id: _width(node) for node in picture.nodes},
        heights=heights,
    )
    width = max(placed.width, 520)
    first, second = header_lines(picture)
    header = [
        Block(TITLE, wrap(visible(first), width - 2 * MARGIN, TITLE.size, True, max_lines=2)),
        Block(SUBTITLE, wrap(visible(second), width - 2 * MARGIN, SUBTITLE.size, max_lines=4)),
    ]
    header_height = MARGIN / 2 + sum(block.height for block in header) + 8
    total = placed.height + header_height
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="workflow-run" data-workflow={quoteattr(picture.workflow)} '
        f'data-run-id={quoteattr(picture.run_id or "")} width="{width:.0f}" height="{total:.0f}" '
        f'viewBox="0 0 {width:.0f} {total:.0f}" font-family=\'{FONT}\' font-size="12">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#5f6368"/></marker>'
        "<style>.name{font-weight:bold;fill:#202124}.state{font-size:11px}.error{font-size:10.5px;fill:#a50e0e}"
        ".namespace{font-size:10.5px}.edge{fill:none;stroke:#80868b;stroke-width:1.4}"
        ".header{font-size:13px;font-weight:bold;fill:#202124}.header2{font-size:12px;fill:#5f6368}</style></defs>",
        f'<rect width="{width:.0f}" height="{total:.0f}" fill="#ffffff"/>',
    ]
    top = MARGIN / 2
    for block in header:
        parts.append(_text(block, MARGIN, top))
        top += block.height
    parts.append(f'<g transform="translate(0,{header_height:.1f})">')
    for source, target, points in placed.routes:
        parts.append(
            f'<path class="edge" data-source={quoteattr(source)} data-target={quoteattr(target)} '
            f'd="{_path(points)}" marker-end="url(#arrow)"/>'
        )
    for node in picture.nodes:
        box = placed.boxes[node.id]
        parts.append(_node(node, contents[node.id], box.x, box.y, box.height))
    parts.append("</g></svg>")
    return "\n".join(parts)
