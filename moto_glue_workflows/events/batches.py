"""EventBridge -> Glue: a rule whose target is a workflow feeds the workflow's EVENT trigger.

Sources (Glue developer guide and API reference):
- EventBatchingCondition: "BatchSize: Number of events that must be received from Amazon EventBridge
  before EventBridge event trigger fires" (1-100, required); "BatchWindow: Window of time in seconds
  after which EventBridge event trigger fires. Window starts when first event is received" (1-900,
  optional; 900 when omitted, as the CDK's EventBatchingCondition documents its default). A trigger
  created without the condition fires for each event (batch size 1).
- "Viewing the EventBridge events that started a workflow": the run property ``aws:eventIds`` holds the
  event IDs of the batch. Run properties are strings, and scripts in the wild read one ID with
  ``[1:-1]``, so the value is the bracketed, comma-separated list ``[id1, id2]`` (docs/events-and-clock.md).
- StartingEventBatchCondition: "Either the number of events in the batch size arrived, in which case
  the BatchSize member is non-zero, or the batch window expired, in which case the BatchWindow member
  is non-zero": the run carries the one member that applies.
- Over the workflow's MaxConcurrentRuns the run is recorded with Status ERROR, as for schedules
  (glue/trigger_fires.py).
Events for a workflow that does not exist, or has no EVENT trigger, change nothing.
"""

from __future__ import annotations

import collections
import datetime
import logging
import re
import threading
from dataclasses import dataclass, field
from typing import Any

from moto_glue_workflows import clock
from moto_glue_workflows._moto import BackendDict, BaseBackend, existing_backends
from moto_glue_workflows.glue.exceptions import EntityNotFoundException, InvalidInputException
from moto_glue_workflows.glue.models import GlueWorkflowBackend, glue_workflow_backends
from moto_glue_workflows.glue.trigger_fires import fire_trigger

WORKFLOW_ARN = re.compile(r"^arn:aws[a-z-]*:glue:([a-z0-9-]+):(\d{12}):workflow/(.+)$")
DEFAULT_BATCH_SIZE = 1
DEFAULT_BATCH_WINDOW = 900
EVENT_IDS = "aws:eventIds"


@dataclass
class Batch:
    trigger_name: str
    size: int
    window: int
    opened_at: datetime.datetime
    event_ids: list[str] = field(default_factory=list)

    @property
    def closes_at(self) -> datetime.datetime:
        return self.opened_at + datetime.timedelta(seconds=self.window)


