"""A measuring process: ``python -m benchmarks.worker --plugin`` or ``--bare``.

``--plugin`` imports moto_glue_workflows; ``--bare`` never does (checked after every command).
Both start ``mock_aws`` once and keep it for their lifetime, then answer JSON commands, one a
line on stdin, one JSON answer a line on stdout. The coordinator alternates its commands
between a plugin and a bare worker, so noise on the machine falls on both sides alike.
"""

from __future__ import annotations

import argparse
import functools
import gc
import io
import json
import os
import sys
import time
import traceback
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import operations
from .operations import Kwargs, Target

CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def environment() -> dict[str, str]:
    """The environment of every benchmark process: fake credentials, nothing that redirects calls."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "MOTO_", "TEST_SERVER_MODE", "BOTO_"))
    }
    env.update(CREDENTIALS)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


class CannedRaw(io.BytesIO):
    """The raw stream of a canned response, as botocore reads it."""

    def stream(self, **_: Any) -> Any:
        contents = self.read()
        while contents:
            yield contents
            contents = self.read()


def event_names(client: Any, method: str) -> tuple[str, str]:
    service_id = client.meta.service_model.service_id.hyphenize()
    return service_id, client.meta.method_to_api_mapping[method]


def capture_response(client: Any, method: str, kwargs: Kwargs) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body bytes of one real call, exactly as they reached botocore's parser."""
    service_id, api = event_names(client, method)
    captured: dict[str, Any] = {}

    def grab(response_dict: dict[str, Any], **_: Any) -> None:
        captured.update(response_dict)

    event = f"before-parse.{service_id}.{api}"
    client.meta.events.register(event, grab)
    try:
        getattr(client, method)(**kwargs)
    finally:
        client.meta.events.unregister(event, grab)
    return int(captured["status_code"]), dict(captured["headers"]), bytes(captured["body"])


def canned_client(target: Target, service: str, method: str, response: tuple[int, dict[str, str], bytes]) -> Any:
    """A client whose ``method`` is answered by a ``before-send`` hook with ``response``'s bytes."""
    return can(target.client(service), method, response)


def can(client: Any, method: str, response: tuple[int, dict[str, str], bytes]) -> Any:
    """Answer ``method`` of ``client`` with ``response``'s bytes from now on; returns the client."""
    from botocore.awsrequest import AWSResponse

    status, headers, body = response
    service_id, api = event_names(client, method)

    def answer(request: Any, **_: Any) -> Any:
        return AWSResponse(request.url, status, headers, CannedRaw(body))

    client.meta.events.register(f"before-send.{service_id}.{api}", answer)
    return client


def run_to_completed(glue: Any, workflow: str, max_polls: int) -> int:
    """StartWorkflowRun, then GetWorkflowRun until the run is COMPLETED; returns the polls."""
    run_id = glue.start_workflow_run(Name=workflow)["RunId"]
    for polls in range(1, max_polls + 1):
        if glue.get_workflow_run(Name=workflow, RunId=run_id)["Run"]["Status"] == "COMPLETED":
            return polls
    raise RuntimeError(f"workflow {workflow} run {run_id} not COMPLETED after {max_polls} GetWorkflowRun calls")


def canned_run(glue: Any, workflow: str, run_id: str, polls: int) -> None:
    """What ``run_to_completed`` asks, on a client that answers both calls with canned bytes."""
    glue.start_workflow_run(Name=workflow)
    for _ in range(polls):
        glue.get_workflow_run(Name=workflow, RunId=run_id)


@dataclass
class Bench:
    call: Callable[[], Any]
    #: answered by a canned response: moto's stubber is switched off while it is timed
    floor: bool = False


