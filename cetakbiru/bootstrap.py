"""Set up the project's own virtual environment on first use, with only the standard library.

`python3 build.py` and `python3 test.py` call `ensure()` first: it creates `.venv`, installs the
pinned requirements when they changed, and re-runs the command inside the venv. Set
CETAKBIRU_NO_VENV=1 to use the current interpreter as it is.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / "cetakbiru-requirements.json"


def _python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _digest(req: Path) -> str:
    """Hash of a requirements file and the files it includes with -r."""
    h = hashlib.sha256(req.read_bytes())
    for line in req.read_text().splitlines():
        if line.startswith("-r "):
            h.update(_digest(req.parent / line[3:].strip()).encode())
    return h.hexdigest()


def _fail(message: str) -> None:
    print(message, file=sys.stderr)
    sys.exit(1)


# Debian packages the books need: LibreOffice lays out the DOCX to fill its lists (with its
# Python bridge), poppler renders PDF pages for tests, Liberation fonts stand in for Arial.
SYSTEM_PACKAGES = {
    "libreoffice-writer-nogui": lambda: shutil.which("soffice") is not None,
    "python3-uno": lambda: subprocess.run(["/usr/bin/python3", "-c", "import uno"], capture_output=True).returncode == 0
    if Path("/usr/bin/python3").exists() else False,
    "poppler-utils": lambda: shutil.which("pdftoppm") is not None,
    "fonts-liberation2": lambda: Path("/usr/share/fonts/truetype/liberation2").is_dir(),
}


# The browser tests drive Debian's Chromium through Playwright (its own browser download is blocked);
# the tests run in a network namespace of their own (unshare from util-linux, ip from iproute2).
TEST_PACKAGES = {
    "chromium": lambda: Path("/usr/bin/chromium").exists(),
    "iproute2": lambda: shutil.which("ip") is not None,
    "util-linux": lambda: shutil.which("unshare") is not None,
}


def ensure_system(packages: dict | None = None) -> None:
    """Install the Debian packages above when missing (as root), or say how to."""
    missing = [name for name, present in (packages or SYSTEM_PACKAGES).items() if not present()]
    if not missing:
        return
    command = ["apt-get", "install", "-y", "-q", "--no-install-recommends", *missing]
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"Memasang paket sistem: {' '.join(missing)}...", file=sys.stderr)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], env=env)
        if subprocess.run(command, env=env, stdout=subprocess.DEVNULL).returncode == 0:
            return
    _fail(f"Paket sistem belum terpasang: {' '.join(missing)}. Pasang dengan: sudo {' '.join(command)}")


def ensure(requirements: str, *, system: bool = False, tests: bool = False) -> None:
    if system or tests:
        ensure_system({**SYSTEM_PACKAGES, **(TEST_PACKAGES if tests else {})})
    if os.environ.get("CETAKBIRU_NO_VENV"):
        return
    req = ROOT / requirements
    stamp = json.loads(STAMP.read_text()) if STAMP.is_file() else {}
    inside = Path(sys.prefix).resolve() == VENV.resolve()
    if inside and stamp.get(requirements) == _digest(req):
        return
    if sys.version_info < (3, 11):  # noqa: UP036 - build.py and test.py start this with any python3
        _fail("Cetak Biru memerlukan Python 3.11 atau lebih baru.")
    if not _python().exists():
        print("Menyiapkan lingkungan Python di .venv (sekali saja)...", file=sys.stderr)
        done = subprocess.run([sys.executable, "-m", "venv", str(VENV)])
        if done.returncode != 0:
            _fail("Gagal membuat .venv. Di Debian/Ubuntu pasang dulu paket python3-venv.")
    if stamp.get(requirements) != _digest(req):
        print(f"Memasang dependensi dari {requirements}...", file=sys.stderr)
        cmd = [str(_python()), "-m", "pip", "install", "--disable-pip-version-check", "-q", "-r", str(req)]
        if subprocess.run(cmd).returncode != 0:
            _fail(f"Gagal memasang dependensi dari {requirements}; periksa koneksi ke PyPI lalu ulangi.")
        stamp[requirements] = _digest(req)
        STAMP.write_text(json.dumps(stamp, indent=1))
    if not inside:
        os.execv(str(_python()), [str(_python()), *sys.argv])
