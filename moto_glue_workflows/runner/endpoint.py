"""The loopback endpoint user code reaches: this process's moto, over HTTP on 127.0.0.1.

Started lazily, once per process, the first time user code runs. It serves moto's in-process
backends, so in decorator mode a child sees exactly the state ``mock_aws`` holds, and in server
mode (where this process *is* the server) the same state the server's own port serves.
"""

from __future__ import annotations

import threading

from moto_glue_workflows import _moto

_lock = threading.Lock()
_url: str | None = None


def mock_endpoint_url() -> str:
    """``http://127.0.0.1:<port>`` of this process's loopback moto server, starting it if needed."""
    global _url
    with _lock:
        if _url is None:
            _url = _moto.start_loopback_server()
        return _url
