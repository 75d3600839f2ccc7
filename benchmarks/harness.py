"""The coordinator: starts the measuring processes, alternates rounds between them, prints tables.

Two worker processes (``benchmarks.worker``) do the in-process measurements: ``plugin`` imported
moto_glue_workflows, ``moto`` never did. Every timed batch is one command to one worker, and the
batches of one round alternate between the workers (A, B, A, B ...; every other round in reverse
order), so that noise on this shared machine falls on both sides. Each number reported is the
median over rounds and each ratio is a ratio of medians. This process imports neither moto nor
the plugin.
"""

from __future__ import annotations

import contextlib
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import operations
from .operations import REFERENCE
from .worker import environment

ROOT = Path(__file__).resolve().parent.parent
SCALING_REGIONS = ("us-west-1", "us-west-2")
#: the regions of the N-node and 4N-node workflows (graphs are built from every trigger of a region)
CHAIN_REGIONS = ("eu-west-1", "eu-west-2")
#: the operation profiled with cProfile and timed stage by stage
PROFILED = "datazone.GetJobRun@plugin"
#: the operations timed stage by stage, unprofiled
CLIENT_NAMES = {
    "raw": "raw (botocore-signed requests replayed on kept-alive sockets: the server is what is measured)",
    "boto3": "boto3 (a session and client per thread: what one Python test process sees)",
}
#: operations whose stages of moto's request path are timed alone: moto's own (ours skip that path;
#: the cProfile table breaks theirs down)
COMPONENTS = (REFERENCE,)


@dataclass
class Options:
    rounds: int = 7
    #: target length of one timed batch
    batch_seconds: float = 0.2
    scaling_n: int = 200
    #: nodes of the smaller workflow run to COMPLETED; the larger has 4x as many
    chain_n: int = 5
    memory_n: int = 2000
    #: finished workflow runs stored before the clock moves 91 and 366 days (memory of run history)
    history_n: int = 2000
    profile_calls: int = 2000
    component_calls: int = 500
    top: int = 25
    server_rounds: int = 3
    server_seconds: float = 2.0
    #: client threads of the server load test, one row per count
    server_threads: tuple[int, ...] = (4, 16)
    server_max_per_thread: int = 5000
    server: bool = True
    #: only the server load test
    server_only: bool = False
    profile: bool = True
    #: blueprint and Python shell job runs start to end (benchmarks.user_code_start), in a process of its own
    user_code: bool = True
    #: "cpu": the worker's CPU time per call (robust to other load on the machine), or "wall"
    clock: str = "cpu"


QUICK = Options(
    rounds=3,
    batch_seconds=0.04,
    scaling_n=100,
    memory_n=500,
    history_n=300,
    profile_calls=300,
    component_calls=100,
    top=20,
    server_rounds=1,
    server_seconds=1.0,
)


class WorkerFailed(RuntimeError):
    pass


