"""Packaging: `pip install .` gives a `cetakbiru` command that works in any folder holding cities/.

The wheel is built for real (hatchling, from a copy of the checkout's files: building never writes
into the checkout) and installed into a new virtual environment, offline: the wheel without its
dependencies, which the new environment finds in this one's site-packages (a .pth file), so the
installed command runs the wheel's code and resources, not the checkout's.
"""

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

import cetakbiru
from cetakbiru import paths

# what the wheel carries under cetakbiru/_share/ (pyproject.toml, tool.hatch...force-include)
RESOURCES = ["templates", "data", "fonts", "content", "mkdocs.yml", "requirements.txt"]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _pins(name: str) -> list[str]:
    """The requirements of a requirements file, without comments and `-r` includes."""
    lines = (line.split(" #")[0].strip() for line in (ROOT / name).read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith(("#", "-r"))]


def test_dependencies_are_the_pins_of_requirements_txt():
    """One set of versions, tested, whether the tool runs from a checkout or installed."""
    assert sorted(PYPROJECT["project"]["dependencies"]) == sorted(_pins("requirements.txt"))


def test_build_backend_is_pinned_in_the_test_dependencies():
    """The tests build the wheel without build isolation (offline): the backend comes from .venv."""
    dev = _pins("requirements-dev.txt")
    for requirement in PYPROJECT["build-system"]["requires"]:
        assert "==" in requirement and requirement in dev


def test_version_has_one_source():
    assert PYPROJECT["project"]["dynamic"] == ["version"]
    source = ROOT / PYPROJECT["tool"]["hatch"]["version"]["path"]
    assert re.findall(r'^__version__ = "([^"]+)"', source.read_text(encoding="utf-8"), re.M) == [cetakbiru.__version__]


def test_a_checkout_is_its_own_project(monkeypatch, tmp_path):
    assert not paths.INSTALLED and paths.SHARE == ROOT
    monkeypatch.delenv("CETAKBIRU_PROJECT", raising=False)
    assert paths.project() == ROOT
    monkeypatch.setenv("CETAKBIRU_PROJECT", str(tmp_path))
    assert paths.project() == tmp_path


def _files() -> list[str]:
    """The checkout's files as a fresh clone would have them (plus files not yet committed)."""
    done = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                          cwd=ROOT, capture_output=True, check=True)
    return [name for name in done.stdout.decode().split("\0") if name and (ROOT / name).is_file()]


