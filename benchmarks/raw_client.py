"""A load client that costs the server's measurement little: botocore-built requests, replayed raw.

A boto3 call costs its client process 1.1 to 1.5 ms of CPU (build, validate, sign, send, parse), so
one Python client process cannot send more than about 700 requests a second, whatever the server.
To measure the server, each request here is built and signed by botocore once (the bytes an SDK
sends: the same headers, body and SigV4 ``Authorization``) and then written again and again on a
kept-alive socket, reading each answer by its ``Content-Length``. Where the server answers
``Connection: close`` (werkzeug does, for every answer moto's dispatch gives), the client closes
and connects again, as an SDK's connection pool would. Load generators such as wrk work the same way.
"""

from __future__ import annotations

import re
import socket
from typing import Any
from urllib.parse import urlsplit

_CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:[ \t]*(\d+)", re.IGNORECASE)
_CLOSE = re.compile(rb"\r\nconnection:[ \t]*close", re.IGNORECASE)
_SKIPPED = {"content-length", "host", "connection", "expect"}


class ServerError(Exception):
    """The server answered with a status other than 2xx."""


def captured_request(client: Any, method: str, kwargs: dict[str, Any]) -> tuple[str, bytes]:
    """(``host:port``, the raw HTTP/1.1 request) botocore sends for ``client.method(**kwargs)``.

    The call is made for real once (its answer is checked by botocore as usual); the request it
    sent is kept."""
    seen: list[Any] = []

    def keep(request: Any, **_: Any) -> None:
        seen.append(request)

    client.meta.events.register("before-send", keep)
    try:
        getattr(client, method)(**kwargs)
    finally:
        client.meta.events.unregister("before-send", keep)
    request = seen[-1]
    parts = urlsplit(request.url)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    body = request.body or b""
    if hasattr(body, "read"):
        body = body.read()
    if isinstance(body, str):
        body = body.encode("utf-8")
    lines = [f"{request.method} {target} HTTP/1.1", f"Host: {parts.netloc}"]
    for name, value in request.headers.items():
        if name.lower() in _SKIPPED:
            continue
        text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
        lines.append(f"{name}: {text}")
    lines.append(f"Content-Length: {len(body)}")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    return parts.netloc, head + body


class RawConnection:
    """One kept-alive connection replaying one request; ``__call__`` sends it and reads the answer."""

    def __init__(self, netloc: str, request: bytes) -> None:
        host, _, port = netloc.rpartition(":")
        self._address = (host, int(port))
        self._request = request
        self._socket: socket.socket | None = None
        self._buffer = b""
        #: connections opened (one per request where the server closes every connection)
        self.connects = 0

    def _connect(self) -> socket.socket:
        connection = socket.create_connection(self._address)
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.connects += 1
        self._buffer = b""
        return connection

    def __call__(self) -> int:
        """Send the request, read the whole answer; its body length. Raises on a non-2xx status."""
        try:
            return self._exchange()
        except OSError:  # reset, broken pipe: the next call starts on a new connection
            self.close()
            raise

    def _exchange(self) -> int:
        connection = self._socket or self._connect()
        self._socket = connection
        connection.sendall(self._request)
        buffer = self._buffer
        while (end := buffer.find(b"\r\n\r\n")) < 0:
            chunk = connection.recv(65536)
            if not chunk:
                self.close()
                raise ConnectionError("the server closed the connection before answering")
            buffer += chunk
        head = buffer[: end + 2]
        found = _CONTENT_LENGTH.search(head)
        closing = _CLOSE.search(head) is not None
        if found is None and not closing:
            # A chunked answer would put this reader out of step with the stream; no server here sends one.
            self.close()
            raise ServerError("an answer with neither Content-Length nor Connection: close")
        if found is None:  # the answer ends where the server closes the connection
            while chunk := connection.recv(65536):
                buffer += chunk
            length = len(buffer) - end - 4
        else:
            length = int(found.group(1))
        total = end + 4 + length
        while len(buffer) < total:
            chunk = connection.recv(65536)
            if not chunk:
                self.close()
                raise ConnectionError("the server closed the connection mid-answer")
            buffer += chunk
        self._buffer = buffer[total:]
        status = head[9:12]
        if closing:
            self.close()
        if not status.startswith(b"2"):
            raise ServerError(f"HTTP {status.decode()}: {buffer[end + 4 : total][:200]!r}")
        return length

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None
        self._buffer = b""
