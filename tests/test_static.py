"""The code type-checks and lints, with the configuration of pyproject.toml: `mypy` on the package,
`ruff check` on all of the repository's Python. Both run from the venv, in the repository root, and
keep no cache in the checkout (mypy's goes to a temporary folder, ruff keeps none)."""

import subprocess
import sys

import pytest
from conftest import ROOT


def _clean(*args: str) -> None:
    """Run `python -m ARGS`; fail with its whole output unless it exits 0."""
    done = subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        pytest.fail(f"{' '.join(args[:2])} (exit {done.returncode}):\n{done.stdout}{done.stderr}", pytrace=False)


def test_ruff_check_is_clean():
    _clean("ruff", "check", "--no-cache", "--output-format", "concise")


def test_mypy_is_clean(tmp_path):
    _clean("mypy", "--cache-dir", str(tmp_path / "mypy-cache"))
