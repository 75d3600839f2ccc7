"""``python -m benchmarks.wrk_lua ENDPOINT KEY OUT``: a wrk Lua script replaying one benchmark call.

The call of ``KEY`` (an entry of ``operations``, e.g. ``glue.GetWorkflow@plugin``) is set up against the
server at ``ENDPOINT`` and made once with boto3; the request botocore built and signed for it is written
as a wrk script (method, path, headers, body), so an independent load generator can check the figures
of ``raw_client``: see ``benchmarks/wrk_crosscheck.sh``.
"""

from __future__ import annotations

import json
import sys

from .operations import Target, operation
from .raw_client import captured_request


def lua_script(raw: bytes) -> str:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    script = [f"wrk.method = {json.dumps(method)}", f"wrk.path = {json.dumps(path)}"]
    script.append(f"wrk.body = {json.dumps(body.decode('utf-8'))}")
    for line in lines[1:]:
        name, _, value = line.partition(": ")
        if name.lower() not in ("host", "content-length"):  # wrk sends its own
            script.append(f"wrk.headers[{json.dumps(name)}] = {json.dumps(value)}")
    return "\n".join(script) + "\n"


def main(argv: list[str]) -> None:
    endpoint, key, out = argv
    entry = operation(key)
    target = Target(endpoint_url=endpoint)
    kwargs = entry.setup(target)
    _, raw = captured_request(target.client(entry.service), entry.call, kwargs)
    with open(out, "w", encoding="utf-8") as script:
        script.write(lua_script(raw))


if __name__ == "__main__":
    main(sys.argv[1:])
