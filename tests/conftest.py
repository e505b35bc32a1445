import gzip
import hashlib
import http.server
import io
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
sys.path.insert(0, str(ROOT))
# the reference documents the DOCX build caches go to a temporary folder, not into build/
os.environ.setdefault("CETAKBIRU_CACHE", tempfile.mkdtemp(prefix="cetakbiru-cache-"))

# Hypothesis explores new examples on every local run; in CI (CI=true) it replays a fixed set
# derived from each test, so a landing is never decided by chance. What a local run finds is
# fixed and kept as an @example.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    _hypothesis_settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    """Messages name files relative to the current folder, as a consultant runs the tool."""
    monkeypatch.chdir(ROOT)


def run_cli(*args: str, cwd: Path = ROOT, timeout: int = 120, root: Path = ROOT) -> subprocess.CompletedProcess:
    """`python build.py ARGS` as a user runs it, in this interpreter's environment. `root`: the
    project whose build.py runs (a `project_copy` for commands that write build/ or site/)."""
    env = {**os.environ, "CETAKBIRU_NO_VENV": "1"}
    return subprocess.run(
        [sys.executable, str(root / "build.py"), *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
    )


PROJECT_INPUTS = ["build.py", "cetakbiru", "cities", "content", "data", "fonts", "templates", "schema", "mkdocs.yml",
                  "requirements.txt", "requirements-dev.txt"]


def project_copy(tmp_path: Path) -> Path:
    """A copy of the project's own inputs, for a command that writes its outputs (build/, site)
    beside them: the checkout is never written."""
    import shutil

    root = tmp_path / "proyek"
    root.mkdir()
    for name in PROJECT_INPUTS:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, root / name)
    return root


def expected_errors(path):
    """The errors a fixture pins with its lines `# galat: LINE:COL: path: message`, as `check` prints
    them (the file read as bytes: a fixture may hold a byte that is not UTF-8 on purpose)."""
    from cetakbiru.problems import display_name

    shown = display_name(str(path))
    text = path.read_bytes().decode("utf-8", errors="replace")
    return [f"{shown}:{m}" for m in re.findall(r"^# galat: (.*)$", text, re.M)]


def assert_pinned_errors(path):
    """`check` prints exactly the errors the fixture pins, no more, no less; returns the result."""
    expected = expected_errors(path)
    assert expected, f"{path.name} declares no expected error"
    result = check_paths(path)
    assert [str(p) for p in result.errors] == expected
    return result


def check_paths(*paths):
    from cetakbiru import pipeline

    return pipeline.check([str(p) for p in paths])


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/ from the current templates (review the diff like code)")


SAMPLE_CITIES = ["tanjungpinang", "kutai-timur"]
# a third city, sparse on purpose (a kabupaten of 2019 with no evaluation, index, data table, picture,
# foreword or appendix): the properties every book must have are tested on it too
SPARSE_CITY = FIXTURES / "lembah-hijau.yaml"


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """Every book of both sample cities and the sparse one, built once for the whole run (DOCX and
    PDF), by the one job every command runs (pipeline.build), without the site."""
    from cetakbiru import pipeline

    out = tmp_path_factory.mktemp("buku")
    paths = [str(ROOT / "cities" / f"{c}.yaml") for c in SAMPLE_CITIES] + [str(SPARSE_CITY)]
    result = pipeline.build(paths, site=False, books_dir=out)
    assert result.ok
    return {"out": out, "books": result.books, "cities": {c.slug: c for c in result.checked.cities}}



# --- the hostile city (tests/hostile.py), built once for the books and the site tests ---------

