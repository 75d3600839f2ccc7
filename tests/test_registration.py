"""``import moto_glue_workflows`` wires DataZone into moto once, whatever the order, in every mode.

- Fresh interpreters (tests/import_order_probe.py) import moto and this package in each order,
  including after ``mock_aws`` or a ``ThreadedMotoServer`` was started, and use both modes.
- ``mock_aws`` as a decorator, a context manager and a class decorator (unittest and pytest styles).
- The standalone server, as ``python -m moto_glue_workflows`` and as the ``moto-glue-workflows`` script.
"""

from __future__ import annotations

import json
import subprocess
import sys
import unittest
from pathlib import Path
from typing import Any

import pytest
import requests
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.core.models import RESPONSES_METHODS

from moto_glue_workflows.control.helpers import Control
from moto_glue_workflows.datazone import urls as datazone_urls
from moto_glue_workflows.datazone.models import datazone_backends
from tests.modes import Mode, shared_session, standalone_server
from tests.shape_checker import Watcher

ROLE = "arn:aws:iam::123456789012:role/datazone-exec"
PROBE = Path(__file__).with_name("import_order_probe.py")
ORDERS = ["moto-first", "us-first", "after-mock-started", "after-server-started"]


@pytest.mark.parametrize("order", ORDERS)
def test_import_order_in_a_fresh_interpreter(order: str) -> None:
    done = subprocess.run([sys.executable, str(PROBE), order], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["fresh"], "the probe must start without moto or this package imported"

    # Registered once: one URL pattern per url_base, one control path, moto.datazone is ours.
    assert seen["first"]["patterns"] == datazone_urls.url_bases == seen["url_bases"]
    assert seen["first"]["control_paths"] == ["{0}/moto-api/static/datazone/job-runs"]
    assert seen["first"]["aliased"] is True
    # Registering or importing again changes nothing.
    assert seen["again"] == seen["first"]
    # Under mock_aws, every HTTP method of each pattern is routed to moto once, also when the mock
    # was already running when we were imported.
    routes = len(RESPONSES_METHODS) * len(datazone_urls.url_bases)
    assert seen["mock_requests_routes"] == routes
    assert seen["first"]["requests_routes"] == (routes if order == "after-mock-started" else 0)

    assert seen["decorator"] == {
        "status": "AVAILABLE",
        "seed": 200,
        "runs": True,
        "unserved": ["NotImplementedException", 501],
        "raw": [200, True],
    }
    assert seen["network_attempts"] == []
    assert seen["cleared_on_stop"] is True
    assert seen["fresh_mock_domains"] == []

    assert seen["server"] == {
        "status": "AVAILABLE",
        "seed": 200,
        "runs": True,
        "unserved": ["NotImplementedException", 501],
    }
    assert seen["server_reset"] == 200
    assert seen["server_domains_after_reset"] == []


def datazone(watcher: Watcher, region: str = "us-east-1") -> Any:
    """A shape-checked client with mock_aws's environment credentials (one session: see shared_session)."""
    return watcher.watch(shared_session().client("datazone", region_name=region))


def domain_names(watcher: Watcher) -> list[str]:
    return sorted(d["name"] for d in datazone(watcher).list_domains()["items"])


@pytest.fixture
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("MOTO_ACCOUNT_ID", raising=False)


@mock_aws
def test_mock_aws_as_a_function_decorator(credentials: None) -> None:
    watcher = Watcher()
    dz = datazone(watcher)
    domain = dz.create_domain(name="sales", domainExecutionRole=ROLE)["id"]
    ids = Control().seed_datazone_job_runs(
        domain_identifier=domain, job_identifier="job", runs=[{"status": "SUCCESS"}]
    )["ids"]
    assert dz.get_job_run(domainIdentifier=domain, identifier=ids[0])["jobType"] == "LINEAGE"
    assert watcher.checked == 2


def test_mock_aws_decorating_a_helper_returns_its_result_and_clears_after(credentials: None) -> None:
    @mock_aws
    def create(name: str) -> str:
        return str(datazone(Watcher()).create_domain(name=name, domainExecutionRole=ROLE)["name"])

    assert create("first") == "first"
    assert create("first") == "first"  # no ConflictException: the first call's domain was cleared
    assert len(datazone_backends) == 0


def test_mock_aws_as_a_context_manager(credentials: None) -> None:
    watcher = Watcher()
    with mock_aws():
        datazone(watcher).create_domain(name="sales", domainExecutionRole=ROLE)
        with mock_aws():  # nested: moto resets only when the outermost mock starts and stops
            assert domain_names(watcher) == ["sales"]
        assert domain_names(watcher) == ["sales"]
    assert len(datazone_backends) == 0
    with mock_aws():
        assert domain_names(watcher) == []
    assert watcher.checked == 4


@mock_aws
class TestUnittestClassDecorator(unittest.TestCase):
    """setUp's state reaches the test; each test starts from what setUp alone made."""

    def setUp(self) -> None:
        self.watcher = Watcher()
        self.domain = datazone(self.watcher).create_domain(name="from-setup", domainExecutionRole=ROLE)["id"]

    def test_sees_setup_state_only(self) -> None:
        self.assertEqual(domain_names(self.watcher), ["from-setup"])
        datazone(self.watcher).create_domain(name="left-behind-1", domainExecutionRole=ROLE)

    def test_sees_setup_state_only_too(self) -> None:
        self.assertEqual(domain_names(self.watcher), ["from-setup"])
        datazone(self.watcher).create_domain(name="left-behind-2", domainExecutionRole=ROLE)


@mock_aws
class TestPlainClassDecorator:
    """Without a setup method each test is reset on its own."""

    def test_starts_empty(self) -> None:
        watcher = Watcher()
        assert domain_names(watcher) == []
        datazone(watcher).create_domain(name="left-behind-1", domainExecutionRole=ROLE)
        assert domain_names(watcher) == ["left-behind-1"]

    def test_starts_empty_too(self) -> None:
        watcher = Watcher()
        assert domain_names(watcher) == []
        datazone(watcher).create_domain(name="left-behind-2", domainExecutionRole=ROLE)
        assert domain_names(watcher) == ["left-behind-2"]


@mock_aws
class TestPlainClassWithSetupMethod:
    def setup_method(self, method: Any = None) -> None:
        self.watcher = Watcher()
        datazone(self.watcher).create_domain(name="from-setup", domainExecutionRole=ROLE)

    def test_sees_setup_state(self) -> None:
        assert domain_names(self.watcher) == ["from-setup"]
        datazone(self.watcher).create_domain(name="left-behind", domainExecutionRole=ROLE)


def test_class_decorators_reset_between_tests_whatever_ran_before(credentials: None) -> None:
    """The classes above, run in a fixed order here (xdist may split them): tests do not leak."""
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(TestUnittestClassDecorator)
    result = unittest.TestResult()
    suite.run(result)
    assert (result.testsRun, result.failures, result.errors) == (2, [], [])

    plain = TestPlainClassDecorator()
    plain.test_starts_empty()
    plain.test_starts_empty_too()

    with_setup = TestPlainClassWithSetupMethod()
    for _ in range(2):
        with_setup.setup_method()
        with_setup.test_sees_setup_state()


@pytest.mark.parametrize("kind", ["module", "console"])
def test_standalone_server(kind: str) -> None:
    """``python -m moto_glue_workflows -p PORT`` and ``moto-glue-workflows -H 127.0.0.1 -p PORT``."""
    with standalone_server(kind) as url:
        aws = Mode("standalone", url)
        dz = aws.client("datazone")
        domain = dz.create_domain(name="sales", domainExecutionRole=ROLE)["id"]
        ids = Control(endpoint_url=url).seed_datazone_job_runs(
            domain_identifier=domain, job_identifier="job", runs=[{"status": "SUCCESS"}, {"status": "FAILED"}]
        )["ids"]
        items = dz.list_job_runs(domainIdentifier=domain, jobIdentifier="job", sortOrder="ASCENDING")["items"]
        assert [r["runId"] for r in items] == ids
        with pytest.raises(ClientError) as info:
            dz.list_projects(domainIdentifier=domain)
        assert info.value.response["Error"]["Code"] == "NotImplementedException"
        assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 501
        # moto's own services are served beside ours.
        s3 = aws.client("s3")
        s3.create_bucket(Bucket="lineage")
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["lineage"]

        assert requests.post(f"{url}/moto-api/reset", timeout=10).status_code == 200
        assert dz.list_domains()["items"] == []
        assert s3.list_buckets()["Buckets"] == []
        assert aws.watcher.checked == 6