class EventBatches(BaseBackend):
    """Open event batches of one account and region, by workflow name."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.open: dict[str, Batch] = {}


event_batch_backends = BackendDict(EventBatches, "glue")


def is_workflow_target(arn: str) -> bool:
    return WORKFLOW_ARN.match(arn) is not None


RULE_ARN = re.compile(r"^arn:[a-z-]+:events:([a-z0-9-]+):(\d{12}):rule/")
#: How long a chain of deliveries may grow: an event delivered because of an event delivered because of ...
#: Past it the chain is stopped and a warning logged (docs/events-and-clock.md). Lambda's recursive loop
#: detection stops the next invocation once "the same triggering event" has invoked a function "more than 16
#: times" (AWS Compute blog); the same number is used here.
MAX_CHAIN = 16
_log = logging.getLogger("moto_glue_workflows.events")


@dataclass
class _Delivery:
    account_id: str
    region: str
    workflow_name: str
    event_id: str
    rule_arn: str
    generation: int


class _Deliveries(threading.local):
    """Workflow targets' events, delivered one after another, never one inside another.

    EventBridge delivers asynchronously: a workflow an event starts can cause another event (a job handler
    writing to an S3 bucket a rule watches), whose delivery must not run inside the first one's. So, in the
    thread where that happens, the event is queued, and the delivery under way delivers the queue in order
    before it returns; each event queued meanwhile is one generation further down the chain. Each thread has
    its own queue: a delivery never runs in another request's thread, under another request's locks, and an
    event put by one request is delivered before that request is answered.
    """

    def __init__(self) -> None:
        self.queue: collections.deque[_Delivery] = collections.deque()
        self.draining = False
        self.generation = 0  # of the delivery under way

    def add(self, delivery: _Delivery) -> None:
        if self.draining:  # caused by the delivery under way: delivered next, after it
            delivery.generation = self.generation + 1
            self.queue.append(delivery)
            return
        self.queue.append(delivery)
        self.draining = True
        try:
            self._drain()
        finally:  # also when a handler's exception escapes (pytest.fail is no Exception): nothing is left behind
            self.queue.clear()
            self.draining = False
            self.generation = 0

    def _drain(self) -> None:
        while self.queue:
            delivery = self.queue.popleft()
            self.generation = delivery.generation
            if delivery.generation > MAX_CHAIN:
                _log.warning(
                    "EventBridge to Glue: event %s for workflow %s (rule %s) not delivered: it is number %d in a "
                    "chain of events each caused by the one before; chains stop after %d",
                    delivery.event_id,
                    delivery.workflow_name,
                    delivery.rule_arn,
                    delivery.generation,
                    MAX_CHAIN,
                )
                continue
            try:
                receive_event(delivery.account_id, delivery.region, delivery.workflow_name, delivery.event_id)
            except Exception:  # one target's failure is not the sender's: PutEvents has succeeded
                _log.exception(
                    "EventBridge to Glue: event %s for workflow %s failed", delivery.event_id, delivery.workflow_name
                )


_deliveries = _Deliveries()


def deliver(rule_arn: str, target: dict[str, Any], event: dict[str, Any]) -> None:
    """moto's EventBridge hands a matched event for a workflow target here.

    A rule starts workflows of its own account and region only: EventBridge's cross-account targets are API
    Gateway, Kinesis, Lambda, SNS and SQS in the same Region, and other Regions are reached through an
    event-bus target (EventBridge user guide, eb-service-cross-account and eb-cross-region).
    """
    found = WORKFLOW_ARN.match(target["Arn"])
    rule = RULE_ARN.match(rule_arn)
    if found is None or rule is None:
        return
    region, account_id, workflow_name = found.groups()
    if (region, account_id) != rule.groups():
        _log.warning(
            "EventBridge to Glue: rule %s cannot start workflow %s of another account or region",
            rule_arn,
            target["Arn"],
        )
        return
    _deliveries.add(_Delivery(account_id, region, workflow_name, str(event["id"]), rule_arn, 1))


def _event_trigger(backend: GlueWorkflowBackend, workflow_name: str) -> Any:
    for trigger in list(backend.glue.backend.triggers.values()):
        if trigger.workflow_name == workflow_name and trigger.trigger_type == "EVENT":
            return trigger
    return None


def receive_event(account_id: str, region: str, workflow_name: str, event_id: str) -> str | None:
    """Add one event to the workflow's batch; the run id when it started a run."""
    try:
        backend: GlueWorkflowBackend = glue_workflow_backends[account_id][region]
        batches: EventBatches = event_batch_backends[account_id][region]
    except KeyError:
        return None
    with backend.lock:
        trigger = _event_trigger(backend, workflow_name) if workflow_name in backend.workflows else None
        if trigger is None:
            return None
        now = clock.now()
        batch = batches.open.get(workflow_name)
        if batch is not None and (batch.closes_at <= now or batch.trigger_name != trigger.name):
            _start(backend, batches, workflow_name, {"BatchWindow": batch.window})
            batch = None
        if batch is None:
            condition = trigger.event_batching_condition or {}
            batch = Batch(
                trigger.name,
                int(condition.get("BatchSize") or DEFAULT_BATCH_SIZE),
                int(condition.get("BatchWindow") or DEFAULT_BATCH_WINDOW),
                now,
            )
            batches.open[workflow_name] = batch
        batch.event_ids.append(event_id)
        if len(batch.event_ids) >= batch.size:
            return _start(backend, batches, workflow_name, {"BatchSize": len(batch.event_ids)})
        return None


def _start(
    backend: GlueWorkflowBackend, batches: EventBatches, workflow_name: str, condition: dict[str, int]
) -> str | None:
    batch = batches.open.pop(workflow_name)
    properties = {EVENT_IDS: "[" + ", ".join(batch.event_ids) + "]"}
    try:
        started = fire_trigger(backend, batch.trigger_name, properties)
    except (EntityNotFoundException, InvalidInputException):
        return None  # the trigger or workflow is gone: the batch is dropped
    run_id = str(started["RunId"])
    backend.get_workflow(workflow_name).runs[run_id].starting_event_batch_condition = condition
    return run_id


def open_batches() -> list[tuple[str, str, str, Batch]]:
    """(account, region, workflow, batch) for every batch waiting for more events."""
    found = []
    for account_id, region, batches in existing_backends(event_batch_backends):
        for workflow_name, batch in list(batches.open.items()):
            found.append((account_id, region, workflow_name, batch))
    return found


def close_window(account_id: str, region: str, workflow_name: str) -> str | None:
    """The batch window expired: start the workflow with the events received so far."""
    backend: GlueWorkflowBackend = glue_workflow_backends[account_id][region]
    batches: EventBatches = event_batch_backends[account_id][region]
    with backend.lock:
        batch = batches.open.get(workflow_name)
        if batch is None:
            return None
        return _start(backend, batches, workflow_name, {"BatchWindow": batch.window})
