"""The examples of the clients extra (Airflow) in README.md and docs/, run as the other examples are.

tests/test_readme_examples.py skips a block marked ``<!-- readme-test: requires MODULE -->`` where MODULE
is not installed; this module, run in the clients venv, runs those blocks the same way.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("airflow.providers.amazon", reason="the README's client examples need the clients extra")

from tests.test_readme_examples import BLOCKS, Block
from tests.test_readme_examples import readme_server as readme_server
from tests.test_readme_examples import test_readme_block_runs as run_block

CLIENT_BLOCKS = [block for block in BLOCKS if block.requires]


def test_the_readme_has_client_examples() -> None:
    assert CLIENT_BLOCKS


@pytest.mark.parametrize("block", [pytest.param(block, id=block.id) for block in CLIENT_BLOCKS])
def test_readme_client_block_runs(block: Block, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    if block.skip_reason:
        pytest.fail(f"{block.source} line {block.line} cannot run here: {block.skip_reason}")
    run_block(block, tmp_path, request)
