"""`build.py serve`: a live preview that rebuilds when a content page, city or template changes."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

from conftest import project_copy


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def fetch(url: str):
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode()
    except OSError:
        return None


def test_serve_rebuilds_when_a_page_changes(tmp_path):
    root = project_copy(tmp_path)  # serve writes build/ and site beside the project: a copy of it
    port = free_port()
    env = {**os.environ, "CETAKBIRU_NO_VENV": "1"}
    proc = subprocess.Popen([sys.executable, str(root / "build.py"), "serve", "--port", str(port)], cwd=root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}/"
    page = root / "content" / "tentang.md"
    stat = page.stat()
    try:
        first = wait_for(lambda: fetch(base + ".versi-build"), 600, "the first build")
        assert "Tanjungpinang" in fetch(base)
        assert "muat-ulang.js" in fetch(base)  # the page reloads itself in preview only
        page.write_text(page.read_text(encoding="utf-8") + "\nDiubah saat pratinjau.\n", encoding="utf-8")
        os.utime(page, (stat.st_atime, stat.st_mtime + 5))  # a new time, whatever the clock's resolution
        wait_for(lambda: (fetch(base + ".versi-build") or first) != first, 300, "the rebuild")
        assert "Diubah saat pratinjau." in fetch(base + "tentang/")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        output = proc.stdout.read()
        proc.stdout.close()
    assert "Situs diperbarui" in output
