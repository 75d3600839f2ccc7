"""The DataZone backend's lineage operations: posting, reading and listing events, and reading the
graph their processing builds. Mixed into ``DataZoneBackend``, which holds domains and the lock."""

from __future__ import annotations

import datetime
import threading
from typing import Any

from moto_glue_workflows.datazone.exceptions import (
    ConflictException,
    ResourceNotFoundException,
    ValidationException,
)
from moto_glue_workflows.datazone.lineage_events import LineageEvent, parse_event
from moto_glue_workflows.datazone.lineage_graph import LineageGraph, LineageNode, NodeVersion
from moto_glue_workflows.protocol.pagination import InvalidToken, page
from moto_glue_workflows.protocol.timestamps import utc_now
from moto_glue_workflows.protocol.validation import InvalidParameter


def _range(after: datetime.datetime | None, before: datetime.datetime | None, names: tuple[str, str]) -> None:
    if after is not None and before is not None and after > before:
        raise ValidationException(
            str(InvalidParameter(names[0], str(after), f"Member must not be later than {names[1]}"))
        )


def _paged(items: list[Any], max_results: int | None, token: str | None, query: Any) -> tuple[list[Any], str | None]:
    try:
        return page(items, max_results or 50, token, query)
    except InvalidToken:
        raise ValidationException(f"Invalid nextToken: {token}") from None


class LineageBackendMixin:
    account_id: str
    _lock: threading.RLock

    def get_domain(self, identifier: str) -> Any:  # provided by DataZoneBackend
        raise NotImplementedError

    def writable_domain(self, identifier: str) -> Any:  # provided by DataZoneBackend
        raise NotImplementedError

    def _lineage_init(self) -> None:
        self.lineage_events: dict[str, dict[str, LineageEvent]] = {}
        self.lineage_graphs: dict[str, LineageGraph] = {}
        self._event_sequence = 0

    def _graph(self, domain_id: str) -> LineageGraph:
        graph = self.lineage_graphs.get(domain_id)
        if graph is None:
            graph = self.lineage_graphs[domain_id] = LineageGraph(domain_id, self.account_id)
        return graph

    def _apply(self, event: LineageEvent) -> None:
        with self._lock:
            # A read that found the event before a DeleteDomain may finish processing it after: a dropped
            # event adds nothing, or the domain's graph would come back.
            if self.lineage_events.get(event.domain_id, {}).get(event.id) is not event:
                return
            self._graph(event.domain_id).apply(event.run_event, utc_now(), event.created_by)

    def _settle(self, domain_id: str) -> None:
        """Reading the graph reads every event's state first, so processing has happened as the state
        manager says before nodes are looked at."""
        for event in list(self.lineage_events.get(domain_id, {}).values()):
            event.status  # noqa: B018 - the read is what moves the state on

    def post_lineage_event(
        self, domain_identifier: str, payload: Any, client_token: str | None, caller: str
    ) -> LineageEvent:
        try:  # the input is checked before the domain is looked up, as for every member the model checks
            run_event = parse_event(payload)
        except InvalidParameter as invalid:
            raise ValidationException(str(invalid)) from None
        data = payload.encode("utf-8") if isinstance(payload, str) else bytes(payload)
        with self._lock:
            self.writable_domain(domain_identifier)
            events = self.lineage_events.setdefault(domain_identifier, {})
            if client_token:
                for existing in events.values():
                    if existing.client_token == client_token:
                        if existing.payload != data:
                            raise ConflictException(
                                f"Client token {client_token} was already used with a different lineage event."
                            )
                        return existing
            event = LineageEvent(
                domain_id=domain_identifier,
                payload=data,
                run_event=run_event,
                created_by=caller,
                created_at=utc_now(),
                client_token=client_token,
                on_success=self._apply,
            )
            self._event_sequence += 1
            event.sequence = self._event_sequence
            events[event.id] = event
            return event

    def get_lineage_event(self, domain_identifier: str, identifier: str) -> LineageEvent:
        self.get_domain(domain_identifier)
        event = self.lineage_events.get(domain_identifier, {}).get(identifier)
        if event is None:
            raise ResourceNotFoundException(f"Lineage event {identifier} does not exist in domain {domain_identifier}.")
        event.advance()
        return event

    def list_lineage_events(
        self,
        domain_identifier: str,
        after: datetime.datetime | None,
        before: datetime.datetime | None,
        status: str | None,
        sort_order: str | None,
        max_results: int | None,
        next_token: str | None,
    ) -> tuple[list[LineageEvent], str | None]:
        self.get_domain(domain_identifier)
        _range(after, before, ("timestampAfter", "timestampBefore"))
        events = list(self.lineage_events.get(domain_identifier, {}).values())
        for event in events:
            event.advance()
        chosen = [
            e
            for e in events
            if (after is None or e.event_time >= after)
            and (before is None or e.event_time <= before)
            and (status is None or e.status == status)
        ]
        order = sort_order or "DESCENDING"
        chosen.sort(key=lambda e: (e.event_time, e.sequence), reverse=order == "DESCENDING")
        query = {"op": "ListLineageEvents", "after": after, "before": before, "status": status, "order": order}
        return _paged(chosen, max_results, next_token, query)

    def _find_node(self, domain_identifier: str, identifier: str) -> LineageNode:
        self.get_domain(domain_identifier)
        self._settle(domain_identifier)
        node = self.lineage_graphs.get(domain_identifier, LineageGraph(domain_identifier, "")).find(identifier)
        if node is None:
            raise ResourceNotFoundException(f"Lineage node {identifier} does not exist in domain {domain_identifier}.")
        return node

    def get_lineage_node(
        self, domain_identifier: str, identifier: str, when: datetime.datetime | None
    ) -> dict[str, Any]:
        with self._lock:
            node = self._find_node(domain_identifier, identifier)
            version = node.version_at(when)
            if version is None:
                raise ResourceNotFoundException(
                    f"Lineage node {identifier} did not exist at {when.isoformat() if when else 'that time'}."
                )
            return node.to_get(version, self._graph(domain_identifier))

    def list_lineage_node_history(
        self,
        domain_identifier: str,
        identifier: str,
        direction: str | None,
        gte: datetime.datetime | None,
        lte: datetime.datetime | None,
        sort_order: str | None,
        max_results: int | None,
        next_token: str | None,
    ) -> tuple[list[dict[str, Any]], str | None]:
        _range(gte, lte, ("eventTimestampGTE", "eventTimestampLTE"))
        with self._lock:
            node = self._find_node(domain_identifier, identifier)
            versions = [
                v
                for v in node.versions
                if (gte is None or v.event_timestamp >= gte)
                and (lte is None or v.event_timestamp <= lte)
                and _has_links(v, direction)
            ]
            order = sort_order or "DESCENDING"
            if order == "DESCENDING":
                versions = versions[::-1]
            query = {"op": "ListLineageNodeHistory", "node": node.id, "direction": direction, "gte": gte, "lte": lte}
            query["order"] = order
            chosen, token = _paged(versions, max_results, next_token, query)
            return [node.to_summary(v) for v in chosen], token

    def _drop_lineage(self, domain_id: str) -> None:
        self.lineage_events.pop(domain_id, None)
        self.lineage_graphs.pop(domain_id, None)


def _has_links(version: NodeVersion, direction: str | None) -> bool:
    """History in one direction: the versions in which the node had links that way."""
    if direction == "UPSTREAM":
        return bool(version.upstream)
    if direction == "DOWNSTREAM":
        return bool(version.downstream)
    return True
