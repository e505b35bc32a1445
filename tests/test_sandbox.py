"""The tools cannot read or fetch beyond the book's own folder, even if hostile Markdown reached
them (it cannot: escape.py, the reader without raw formats, the Lua filter). Each test hands the
tools what the check and the escaping would never let through, and a canary server on 127.0.0.1
counts the requests."""

from __future__ import annotations

import os
import secrets
import socket
import threading
import zipfile

import pytest

from cetakbiru import pdf, sandbox
from cetakbiru.problems import Abort


def test_tests_run_with_the_network_denied():
    """`python3 test.py` runs pytest in a network namespace whose only interface is loopback."""
    assert os.environ.get("CETAKBIRU_OFFLINE") == "1", "run the tests with `python3 test.py`"
    assert [name for _, name in socket.if_nameindex()] == ["lo"]


@pytest.fixture
def canary():
    """A TCP listener on 127.0.0.1 that records the first bytes of every connection."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    seen: list[bytes] = []

    def serve():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            conn.settimeout(2)
            try:
                seen.append(conn.recv(200))
            except OSError:
                seen.append(b"")
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    yield server.getsockname()[1], seen
    server.close()


@pytest.fixture
def secret(tmp_path):
    marker = "RAHASIA-" + secrets.token_hex(8)
    path = tmp_path / "luar" / "rahasia.txt"
    path.parent.mkdir()
    path.write_text(marker + "\n")
    return path, marker


def _book(tmp_path, body: str):
    work = tmp_path / "buku"
    work.mkdir()
    source = work / "buku.md"
    source.write_text("---\ntitle: Uji\nlang: id-ID\n---\n\n" + body + "\n", encoding="utf-8")
    return source


def test_pandoc_reads_and_fetches_nothing_in_docx(tmp_path, canary, secret):
    port, seen = canary
    path, marker = secret
    source = _book(tmp_path, f"![a](file://{path}) ![b]({path}) ![c](../luar/rahasia.txt) "
                             f"![d](http://127.0.0.1:{port}/x.png) "
                             "`<w:p><w:r><w:t>MENTAH</w:t></w:r></w:p>`{=openxml}\n\n"
                             f"```{{=openxml}}\n<w:p><w:r><w:t>MENTAH</w:t></w:r></w:p>\n```\n\n"
                             f"[x](file://{path}) [y](javascript:alert(1)) <script>alert(2)</script>")
    out = tmp_path / "buku.docx"
    from cetakbiru.docx import PANDOC_DIR

    sandbox.pandoc(source, "docx", out, [f"--lua-filter={PANDOC_DIR / 'cetakbiru.lua'}"])
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        assert not [n for n in names if n.startswith("word/media/")]
        assert not any(marker.encode() in z.read(n) for n in names)
        document = z.read("word/document.xml").decode()
        rels = z.read("word/_rels/document.xml.rels").decode()
    assert "<w:t>MENTAH</w:t>" not in document  # raw OpenXML is text, not markup
    assert "file:" not in rels and "javascript:" not in rels
    assert seen == []


def test_pandoc_sandbox_alone_refuses_outside_files(tmp_path, canary, secret):
    """Without our filter too: --sandbox by itself embeds no outside file and fetches nothing."""
    port, seen = canary
    path, marker = secret
    source = _book(tmp_path, f"![a](file://{path}) ![b]({path}) ![c](http://127.0.0.1:{port}/x.png)")
    out = tmp_path / "polos.docx"
    sandbox.pandoc(source, "docx", out, [])
    with zipfile.ZipFile(out) as z:
        assert not any(marker.encode() in z.read(n) for n in z.namelist())
    assert seen == []


def test_pdf_reads_nothing_outside_the_book_folder(tmp_path, canary, secret):
    port, seen = canary
    path, marker = secret
    source = _book(tmp_path, f"![a](file://{path}) ![c](../luar/rahasia.txt) ![d](http://127.0.0.1:{port}/x.png) "
                             "`#read(\"../luar/rahasia.txt\")`{=typst}")
    out = tmp_path / "buku" / "buku.pdf"
    pdf.build(source, out, variables={"cb-color": "#1F4E79", "cb-author": "Uji"})
    assert marker.encode() not in out.read_bytes()
    assert seen == []


def test_typst_root_is_the_book_folder(tmp_path, secret):
    path, _ = secret
    work = tmp_path / "buku"
    work.mkdir()
    source = work / "a.typ"
    source.write_text('#read("../luar/rahasia.txt")\n', encoding="utf-8")
    with pytest.raises(Abort, match="Typst gagal"):
        sandbox.typst_pdf(source, work / "a.pdf", fonts=pdf.FONTS, standards=[])


def test_a_typst_package_import_goes_nowhere(tmp_path, canary, monkeypatch):
    """typst's download is pointed at our proxy for the compile: it never leaves the machine (here the
    proxy is the canary, so the attempt is visible; in a build it is a closed port)."""
    port, seen = canary
    monkeypatch.setattr(sandbox, "NO_NETWORK", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("NO_PROXY", "*")  # a proxy exception in the environment is ignored too
    source = tmp_path / "a.typ"
    source.write_text('#import "@preview/cetz:0.3.0": canvas\nhalo\n', encoding="utf-8")
    with pytest.raises(Abort, match="Typst gagal"):
        sandbox.typst_pdf(source, tmp_path / "a.pdf", fonts=pdf.FONTS, standards=[])
    assert seen and all(s.startswith(b"CONNECT packages.typst.org:443") for s in seen)
    assert os.environ.get("NO_PROXY") == "*"  # the environment is restored after the compile
    assert os.environ.get("HTTPS_PROXY") != f"http://127.0.0.1:{port}"



def test_typst_runs_in_a_helper_that_is_replaced_after_its_limit(tmp_path, monkeypatch):
    """typst never forgets what it compiled: its helper process ends after a few books (or too much
    memory) and the next compile starts a fresh one, leaving nothing open."""
    monkeypatch.setattr(sandbox, "COMPILES_PER_HELPER", 2)
    # the helper's own memory counts, not the peak of the (large) process that started it
    monkeypatch.setattr(sandbox, "HELPER_MEMORY", 200 * 1024 * 1024)
    ballast = b"x" * (250 * 1024 * 1024)  # noqa: F841  (resident while the helper starts)
    sandbox.close_typst()
    source = tmp_path / "a.typ"
    source.write_text("= Judul\nhalo\n", encoding="utf-8")
    pids = []
    for i in range(5):
        sandbox.typst_pdf(source, tmp_path / f"a{i}.pdf", fonts=pdf.FONTS, standards=[])
        assert (tmp_path / f"a{i}.pdf").read_bytes().startswith(b"%PDF")
        pids.append(sandbox._TYPST.proc.pid)
    assert os.getpid() not in pids
    assert [pids.index(p) for p in pids] == [0, 0, 2, 2, 4]  # two compiles per helper
    sandbox.close_typst()
    assert sandbox._TYPST.proc is None


def test_a_typst_compile_that_overruns_is_killed(tmp_path):
    source = tmp_path / "a.typ"
    source.write_text("#for i in range(4000) [#lorem(300) ]\n", encoding="utf-8")
    with pytest.raises(Abort, match="Typst tidak selesai dalam 0.5 detik"):
        sandbox.typst_pdf(source, tmp_path / "a.pdf", fonts=pdf.FONTS, standards=[], timeout=0.5)
    assert sandbox._TYPST.proc is None  # killed, not left computing
    small = tmp_path / "b.typ"
    small.write_text("halo\n", encoding="utf-8")
    sandbox.typst_pdf(small, tmp_path / "b.pdf", fonts=pdf.FONTS, standards=[])  # the next one starts afresh
