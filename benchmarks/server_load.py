"""Requests per second of the threaded standalone server, loopback only.

Each server is a subprocess on 127.0.0.1 and a free port: ``python -m moto_glue_workflows`` (the
plugin) and ``python -m moto.server`` (moto alone). The load comes from this process: ``threads``
threads, each stopping after ``seconds`` or ``max_per_thread`` requests, whichever comes first.
Each row is loaded by two kinds of client: ``raw``, botocore-signed requests replayed on kept-alive
sockets (``raw_client``: cheap enough that the server is what is measured), and ``boto3``, a boto3
session and client per thread (what one Python test process sees, bounded by boto3's own CPU).
Rounds alternate between the rows so that machine noise falls on every row alike.
"""

from __future__ import annotations

import functools
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .operations import SERVER_LOAD, Target, operation
from .raw_client import RawConnection, captured_request
from .worker import environment

ROOT = Path(__file__).resolve().parent.parent
MODULES = {"plugin": "moto_glue_workflows", "moto": "moto.server"}
#: the load clients, in the order their rows are reported
CLIENTS = ("raw", "boto3")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ServerProcess:
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.port = free_port()
        self.endpoint_url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.TemporaryFile(mode="w+b")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            [sys.executable, "-m", MODULES[kind], "-H", "127.0.0.1", "-p", str(self.port)],
            cwd=ROOT,
            env=environment(),
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=self.log,
        )

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.kind} server exited:\n{self.tail()}")
            try:
                urllib.request.urlopen(f"{self.endpoint_url}/moto-api/data.json", timeout=2).close()
                return
            except urllib.error.HTTPError:
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"{self.kind} server did not answer within {timeout:.0f}s:\n{self.tail()}")

    def tail(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-2000:]

    def stop(self) -> None:
        if self.log.closed:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@dataclass
class LoadRow:
    server: str
    key: str
    threads: int
    #: "raw" (botocore-signed requests replayed on sockets) or "boto3"
    client: str = "boto3"
    calls: list[Callable[[], Any]] = field(default_factory=list)
    rps: list[float] = field(default_factory=list)
    requests: list[int] = field(default_factory=list)
    #: seconds per request, every request of every round
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""
    #: CPU seconds per request of this (client) process, all threads, and of the server process, per round
    client_cpu: list[float] = field(default_factory=list)
    server_cpu: list[float] = field(default_factory=list)


def process_cpu(pid: int) -> float | None:
    """CPU seconds (user + system) a process has used so far; None where /proc is not there."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _load(row: LoadRow, seconds: float, max_per_thread: int, server_pid: int | None = None) -> None:
    counts = [0] * row.threads
    errors = [0] * row.threads
    ends = [0.0] * row.threads
    messages: list[str] = []
    barrier = threading.Barrier(row.threads + 1)

    latencies: list[list[float]] = [[] for _ in range(row.threads)]

    def run(index: int) -> None:
        call = row.calls[index]
        took = latencies[index]
        clock = time.perf_counter
        barrier.wait()
        stop = clock() + seconds
        done = failed = 0
        while done + failed < max_per_thread and (started := clock()) < stop:
            try:
                call()
                done += 1
            except Exception as error:
                failed += 1
                if not messages:
                    messages.append(repr(error)[:200])
            took.append(clock() - started)
        counts[index], errors[index], ends[index] = done, failed, clock()

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(row.threads)]
    for thread in threads:
        thread.start()
    server_before = process_cpu(server_pid) if server_pid else None
    client_before = time.process_time()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    client_used = time.process_time() - client_before
    server_after = process_cpu(server_pid) if server_pid else None
    elapsed = max(ends) - start
    answered = max(1, sum(counts) + sum(errors))
    row.client_cpu.append(client_used / answered)
    if server_before is not None and server_after is not None:
        row.server_cpu.append((server_after - server_before) / answered)
    row.requests.append(sum(counts))
    for took in latencies:
        row.latencies.extend(took)
    row.rps.append(sum(counts) / elapsed)
    row.errors += sum(errors)
    if messages and not row.first_error:
        row.first_error = messages[0]


class ServerLoad:
    """The servers of ``SERVER_LOAD``, started at once; ``run`` loads them, ``stop`` ends them."""

    def __init__(self) -> None:
        self.servers = {kind: ServerProcess(kind) for kind in sorted({kind for kind, _ in SERVER_LOAD})}

    def run(
        self,
        rounds: int,
        seconds: float,
        thread_counts: tuple[int, ...],
        max_per_thread: int,
        progress: Callable[[str], None],
        clients: tuple[str, ...] = CLIENTS,
    ) -> list[LoadRow]:
        for server in self.servers.values():
            server.wait_ready()
        import boto3

        threads = max(thread_counts)
        # One boto3 session per client thread, shared by that thread's clients of every row.
        per_thread: list[dict[str, Target]] = []
        for _ in range(threads):
            session = boto3.session.Session()
            per_thread.append(
                {kind: Target(server.endpoint_url, _sessions=[session]) for kind, server in self.servers.items()}
            )
        rows: list[LoadRow] = []
        for kind, key in SERVER_LOAD:
            entry = operation(key)
            kwargs = entry.setup(Target(endpoint_url=self.servers[kind].endpoint_url))
            calls: dict[str, list[Callable[[], Any]]] = {"boto3": [], "raw": []}
            for targets in per_thread:
                client = targets[kind].client(entry.service)
                call = functools.partial(getattr(client, entry.call), **kwargs)
                call()  # warm: connection, lazily loaded models
                calls["boto3"].append(call)
            netloc, request = captured_request(per_thread[0][kind].client(entry.service), entry.call, kwargs)
            calls["raw"] = [RawConnection(netloc, request) for _ in range(threads)]
            for client_kind in clients:
                for count in thread_counts:
                    rows.append(LoadRow(kind, key, count, client_kind, calls[client_kind][:count]))
        for number in range(rounds):
            progress(f"server load round {number + 1}/{rounds}")
            for row in rows if number % 2 == 0 else rows[::-1]:
                _load(row, seconds, max_per_thread, self.servers[row.server].process.pid)
        return rows

    def stop(self) -> None:
        for server in self.servers.values():
            server.stop()