class WorkerProcess:
    def __init__(self, plugin: bool) -> None:
        self.side = "plugin" if plugin else "moto"
        self.stderr = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (closed in close())
        self.process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.worker", "--plugin" if plugin else "--bare"],
            cwd=ROOT,
            env=environment(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            text=True,
            bufsize=1,
        )

    def ask(self, cmd: str, **arguments: Any) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps({"cmd": cmd, **arguments}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise WorkerFailed(f"{self.side} worker exited during {cmd}:\n{self.tail()}")
        answer: dict[str, Any] = json.loads(line)
        if self.side == "moto" and answer.get("plugin_loaded"):
            raise WorkerFailed("the moto-only worker imported moto_glue_workflows: its numbers would be wrong")
        if "error" in answer:
            raise WorkerFailed(f"{self.side} worker, {cmd} {arguments}:\n{answer['error']}")
        return answer

    def tail(self) -> str:
        self.stderr.seek(0)
        return self.stderr.read()[-3000:]

    def close(self) -> None:
        if self.stderr.closed:
            return
        try:
            assert self.process.stdin is not None
            self.process.stdin.write(json.dumps({"cmd": "quit"}) + "\n")
            self.process.stdin.close()
            self.process.wait(timeout=15)
        except (OSError, ValueError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        self.stderr.close()


@dataclass
class Series:
    worker: WorkerProcess
    bench: str
    calls: int
    samples: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def spread(self) -> float:
        """Median absolute deviation, relative to the median."""
        middle = self.median
        return statistics.median(abs(s - middle) for s in self.samples) / middle if middle else 0.0


@dataclass
class Scaled:
    sizes: tuple[int, int]
    page_items: int
    small: Series
    large: Series
    #: the page at the small size answered by a canned response: what botocore costs alone
    floor: Series


@dataclass
class Chained:
    """A workflow run to COMPLETED with ``sizes`` nodes: the runs, and their canned-response floors."""

    sizes: tuple[int, int]
    polls: tuple[int, int]
    small: Series
    large: Series
    small_floor: Series
    large_floor: Series


def ratio(a: float | None, b: float | None) -> str:
    return "—" if a is None or b is None or b == 0 else f"{a / b:.2f}x"


def us(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds * 1e6:,.0f}"


def render(headers: Sequence[str], rows: Sequence[Sequence[str]], left: int = 1) -> str:
    """A plain-text table; the first ``left`` columns are left-aligned, the rest right-aligned."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        parts = [
            str(cell).ljust(width) if index < left else str(cell).rjust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    return "\n".join([line(headers), "  ".join("-" * width for width in widths), *(line(row) for row in rows)])


def paired(a: Series, b: Series) -> str:
    """Median of the per-round ratios a/b: the two batches of a round ran next to each other."""
    ratios = [x / y for x, y in zip(a.samples, b.samples, strict=False) if y]
    return f"{statistics.median(ratios):.2f}x" if ratios else "—"


class Run:
    def __init__(self, options: Options, progress: Callable[[str], None]) -> None:
        self.options = options
        self.progress = progress
        self.started = time.perf_counter()
        self.sections: list[str] = []
        self.failures: list[str] = []

    def elapsed(self) -> str:
        return f"{time.perf_counter() - self.started:5.1f}s"

    def say(self, message: str) -> None:
        self.progress(f"[{self.elapsed()}] {message}")

    def series(self, worker: WorkerProcess, answer: dict[str, Any]) -> Series:
        calls = max(3, min(5000, round(self.options.batch_seconds / max(answer["estimate"], 1e-7))))
        return Series(worker, answer["bench"], calls)

    def execute(self) -> str:
        options = self.options
        load = None
        if options.server:
            from .server_load import ServerLoad

            # Started now, so their start-up overlaps the set-up below; idle servers cost no CPU.
            self.say("starting the standalone servers")
            load = ServerLoad()
        if options.server_only and load is not None:
            try:
                self.run_server_load(load)
            finally:
                load.stop()
            return self.finish()
        self.say("starting the plugin and moto-only worker processes")
        plugin, bare = WorkerProcess(plugin=True), WorkerProcess(plugin=False)
        workers = {"plugin": plugin, "moto": bare}
        try:
            calls, regression, scaling, chains = self.prepare(workers)
            for worker in workers.values():
                worker.ask("settle")
            schedule = self.schedule(calls, regression, scaling, chains)
            for number in range(options.rounds):
                self.say(f"round {number + 1}/{options.rounds}: {len(schedule)} timed batches, alternating workers")
                for series in schedule if number % 2 == 0 else schedule[::-1]:
                    answer = series.worker.ask("time", bench=series.bench, calls=series.calls)
                    series.samples.append(answer[options.clock])

            self.report_calls(calls)
            self.report_regression(regression)
            self.report_scaling(scaling)
            self.report_chains(chains)

            self.say("memory per stored item (tracemalloc)")
            memory = []
            for item in operations.STORED_ITEMS:
                worker = workers["plugin" if item.plugin else "moto"]
                with self.failing(f"memory of {item.name}@{worker.side}"):
                    memory.append((item, worker.ask("memory", name=item.name, n=item.n or options.memory_n)))
            self.report_memory(memory)

            if options.profile:
                key = PROFILED
                self.say(f"cProfile: {options.profile_calls} calls of {key}")
                with self.failing(f"profiling {key}"):
                    self.report_profile(
                        key, plugin.ask("profile", key=key, calls=options.profile_calls, top=options.top)
                    )
                components = []
                for key in COMPONENTS:
                    self.say(f"component timings (unprofiled) of {key}")
                    with self.failing(f"component timings of {key}"):
                        worker = workers[key.rsplit("@", 1)[1]]
                        components.append((key, worker.ask("components", key=key, calls=options.component_calls)))
                self.report_components(components)
            if options.user_code:
                self.say("user code start: blueprint and Python shell job runs, warm and cold, and a cold boto3 import")
                with self.failing("user code start"):
                    self.sections.append(self.user_code_start(options.rounds + 1))
            # Last in-process work: it moves the plugin worker's clock a year forward.
            self.say(f"run history: {options.history_n} workflow runs, then the clock moves 91 and 366 days")
            with self.failing("run history memory"):
                self.report_history(plugin.ask("history", n=options.history_n))
            if load is not None:
                plugin.close()
                bare.close()
                self.run_server_load(load)
        finally:
            plugin.close()
            bare.close()
            if load is not None:
                load.stop()
        return self.finish()

    @staticmethod
    def user_code_start(rounds: int) -> str:
        """``python -m benchmarks.user_code_start`` in a process of its own (its mock, its warm process)."""
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.user_code_start", "--rounds", str(max(3, rounds))],
            capture_output=True,
            text=True,
            check=False,
            env=environment(),
            cwd=Path(__file__).resolve().parents[1],
        )
        if done.returncode != 0:
            raise RuntimeError(done.stderr.strip() or f"exit status {done.returncode}")
        return done.stdout.strip()

    def run_server_load(self, load: Any) -> None:
        options = self.options
        self.say(f"server load: {', '.join(map(str, options.server_threads))} client threads per row")
        with self.failing("server load"):
            rows = load.run(
                options.server_rounds,
                options.server_seconds,
                options.server_threads,
                options.server_max_per_thread,
                self.say,
            )
            self.report_server(rows)

    def finish(self) -> str:
        self.say("done")
        if self.failures:
            self.sections.append("FAILURES (rows left out above)\n" + "\n".join(self.failures))
        return self.header() + "\n\n" + "\n\n".join(self.sections) + f"\n\nTotal wall time: {self.elapsed().strip()}\n"

    @staticmethod
    def schedule(
        calls: dict[str, tuple[Series, Series]],
        regression: dict[str, dict[str, Series]],
        scaling: dict[tuple[str, str], Scaled],
        chains: dict[tuple[str, str], Chained],
    ) -> list[Series]:
        """One round's batches; what is compared is adjacent, on alternating workers (A, B, A, B)."""
        order: list[Series] = []
        names = list(dict.fromkeys(entry.name for entry in operations.OPERATIONS))
        for name in names:
            pairs = [calls[key] for key in (f"{name}@plugin", f"{name}@moto") if key in calls]
            order += [call for call, _ in pairs] + [floor for _, floor in pairs]
        for sides in regression.values():
            order += [sides["moto"], sides["plugin"]]
        for scaled in scaling.values():
            order += [scaled.small, scaled.large, scaled.floor]
        for chained in chains.values():
            order += [chained.small, chained.large, chained.small_floor, chained.large_floor]
        return order

    def prepare(
        self, workers: dict[str, WorkerProcess]
    ) -> tuple[
        dict[str, tuple[Series, Series]],
        dict[str, dict[str, Series]],
        dict[tuple[str, str], Scaled],
        dict[tuple[str, str], Chained],
    ]:
        """Every set-up, the two workers' in parallel (nothing is timed for the report yet)."""
        calls: dict[str, tuple[Series, Series]] = {}
        regression: dict[str, dict[str, Series]] = {entry.name: {} for entry in operations.REGRESSION}
        scaling: dict[tuple[str, str], Scaled] = {}
        chains: dict[tuple[str, str], Chained] = {}
        chain_sizes = (self.options.chain_n, self.options.chain_n * 4)
        jobs: dict[str, list[tuple[str, Callable[[WorkerProcess], None]]]] = {side: [] for side in workers}

        def call_job(entry: operations.Operation) -> Callable[[WorkerProcess], None]:
            def job(worker: WorkerProcess) -> None:
                call = self.series(worker, worker.ask("prepare_call", key=entry.key))
                floor = self.series(worker, worker.ask("prepare_floor", key=entry.key))
                calls[entry.key] = (call, floor)

            return job

        def regression_job(entry: operations.Operation) -> Callable[[WorkerProcess], None]:
            def job(worker: WorkerProcess) -> None:
                answer = worker.ask("prepare_call", key=entry.name, regression=True)
                regression[entry.name][worker.side] = self.series(worker, answer)

            return job

        def scaling_sizes(scale: operations.ListScaling) -> tuple[int, int]:
            n = max(1, self.options.scaling_n // scale.divisor)
            return n, n * 10

        def scaling_job(scale: operations.ListScaling) -> Callable[[WorkerProcess], None]:
            def job(worker: WorkerProcess) -> None:
                sizes = scaling_sizes(scale)
                regions = scale.regions or SCALING_REGIONS
                small = worker.ask("prepare_scaling", name=scale.name, n=sizes[0], region=regions[0], floor=True)
                large = worker.ask("prepare_scaling", name=scale.name, n=sizes[1], region=regions[1])
                self.say(
                    f"  {scale.name}@{worker.side}: set-up took {small['setup_seconds']:.1f}s for {sizes[0]:,} "
                    f"items, {large['setup_seconds']:.1f}s for {sizes[1]:,}"
                )
                floor = self.series(worker, {"bench": small["floor_bench"], "estimate": small["floor_estimate"]})
                scaling[(scale.name, worker.side)] = Scaled(
                    sizes, int(small["page_items"]), self.series(worker, small), self.series(worker, large), floor
                )

            return job

        def chain_job(chain: operations.WorkflowChain) -> Callable[[WorkerProcess], None]:
            def job(worker: WorkerProcess) -> None:
                small, large = (
                    worker.ask("prepare_chain", name=chain.name, n=n, region=region)
                    for n, region in zip(chain_sizes, CHAIN_REGIONS, strict=True)
                )
                self.say(
                    f"  {chain.name}@{worker.side}: set-up took {small['setup_seconds']:.1f}s for "
                    f"{chain_sizes[0]} nodes, {large['setup_seconds']:.1f}s for {chain_sizes[1]}"
                )
                small_floor, large_floor = (
                    self.series(worker, {"bench": answer["floor_bench"], "estimate": answer["floor_estimate"]})
                    for answer in (small, large)
                )
                chains[(chain.name, worker.side)] = Chained(
                    chain_sizes,
                    (int(small["polls"]), int(large["polls"])),
                    self.series(worker, small),
                    self.series(worker, large),
                    small_floor,
                    large_floor,
                )

            return job

        for entry in operations.OPERATIONS:
            jobs[entry.side].append((entry.key, call_job(entry)))
        for entry in operations.REGRESSION:
            for side in workers:
                jobs[side].append((f"{entry.name}@{side}", regression_job(entry)))
        for scale in operations.SCALING:
            side = "plugin" if scale.plugin else "moto"
            small, large = scaling_sizes(scale)
            jobs[side].append((f"{scale.name}@{side} with {small:,} and {large:,} items", scaling_job(scale)))
        for chain in operations.CHAINS:
            side = "plugin" if chain.plugin else "moto"
            what = f"{chain.name}@{side}, {chain_sizes[0]} and {chain_sizes[1]} nodes"
            jobs[side].append((what, chain_job(chain)))

        def run(side: str) -> None:
            for what, job in jobs[side]:
                self.say(f"setting up {what}")
                with self.failing(f"setting up {what}"):
                    job(workers[side])

        threads = [threading.Thread(target=run, args=(side,)) for side in workers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        # Keep the tables' order, and leave out what did not set up on both sides.
        calls = {entry.key: calls[entry.key] for entry in operations.OPERATIONS if entry.key in calls}
        regression = {name: sides for name, sides in regression.items() if len(sides) == len(workers)}
        return calls, regression, scaling, chains

    @contextlib.contextmanager
    def failing(self, what: str) -> Iterator[None]:
        """Record a failure of one part and go on with the others (the package may be mid-edit)."""
        try:
            yield
        except Exception as error:
            lines = [line for line in str(error).strip().splitlines() if line.strip()] or [repr(error)]
            self.failures.append(f"- {what}: {lines[-1].strip()[:300]}")
            self.say(f"FAILED {what}:\n  " + "\n  ".join(lines[-6:]))

    # reports

    def header(self) -> str:
        versions = subprocess.run(
            [
                sys.executable,
                "-c",
                "import moto, boto3, botocore; print(moto.__version__, boto3.__version__, botocore.__version__)",
            ],
            capture_output=True,
            text=True,
            check=False,
            env=environment(),
        ).stdout.split()
        moto_version, boto3_version, botocore_version = (versions + ["?"] * 3)[:3]
        o = self.options
        try:
            with open("/proc/loadavg") as loadavg:
                load = loadavg.read().split()[0]
        except OSError:
            load = "?"
        return (
            f"moto_glue_workflows benchmarks — Python {platform.python_version()}, moto {moto_version}, "
            f"boto3 {boto3_version}, botocore {botocore_version}, load average {load}\n"
            f"{o.rounds} rounds (medians; ± is the median absolute deviation), batches of ~{o.batch_seconds}s, "
            f"{'process CPU time' if o.clock == 'cpu' else 'wall-clock time'} per call in-process; "
            f"workers: 'plugin' imported moto_glue_workflows, 'moto' never did"
        )

    def report_calls(self, calls: dict[str, tuple[Series, Series]]) -> None:
        reference = calls[REFERENCE][0].median if REFERENCE in calls else None
        rows = []
        for entry in operations.OPERATIONS:
            if entry.key not in calls:
                continue
            call, floor = calls[entry.key]
            same = calls.get(f"{entry.name}@moto") if entry.plugin else None
            server_side = call.median - floor.median
            same_server_side = same[0].median - same[1].median if same else None
            rows.append(
                [
                    entry.name,
                    entry.side,
                    us(call.median),
                    f"±{call.spread:.0%}",
                    us(floor.median),
                    ratio(call.median, floor.median),
                    us(server_side),
                    ratio(call.median, reference),
                    f"{ratio(call.median, same[0].median)} ({paired(call, same[0])})" if same else "",
                    ratio(server_side, same_server_side) if same else "",
                ]
            )
        self.sections.append(
            "Per-call time under mock_aws (µs per boto3 call)\n"
            "  floor = the same call answered by a canned before-send response with the captured bytes "
            "(build, sign, send, parse; no moto)\n"
            "  server side = call - floor; 'moto' rows ran in the process that never imported the plugin\n"
            "  x moto same op: ratio of medians (median of per-round ratios, the two run back to back)\n"
            + render(
                [
                    "operation",
                    "worker",
                    "µs/call",
                    "±",
                    "floor µs",
                    "x floor",
                    "server side µs",
                    "x moto GetWorkflow",
                    "x moto same op",
                    "server side x moto same op",
                ],
                rows,
                left=2,
            )
        )

    def report_regression(self, regression: dict[str, dict[str, Series]]) -> None:
        rows = []
        for name, sides in regression.items():
            bare, plugin = sides["moto"], sides["plugin"]
            rows.append(
                [
                    name,
                    us(bare.median),
                    f"±{bare.spread:.0%}",
                    us(plugin.median),
                    f"±{plugin.spread:.0%}",
                    ratio(plugin.median, bare.median),
                    paired(plugin, bare),
                ]
            )
        self.sections.append(
            "moto's own services with and without the plugin imported (µs per call; ratio > 1 is a slowdown)\n"
            "  paired = median over rounds of (plugin / moto only) for the two batches run back to back\n"
            + render(["operation", "moto only", "±", "plugin imported", "±", "ratio of medians", "paired"], rows)
        )

    def report_scaling(self, scaling: dict[tuple[str, str], Scaled]) -> None:
        rows = []
        for (name, side), scaled in scaling.items():
            small, large, floor = scaled.small.median, scaled.large.median, scaled.floor.median
            rows.append(
                [
                    name,
                    side,
                    str(scaled.page_items),
                    f"{scaled.sizes[0]:,}",
                    us(small),
                    f"{scaled.sizes[1]:,}",
                    us(large),
                    ratio(large, small),
                    us(floor),
                    ratio(large - floor, small - floor),
                ]
            )
        self.sections.append(
            "One page of a list operation as the store grows 10x (µs per call; 1.00x = independent of store size)\n"
            "  floor = that page answered by a canned response; server side = call - floor\n"
            + render(
                [
                    "operation",
                    "worker",
                    "page items",
                    "N",
                    "µs at N",
                    "10N",
                    "µs at 10N",
                    "10N / N",
                    "floor µs",
                    "server side 10N / N",
                ],
                rows,
                left=2,
            )
        )

    def report_chains(self, chains: dict[tuple[str, str], Chained]) -> None:
        if not chains:
            return
        rows = []
        for (name, side), chained in chains.items():
            (n, large_n), (small_polls, large_polls) = chained.sizes, chained.polls
            small, large = chained.small.median, chained.large.median
            server_small = small - chained.small_floor.median
            server_large = large - chained.large_floor.median
            rows.append(
                [
                    name,
                    side,
                    str(n),
                    str(small_polls),
                    us(small),
                    f"±{chained.small.spread:.0%}",
                    str(large_n),
                    str(large_polls),
                    us(large),
                    f"±{chained.large.spread:.0%}",
                    ratio(large, small),
                    f"{large_n / n:.2f}x",
                    us(chained.small_floor.median),
                    ratio(server_large, server_small),
                    us(small / n),
                    us(large / large_n),
                    us((large - small) / (large_n - n)),
                ]
            )
        self.sections.append(
            "A workflow run to COMPLETED as the workflow grows 4x: StartWorkflowRun + GetWorkflowRun polls until "
            "COMPLETED (µs per run; linear = the ideal 4N / N)\n"
            "  job chain: N jobs in a line, each started by an activated CONDITIONAL trigger on its predecessor's "
            "SUCCEEDED\n"
            "  polls = GetWorkflowRun calls per run (immediate progression); floor = the same calls at N answered by "
            "canned responses; server side = run - floor\n"
            "  µs/node = µs per run / nodes; marginal µs/node = (µs at 4N - µs at N) / (4N - N), the fixed cost "
            "taken out\n"
            + render(
                [
                    "workflow",
                    "worker",
                    "N",
                    "polls",
                    "µs at N",
                    "±",
                    "4N",
                    "polls",
                    "µs at 4N",
                    "±",
                    "4N / N",
                    "ideal",
                    "floor µs",
                    "server side 4N / N",
                    "µs/node at N",
                    "µs/node at 4N",
                    "marginal µs/node",
                ],
                rows,
                left=2,
            )
        )

    def report_memory(self, memory: list[tuple[operations.StoredItem, dict[str, Any]]]) -> None:
        rows = [
            [
                item.name,
                "plugin" if item.plugin else "moto",
                f"{result['n']:,}",
                f"{result['peak_per_item']:,.0f}",
                f"{result['retained_per_item']:,.0f}",
            ]
            for item, result in memory
        ]
        self.sections.append(
            "Memory per stored item (tracemalloc; peak while storing, and retained after, divided by n)\n"
            + render(["item", "worker", "n", "peak B/item", "retained B/item"], rows, left=2)
        )

    def report_history(self, result: dict[str, Any]) -> None:
        n = result["n"]

        def per_10k(size: float) -> str:
            return f"{size / n * 10_000 / 1e6:,.1f} MB"

        rows = [
            ["stored", per_10k(result["stored"]), f"{result['stored'] / 1e6:,.1f} MB", "—"],
            [
                "clock +91 days: workflow runs expired",
                per_10k(result["after_91_days"]),
                f"{result['after_91_days'] / 1e6:,.1f} MB",
                f"{result['after_91_days_seconds']:.2f}",
            ],
            [
                "clock +366 days: job runs and crawls too",
                per_10k(result["after_366_days"]),
                f"{result['after_366_days'] / 1e6:,.1f} MB",
                f"{result['after_366_days_seconds']:.2f}",
            ],
        ]
        self.sections.append(
            f"Run history memory (tracemalloc, retained): {n:,} finished workflow runs (3 jobs + a crawler each)\n"
            "  AWS keeps workflow runs 90 days, job runs and crawls 365 (glue/retention.py); the clock's advance prunes\n"
            + render(["state", "per 10,000 runs", f"for {n:,} runs", "advance s"], rows, left=1)
            + f"\n  workflow runs left after the advances: {result['runs_left']}"
        )

    def report_profile(self, key: str, profile: dict[str, Any]) -> None:
        total = profile["stages"][0]["seconds"] or profile["profiled"]
        unprofiled = profile["unprofiled"]
        stage_rows = []
        for stage in profile["stages"]:
            seconds = stage["seconds"]
            share = None if seconds is None else seconds / total
            stage_rows.append(
                [
                    "  " * stage["depth"] + stage["label"],
                    us(seconds),
                    "—" if share is None else f"{share:.1%}",
                    "—" if share is None else us(share * unprofiled),
                ]
            )
        top_rows = [
            [f"{e['calls']:g}", us(e["cumulative"]), us(e["own"]), e["where"]] for e in profile["top_cumulative"]
        ]
        own_rows = [[f"{e['calls']:g}", us(e["own"]), us(e["cumulative"]), e["where"]] for e in profile["top_own"]]

        self.sections.append(
            f"cProfile: {profile['calls']:,} calls of {key} under mock_aws — "
            f"{us(unprofiled)} µs/call unprofiled, {us(profile['profiled'])} µs/call profiled (CPU time) "
            f"({profile['profiled'] / unprofiled:.1f}x profiler overhead)\n"
            "  est. µs = share of the profiled call x the unprofiled time (cProfile inflates call-heavy code most)\n"
            + render(["stage", "profiled µs/call", "share", "est. µs"], stage_rows)
            + f"\n\nTop {len(top_rows)} by cumulative time (per call)\n"
            + render(["calls", "cum µs", "own µs", "function"], top_rows, left=0)
            + f"\n\nTop {len(own_rows)} by own time (per call)\n"
            + render(["calls", "own µs", "cum µs", "function"], own_rows, left=0)
        )

    def report_components(self, components: list[tuple[str, dict[str, Any]]]) -> None:
        if not components:
            return
        parts = []
        for key, answer in components:
            rows = [
                [
                    "  " * row["depth"] + row["label"],
                    "—" if row["seconds"] is None else f"{row['seconds'] * 1e6:,.1f}",
                    row["note"],
                ]
                for row in answer["rows"]
            ]
            parts.append(f"{key}:\n" + render(["stage", "µs", "note"], rows, left=1))
        self.sections.append(
            "Component timings, unprofiled (µs of CPU time, best of 7 batches), each stage alone with one real "
            "request's objects\n"
            "  parts timed on a warm request miss what a fresh request computes lazily (the 'rest' rows)\n"
            + "\n\n".join(parts)
        )

    def report_server(self, rows: list[Any]) -> None:
        def rps_of(server: str, key: str, threads: int, client: str) -> float | None:
            found = [
                r
                for r in rows
                if r.server == server and r.key == key and r.threads == threads and r.client == client and r.rps
            ]
            return statistics.median(found[0].rps) if found else None

        o = self.options
        header = [
            "server",
            "operation",
            "threads",
            "requests",
            "req/s",
            "±",
            "p50 ms",
            "p99 ms",
            "x moto GetWorkflow",
            "x moto.server",
            "client CPU µs/req",
            "server CPU µs/req",
            "errors",
        ]
        tables = []
        for client in dict.fromkeys(row.client for row in rows):
            table = []
            for row in (r for r in rows if r.client == client):
                rps = statistics.median(row.rps)
                spread = statistics.median(abs(x - rps) for x in row.rps) / rps if rps else 0.0
                latencies = sorted(row.latencies)
                p50 = latencies[len(latencies) // 2] if latencies else 0.0
                p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else 0.0
                other = "moto" if row.server == "plugin" else "plugin"
                same = rps_of(other, row.key, row.threads, client) if row.server == "plugin" else None
                table.append(
                    [
                        "python -m " + ("moto_glue_workflows" if row.server == "plugin" else "moto.server"),
                        row.key.split("@")[0],
                        str(row.threads),
                        f"{statistics.median(row.requests):,.0f}",
                        f"{rps:,.0f}",
                        f"±{spread:.0%}",
                        f"{p50 * 1000:.1f}",
                        f"{p99 * 1000:.1f}",
                        ratio(rps, rps_of("moto", REFERENCE, row.threads, client)),
                        ratio(rps, same) if same else "",
                        f"{statistics.median(row.client_cpu) * 1e6:,.0f}" if row.client_cpu else "—",
                        f"{statistics.median(row.server_cpu) * 1e6:,.0f}" if row.server_cpu else "—",
                        f"{row.errors}" + (f" ({row.first_error})" if row.first_error else ""),
                    ]
                )
            tables.append(f"  client: {CLIENT_NAMES.get(client, client)}\n" + render(header, table, left=2))
        self.sections.append(
            f"Threaded standalone servers on 127.0.0.1, one client process with {'/'.join(map(str, o.server_threads))} "
            f"threads, {o.server_rounds} round(s) of {o.server_seconds}s per row (≤{o.server_max_per_thread} "
            "requests a thread)\n"
            "  x moto GetWorkflow: req/s over moto.server's GetWorkflow, same client and thread count; "
            "x moto.server: the same operation on both servers\n"
            "  client CPU: this one client process (all threads, one GIL) per request; server CPU: the server "
            "process per request.\n"
            "  req/s cannot exceed 1e6 / client CPU µs/req: where it is near that, the client is the ceiling, "
            "not the server\n" + "\n\n".join(tables)
        )
