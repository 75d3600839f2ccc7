"""Graphviz DOT text of a picture (render it with ``dot -Tpng`` where Graphviz is installed)."""

from __future__ import annotations

from moto_glue_workflows.render.model import Picture
from moto_glue_workflows.render.svg import COLOURS, header_lines
from moto_glue_workflows.render.text import state_label


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(picture: Picture) -> str:
    ids = {node.id: f"n{index}" for index, node in enumerate(picture.nodes)}
    lines = [
        "digraph workflow {",
        "  rankdir=LR;",
        f"  label={_quoted(chr(10).join(header_lines(picture)))}; labelloc=t;",
        '  node [fontname="Helvetica", fontsize=11, style=filled];',
    ]
    for node in picture.nodes:
        fill, stroke = COLOURS[node.category]
        name = f"{node.name}\n{node.namespace}" if node.namespace else node.name
        label = f"{name}\n{node.kind.lower()} · {state_label(node)}"
        if node.error_message:
            label += f"\n{node.error_message}"
        shape = "ellipse" if node.kind == "TRIGGER" else "box"
        lines.append(
            f"  {ids[node.id]} [label={_quoted(label)}, shape={shape}, fillcolor={_quoted(fill)}, color={_quoted(stroke)}];"
        )
    for source, target in picture.edges:
        if source in ids and target in ids:
            lines.append(f"  {ids[source]} -> {ids[target]};")
    lines.append("}")
    return "\n".join(lines) + "\n"