class _Counter(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        self.hits.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def canary():
    """A local server that records every request: a build must never make one."""
    hits: list[str] = []
    handler = type("Counter", (_Counter,), {"hits": hits})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1], hits
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def hostile(tmp_path_factory, canary):
    """Tanjungpinang with a payload in every free-text field, checked and built into every book."""
    from hostile import hostile_city_yaml

    from cetakbiru import pipeline

    port, hits = canary
    tmp = tmp_path_factory.mktemp("jahat")
    marker = "RAHASIA-" + secrets.token_hex(8)
    secret = tmp / "rahasia.txt"
    secret.write_text(f"{marker}\n", encoding="utf-8")
    (sample,) = pipeline.check([str(ROOT / "cities" / "tanjungpinang.yaml")]).cities
    text, poisoned = hostile_city_yaml(sample.plan, secret, port)
    cities = tmp / "cities"
    cities.mkdir()
    (cities / "kota-jahat.yaml").write_text(text, encoding="utf-8")
    out = tmp / "buku"
    messages: list[str] = []
    result = pipeline.build(["kota-jahat"], cities_dir=cities, site=False, books_dir=out, say=messages.append)
    assert result.ok and not result.checked.errors, messages
    return {"marker": marker, "secret": secret, "hits": hits, "built": result.books, "poisoned": poisoned,
            "out": out, "cities": result.checked.cities, "tmp": tmp}


# --- the checkout stays as it was ------------------------------------------------------------

_OWN_CACHES = re.compile(r"(^|/)(\.venv|__pycache__|\.pytest_cache|\.hypothesis|\.mypy_cache|\.ruff_cache)(/|$)")


def _checkout_state() -> set[str]:
    done = subprocess.run(["git", "status", "--porcelain", "--ignored", "--untracked-files=all"],
                          cwd=ROOT, capture_output=True, text=True, check=True)
    return {line for line in done.stdout.splitlines() if not _OWN_CACHES.search(line[3:])}


@pytest.fixture(scope="session", autouse=True)
def _checkout_untouched(pytestconfig):
    """No test writes into the checkout (cities/, build/, site/, content/...): each works in a
    temporary copy. Whatever appears or changes during the run fails the run here (except
    tests/golden/ under --update-golden, which is asked to write there)."""
    before = _checkout_state()
    yield
    added = sorted(_checkout_state() - before)
    if pytestconfig.getoption("--update-golden"):
        added = [line for line in added if not line[3:].startswith("tests/golden/")]
    assert not added, f"tests wrote into the checkout: {added[:20]}"


# --- comparing builds: what legitimately changes from one build to the next is masked -----------

_STAMPS = re.compile(rb"D:\d{14}Z?|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)|[A-Za-z0-9+/]{22}==")


def normalized(path: Path, rel: str) -> str:
    """A file's content without what legitimately changes from one build to the next."""
    data = path.read_bytes()
    if path.suffix == ".pdf":  # creation dates and the document id derived from them
        data = _STAMPS.sub(b"", data)
    elif path.suffix == ".docx":  # zip timestamps, docProps dates
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            data = b"".join(n.encode() + _STAMPS.sub(b"", z.read(n)) for n in sorted(z.namelist()))
    elif path.suffix == ".kunci":  # the content key; the files' hashes are checked by consistent()
        record = json.loads(data)
        data = json.dumps([record["kunci"], sorted(record["berkas"])]).encode()
    elif path.name.startswith("sitemap.xml"):
        data = re.sub(rb"\d{4}-\d\d-\d\d", b"", gzip.decompress(data) if path.suffix == ".gz" else data)
    return hashlib.sha256(data).hexdigest()


def tree(public: Path) -> dict[str, str]:
    """Relative path → normalized content; Pagefind's per-build names are counted, not named."""
    assert public.is_dir(), f"{public} is missing"
    out: dict[str, str] = {}
    for folder, _, files in os.walk(public):
        for name in files:
            path = Path(folder) / name
            rel = path.relative_to(public).as_posix()
            if rel.startswith("pagefind/"):
                masked = re.sub(r"[._][0-9a-f]{7,}(?=\.)", "#", rel)
                out[masked] = str(int(out.get(masked, "0")) + 1)
            else:
                out[rel] = normalized(path, rel)
    return out
