"""The threaded server under concurrent requests: limits hold, races have one winner, nothing is lost,
and no reader ever sees a half-built graph, run or trigger.

Every request is raw HTTP from its own thread to the ``mgw_server`` fixture (our ThreadedServer,
which serves each request in a thread of its own). The interpreter's switch interval is lowered for
these tests so threads interleave far more often than they would by chance. Each test gathers every
bad answer it sees and fails with the count and the first few, so a run reports how many requests a
race broke, not just that one did.
"""

from __future__ import annotations

import itertools
import random
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from moto_glue_workflows.pytest_plugin import MotoServer
from moto_glue_workflows.workflows.graph import unique_id
from tests.shape_checker import ShapeError
from tests.wire import Answer, Wire, check_answer_shape

ROLE = "arn:aws:iam::123456789012:role/glue-service"
DZ_ROLE = "arn:aws:iam::123456789012:role/datazone-exec"
THREADS = 16


@pytest.fixture
def wire(mgw_server: MotoServer) -> Iterator[Wire]:
    mgw_server.reset()
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # interleave threads every few bytecodes, not every 5 ms
    try:
        yield Wire(mgw_server.endpoint_url)
    finally:
        sys.setswitchinterval(previous)
        mgw_server.reset()


@pytest.fixture
def manual_job_runs(wire: Wire) -> Iterator[Callable[[int], None]]:
    """Job runs advance one state per ``times`` polls; unset afterwards."""

    def choose(times: int) -> None:
        wire.set_transition("glue::job_run", {"progression": "manual", "times": times})

    yield choose
    wire.unset_transition("glue::job_run")


def race_plain(threads: int, work: Callable[[int], Any]) -> list[Any]:
    """``work(index)`` in ``threads`` threads released together; their results in thread order."""
    barrier = threading.Barrier(threads)

    def run(index: int) -> Any:
        barrier.wait()
        return work(index)

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(run, range(threads)))


def race(threads: int, work: Callable[[int], list[Answer]]) -> list[Answer]:
    """Run ``work(index)`` in ``threads`` threads released together; every answer, in no order."""
    return [answer for answers in race_plain(threads, work) for answer in answers]


def ok(answer: Answer) -> bool:
    return 200 <= answer.status < 300


def must_succeed(answer: Answer) -> Answer:
    assert ok(answer), answer.describe()
    return answer


def create_job(wire: Wire, name: str, max_concurrent_runs: int = 1) -> None:
    must_succeed(
        wire.glue(
            "CreateJob",
            {
                "Name": name,
                "Role": ROLE,
                "Command": {"Name": "glueetl", "ScriptLocation": f"s3://scripts/{name}.py"},
                "ExecutionProperty": {"MaxConcurrentRuns": max_concurrent_runs},
            },
        )
    )


def start_trigger(wire: Wire, workflow: str, name: str, job: str) -> None:
    must_succeed(
        wire.glue(
            "CreateTrigger",
            {"Name": name, "WorkflowName": workflow, "Type": "ON_DEMAND", "Actions": [{"JobName": job}]},
        )
    )


def conditional(wire: Wire, workflow: str, name: str, after: str, then: str, state: str = "SUCCEEDED") -> Answer:
    """A conditional trigger with one condition and no ``Logical``, as the console creates them."""
    return wire.glue(
        "CreateTrigger",
        {
            "Name": name,
            "WorkflowName": workflow,
            "Type": "CONDITIONAL",
            "StartOnCreation": True,
            "Predicate": {"Conditions": [{"LogicalOperator": "EQUALS", "JobName": after, "State": state}]},
            "Actions": [{"JobName": then}],
        },
    )


def report(problems: list[str], total: int) -> None:
    shown = "\n".join(problems[:8])
    assert not problems, f"{len(problems)} of {total} answers were wrong:\n{shown}"


# MaxConcurrentRuns


