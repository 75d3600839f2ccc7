"""Every ```python and ```bash block of README.md and docs/*.md runs as written, as a user would run it.

Each block runs in a fresh process with a temporary directory as its working directory and this
environment's ``bin`` first on PATH (the user's activated virtualenv), but with no AWS credentials,
profile or config: a README example sets what it needs itself, or says in prose what it expects.
Any request that escapes to the network goes to a dead proxy (only 127.0.0.1 and localhost are
reached directly), so nothing can reach AWS.

- A Python block runs as a script (``python block.py``); one that defines top-level ``test_*``
  functions is a test file and runs under pytest (our plugin's fixtures are there, as for a user).
- A bash block runs under ``bash -e``.
- A block that mentions ``localhost:5000`` or ``127.0.0.1:5000`` talks to the standalone server: the
  test starts one (``moto-glue-workflows``) on a free port, shared by the module's blocks, and points
  the block at it. ``<!-- readme-test: needs-server -->`` before a block says the same explicitly.
  Such a block may read what the server blocks above it in its README section made (the CLI reads
  the workflow the Python example created), so its test resets the server and runs those first, as a
  reader would have: each test stands alone, in any order and on any xdist worker.
- A bash block that starts the standalone server (``moto-glue-workflows`` or
  ``python -m moto_glue_workflows``, or marked ``<!-- readme-test: server -->``) is run in the
  background on a free port instead of 5000, passes once the server accepts connections, and is
  stopped.
- ``<!-- readme-test: prints-below -->`` before a block: what it prints must be the ```text block after it.
- ``<!-- readme-test: requires MODULE -->`` before a block skips it where MODULE cannot be imported (the
  clients extra's examples; tests/clients/test_readme_clients.py runs them in the clients venv).
- ``<!-- readme-test: skip (reason) -->`` before a block skips it; so does ``<!-- ci: NAME -->``: those
  are the install and test commands that .ci/run itself runs on a fresh machine.

A failure names the block's file and line and shows the block and everything it printed.
"""

from __future__ import annotations

import ast
import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.modes import free_port, reset, standalone_server

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
LANGUAGES = {"python": "python", "py": "python", "bash": "bash", "sh": "bash", "shell": "bash"}
TIMEOUT = 120
SERVER_PORT = re.compile(r"\b(localhost|127\.0\.0\.1):5000\b")
STARTS_SERVER = re.compile(r"(^|[\s;&|(])(moto-glue-workflows|python3? -m moto_glue_workflows)\b")
DIRECTIVE = re.compile(r"<!--\s*(readme-test|ci):\s*(.*?)\s*-->")


@dataclass
class Block:
    line: int  # of the opening fence, 1-based
    language: str
    code: str
    directives: list[tuple[str, str]]
    section: str = ""  # the heading it sits under
    source: str = "README.md"  # the file, relative to the project
    printed: str | None = None  # with the directive ``prints-below``: the ```text block after it

    @property
    def id(self) -> str:
        return f"{self.source}:{self.line}:{self.language}"

    def has(self, word: str) -> bool:
        return any(kind == "readme-test" and value.split()[0:1] == [word] for kind, value in self.directives)

    @property
    def requires(self) -> list[str]:
        return [
            value.split()[1]
            for kind, value in self.directives
            if kind == "readme-test" and value.split()[0:1] == ["requires"] and len(value.split()) > 1
        ]

    @property
    def skip_reason(self) -> str | None:
        import importlib.util

        for module in self.requires:
            if importlib.util.find_spec(module.split(".")[0]) is None or importlib.util.find_spec(module) is None:
                return f"needs {module}: the clients extra, run by tests/clients/test_readme_clients.py"
        for kind, value in self.directives:
            if kind == "readme-test" and value.startswith("skip"):
                return value[4:].strip(" ()") or "marked skip"
            if kind == "ci":
                return f"run by .ci/run itself (<!-- ci: {value} -->)"
        return None

    @property
    def starts_server(self) -> bool:
        return self.has("server") or (self.language == "bash" and bool(STARTS_SERVER.search(self.code)))

    @property
    def needs_server(self) -> bool:
        return not self.starts_server and (self.has("needs-server") or bool(SERVER_PORT.search(self.code)))


def readme_blocks(text: str, source: str = "README.md") -> list[Block]:
    """The README's python and bash blocks, each with the directives in the comment lines just above it."""
    lines = text.splitlines()
    blocks: list[Block] = []
    index = 0
    section = ""
    waiting_for_output = False  # the block just read asks for the text block after it
    while index < len(lines):
        fence = re.match(r"^(\s*)```\s*([\w+-]*)", lines[index])
        if not fence:
            if lines[index].startswith("#"):
                section = lines[index].lstrip("#").strip()
            index += 1
            continue
        language = fence.group(2).lower()
        end = index + 1
        while end < len(lines) and not lines[end].strip().startswith("```"):
            end += 1
        if language in LANGUAGES:
            directives: list[tuple[str, str]] = []
            above = index - 1
            while above >= 0 and (not lines[above].strip() or lines[above].strip().startswith("<!--")):
                directives += [(m.group(1), m.group(2)) for m in DIRECTIVE.finditer(lines[above])]
                above -= 1
            code = "\n".join(line[len(fence.group(1)) :] for line in lines[index + 1 : end]) + "\n"
            blocks.append(Block(index + 1, LANGUAGES[language], code, directives, section, source))
        elif language == "text" and waiting_for_output:  # the first fenced block after the marked one, only that
            blocks[-1].printed = "\n".join(lines[index + 1 : end]) + "\n"
        waiting_for_output = language in LANGUAGES and blocks[-1].has("prints-below")
        index = end + 1
    return blocks


