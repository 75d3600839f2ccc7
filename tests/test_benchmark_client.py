"""The benchmark's raw load client (benchmarks/raw_client.py) reads exactly what the server sends.

The server figures in docs/performance.md come from it: each call must read one whole answer, keep
the connection where the server keeps it, start a new one where the server closes it, and count
a refused request as an error.
"""

from __future__ import annotations

import pytest

from benchmarks.raw_client import RawConnection, ServerError, captured_request
from benchmarks.wrk_lua import lua_script
from moto_glue_workflows.pytest_plugin import MotoServer
from tests.conftest import AWS
from tests.glue_helpers import chain


@pytest.fixture
def server(mgw_server: MotoServer) -> AWS:
    mgw_server.reset()
    return AWS("server", mgw_server.endpoint_url)


def test_replayed_requests_read_whole_answers_on_one_connection(server: AWS) -> None:
    glue = server.client("glue")
    chain(glue, "etl", ["a", "b"])
    answer = glue.get_workflow(Name="etl", IncludeGraph=True)
    netloc, request = captured_request(glue, "get_workflow", {"Name": "etl", "IncludeGraph": True})
    assert b"X-Amz-Target: AWSGlue.GetWorkflow" in request and b"Authorization: AWS4-HMAC-SHA256" in request
    connection = RawConnection(netloc, request)
    lengths = {connection() for _ in range(50)}
    assert len(lengths) == 1 and lengths.pop() > len(answer["Workflow"]["Name"])
    assert connection.connects == 1  # our answers keep the connection open
    connection.close()


def test_a_closed_connection_is_reopened_and_a_refusal_counts_as_an_error(server: AWS) -> None:
    sqs = server.client("sqs")
    sqs.create_queue(QueueName="q")
    netloc, request = captured_request(sqs, "get_queue_url", {"QueueName": "q"})
    moto_answered = RawConnection(netloc, request)
    for _ in range(5):
        assert moto_answered() > 0
    assert moto_answered.connects == 5  # moto's dispatch closes every connection

    glue = server.client("glue")
    glue.create_workflow(Name="gone")
    netloc, request = captured_request(glue, "get_workflow", {"Name": "gone"})
    glue.delete_workflow(Name="gone")
    refused = RawConnection(netloc, request)
    with pytest.raises(ServerError, match=r"HTTP 400.*EntityNotFoundException"):
        refused()
    refused.close()


def test_wrk_scripts_carry_the_signed_request() -> None:
    raw = (
        b'POST / HTTP/1.1\r\nHost: h:1\r\nX-Amz-Target: AWSGlue.GetWorkflow\r\nContent-Length: 13\r\n\r\n{"Name": "a"}'
    )
    script = lua_script(raw)
    assert 'wrk.method = "POST"' in script and 'wrk.path = "/"' in script
    assert 'wrk.headers["X-Amz-Target"] = "AWSGlue.GetWorkflow"' in script
    assert 'wrk.body = "{\\"Name\\": \\"a\\"}"' in script and "Host" not in script and "Content-Length" not in script