class Worker:
    def __init__(self, plugin: bool) -> None:
        self.plugin = plugin
        os.environ.update(CREDENTIALS)
        if plugin:
            import moto_glue_workflows  # noqa: F401
        from moto import mock_aws
        from moto.core.models import botocore_stubber

        self.stubber = botocore_stubber
        self.mock = mock_aws()
        self.mock.start()
        self.target = Target()
        self.benches: dict[str, Bench] = {}
        self.clients: dict[str, Any] = {}
        self.kwargs: dict[str, Kwargs] = {}

    def _client(self, service: str) -> Any:
        if service not in self.clients:
            self.clients[service] = self.target.client(service)
        return self.clients[service]

    def _estimate(self, bench: Bench, budget: float = 0.05) -> float:
        """Seconds per call after a warm-up: enough calls to fill ``budget``, at most 20."""
        for _ in range(2):
            self._time(bench, 1)
        calls, elapsed = 0, 0.0
        while calls < 20 and elapsed < budget:
            elapsed += self._time(bench, 1)["wall"]
            calls += 1
        return elapsed / calls

    def _time(self, bench: Bench, calls: int) -> dict[str, float]:
        """Per call: ``cpu`` is this process's CPU time (what other processes on the machine do
        barely shows in it), ``wall`` the elapsed time."""
        call = bench.call
        if bench.floor:
            self.stubber.enabled = False
        try:
            wall, cpu = time.perf_counter(), time.process_time()
            for _ in range(calls):
                call()
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        finally:
            self.stubber.enabled = True
        return {"cpu": cpu / calls, "wall": wall / calls}

    # commands

    def cmd_prepare_call(self, key: str, regression: bool = False) -> dict[str, Any]:
        entry = self._entry(key, regression)
        kwargs = entry.setup(self.target)
        client = self._client(entry.service)
        bench = Bench(functools.partial(getattr(client, entry.call), **kwargs))
        name = f"call:{key}"
        self.benches[name] = bench
        self.kwargs[key] = kwargs
        return {"bench": name, "estimate": self._estimate(bench)}

    def _kwargs(self, key: str) -> Kwargs:
        if key not in self.kwargs:
            self.cmd_prepare_call(key)
        return self.kwargs[key]

    def cmd_prepare_floor(self, key: str) -> dict[str, Any]:
        entry = self._entry(key, False)
        kwargs = self._kwargs(key)
        response = capture_response(self._client(entry.service), entry.call, kwargs)
        client = canned_client(self.target, entry.service, entry.call, response)
        bench = Bench(functools.partial(getattr(client, entry.call), **kwargs), floor=True)
        name = f"floor:{key}"
        self.benches[name] = bench
        return {"bench": name, "estimate": self._estimate(bench), "status": response[0], "bytes": len(response[2])}

    def cmd_prepare_scaling(self, name: str, n: int, region: str, floor: bool = False) -> dict[str, Any]:
        """One page over ``n`` stored items; with ``floor``, also that page's canned-response floor."""
        entry = next(s for s in operations.SCALING if s.name == name and s.plugin == self.plugin)
        target = Target(region=region)
        started = time.perf_counter()
        kwargs = entry.setup(target, n)
        setup_seconds = time.perf_counter() - started
        client = target.client(entry.service)
        bench = Bench(functools.partial(getattr(client, entry.call), **kwargs))
        items = len(next(v for k, v in bench.call().items() if isinstance(v, list)))
        bench_name = f"scale:{name}:{n}"
        self.benches[bench_name] = bench
        answer = {
            "bench": bench_name,
            "estimate": self._estimate(bench),
            "page_items": items,
            "setup_seconds": setup_seconds,
        }
        if floor:
            response = capture_response(client, entry.call, kwargs)
            canned = canned_client(target, entry.service, entry.call, response)
            floor_bench = Bench(functools.partial(getattr(canned, entry.call), **kwargs), floor=True)
            self.benches[f"{bench_name}:floor"] = floor_bench
            answer.update(floor_bench=f"{bench_name}:floor", floor_estimate=self._estimate(floor_bench))
        return answer

    def cmd_prepare_chain(self, name: str, n: int, region: str) -> dict[str, Any]:
        """A workflow of ``n`` nodes run to COMPLETED, and the floor: the same calls answered canned."""
        entry = next(c for c in operations.CHAINS if c.name == name and c.plugin == self.plugin)
        target = Target(region=region)
        started = time.perf_counter()
        workflow = entry.setup(target, n)
        setup_seconds = time.perf_counter() - started
        glue = target.client("glue")
        max_polls = 10 * n + 10
        # One run, checked: every node ran and succeeded, and how many polls it took.
        run_id = glue.start_workflow_run(Name=workflow)["RunId"]
        polls = 0
        while True:
            polls += 1
            response = capture_response(glue, "get_workflow_run", {"Name": workflow, "RunId": run_id})
            run = json.loads(response[2])["Run"]
            if run["Status"] == "COMPLETED" or polls >= max_polls:
                break
        succeeded = run.get("Statistics", {}).get("SucceededActions")
        if run["Status"] != "COMPLETED" or succeeded != n:
            raise RuntimeError(
                f"workflow {workflow}: {run['Status']} after {polls} polls, {succeeded} of {n} succeeded"
            )
        bench = Bench(functools.partial(run_to_completed, glue, workflow, max_polls))
        bench_name = f"chain:{name}:{n}"
        self.benches[bench_name] = bench
        polls = bench.call()  # the timed runs are not the first: this one is like them
        canned = can(target.client("glue"), "get_workflow_run", response)
        can(canned, "start_workflow_run", capture_response(glue, "start_workflow_run", {"Name": workflow}))
        floor = Bench(functools.partial(canned_run, canned, workflow, run_id, polls), floor=True)
        self.benches[f"{bench_name}:floor"] = floor
        return {
            "bench": bench_name,
            "estimate": self._estimate(bench),
            "polls": polls,
            "floor_bench": f"{bench_name}:floor",
            "floor_estimate": self._estimate(floor),
            "setup_seconds": setup_seconds,
        }

    def cmd_settle(self) -> dict[str, Any]:
        """Collect once, then freeze what set-up left, so a full collection costs no batch 100 ms."""
        gc.collect()
        gc.freeze()
        return {}

    def cmd_time(self, bench: str, calls: int) -> dict[str, Any]:
        return self._time(self.benches[bench], calls)

    def cmd_memory(self, name: str, n: int) -> dict[str, Any]:
        entry = next(s for s in operations.STORED_ITEMS if s.name == name and s.plugin == self.plugin)
        # Once small, so that caches, validators and lazily built models are not counted.
        entry.prepare(self.target, 10)()
        store = entry.prepare(self.target, n)
        gc.collect()
        tracemalloc.start()
        try:
            before, _ = tracemalloc.get_traced_memory()
            tracemalloc.reset_peak()
            result = store()
            del result
            gc.collect()
            after, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        return {"peak_per_item": (peak - before) / n, "retained_per_item": (after - before) / n, "n": n}

    def cmd_history(self, n: int) -> dict[str, Any]:
        """Memory held by ``n`` finished workflow runs (3 jobs + a crawler each, with their job runs and
        crawls), then after the clock moves 91 days (workflow runs expire) and 366 days (job runs and
        crawls too). Moves this worker's clock: run it last."""
        from moto_glue_workflows.control.clock import advance_clock

        target = Target(region="ca-central-1")
        name = operations._graph_workflow(target)
        backend = operations._workflow_backend(target.region)

        def finished_run() -> None:
            run_id = backend.start_workflow_run(name, None)
            for _ in range(20):
                if backend.get_run(name, run_id, poll=True).status == "COMPLETED":
                    return
            raise RuntimeError(f"workflow run {run_id} not COMPLETED after 20 polls")

        finished_run()  # caches, validators and lazily built models are not counted
        gc.collect()
        tracemalloc.start()
        try:
            before, _ = tracemalloc.get_traced_memory()
            for _ in range(n):
                finished_run()
            gc.collect()
            stored = tracemalloc.get_traced_memory()[0] - before
            retained = {}
            for label, days in (("after_91_days", 91), ("after_366_days", 275)):
                started = time.perf_counter()
                advance_clock(account_id=operations.ACCOUNT_ID, region=target.region, seconds=days * 86400)
                retained[f"{label}_seconds"] = time.perf_counter() - started
                gc.collect()
                retained[label] = tracemalloc.get_traced_memory()[0] - before
        finally:
            tracemalloc.stop()
        runs = len(backend.get_workflow(name).runs)
        return {"n": n, "stored": stored, "runs_left": runs, **retained}

    def cmd_profile(self, key: str, calls: int, top: int) -> dict[str, Any]:
        from .profiling import profile_calls

        bench = self.benches[f"call:{key}"]
        return profile_calls(bench.call, calls, top)

    def cmd_components(self, key: str, calls: int) -> dict[str, Any]:
        from .profiling import component_timings

        entry = self._entry(key, False)
        kwargs = self._kwargs(key)
        return {"rows": component_timings(self._client(entry.service), entry.call, kwargs, calls)}

    def _entry(self, key: str, regression: bool) -> operations.Operation:
        if regression:
            return next(op for op in operations.REGRESSION if op.name == key)
        return operations.operation(key)

    def serve(self, commands: Any, answers: Any) -> None:
        for line in commands:
            if not line.strip():
                continue
            command = json.loads(line)
            name = command.pop("cmd")
            if name == "quit":
                break
            try:
                answer = getattr(self, f"cmd_{name}")(**command)
            except Exception:
                answer = {"error": traceback.format_exc()}
            answer["plugin_loaded"] = "moto_glue_workflows" in sys.modules
            answers.write(json.dumps(answer, default=str) + "\n")
            answers.flush()
        self.mock.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    side = parser.add_mutually_exclusive_group(required=True)
    side.add_argument("--plugin", action="store_true", help="import moto_glue_workflows")
    side.add_argument("--bare", action="store_true", help="never import moto_glue_workflows")
    args = parser.parse_args()
    answers = sys.stdout
    sys.stdout = sys.stderr  # anything printed by moto or a setup must not corrupt the answers
    Worker(plugin=args.plugin).serve(sys.stdin, answers)


if __name__ == "__main__":
    main()
