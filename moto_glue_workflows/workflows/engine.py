"""The trigger engine: how one workflow run fires triggers, counts its actions, stops and resumes.

Deterministic and lazy: nothing happens between calls. A run moves forward when it is read
(``refresh``): the job runs and crawls it started are asked for their state, which moto's state
manager advances, and every activated conditional trigger whose predicate now holds fires once.
The engine knows nothing of moto or HTTP; it starts actions through an ``Executor``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from moto_glue_workflows.workflows.graph import CRAWLER, JOB, TRIGGER, Action, Graph, NodeKey, Trigger

JOB_ACTIVE = frozenset({"STARTING", "RUNNING", "STOPPING", "WAITING"})
CRAWL_ACTIVE = frozenset({"RUNNING", "CANCELLING"})
FINISHED = frozenset({"COMPLETED", "STOPPED", "ERROR"})

_STATISTIC = {
    "SUCCEEDED": "SucceededActions",
    "FAILED": "FailedActions",
    "STOPPED": "StoppedActions",
    "CANCELLED": "StoppedActions",
    "TIMEOUT": "TimeoutActions",
    "ERROR": "ErroredActions",
    "EXPIRED": "ErroredActions",
    "WAITING": "WaitingActions",
}
STATISTICS = (
    "TotalActions",
    "TimeoutActions",
    "FailedActions",
    "StoppedActions",
    "SucceededActions",
    "RunningActions",
    "ErroredActions",
    "WaitingActions",
)


class ActionRun(Protocol):
    """A job run or crawl started by a workflow run."""

    @property
    def id(self) -> str | None: ...

    @property
    def state(self) -> str: ...  # JobRunState for jobs, CrawlState for crawlers

    def poll(self) -> None: ...

    def stop(self) -> None: ...

    def as_detail(self) -> dict[str, Any] | None: ...

    @property
    def retry(self) -> ActionRun | None: ...  # the attempt that took over after this one failed


class StartError(Exception):
    """An action that could not start (its job or crawler is gone, or already at its limit)."""


class Executor(Protocol):
    def start_job(
        self, action: Action, *, trigger: str, predecessors: list[dict[str, str]], workflow: str, run_id: str
    ) -> ActionRun: ...

    def start_crawl(self, action: Action, *, trigger: str, run_id: str) -> ActionRun: ...

    def now(self) -> datetime.datetime: ...


class FailedStart:
    """An action whose start failed: counted as errored, listed in no node's runs."""

    def __init__(self, message: str) -> None:
        self.message = message

    id = None
    state = "ERROR"
    retry = None

    def poll(self) -> None:
        pass

    def stop(self) -> None:
        pass

    def as_detail(self) -> dict[str, Any] | None:
        return None


class InvalidNode(Exception):
    def __init__(self, node_id: str, reason: str) -> None:
        super().__init__(f"Node {node_id} {reason}")
        self.node_id = node_id


def _active(kind: str, state: str) -> bool:
    return state in (JOB_ACTIVE if kind == JOB else CRAWL_ACTIVE)


# Called with each new run; the pytest report (render/pytest_report.py) lists the runs a failing
# test started from here, as a test's own mock_aws may have cleared the backends by then.
run_observers: list[Callable[[WorkflowRun], None]] = []