def test_concurrent_starts_never_exceed_max_concurrent_runs(wire: Wire, manual_job_runs: Callable[[int], None]) -> None:
    """16 threads x 2 StartWorkflowRun at once, in 3 rounds (96 requests): exactly the limit start."""
    manual_job_runs(1000)  # runs stay RUNNING for the whole test
    limit, per_thread, rounds = 3, 2, 3
    problems: list[str] = []
    total = 0
    for round_ in range(rounds):
        workflow, job = f"limited-{round_}", f"limited-job-{round_}"
        create_job(wire, job, max_concurrent_runs=1000)
        must_succeed(wire.glue("CreateWorkflow", {"Name": workflow, "MaxConcurrentRuns": limit}))
        start_trigger(wire, workflow, f"{workflow}-start", job)

        def start(_: int, workflow: str = workflow) -> list[Answer]:
            return [wire.glue("StartWorkflowRun", {"Name": workflow}) for _ in range(per_thread)]

        answers = race(THREADS, start)
        total += len(answers)
        started = [answer for answer in answers if ok(answer)]
        problems += [f"round {round_}: run {len(started)} started with MaxConcurrentRuns={limit}"] * max(
            0, len(started) - limit
        )
        problems += [f"round {round_}: only {len(started)} runs started"] if len(started) < limit else []
        problems += [
            f"round {round_}: {answer.describe()}"
            for answer in answers
            if not ok(answer) and (answer.status, answer.error_code) != (400, "ConcurrentRunsExceededException")
        ]
        runs = must_succeed(wire.glue("GetWorkflowRuns", {"Name": workflow})).json["Runs"]
        running = [run for run in runs if run["Status"] == "RUNNING"]
        if len(running) != limit or len(runs) != len(started):
            problems.append(f"round {round_}: {len(running)} RUNNING of {len(runs)} runs listed")
    report(problems, total)


# One winner


def one_winner(name: str, answers: list[Answer], loser: tuple[int, str]) -> list[str]:
    """One wrong answer per success beyond the first and per answer that is neither a success nor ``loser``."""
    wins = [answer for answer in answers if ok(answer)]
    problems = [f"{name}: {len(wins)} creates succeeded"] * max(0, len(wins) - 1) + (
        [f"{name}: no create succeeded"] if not wins else []
    )
    problems += [
        f"{name}: {answer.describe()}"
        for answer in answers
        if not ok(answer) and (answer.status, answer.error_code) != loser
    ]
    return problems


def test_racing_create_workflow_has_one_winner(wire: Wire) -> None:
    """16 threads CreateWorkflow the same name, for 8 names (128 requests): one success per name."""
    names = [f"raced-{index}" for index in range(8)]
    problems: list[str] = []
    total = 0
    for name in names:

        def create(index: int, name: str = name) -> list[Answer]:
            return [wire.glue("CreateWorkflow", {"Name": name, "Description": str(index)})]

        answers = race(THREADS, create)
        total += len(answers)
        problems += one_winner(name, answers, (400, "AlreadyExistsException"))
    listed = must_succeed(wire.glue("ListWorkflows", {})).json["Workflows"]
    if sorted(listed) != names:
        problems.append(f"ListWorkflows: {listed}")
    report(problems, total)


def test_racing_create_domain_has_one_winner(wire: Wire) -> None:
    """16 threads CreateDomain the same name, for 8 names (128 requests): one success per name."""
    names = [f"raced-{index}" for index in range(8)]
    problems: list[str] = []
    total = 0
    for name in names:

        def create_domain(_: int, name: str = name) -> list[Answer]:
            return [wire.datazone("CreateDomain", {"name": name, "domainExecutionRole": DZ_ROLE})]

        answers = race(THREADS, create_domain)
        total += len(answers)
        problems += one_winner(name, answers, (409, "ConflictException"))
    listed = must_succeed(wire.datazone("ListDomains", {"maxResults": 25})).json["items"]
    if sorted(domain["name"] for domain in listed) != names:
        problems.append(f"ListDomains: {sorted(domain['name'] for domain in listed)}")
    report(problems, total)


