"""The live page, ``GET /moto-api/static/ui/``: its content in every mode, and what a person sees
in a real browser (Debian's chromium, headless) for a failed-then-resumed run in a standalone server.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import requests

from tests import render_scenarios as scenarios
from tests.modes import Mode, standalone_server

if TYPE_CHECKING:
    from tests.browser import Chromium

pytest_plugins = ["tests.mode_fixtures", "tests.browser"]

SCRIPT_NAME = "<script>alert(1)</script>"
# An OpenLineage run event: a Glue job run reading an S3 dataset and writing another.
LINEAGE_EVENT = {
    "eventType": "COMPLETE",
    "eventTime": "2026-03-01T06:05:00+00:00",
    "producer": "https://github.com/OpenLineage/OpenLineage/tree/1.0.0/client/python",
    "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/definitions/RunEvent",
    "run": {"runId": "0f6c3b7e-8a1d-4c47-9a39-2f4de2a0c001"},
    "job": {"namespace": "glue", "name": "orders_daily"},
    "inputs": [{"namespace": "s3://raw-bucket", "name": "orders/2026"}],
    "outputs": [{"namespace": "s3://curated-bucket", "name": "orders_enriched"}],
}
ROLE = "arn:aws:iam::123456789012:role/dz"


def page_url(mode: Mode) -> str:
    return f"{mode.base_url}/moto-api/static/ui/"


def populate(mode: Any) -> tuple[str, str, str]:
    """A failed-then-resumed run, a workflow named like a script, a failed blueprint, a domain with runs."""
    glue, first, resumed = scenarios.failed_then_resumed(mode)
    glue.create_workflow(Name=SCRIPT_NAME)
    glue.create_blueprint(Name="ingest", BlueprintLocation="s3://no-such-bucket/ingest.zip")
    dz = mode.client("datazone")
    domain = dz.create_domain(name="sales<&>", domainExecutionRole=ROLE)["id"]
    mode.control.seed_datazone_job_runs(
        domain_identifier=domain,
        job_identifier="redshift-lineage",
        runs=[{"status": "FAILED", "error": {"message": "query history <unavailable>"}}, {"status": "SUCCESS"}],
    )
    dz.post_lineage_event(domainIdentifier=domain, event=json.dumps(LINEAGE_EVENT).encode())
    return first, resumed, domain


def test_page_shows_runs_blueprints_and_domains_escaped(mode: Mode) -> None:
    first, resumed, domain = populate(mode)
    response = requests.get(page_url(mode), timeout=30)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/html")
    page = response.text
    assert "<script" not in page.lower(), "no script of ours, and a user's name is text"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Account 123456789012 · us-east-1" in page
    for run_id in (first, resumed):
        assert f'id="run-{run_id}"' in page
        assert f'data-run-id="{run_id}"' in page  # each run's graph, drawn
    assert page.count("Total 3 · Succeeded 3") >= 2 and "Total 3 · Failed 1 · Succeeded 1" in page
    assert "bad row 7" in page and "--WORKFLOW_RUN_ID" in page  # a node's job runs, arguments and errors
    assert "Blueprint ingest" in page and "FAILED" in page
    assert f'<code class="id" title="{domain}">{domain}</code>' in page and "sales&lt;&amp;&gt;" in page
    assert "query history &lt;unavailable&gt;" in page and "redshift-lineage" in page
    assert f"Lineage of domain {domain}" in page
    for name in ("orders/2026", "orders_enriched"):
        assert f'data-name="{name}" data-kind="DATASET"' in page
    assert 'data-name="orders_daily" data-kind="JOB"' in page
    assert f'data-name="{LINEAGE_EVENT["run"]["runId"]}" data-kind="JOB_RUN"' in page
    assert 'http-equiv="refresh"' not in page  # nothing is running
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")  # nothing fetched from elsewhere


def test_page_refreshes_while_something_runs(mode: Mode) -> None:
    mode.set_transition("glue::job_run", {"progression": "manual", "times": 99})
    try:
        scenarios.chain_of_three(mode)
        page = requests.get(page_url(mode), timeout=30).text
        assert 'http-equiv="refresh"' in page and "reloads every" in page
        assert re.search(r'data-name="extract" data-kind="JOB" data-state="(STARTING|RUNNING)"', page)
    finally:
        unset_transition(mode, "glue::job_run")


def unset_transition(mode: Mode, model: str) -> None:
    if mode.endpoint_url:
        url = f"{mode.endpoint_url}/moto-api/state-manager/unset-transition"
        requests.post(url, json={"model_name": model}, timeout=30).raise_for_status()
    mode.unset_transitions()


def test_page_json_endpoints(mode: Mode) -> None:
    _, first, resumed = scenarios.failed_then_resumed(mode)
    runs = requests.get(f"{mode.base_url}/moto-api/static/ui/runs.json", timeout=30).json()
    assert runs == [["123456789012", "us-east-1", "nightly", first], ["123456789012", "us-east-1", "nightly", resumed]]
    base = f"{mode.base_url}/moto-api/static/ui/picture.json"
    picture = requests.get(base, params={"WorkflowName": "nightly", "RunId": resumed}, timeout=30).json()
    assert picture["previous_run_id"] == first and picture["status"] == "COMPLETED"
    missing = requests.get(base, params={"WorkflowName": "nightly", "RunId": "wr_nope"}, timeout=30)
    assert missing.status_code == 400 and missing.json()["code"] == "EntityNotFoundException"
    assert requests.get(base, timeout=30).json()["message"] == "Missing field: WorkflowName"
    assert requests.post(page_url(mode), timeout=30).status_code == 405


# A real browser.


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Mode]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with standalone_server() as url:
        yield Mode("standalone", url)


def test_a_person_sees_the_failed_then_resumed_run_in_chromium(
    chromium: Chromium, server: Mode, tmp_path: Path
) -> None:
    first, resumed, _ = populate(server)
    url = page_url(server)
    dom = chromium.browse(url, "--dump-dom")
    # The rendered document: no script element came in with a user's name; it shows as text.
    assert "<script" not in dom.lower() and html.escape(SCRIPT_NAME, quote=False) in dom
    runs = dict(re.findall(r'<svg [^>]*data-run-id="(wr_[0-9a-f]+)"[^>]*>(.*?)</svg>', dom, re.S))
    assert set(runs) == {first, resumed}
    lineage = re.findall(r'<svg [^>]*data-workflow="dzd[^"]*"[^>]*>(.*?)</svg>', dom, re.S)

    def seen(svg: str) -> dict[str, tuple[str, str]]:
        """Each node's name and the state line a person reads in it."""
        found = {}
        for group in re.findall(r'<g class="node[^"]*"[^>]*>(.*?)</g>', svg, re.S):
            texts = [
                "".join(html.unescape(line) for line in re.findall(r"<tspan[^>]*>(.*?)</tspan>", text, re.S))
                for text in re.findall(r"<text[^>]*>(.*?)</text>", group, re.S)
            ]
            found[texts[0]] = (texts[1], texts[2] if len(texts) > 2 else "")
        return found

    assert seen(runs[first])["transform"] == ("job · FAILED", "bad row 7")
    assert seen(runs[first])["load"] == ("job · not started", "")
    assert seen(runs[resumed])["transform"] == ("job · SUCCEEDED", "")
    assert seen(runs[resumed])["load"] == ("job · SUCCEEDED", "")
    assert seen(runs[resumed])["nightly-after-transform"] == ("trigger · fired", "")
    assert len(lineage) == 1
    assert seen(lineage[0])["orders_enriched"] == ("s3://curated-bucket", "dataset · as of 2026-03-01 06:05 UTC")

    screenshot = tmp_path / "ui.png"
    chromium.browse(url, f"--screenshot={screenshot}", "--window-size=1400,1800")
    data = screenshot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000
