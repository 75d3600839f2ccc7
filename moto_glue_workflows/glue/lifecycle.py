"""The one place a job run's life goes through, so that behaviour can hang on it.

Every job run, whoever starts it (StartJobRun, a trigger, a workflow, a retry), reports here when it
starts, whenever a read finds it in a new state, when it ends, and when a retry takes over from it.
The engine is lazy, so "changed state" means "a read found it changed"; each call happens once per
run and state, in the order the states were found.

Listeners are plain objects with any of the methods ``job_run_started(run)``,
``job_run_state_changed(run, previous, state)``, ``job_run_ended(run)`` and
``job_run_retried(run, retry)``; a method a listener lacks is skipped. The backend's own rules
(retries, admitting queued runs, triggers outside workflows) are the first listener; other
features (events, job handlers, logs) add theirs with ``add_listener``.
"""

from __future__ import annotations

from typing import Any


class JobRunLifecycle:
    def __init__(self) -> None:
        self.listeners: list[Any] = []

    def add_listener(self, listener: Any) -> None:
        if listener not in self.listeners:
            self.listeners.append(listener)

    def _call(self, method: str, *args: Any) -> None:
        for listener in list(self.listeners):
            hook = getattr(listener, method, None)
            if hook is not None:
                hook(*args)

    def started(self, run: Any) -> None:
        self._call("job_run_started", run)

    def state_changed(self, run: Any, previous: str | None, state: str) -> None:
        self._call("job_run_state_changed", run, previous, state)

    def ended(self, run: Any) -> None:
        self._call("job_run_ended", run)

    def retried(self, run: Any, retry: Any) -> None:
        self._call("job_run_retried", run, retry)

    # Crawls report here too: when one starts and when a read finds it ended.

    def crawl_started(self, crawl: Any) -> None:
        self._call("crawl_started", crawl)

    def crawl_ended(self, crawl: Any) -> None:
        self._call("crawl_ended", crawl)
