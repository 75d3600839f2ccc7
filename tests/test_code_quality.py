"""The package stays ruff- and mypy-clean: checked with the tools the test extras install."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_lint_and_format() -> None:
    lint = run("ruff", "check", "moto_glue_workflows", "pytest_moto_glue_workflows.py", "tests", "benchmarks")
    assert lint.returncode == 0, lint.stdout + lint.stderr
    formatted = run(
        "ruff", "format", "--check", "moto_glue_workflows", "pytest_moto_glue_workflows.py", "tests", "benchmarks"
    )
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr


def test_mypy_strict() -> None:
    typed = run("mypy")
    assert typed.returncode == 0, typed.stdout + typed.stderr