class WorkflowRun:
    def __init__(
        self,
        workflow: str,
        run_id: str,
        graph: Graph,
        properties: dict[str, str],
        started_on: datetime.datetime,
        previous_run_id: str | None = None,
    ) -> None:
        self.workflow = workflow
        self.id = run_id
        self.graph = graph
        self.properties = properties
        self.started_on = started_on
        self.previous_run_id = previous_run_id
        self.completed_on: datetime.datetime | None = None
        self.status = "RUNNING"
        self.error_message: str | None = None
        self.stop_requested = False
        self.attempts: dict[NodeKey, list[ActionRun]] = {}
        self.fired: set[str] = set()
        # Actions being started: a job handler starting with them may read this run (its properties),
        # and that read must not judge the run before the action it waits for is recorded.
        self.starting_actions = 0
        # The batch condition that started a run of an EventBridge event trigger (events/batches.py).
        self.starting_event_batch_condition: dict[str, int] | None = None
        for observe in run_observers:
            observe(self)

    def record_error(self, message: str) -> None:
        """A run that started nothing (a schedule or event over the workflow's limit)."""
        self.status = "ERROR"
        self.error_message = message
        self.completed_on = self.started_on

    # Starting actions

    def start(self, executor: Executor) -> None:
        for trigger in self.graph.triggers:
            if trigger.is_start:
                self._fire(trigger, executor)
        # Seen from the start request, a run is RUNNING even with nothing to run: AWS runs asynchronously, so a
        # run is found finished from a later request on (and a StopWorkflowRun right after the start stops it).
        self.refresh(executor, poll=False, finish=False)

    def _fire(self, trigger: Trigger, executor: Executor, only: set[NodeKey] | None = None) -> None:
        self.fired.add(trigger.name)
        for action in trigger.actions:
            key = (action.kind, action.name)
            if only is None or key in only:
                self.starting_actions += 1
                try:
                    self.attempts.setdefault(key, []).append(self._start(trigger, action, executor))
                finally:
                    self.starting_actions -= 1

    def _start(self, trigger: Trigger, action: Action, executor: Executor) -> ActionRun:
        try:
            if action.kind == CRAWLER:
                return executor.start_crawl(action, trigger=trigger.name, run_id=self.id)
            predecessors = []
            for condition in trigger.conditions:
                latest = self._latest((condition.kind, condition.name))
                if condition.kind == JOB and latest is not None and latest.id:
                    predecessors.append({"JobName": condition.name, "RunId": latest.id})
            return executor.start_job(
                action, trigger=trigger.name, predecessors=predecessors, workflow=self.workflow, run_id=self.id
            )
        except StartError as error:
            return FailedStart(str(error))

    def _latest(self, key: NodeKey) -> ActionRun | None:
        """The node's latest attempt. A failed job run retried (MaxRetries) hands over to its retry,
        which joins the node's attempts: a node counts, and fires triggers, by its latest attempt."""
        attempts = self.attempts.get(key)
        if not attempts:
            return None
        latest = attempts[-1]
        _ = latest.state  # reading may end it, and a retry may take over
        while latest.retry is not None:
            latest = latest.retry
            attempts.append(latest)
            _ = latest.state
        return latest

    def _holds(self, trigger: Trigger) -> bool:
        results = []
        for condition in trigger.conditions:
            latest = self._latest((condition.kind, condition.name))
            results.append(latest is not None and latest.state == condition.state)
        if not results:
            return False
        return any(results) if trigger.logical == "ANY" else all(results)

    # Moving forward

    def _action_runs(self) -> Iterable[tuple[str, ActionRun]]:
        for (kind, _), attempts in self.attempts.items():
            for attempt in attempts:
                yield kind, attempt

    def refresh(self, executor: Executor, poll: bool, finish: bool = True) -> None:
        """Bring the run up to date; ``poll`` counts as one poll for manual progression; without ``finish``
        a run with nothing active stays RUNNING (the request starting it does not see it finish)."""
        if self.status in FINISHED or self.starting_actions:
            return
        if poll:
            for kind, attempt in list(self._action_runs()):
                if _active(kind, attempt.state):
                    attempt.poll()
        for key in list(self.attempts):
            self._latest(key)  # retries that took over join their node
        fired = True
        while fired and not self.stop_requested:
            fired = False
            for trigger in self.graph.triggers:
                if trigger.is_start or trigger.name in self.fired or trigger.state != "ACTIVATED":
                    continue
                if self._holds(trigger):
                    self._fire(trigger, executor)
                    fired = True
        active = any(_active(kind, attempt.state) for kind, attempt in self._action_runs())
        if self.stop_requested:
            self.status = "STOPPING" if active else "STOPPED"
        else:
            self.status = "RUNNING" if active or not finish else "COMPLETED"
        if self.status in FINISHED and self.completed_on is None:
            self.completed_on = executor.now()

    def stop(self, executor: Executor) -> None:
        self.stop_requested = True
        for kind, attempt in self._action_runs():
            if _active(kind, attempt.state):
                attempt.stop()
        self.refresh(executor, poll=False)

    def resume(
        self,
        new_run_id: str,
        node_ids: list[str],
        executor: Executor,
        on_created: Callable[[WorkflowRun], None] | None = None,
    ) -> tuple[WorkflowRun, list[str]]:
        """A new run that reruns ``node_ids`` and what follows them; copies the rest of this run.

        Linear in the graph: one pass over the named nodes, and each node and edge is walked at most
        twice. AWS restarts the named nodes that no other named node leads to ("a named node that is
        downstream of another named node is not listed, because it reruns as a consequence",
        guide "Resuming a workflow run"). Named nodes on a cycle lead to each other; there the node
        named first restarts and the others rerun as its consequence (docs/engine-decisions.md).
        """
        named: list[NodeKey] = []
        chosen: set[NodeKey] = set()
        for node_id in node_ids:
            key = self.graph.key_for_id(node_id)
            if key is None:
                raise InvalidNode(node_id, f"is not in the graph of workflow run {self.id}")
            if key[0] == TRIGGER:
                raise InvalidNode(node_id, "is a trigger; only job and crawler nodes can be resumed")
            if key not in self.attempts:
                raise InvalidNode(node_id, f"was not attempted in workflow run {self.id}")
            if key not in chosen:
                chosen.add(key)
                named.append(key)
        below = self.graph.strictly_downstream(chosen)  # reached from a named node by at least one edge
        roots = [key for key in named if key not in below]
        rerun = self.graph.downstream(set(roots))
        for key in named:  # named nodes on a cycle that no root reaches: the first named restarts
            if key not in rerun:
                roots.append(key)
                self.graph.extend_downstream({key}, rerun)
        resumed = WorkflowRun(
            self.workflow, new_run_id, self.graph, dict(self.properties), executor.now(), previous_run_id=self.id
        )
        resumed.attempts = {key: list(runs) for key, runs in self.attempts.items() if key not in rerun}
        resumed.fired = {name for name in self.fired if (TRIGGER, name) not in rerun}
        if on_created is not None:  # the new run exists before its first action starts
            on_created(resumed)
        by_trigger: dict[str, set[NodeKey]] = {}
        for root in roots:
            trigger = self.graph.trigger_starting(root)
            if trigger is not None:
                by_trigger.setdefault(trigger.name, set()).add(root)
        for trigger in self.graph.triggers:
            if trigger.name in by_trigger:
                resumed._fire(trigger, executor, only=by_trigger[trigger.name])
        resumed.refresh(executor, poll=False)
        return resumed, [self.graph.node_id(root) for root in roots]

    # Reporting

    def statistics(self) -> dict[str, int]:
        counts = dict.fromkeys(STATISTICS, 0)
        actions = self.graph.action_nodes
        counts["TotalActions"] = len(actions)
        for key in actions:
            latest = self._latest(key)
            if latest is None:
                continue
            state = latest.state
            if _active(key[0], state) and state != "WAITING":
                counts["RunningActions"] += 1
            elif state in _STATISTIC:
                counts[_STATISTIC[state]] += 1
        return counts

    def details(self) -> dict[NodeKey, dict[str, Any]]:
        result: dict[NodeKey, dict[str, Any]] = {}
        for key, attempts in self.attempts.items():
            listed = [detail for attempt in attempts if (detail := attempt.as_detail()) is not None]
            if listed:
                result[key] = {"JobRuns": listed} if key[0] == JOB else {"Crawls": listed}
        return result

    def to_api(self, include_graph: bool) -> dict[str, Any]:
        data: dict[str, Any] = {
            "Name": self.workflow,
            "WorkflowRunId": self.id,
            "WorkflowRunProperties": dict(self.properties),
            "StartedOn": self.started_on,
            "Status": self.status,
            "Statistics": self.statistics(),
        }
        if self.completed_on is not None:
            data["CompletedOn"] = self.completed_on
        if self.previous_run_id is not None:
            data["PreviousRunId"] = self.previous_run_id
        if self.error_message is not None:
            data["ErrorMessage"] = self.error_message
        if self.starting_event_batch_condition is not None:
            data["StartingEventBatchCondition"] = dict(self.starting_event_batch_condition)
        if include_graph:
            data["Graph"] = self.graph.to_api(self.details())
        return data
