import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
sys.path.insert(0, str(ROOT))


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    """Messages name files relative to the current folder, as a consultant runs the tool."""
    monkeypatch.chdir(ROOT)


def run_cli(*args: str, cwd: Path = ROOT, timeout: int = 120) -> subprocess.CompletedProcess:
    """`python build.py ARGS` as a user runs it, in this interpreter's environment."""
    env = {**os.environ, "CETAKBIRU_NO_VENV": "1"}
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
    )


def check_paths(*paths):
    from cetakbiru import pipeline

    return pipeline.check([str(p) for p in paths])


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/ from the current templates (review the diff like code)")


SAMPLE_CITIES = ["tanjungpinang", "kutai-timur"]


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """Every book of both sample cities, built once for the whole run (DOCX and PDF)."""
    from cetakbiru import books

    out = tmp_path_factory.mktemp("buku")
    result = check_paths(*(ROOT / "cities" / f"{c}.yaml" for c in SAMPLE_CITIES))
    assert not result.errors
    made = books.build(result.cities, ("docx", "pdf"), out_dir=out)
    return {"out": out, "books": made, "cities": {c.slug: c for c in result.cities}}