BLOCKS = readme_blocks(README.read_text()) if README.exists() else []
BLOCKS += [block for doc in DOCS for block in readme_blocks(doc.read_text(), f"docs/{doc.name}")]


def user_environment(home: Path) -> dict[str, str]:
    """A user's shell with the virtualenv active: no AWS credentials, no way out to AWS."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "MOTO_", "PYTEST_", "TEST_SERVER_MODE", "HYPOTHESIS"))
        and key.upper() not in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")
    }
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(Path(sys.executable).parent.parent)
    env["AWS_CONFIG_FILE"] = str(home / "no-aws-config")
    env["AWS_SHARED_CREDENTIALS_FILE"] = str(home / "no-aws-credentials")
    env["AWS_EC2_METADATA_DISABLED"] = "true"
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        env[name] = "http://127.0.0.1:9"  # nothing listens there: an escaping request fails at once
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    env["AIRFLOW_HOME"] = str(home / "airflow")  # Airflow's examples write their config here, not in ~/airflow
    return env


def point_at(code: str, url: str) -> str:
    return SERVER_PORT.sub(url.removeprefix("http://"), code)


def fail(block: Block, code: str, why: str, output: str) -> None:
    pytest.fail(
        f"{block.source} line {block.line} ({block.language} block) {why}\n"
        f"--- block as run ---\n{code}--- output ---\n{output[-6000:]}",
        pytrace=False,
    )


def run(block: Block, code: str, cwd: Path, env: dict[str, str]) -> None:
    if block.language == "python":
        tree = ast.parse(code)
        is_test_file = any(
            isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test_")
            for node in tree.body
        )
        script = cwd / ("test_readme_block.py" if is_test_file else "readme_block.py")
        script.write_text(code)
        command = [sys.executable, str(script)]
        if is_test_file:
            command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(script)]
    else:
        command = ["bash", "-e", "-c", code]
    try:
        done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired as expired:
        output = (expired.stdout or b"").decode() if isinstance(expired.stdout, bytes) else (expired.stdout or "")
        fail(block, code, f"did not finish in {TIMEOUT} s", output)
        return
    if done.returncode != 0:
        fail(block, code, f"exited with {done.returncode}", done.stdout + done.stderr)
    if block.has("prints-below") and block.printed is None:
        fail(block, code, "is marked prints-below but no ```text block follows it", done.stdout)
    if block.printed is not None and done.stdout != block.printed:
        fail(block, code, "printed other than the text block below it shows", done.stdout + done.stderr)


def run_server_block(block: Block, cwd: Path, env: dict[str, str]) -> None:
    """Start the block's server on a free port, check it answers, stop it (its whole process group)."""
    port = free_port()
    code = re.sub(r"(-p|--port)(\s*|=)5000\b", rf"\g<1>\g<2>{port}", block.code)
    code = point_at(code, f"http://127.0.0.1:{port}")
    log = cwd / "server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            ["bash", "-e", "-c", code], cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    fail(block, code, f"started no server on port {port} within 30 s", log.read_text())
                time.sleep(0.1)
    finally:
        # The block's own process group: bash, and the server it started in the background.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


# Blocks of the README known not to run, by their first line, with why: each is a strict xfail, so a
# fix that keeps the first line shows up as XPASS and must be removed here; a rewritten block no
# longer matches and simply runs. Empty: every block of the current README runs.
KNOWN_BROKEN: dict[str, str] = {}


def known_broken(block: Block) -> list[pytest.MarkDecorator]:
    reason = KNOWN_BROKEN.get(block.code.splitlines()[0] if block.code.strip() else "")
    return [pytest.mark.xfail(reason=reason, strict=True)] if reason else []


@pytest.fixture(scope="module")
def readme_server() -> Iterator[str]:
    """One standalone server for the module's blocks that talk to port 5000, as a user has one running."""
    with standalone_server("console") as url:
        yield url


