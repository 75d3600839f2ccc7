"""A workflow's graph as Glue draws it, from trigger definitions alone.

Nodes are the workflow's triggers and the jobs and crawlers they start or watch; edges run from a
watched job or crawler to the conditional trigger, and from a trigger to each action it starts.
Node ids are derived from the workflow and node names, so the same node keeps its ``wnode_`` id
across GetWorkflow calls and in every run's copy of the graph.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

JOB = "JOB"
CRAWLER = "CRAWLER"
TRIGGER = "TRIGGER"

NodeKey = tuple[str, str]  # (type, name)


@dataclass(frozen=True)
class Condition:
    kind: str  # JOB or CRAWLER
    name: str
    state: str  # JobRunState or CrawlState to match


@dataclass(frozen=True)
class Action:
    kind: str
    name: str
    arguments: dict[str, str]
    timeout: int | None = None
    notification_property: dict[str, Any] | None = None
    security_configuration: str | None = None


@dataclass(frozen=True)
class Trigger:
    """A trigger as snapshotted when a run starts; ``definition`` is GetTrigger's shape."""

    name: str
    type: str
    state: str
    logical: str  # AND or ANY
    conditions: tuple[Condition, ...]
    actions: tuple[Action, ...]
    definition: dict[str, Any] = field(compare=False, hash=False)

    @property
    def is_start(self) -> bool:
        return self.type != "CONDITIONAL"

    @classmethod
    def from_definition(cls, definition: dict[str, Any]) -> Trigger:
        predicate = definition.get("Predicate") or {}
        conditions = tuple(
            Condition(JOB, c["JobName"], c.get("State", ""))
            if c.get("JobName")
            else Condition(CRAWLER, c["CrawlerName"], c.get("CrawlState", ""))
            for c in predicate.get("Conditions", [])
        )
        actions = tuple(
            Action(
                JOB if a.get("JobName") else CRAWLER,
                a.get("JobName") or a["CrawlerName"],
                dict(a.get("Arguments") or {}),
                a.get("Timeout"),
                a.get("NotificationProperty"),
                a.get("SecurityConfiguration"),
            )
            for a in definition.get("Actions", [])
            if a.get("JobName") or a.get("CrawlerName")
        )
        return cls(
            name=definition["Name"],
            type=definition["Type"],
            state=definition.get("State", "CREATED"),
            logical=predicate.get("Logical") or "AND",
            conditions=conditions,
            actions=actions,
            definition=definition,
        )


def unique_id(workflow: str, kind: str, name: str) -> str:
    return "wnode_" + hashlib.sha256(f"{workflow}\x00{kind}\x00{name}".encode()).hexdigest()


@dataclass(frozen=True)
class Graph:
    workflow: str
    triggers: tuple[Trigger, ...]
    nodes: tuple[NodeKey, ...]
    edges: tuple[tuple[NodeKey, NodeKey], ...]

    @classmethod
    def build(cls, workflow: str, triggers: list[Trigger]) -> Graph:
        nodes: dict[NodeKey, None] = {}
        edges: dict[tuple[NodeKey, NodeKey], None] = {}
        for trigger in triggers:
            trigger_key = (TRIGGER, trigger.name)
            nodes[trigger_key] = None
            for condition in trigger.conditions:
                source = (condition.kind, condition.name)
                nodes[source] = None
                edges[(source, trigger_key)] = None
            for action in trigger.actions:
                target = (action.kind, action.name)
                nodes[target] = None
                edges[(trigger_key, target)] = None
        return cls(workflow, tuple(triggers), tuple(nodes), tuple(edges))

    def _derived(self, name: str, build: Any) -> Any:
        """A lookup table derived once from the graph, which never changes."""
        value = self.__dict__.get(name)
        if value is None:
            value = build()
            object.__setattr__(self, name, value)
        return value

    def node_id(self, key: NodeKey) -> str:
        ids = self._derived("_ids", lambda: {node: unique_id(self.workflow, *node) for node in self.nodes})
        return ids.get(key) or unique_id(self.workflow, *key)

    @property
    def action_nodes(self) -> list[NodeKey]:
        return [key for key in self.nodes if key[0] != TRIGGER]

    def key_for_id(self, node_id: str) -> NodeKey | None:
        keys = self._derived("_keys", lambda: {self.node_id(key): key for key in self.nodes})
        return keys.get(node_id)  # type: ignore[no-any-return]

    def _children(self) -> dict[NodeKey, list[NodeKey]]:
        def build() -> dict[NodeKey, list[NodeKey]]:
            children: dict[NodeKey, list[NodeKey]] = {}
            for source, target in self.edges:
                children.setdefault(source, []).append(target)
            return children

        return self._derived("_child_lists", build)  # type: ignore[no-any-return]

    def _walk(self, start: list[NodeKey], seen: set[NodeKey]) -> set[NodeKey]:
        children = self._children()
        stack = list(start)
        while stack:
            for child in children.get(stack.pop(), []):
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        return seen

    def downstream(self, roots: set[NodeKey]) -> set[NodeKey]:
        """Every node reachable from ``roots`` along the edges, the roots included."""
        seen: set[NodeKey] = set()
        self.extend_downstream(roots, seen)
        return seen

    def extend_downstream(self, roots: set[NodeKey], seen: set[NodeKey]) -> None:
        """Add to ``seen`` every node reachable from ``roots``, the roots included, without walking
        again what ``seen`` holds: walks that share one ``seen`` set stay linear in the graph."""
        fresh = [root for root in roots if root not in seen]
        seen.update(fresh)
        self._walk(fresh, seen)

    def strictly_downstream(self, roots: set[NodeKey]) -> set[NodeKey]:
        """Every node reachable from ``roots`` by at least one edge (a root only if on a cycle through roots)."""
        children = self._children()
        seen: set[NodeKey] = set()
        stack = [child for root in roots for child in children.get(root, [])]
        for node in stack:
            seen.add(node)
        return self._walk(stack, seen)

    def trigger_starting(self, key: NodeKey) -> Trigger | None:
        def build() -> dict[NodeKey, Trigger]:
            starters: dict[NodeKey, Trigger] = {}
            for trigger in self.triggers:
                for action in trigger.actions:
                    starters.setdefault((action.kind, action.name), trigger)
            return starters

        return self._derived("_starters", build).get(key)  # type: ignore[no-any-return]

    def to_api(self, details: dict[NodeKey, dict[str, Any]] | None = None) -> dict[str, Any]:
        """The WorkflowGraph shape; ``details`` adds JobDetails/CrawlerDetails per node."""
        definitions = {trigger.name: trigger.definition for trigger in self.triggers}
        nodes = []
        for key in self.nodes:
            kind, name = key
            node: dict[str, Any] = {"Type": kind, "Name": name, "UniqueId": self.node_id(key)}
            if kind == TRIGGER:
                node["TriggerDetails"] = {"Trigger": definitions[name]}
            elif details and key in details:
                node["JobDetails" if kind == JOB else "CrawlerDetails"] = details[key]
            nodes.append(node)
        edges = [{"SourceId": self.node_id(s), "DestinationId": self.node_id(d)} for s, d in self.edges]
        return {"Nodes": nodes, "Edges": edges}