# Nothing lost


def test_concurrent_put_workflow_run_properties_lose_no_key(wire: Wire, manual_job_runs: Callable[[int], None]) -> None:
    """16 threads x 20 PutWorkflowRunProperties on one run, each adding a key (320 requests)."""
    manual_job_runs(1000)
    create_job(wire, "props-job")
    must_succeed(wire.glue("CreateWorkflow", {"Name": "props", "DefaultRunProperties": {"seed": "0"}}))
    start_trigger(wire, "props", "props-start", "props-job")
    run_id = must_succeed(wire.glue("StartWorkflowRun", {"Name": "props"})).json["RunId"]
    per_thread = 20

    def put(index: int) -> list[Answer]:
        return [
            wire.glue(
                "PutWorkflowRunProperties",
                {"Name": "props", "RunId": run_id, "RunProperties": {f"k-{index}-{n}": f"v-{index}-{n}"}},
            )
            for n in range(per_thread)
        ]

    answers = race(THREADS, put)
    problems = [answer.describe() for answer in answers if not ok(answer)]
    properties = must_succeed(wire.glue("GetWorkflowRunProperties", {"Name": "props", "RunId": run_id})).json[
        "RunProperties"
    ]
    expected = {f"k-{i}-{n}": f"v-{i}-{n}" for i in range(THREADS) for n in range(per_thread)} | {"seed": "0"}
    missing = sorted(set(expected) - set(properties))
    problems += [f"lost key {key}" for key in missing]
    if not missing and properties != expected:
        problems.append("values differ from what was put")
    report(problems, len(answers))


# Readers never see a half-built state


def check_graph(graph: dict[str, Any], workflow: str, where: str) -> list[str]:
    """Node ids unique and derived from the workflow; every edge between listed nodes; triggers whole."""
    problems = []
    nodes = graph.get("Nodes", [])
    ids = [node["UniqueId"] for node in nodes]
    if len(ids) != len(set(ids)):
        problems.append(f"{where}: duplicate node ids")
    for node in nodes:
        if node["UniqueId"] != unique_id(workflow, node["Type"], node["Name"]):
            problems.append(f"{where}: node {node['Name']} has a foreign id")
        trigger = node.get("TriggerDetails", {}).get("Trigger")
        if node["Type"] == "TRIGGER":
            if trigger is None or trigger.get("WorkflowName") != workflow:
                problems.append(f"{where}: trigger node {node['Name']} without its workflow's trigger")
            elif node["Name"].startswith("single-") and "Logical" in trigger.get("Predicate", {}):
                problems.append(f"{where}: trigger {node['Name']} created without Logical shows Logical")
    for edge in graph.get("Edges", []):
        if edge["SourceId"] not in ids or edge["DestinationId"] not in ids:
            problems.append(f"{where}: edge to a node not in the graph")
    return problems


def check_run(run: dict[str, Any], where: str) -> list[str]:
    """A run's status, statistics and graph tell the same story."""
    problems = []
    stats = run["Statistics"]
    counted = sum(
        stats.get(key, 0)
        for key in (
            "RunningActions",
            "SucceededActions",
            "FailedActions",
            "StoppedActions",
            "TimeoutActions",
            "ErroredActions",
            "WaitingActions",
        )
    )
    if counted > stats["TotalActions"]:
        problems.append(f"{where}: {counted} actions counted of {stats['TotalActions']}")
    status = run["Status"]
    if status in ("COMPLETED", "STOPPED") and stats["RunningActions"]:
        problems.append(f"{where}: {status} with {stats['RunningActions']} running actions")
    if status in ("COMPLETED", "STOPPED") and "CompletedOn" not in run:
        problems.append(f"{where}: {status} without CompletedOn")
    if status == "RUNNING" and not (stats["RunningActions"] or stats["WaitingActions"]):
        problems.append(f"{where}: RUNNING with nothing running ({stats})")
    if "Graph" in run:
        graph = run["Graph"]
        actions = [node for node in graph["Nodes"] if node["Type"] in ("JOB", "CRAWLER")]
        if stats["TotalActions"] != len(actions):
            problems.append(f"{where}: TotalActions {stats['TotalActions']} but {len(actions)} job/crawler nodes")
        problems += check_graph(graph, run["Name"], where)
    return problems