@pytest.mark.parametrize("block", [pytest.param(b, id=b.id, marks=known_broken(b)) for b in BLOCKS])
def test_readme_block_runs(block: Block, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    reason = block.skip_reason
    if reason:
        pytest.skip(f"{block.source} line {block.line}: {reason}")
    env = user_environment(tmp_path)
    if block.starts_server:
        run_server_block(block, tmp_path, env)
        return
    code = block.code
    replayed = server_blocks_before(block) if block.needs_server else []
    uses_cli = any(re.search(r"^\s*aws\s", b.code, re.M) for b in [*replayed, block])
    if uses_cli and shutil.which("aws", path=env["PATH"]) is None:
        pytest.skip(f"{block.source} line {block.line}: needs the AWS CLI, which is not installed here")
    if block.needs_server:
        url = request.getfixturevalue("readme_server")
        reset(url)
        for earlier in replayed:
            run(earlier, point_at(earlier.code, url), tmp_path, env)
        code = point_at(code, url)
    run(block, code, tmp_path, env)


def server_blocks_before(block: Block, blocks: list[Block] | None = None) -> list[Block]:
    """The server blocks above ``block`` in its README section that run, in README order."""
    return [
        earlier
        for earlier in (BLOCKS if blocks is None else blocks)
        if earlier.line < block.line
        and earlier.source == block.source
        and earlier.section == block.section
        and earlier.needs_server
        and earlier.skip_reason is None
    ]


def test_the_readme_has_examples_to_run() -> None:
    assert any(block.language == "python" and block.source == "README.md" for block in BLOCKS)
    assert any(block.source.startswith("docs/") for block in BLOCKS)


SAMPLE = """
Intro.

<!-- ci: main -->
```bash
pip install .
```

<!-- readme-test: skip (slow: runs the benchmarks) -->
<!-- another comment -->

```bash
python -m benchmarks
```

```python
import moto_glue_workflows
```

<!-- readme-test: needs-server -->
```python
print("x")
```

```bash
moto-glue-workflows -p 5000 &
```

```json
{"not": "run"}
```

## Server

<!-- readme-test: needs-server -->
```python
print("y")
```

```bash
aws glue list-workflows --endpoint-url http://localhost:5000
```
"""


def test_blocks_and_directives_are_read_as_documented() -> None:
    blocks = readme_blocks(SAMPLE)
    assert [(b.line, b.language) for b in blocks] == [
        (5, "bash"),
        (12, "bash"),
        (16, "python"),
        (21, "python"),
        (25, "bash"),
        (36, "python"),
        (40, "bash"),
    ]
    assert blocks[0].skip_reason == "run by .ci/run itself (<!-- ci: main -->)"
    assert blocks[1].skip_reason == "slow: runs the benchmarks"
    assert blocks[2].skip_reason is None and not blocks[2].needs_server and not blocks[2].starts_server
    assert blocks[3].needs_server and not blocks[3].starts_server
    assert blocks[4].starts_server and not blocks[4].needs_server
    assert [(b.line, b.section) for b in blocks[5:]] == [(36, "Server"), (40, "Server")]
    assert blocks[5].needs_server and blocks[6].needs_server
    # A server block replays the server blocks above it in its own section only.
    assert server_blocks_before(blocks[3], blocks) == server_blocks_before(blocks[5], blocks) == []
    assert server_blocks_before(blocks[6], blocks) == [blocks[5]]
    assert point_at('endpoint_url="http://localhost:5000"', "http://127.0.0.1:4321") == (
        'endpoint_url="http://127.0.0.1:4321"'
    )


@pytest.mark.parametrize(
    ("language", "code", "printed"),
    [
        ("python", "import sys\nprint('step one')\nsys.exit('boom')\n", "boom"),
        ("python", "def test_x():\n    assert 1 == 2\n", "assert 1 == 2"),
        ("bash", "echo before\nfalse\necho never\n", "before"),
    ],
)
def test_a_failing_block_names_its_line_and_shows_its_output(
    language: str, code: str, printed: str, tmp_path: Path
) -> None:
    block = Block(42, language, code, [])
    with pytest.raises(pytest.fail.Exception) as failed:
        run(block, code, tmp_path, user_environment(tmp_path))
    assert f"README.md line 42 ({language} block) exited with" in str(failed.value)
    assert printed in str(failed.value)
    assert "never" not in str(failed.value).split("--- output ---")[1]


def test_blocks_have_no_aws_credentials(tmp_path: Path) -> None:
    code = "import boto3\nassert boto3.Session().get_credentials() is None\n"
    run(Block(1, "python", code, []), code, tmp_path, user_environment(tmp_path))


def test_a_block_that_prints_other_than_its_text_block_fails(tmp_path: Path) -> None:
    blocks = readme_blocks('<!-- readme-test: prints-below -->\n```python\nprint("two")\n```\n\n```text\none\n```\n')
    assert blocks[0].printed == "one\n"
    with pytest.raises(pytest.fail.Exception) as failed:
        run(blocks[0], blocks[0].code, tmp_path, user_environment(tmp_path))
    assert "printed other than the text block below it shows" in str(failed.value) and "two" in str(failed.value)
    # Only the fenced block right after counts: another block in between leaves the marked one without output
    later = readme_blocks(
        '<!-- readme-test: prints-below -->\n```python\nprint("one")\n```\n```json\n{}\n```\n```text\none\n```\n'
    )
    assert later[0].printed is None
    with pytest.raises(pytest.fail.Exception) as failed:
        run(later[0], later[0].code, tmp_path, user_environment(tmp_path))
    assert "no ```text block follows it" in str(failed.value)