def _env() -> dict[str, str]:
    """This environment without what would point the installed command back at the checkout."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "CETAKBIRU_PROJECT")}
    return {**env, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1"}


def _run(*args, **kw) -> subprocess.CompletedProcess:
    kw.setdefault("env", _env())
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=300, **kw)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("paket")
    source = tmp / "sumber"
    files = _files()
    for name in files:
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    built = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-index", "--no-build-isolation",
                 "--no-cache-dir", "-q", "-w", tmp / "dist", ".", cwd=source)
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp / "dist").glob("cetakbiru-*.whl")

    venv = tmp / "venv"
    made = _run(sys.executable, "-m", "venv", "--without-pip", venv)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    done = _run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
                "--no-cache-dir", "-q", wheel)
    assert done.returncode == 0, done.stderr
    # the dependencies: this environment's, already installed (the tests run offline)
    site = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "cetakbiru-test-deps.pth").write_text("".join(f"{d}\n" for d in sorted(deps)), encoding="utf-8")
    return {"wheel": wheel, "bin": venv / "bin", "site": site, "files": files, "tmp": tmp}


def test_wheel_holds_the_package_and_its_resources(installed):
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    shipped = [f for f in installed["files"] if f.split("/")[0] in RESOURCES]
    assert shipped and {f"cetakbiru/_share/{f}" for f in shipped} <= names
    code = {f for f in installed["files"] if f.startswith("cetakbiru/") and f.endswith(".py")}
    assert code <= names
    info = f"cetakbiru-{cetakbiru.__version__}.dist-info"
    assert {n.split("/")[0] for n in names} == {"cetakbiru", info}  # no cities/, tests/, build.py...
    entry_points = zipfile.ZipFile(installed["wheel"]).read(f"{info}/entry_points.txt").decode()
    assert "cetakbiru = cetakbiru.cli:main" in entry_points


def test_installed_command_works_in_a_project_folder(installed, tmp_path):
    command = installed["bin"] / "cetakbiru"
    version = _run(command, "--version", cwd=tmp_path)
    assert (version.returncode, version.stdout) == (0, f"cetakbiru {cetakbiru.__version__}\n"), version.stderr
    where = _run(installed["bin"] / "python", "-c", "from cetakbiru import paths; print(paths.INSTALLED, paths.SHARE)",
                 cwd=tmp_path)
    assert where.stdout.split() == ["True", str(installed["site"] / "cetakbiru" / "_share")], where.stderr

    project = tmp_path / "proyek"
    (project / "cities").mkdir(parents=True)
    shutil.copy2(ROOT / "cities" / "tanjungpinang.yaml", project / "cities")
    checked = _run(command, "check", cwd=project)
    assert checked.returncode == 0, checked.stderr
    assert "Pemeriksaan selesai: 1 berkas kota, 0 galat" in checked.stderr

    usage = _run(command, "--help", cwd=project)
    assert usage.returncode == 0 and usage.stdout.startswith("penggunaan: cetakbiru")
    examples = re.findall(r"^  cetakbiru\S*(?: \S+)*  +(?=\S)", usage.stdout, re.M)
    assert len(examples) > 3 and len({len(e) for e in examples}) == 1  # the examples' columns kept
    assert "build.py" not in usage.stdout

    new = _run(command, "new", "kota-baru", "--nama", "Baru", cwd=project)
    assert new.returncode == 0, new.stderr
    assert new.stderr.startswith("Kerangka ditulis ke cities/kota-baru.yaml.")
    assert "lalu jalankan: cetakbiru check kota-baru" in new.stderr
    schema = _run(command, "schema", cwd=project)  # beside cities/, where the scaffold's modeline points
    assert schema.returncode == 0 and (project / "schema" / "masterplan.schema.json").is_file(), schema.stderr

    # CETAKBIRU_PROJECT: the project from anywhere
    elsewhere = _run(command, "check", "kota-baru", cwd=tmp_path, env={**_env(), "CETAKBIRU_PROJECT": str(project)})
    assert elsewhere.returncode == 0, elsewhere.stderr
    assert sorted(p.name for p in project.iterdir()) == ["cities", "schema"]


def test_installed_command_builds_books_and_names_a_missing_libreoffice(installed, tmp_path):
    command = installed["bin"] / "cetakbiru"
    (tmp_path / "cities").mkdir()
    shutil.copy2(ROOT / "cities" / "tanjungpinang.yaml", tmp_path / "cities")
    books = _run(command, "books", "--format", "pdf", cwd=tmp_path)
    assert books.returncode == 0, books.stderr
    pdfs = sorted(p.name for p in (tmp_path / "build" / "buku" / "tanjungpinang").glob("*.pdf"))
    assert len(pdfs) == 4 and all((tmp_path / "build" / "buku" / "tanjungpinang" / p).stat().st_size > 10_000
                                  for p in pdfs)

    # DOCX without LibreOffice (not on PATH): said at once, in Indonesian, with what to install
    no_office = _run(command, "books", "--format", "docx", cwd=tmp_path, env={**_env(), "PATH": str(installed["bin"])})
    assert no_office.returncode == 1
    assert "LibreOffice (soffice) dan python3-uno diperlukan" in no_office.stderr
    assert "apt-get install libreoffice-writer-nogui python3-uno" in no_office.stderr
    assert "Traceback" not in no_office.stderr
