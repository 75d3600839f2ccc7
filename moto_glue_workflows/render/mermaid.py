"""Mermaid flowchart text of a picture (GitHub and most Markdown viewers draw it)."""

from __future__ import annotations

from moto_glue_workflows.render.model import Picture
from moto_glue_workflows.render.svg import COLOURS
from moto_glue_workflows.render.text import state_label


def _label(text: str) -> str:
    # Mermaid labels are quoted; a quote or angle bracket inside is written as an entity code.
    return (
        text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;").replace("\n", " ")
    )


def to_mermaid(picture: Picture) -> str:
    ids = {node.id: f"n{index}" for index, node in enumerate(picture.nodes)}
    lines = ["flowchart LR"]
    for node in picture.nodes:
        name = f"{node.namespace} · {node.name}" if node.namespace else node.name
        text = f"{_label(name)}<br/>{node.kind.lower()} · {_label(state_label(node))}"
        if node.error_message:
            text += f": {_label(node.error_message)}"
        open_, close = ("([", "])") if node.kind == "TRIGGER" else ("[", "]")
        lines.append(f'  {ids[node.id]}{open_}"{text}"{close}')
    for source, target in picture.edges:
        if source in ids and target in ids:
            lines.append(f"  {ids[source]} --> {ids[target]}")
    for name, (fill, stroke) in COLOURS.items():
        lines.append(f"  classDef {name.replace('-', '_')} fill:{fill},stroke:{stroke}")
    for node in picture.nodes:
        lines.append(f"  class {ids[node.id]} {node.category.replace('-', '_')}")
    return "\n".join(lines) + "\n"