def check_read(answer: Answer, allowed_errors: set[str]) -> list[str]:
    """A read's answer: whole and consistent when it succeeded, an expected error otherwise."""
    if answer.status >= 500 or b"Traceback" in answer.body:
        return [answer.describe()]
    if not ok(answer):
        return [] if answer.error_code in allowed_errors else [answer.describe()]
    try:
        parsed = check_answer_shape(answer)
    except ShapeError as error:
        return [f"{answer.operation}: shape: {error}"]
    where = answer.operation
    problems: list[str] = []
    if answer.operation == "GetWorkflowRun":
        problems += check_run(parsed["Run"], where)
    elif answer.operation == "GetWorkflowRuns":
        for run in parsed["Runs"]:
            problems += check_run(run, where)
    elif answer.operation in ("GetWorkflow", "BatchGetWorkflows"):
        workflows = [parsed["Workflow"]] if "Workflow" in parsed else parsed.get("Workflows", [])
        for workflow in workflows:
            if "Graph" in workflow:
                problems += check_graph(workflow["Graph"], workflow["Name"], f"{where} graph")
            if "LastRun" in workflow:
                problems += check_run(workflow["LastRun"], f"{where} LastRun")
    return problems


def test_reads_during_writes_see_whole_graphs_and_runs(wire: Wire, manual_job_runs: Callable[[int], None]) -> None:
    """8 readers x 40 reads race 5 writers x 30 writes (470 requests) on a 5-job chain that advances one
    step per read: starts, stops, resumes, new triggers, and a workflow deleted and created again."""
    manual_job_runs(1)  # every read moves the runs it reads: readers write too
    chain = [f"step-{index}" for index in range(5)]
    extras = [f"extra-{index}" for index in range(30)]
    for job in chain + extras:
        create_job(wire, job, max_concurrent_runs=1000)
    must_succeed(wire.glue("CreateWorkflow", {"Name": "busy"}))
    start_trigger(wire, "busy", "busy-start", chain[0])
    for before, after in itertools.pairwise(chain):
        must_succeed(conditional(wire, "busy", f"single-{before}", before, after))
    wire.control("glue/job-run-outcomes", {"JobName": chain[2], "State": "FAILED"})
    failing_node = unique_id("busy", "JOB", chain[2])

    run_ids: list[str] = [must_succeed(wire.glue("StartWorkflowRun", {"Name": "busy"})).json["RunId"]]
    churn_triggers = iter(range(10_000))
    lock = threading.Lock()
    writes = 30

    def known_run(rng: random.Random) -> str:
        with lock:
            return rng.choice(run_ids)

    def starter(rng: random.Random) -> list[Answer]:
        answers = []
        for _ in range(writes):
            answer = wire.glue("StartWorkflowRun", {"Name": "busy"})
            if ok(answer):
                with lock:
                    run_ids.append(answer.json["RunId"])
            answers.append(answer)
        return answers

    def stopper(rng: random.Random) -> list[Answer]:
        return [wire.glue("StopWorkflowRun", {"Name": "busy", "RunId": known_run(rng)}) for _ in range(writes)]

    def resumer(rng: random.Random) -> list[Answer]:
        answers = []
        for _ in range(writes):
            answer = wire.glue(
                "ResumeWorkflowRun", {"Name": "busy", "RunId": known_run(rng), "NodeIds": [failing_node]}
            )
            if ok(answer):
                with lock:
                    run_ids.append(answer.json["RunId"])
            answers.append(answer)
        return answers

    def trigger_maker(rng: random.Random) -> list[Answer]:
        return [
            conditional(
                wire,
                "busy",
                f"single-extra-{index}",
                rng.choice(chain[:3]),
                extras[index],
                state=rng.choice(["SUCCEEDED", "FAILED"]),
            )
            for index in range(writes)
        ]

    def churner(rng: random.Random) -> list[Answer]:
        answers = []
        for _ in range(writes // 3):
            answers.append(wire.glue("CreateWorkflow", {"Name": "churn"}))
            with lock:
                number = next(churn_triggers)
            answers.append(conditional(wire, "churn", f"single-churn-{number}", chain[0], chain[1]))
            answers.append(wire.glue("DeleteWorkflow", {"Name": "churn"}))
        return answers

    def reader(rng: random.Random) -> list[Answer]:
        answers = []
        for _ in range(40):
            kind = rng.randrange(5)
            if kind == 0:
                body = {"Name": "busy", "RunId": known_run(rng), "IncludeGraph": True}
                answers.append(wire.glue("GetWorkflowRun", body))
            elif kind == 1:
                answers.append(wire.glue("GetWorkflowRuns", {"Name": "busy", "IncludeGraph": True, "MaxResults": 5}))
            elif kind == 2:
                answers.append(wire.glue("GetWorkflow", {"Name": "busy", "IncludeGraph": True}))
            elif kind == 3:
                answers.append(wire.glue("GetWorkflow", {"Name": "churn", "IncludeGraph": True}))
            else:
                answers.append(wire.glue("BatchGetWorkflows", {"Names": ["busy", "churn"], "IncludeGraph": True}))
        return answers

    roles: list[Callable[[random.Random], list[Answer]]] = [starter, stopper, resumer, trigger_maker, churner]
    roles += [reader] * 8
    answers = race(len(roles), lambda index: roles[index](random.Random(index)))

    allowed_write_errors = {
        "StartWorkflowRun": {"ConcurrentRunsExceededException"},
        "StopWorkflowRun": {"IllegalWorkflowStateException"},
        "ResumeWorkflowRun": {
            "IllegalWorkflowStateException",
            "InvalidInputException",
            "ConcurrentRunsExceededException",
        },
        "CreateWorkflow": {"AlreadyExistsException"},
        "CreateTrigger": set(),
        "DeleteWorkflow": set(),
    }
    problems: list[str] = []
    for answer in answers:
        if answer.operation in allowed_write_errors:
            if answer.status >= 500 or (
                not ok(answer) and answer.error_code not in allowed_write_errors[answer.operation]
            ):
                problems.append(answer.describe())
            elif ok(answer):
                try:
                    check_answer_shape(answer)
                except ShapeError as error:
                    problems.append(f"{answer.operation}: shape: {error}")
        else:
            problems += check_read(answer, {"EntityNotFoundException"})
    # Afterwards, every run reads back whole too.
    for run_id in run_ids:
        problems += check_read(
            wire.glue("GetWorkflowRun", {"Name": "busy", "RunId": run_id, "IncludeGraph": True}), set()
        )
    report(problems, len(answers) + len(run_ids))


def test_datazone_reads_during_writes(wire: Wire) -> None:
    """4 seeders x 25, a deleter and a creator x 12, and 6 readers x 40 (376 requests): runs seeded into a
    domain as it is deleted never outlive it, runs seeded into a live domain are all listed, every
    answer is whole."""
    stable = must_succeed(wire.datazone("CreateDomain", {"name": "stable", "domainExecutionRole": DZ_ROLE})).json["id"]
    doomed = [
        must_succeed(wire.datazone("CreateDomain", {"name": f"doomed-{index}", "domainExecutionRole": DZ_ROLE})).json[
            "id"
        ]
        for index in range(12)
    ]
    targets = [stable, *doomed]

    def seeder(rng: random.Random) -> list[Answer]:
        body = {
            "jobIdentifier": "lineage",
            "runs": [{"status": "SUCCESS"}, {"status": "FAILED", "error": {"message": "x"}}],
        }
        return [wire.control("datazone/job-runs", {**body, "domainIdentifier": rng.choice(targets)}) for _ in range(25)]

    def deleter(rng: random.Random) -> list[Answer]:
        answers = []
        for domain_id in doomed:
            answers.append(wire.datazone("GetDomain", {"identifier": domain_id}))
            answers.append(wire.datazone("DeleteDomain", {"identifier": domain_id}))
        return answers

    def creator(rng: random.Random) -> list[Answer]:
        return [
            wire.datazone("CreateDomain", {"name": f"new-{index}", "domainExecutionRole": DZ_ROLE})
            for index in range(12)
        ]

    def reader(rng: random.Random) -> list[Answer]:
        answers = []
        for _ in range(40):
            target = rng.choice(targets)
            kind = rng.randrange(3)
            if kind == 0:
                answers.append(wire.datazone("ListJobRuns", {"domainIdentifier": target, "jobIdentifier": "lineage"}))
            elif kind == 1:
                answers.append(wire.datazone("GetDomain", {"identifier": target}))
            else:
                answers.append(wire.datazone("ListDomains", {"maxResults": 25}))
        return answers

    roles: list[Callable[[random.Random], list[Answer]]] = [*[seeder] * 4, deleter, creator, *[reader] * 6]
    answers = race(len(roles), lambda index: roles[index](random.Random(index)))
    problems: list[str] = []
    for answer in answers:
        # A seed that lands while its domain is DELETING is refused (ConflictException), one after it is gone
        # is not found (a read of a gone domain: AccessDeniedException); either way nothing is stored (checked below).
        if answer.status >= 500 or (
            not ok(answer)
            and answer.error_code not in ("ResourceNotFoundException", "ConflictException", "AccessDeniedException")
        ):
            problems.append(answer.describe())
        elif ok(answer) and answer.service == "datazone":
            try:
                parsed = check_answer_shape(answer)
            except ShapeError as error:
                problems.append(f"{answer.operation}: shape: {error}")
                continue
            if answer.operation == "ListJobRuns" and any(item["jobId"] != "lineage" for item in parsed["items"]):
                problems.append("ListJobRuns: a run of another job")
    # No run outlives its deleted domain, and the live domain kept every run seeded into it.
    from moto_glue_workflows.datazone.models import datazone_backends

    backend = datazone_backends["123456789012"]["us-east-1"]
    problems += [f"runs kept for deleted domain {d}" for d in doomed if backend.job_runs.get(d)]
    seeded = sum(
        len(a.json["ids"]) for a in answers if a.service == "control" and ok(a) and stable.encode() in (a.sent or b"")
    )
    listed, token = 0, None
    while True:
        params = {"domainIdentifier": stable, "jobIdentifier": "lineage", "maxResults": 50}
        if token:
            params["nextToken"] = token
        page = must_succeed(wire.datazone("ListJobRuns", params)).json
        listed += len(page["items"])
        token = page.get("nextToken")
        if not token:
            break
    if listed != seeded:
        problems.append(f"{seeded} runs seeded into {stable}, {listed} listed")
    report(problems, len(answers))


# The request path itself


def test_validators_built_concurrently_by_first_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh server's first requests build each operation's validator; 16 threads doing that at once
    for every operation we serve (repeated 20 times with empty caches) must all validate correctly."""
    from moto_glue_workflows.datazone.responses import DataZoneResponse
    from moto_glue_workflows.glue.responses import GlueWorkflowResponse
    from moto_glue_workflows.protocol import validation
    from moto_glue_workflows.protocol.model_response import operation_model
    from moto_glue_workflows.protocol.shape_compiler import PerModel

    served = [("glue", name) for name in sorted(GlueWorkflowResponse.OPERATIONS)]
    served += [("datazone", name) for name in sorted(DataZoneResponse.OPERATIONS)]
    models = [operation_model(service, name) for service, name in served]
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    failures: list[str] = []
    try:
        for _ in range(20):
            monkeypatch.setattr(validation, "_validators", PerModel(validation._Compiler))
            validation.input_validator.cache_clear()

            def build(index: int) -> list[str]:
                found = []
                for model in models[index % 3 :] + models[: index % 3]:
                    try:
                        validation.input_validator(model)({}, "")
                    except validation.InvalidParameter:
                        pass  # {} lacks required members: the validator works
                    except Exception as error:
                        found.append(f"{model.name}: {type(error).__name__}: {error}")
                return found

            failures += [failure for found in race_plain(THREADS, build) for failure in found]
    finally:
        sys.setswitchinterval(previous)
        validation.input_validator.cache_clear()
    assert not failures, f"{len(failures)} of {20 * THREADS * len(models)} validations failed: {failures[:5]}"


# Parallel test runs (pytest -n): each xdist worker serves its own tests


@pytest.mark.parametrize("round_", range(4))
def test_each_xdist_worker_has_its_own_server(
    round_: int, mgw_server_endpoint: str, tmp_path_factory: pytest.TempPathFactory, worker_id: str
) -> None:
    """The session-scoped ``mgw_server`` is started in each worker's process on a port the OS chose;
    what one worker's tests store never reaches another worker's server."""
    import os
    import urllib.parse

    from moto_glue_workflows.glue.models import glue_workflow_backends

    port = urllib.parse.urlsplit(mgw_server_endpoint).port
    assert port is not None and port != 5000
    # The server is this process's: a workflow created through it is in this process's backend.
    name = f"worker-{worker_id}-{os.getpid()}-{round_}"
    must_succeed(Wire(mgw_server_endpoint).glue("CreateWorkflow", {"Name": name}))
    assert name in glue_workflow_backends["123456789012"]["us-east-1"].workflows
    listed = must_succeed(Wire(mgw_server_endpoint).glue("ListWorkflows", {})).json["Workflows"]
    assert listed == [name]  # reset before the test: nothing of any other test or worker
    if worker_id == "master":
        return  # not distributed: one server
    servers = tmp_path_factory.getbasetemp().parent / "moto-servers"
    servers.mkdir(exist_ok=True)
    (servers / f"{worker_id}.url").write_text(mgw_server_endpoint)
    others = {path.stem: path.read_text() for path in servers.iterdir() if path.stem != worker_id}
    assert mgw_server_endpoint not in others.values(), f"{worker_id} shares a server with {others}"


def test_first_requests_race_to_build_the_url_router(wire: Wire) -> None:
    """moto builds a REST service's URL router on the first request that needs it; 16 threads sending a
    fresh server's first DataZone requests at once (5 rounds, router dropped before each: 80 requests)
    must all be answered."""
    routing = pytest.importorskip("moto.core.routing", reason="this moto (before 5.2.5) builds no URL router")
    get_service_router = routing.get_service_router

    from moto_glue_workflows.protocol import model_response

    problems: list[str] = []
    total = 0
    for _ in range(5):
        get_service_router.cache_clear()
        getattr(model_response, "_routed", set()).discard("datazone")

        def first(index: int) -> list[Answer]:
            if index % 2:
                return [wire.datazone("ListDomains", {"maxResults": 5})]
            return [wire.datazone("GetDomain", {"identifier": f"dzd_missing{index}"})]

        answers = race(THREADS, first)
        total += len(answers)
        problems += [
            answer.describe()
            for answer in answers
            if answer.status >= 500 or (not ok(answer) and answer.error_code != "AccessDeniedException")
        ]
    report(problems, total)
