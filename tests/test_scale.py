"""National scale (issue 10): the build's tasks on worker processes, progress, and one bad city
among many, which keeps its last published version while every other city publishes."""

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pypdf
import pytest
from conftest import FIXTURES, ROOT, check_paths, project_copy, run_cli, tree

from cetakbiru import books, pdf, pipeline, progress, tasks
from cetakbiru.problems import Abort


def city_text(name: str, kode: str, visi: str = "Kota yang Cerdas") -> str:
    """A small final city (tests/fixtures/minimal.yaml) with its own name, code and visi."""
    text = (FIXTURES / "minimal.yaml").read_text().replace("status: draf", "status: final")
    return (text.replace("nama: Contoh", f"nama: {name}").replace('"99.71"', f'"{kode}"')
            .replace("Kota Contoh yang Cerdas", visi))


def pdf_words(path) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in pypdf.PdfReader(path).pages)


# --- tasks on worker processes -----------------------------------------------------------------


def test_a_runner_of_two_runs_tasks_in_other_processes():
    with tasks.Runner(2) as runner:
        pids = {runner.submit(os.getpid).result() for _ in range(8)}
    assert os.getpid() not in pids and 1 <= len(pids) <= 2
    with tasks.Runner(1) as inline:
        assert inline.submit(os.getpid).result() == os.getpid()
        failed = inline.submit(int, "x")  # a task's error comes back in its future, as from a pool
        assert isinstance(failed.exception(), ValueError)


def test_workers_die_with_the_build(tmp_path):
    """A build killed outright (SIGKILL, no cleanup) leaves no worker process behind."""
    script = (
        "import sys, time\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from cetakbiru import tasks\n"
        "runner = tasks.Runner(2)\n"
        "futures = [runner.submit(time.sleep, 600) for _ in range(2)]\n"
        "time.sleep(3)\n"
        "print(*(p.pid for p in runner.pool._processes.values()), flush=True)\n"
        "time.sleep(600)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        workers = [int(p) for p in proc.stdout.readline().split()]
        assert len(workers) == 2 and all(_alive(p) for p in workers)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
    deadline = time.monotonic() + 20
    while any(_alive(p) for p in workers):
        assert time.monotonic() < deadline, f"workers outlived the build: {workers}"
        time.sleep(0.1)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture(scope="module")
def two_cities(tmp_path_factory):
    base = tmp_path_factory.mktemp("skala")
    (base / "cities").mkdir()
    for slug, name, kode in (("kota-contoh", "Contoh", "99.71"), ("kota-kedua", "Kedua", "99.72")):
        (base / "cities" / f"{slug}.yaml").write_text(city_text(name, kode))
    result = check_paths(*sorted((base / "cities").glob("*.yaml")))
    assert not result.errors
    return base, result.cities


def test_two_processes_build_exactly_what_one_builds(two_cities, tmp_path):
    _, cities = two_cities
    one = books.build(cities, ("docx", "pdf"), out_dir=tmp_path / "satu", jobs=1)
    two = books.build(cities, ("docx", "pdf"), out_dir=tmp_path / "dua", jobs=2)
    assert [(b.city, b.slug, b.fresh) for b in one] == [(b.city, b.slug, b.fresh) for b in two]
    assert len(one) == 8 and all(b.fresh for b in one)
    assert tree(tmp_path / "satu") == tree(tmp_path / "dua")  # content, without the tools' date stamps
    # beside the books, the version of the city they were built from
    for city in cities:
        assert (tmp_path / "dua" / city.slug / ".sumber" / f"{city.slug}.yaml").read_text() == city.path.read_text()
    again = books.build(cities, ("docx", "pdf"), out_dir=tmp_path / "dua", jobs=2)
    assert not any(b.fresh for b in again)


def test_a_city_whose_books_fail_keeps_its_books_and_stops_no_other(two_cities, tmp_path, monkeypatch):
    _, cities = two_cities
    out = tmp_path / "buku"
    books.build(cities, ("pdf",), out_dir=out)
    second = {p: p.read_bytes() for p in (out / "kota-kedua").rglob("*") if p.is_file()}
    real = pdf.build

    def failing(source, target, **kwargs):
        if "kota-kedua" in str(target):
            raise Abort("typst gagal (simulasi)")
        return real(source, target, **kwargs)

    monkeypatch.setattr(pdf, "build", failing)
    for city in cities:
        monkeypatch.setattr(city.plan.visi, "teks", "Kota yang Cerdas dan Berkelanjutan")
    built, failed = books.build_all(cities, ("pdf",), out_dir=out)
    assert list(failed) == ["kota-kedua"]
    assert "kota-kedua.yaml" in failed["kota-kedua"] and "typst gagal (simulasi)" in failed["kota-kedua"]
    assert {b.city for b in built} == {"kota-contoh"}
    assert "Berkelanjutan" in pdf_words(out / "kota-contoh" / "buku-2-masterplan.pdf")
    assert {p: p.read_bytes() for p in (out / "kota-kedua").rglob("*") if p.is_file()} == second
    with pytest.raises(Abort, match="kota-kedua"):  # books.build says it, after publishing the rest
        books.build(cities, ("pdf",), out_dir=out)


# --- one bad city among many, end to end -------------------------------------------------------


def test_a_broken_city_keeps_its_last_version_and_the_others_publish(tmp_path):
    root = project_copy(tmp_path)
    shutil.rmtree(root / "cities")
    cities = root / "cities"
    cities.mkdir()
    (cities / "kota-contoh.yaml").write_text(city_text("Contoh", "99.71"))
    (cities / "kota-kedua.yaml").write_text(city_text("Kedua", "99.72"))
    first = run_cli("-q", "--jobs", "2", root=root, cwd=root, timeout=600)
    assert first.returncode == 0, first.stdout + first.stderr
    buku, site = root / "build" / "buku", root / "site"
    before = {p: p.read_bytes() for p in (buku / "kota-kedua").rglob("*") if p.is_file()}
    page = site / "daerah" / "kota-kedua" / "index.html"
    assert "Kota yang Cerdas" in page.read_text()

    # kota-kedua breaks, kota-contoh changes, kota-baru arrives broken
    (cities / "kota-kedua.yaml").write_text(city_text("Kedua", "99.72", visi="Visi Baru").replace(
        "jenis: kota", "jenis: kotaX"))
    (cities / "kota-contoh.yaml").write_text(city_text("Contoh", "99.71", visi="Kota yang Cerdas dan Hijau"))
    (cities / "kota-baru.yaml").write_text("daerah: [\n")
    done = run_cli("--jobs", "2", root=root, cwd=root, timeout=600)
    said = done.stdout + done.stderr
    assert done.returncode == 1, said
    assert "cities/kota-kedua.yaml:7:" in said and "cities/kota-baru.yaml:" in said
    assert "- kota-kedua: tidak lolos pemeriksaan; versi terakhir yang terbit dipertahankan." in said
    assert "- kota-baru: tidak lolos pemeriksaan; belum ada versi yang terbit" in said
    assert "Traceback" not in said
    # the broken city: the same books, and its pages still there, from its last good version
    assert {p: p.read_bytes() for p in (buku / "kota-kedua").rglob("*") if p.is_file()} == before
    assert "Kota yang Cerdas" in page.read_text() and "Visi Baru" not in page.read_text()
    assert not (site / "daerah" / "kota-baru").exists()
    # the other city published
    assert "Kota yang Cerdas dan Hijau" in pdf_words(buku / "kota-contoh" / "buku-2-masterplan.pdf")
    assert "Kota yang Cerdas dan Hijau" in (site / "daerah" / "kota-contoh" / "index.html").read_text()

    # --strict: all or nothing, as before
    (cities / "kota-contoh.yaml").write_text(city_text("Contoh", "99.71", visi="Kota yang Cerdas dan Biru"))
    published = {p: p.read_bytes() for p in buku.rglob("*") if p.is_file()}
    strict = run_cli("--strict", "-j", "2", root=root, cwd=root, timeout=600)
    assert strict.returncode == 1 and "Situs tidak dibuat karena masih ada galat (--strict)." in strict.stderr
    assert {p: p.read_bytes() for p in buku.rglob("*") if p.is_file()} == published
    assert "Kota yang Cerdas dan Hijau" in (site / "daerah" / "kota-contoh" / "index.html").read_text()


# --- progress ----------------------------------------------------------------------------------


def test_progress_in_plain_lines_says_cities_rate_time_left_and_failures():
    stream = io.StringIO()
    shown = progress.Lines(stream, every=0)
    shown.begin(3)
    shown.book("kota-a", "Buku II Masterplan", fresh=True)
    shown.city("kota-a", failed=None)
    shown.city("kota-b", failed="kota-b.yaml: galat")
    shown.city("kota-c", failed=None)
    shown.end()
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("Buku: 1/3 kota, ") and "buku/detik, sisa ±" in lines[0]
    assert lines[0].endswith(" 0 gagal.")
    assert lines[1].startswith("Buku kota-b gagal dibuat (2/3 kota,") and lines[1].endswith("1 gagal).")
    assert len(lines) == 2  # the last city is said by the summary that follows, not by a progress line
    assert isinstance(progress.for_stream(io.StringIO(), quiet=True), progress.Silent)
    assert type(progress.for_stream(io.StringIO())) is progress.Lines  # not a terminal: plain lines


# --- nothing changed: nothing done (manifest.py) -------------------------------------------------


def stamps(folder):
    return {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def small_project(tmp_path):
    cities = tmp_path / "cities"
    cities.mkdir()
    (cities / "kota-contoh.yaml").write_text(city_text("Contoh", "99.71"))
    (cities / "kota-kedua").mkdir()
    (cities / "kota-kedua" / "catatan.txt").write_text("bukan gambar, tetapi tetap masukan")
    (cities / "kota-kedua.yaml").write_text(city_text("Kedua", "99.72"))
    out = tmp_path / "build" / "buku"

    def build(**options):
        options = {"site": False, "formats": ("pdf",), **options}
        return pipeline.build(cities_dir=cities, books_dir=out, site_dir=tmp_path / "site", **options)

    first = build()
    assert first.ok and not first.unchanged and len(first.books) == 8
    return {"cities": cities, "out": out, "build": build, "tmp": tmp_path}


def test_nothing_changed_means_nothing_checked_built_or_published(small_project, monkeypatch):
    out, build = small_project["out"], small_project["build"]
    before = stamps(out.parent)
    monkeypatch.setattr(pipeline, "check", lambda *a, **k: pytest.fail("checked although nothing changed"))
    said = []
    again = build(say=said.append)
    assert again.ok and again.unchanged and not again.books
    assert said == ["Tidak ada yang berubah sejak build terakhir (2 kota): buku tetap seperti adanya."]
    assert stamps(out.parent) == before


@pytest.mark.parametrize("change", ["city-byte", "city-folder", "new-city", "removed-city", "format", "strict",
                                    "shared", "published-touched", "published-removed", "other-build"])
def test_every_kind_of_change_runs_the_build(small_project, monkeypatch, change):
    from cetakbiru import manifest, publish

    cities, out, build = small_project["cities"], small_project["out"], small_project["build"]
    options = {}
    if change == "city-byte":  # a comment: the books come out the same, but the city must be checked again
        (cities / "kota-contoh.yaml").write_text(city_text("Contoh", "99.71") + "# catatan\n")
    elif change == "city-folder":
        (cities / "kota-kedua" / "catatan.txt").write_text("diubah")
    elif change == "new-city":
        (cities / "kota-ketiga.yaml").write_text(city_text("Ketiga", "99.73"))
    elif change == "removed-city":
        (cities / "kota-kedua.yaml").unlink()
    elif change == "format":
        options["formats"] = ("pdf", "docx")
    elif change == "strict":
        options["strict"] = True
    elif change == "shared":  # a template of the books (SHARE is the checkout: a copy stands in for it)
        share = small_project["tmp"] / "share"
        shutil.copytree(ROOT / "templates", share / "templates")
        monkeypatch.setattr(manifest, "SHARE", share)
        monkeypatch.setattr(manifest, "SHARED", ["templates"])
        build()  # recorded with the copy
        page = next((share / "templates").rglob("*.j2"))
        page.write_text(page.read_text() + "\n")
    elif change == "published-touched":
        book = next(out.glob("kota-contoh/*.pdf"))
        os.utime(book, ns=(0, 0))
    elif change == "published-removed":
        next(out.glob("kota-contoh/*.pdf")).unlink()
    elif change == "other-build":  # another build published a version since: what it recorded is not ours
        staging = publish.stage(out)
        publish.link_tree(publish.current(out), staging)
        publish.commit(out, staging)
    checks = []
    real = pipeline.check
    monkeypatch.setattr(pipeline, "check", lambda *a, **k: checks.append(1) or real(*a, **k))
    again = build(**options)
    assert checks and not again.unchanged, change
    if change == "published-removed":  # and it heals: the missing book is made again
        assert again.ok and len(list(out.glob("kota-contoh/*.pdf"))) == 4
    if change == "strict":  # the fixture's warnings fail it: nothing built, nothing recorded
        assert not again.ok and not build(**options).unchanged
    else:
        assert again.ok and build(**options).unchanged  # and then it is recorded again


def test_unusual_inputs_are_not_hashed_but_checked(small_project):
    """A FIFO named like a city is never opened for hashing (it would block): the build runs
    and the check says what it is; no record is written while a city fails."""
    from cetakbiru import manifest

    cities, build = small_project["cities"], small_project["build"]
    os.mkfifo(cities / "kota-pipa.yaml")
    said = []
    result = build(say=said.append)
    assert not result.unchanged and not result.ok and "kota-pipa" in result.failed
    assert any("kota-pipa.yaml" in line for line in said)
    assert json.loads(manifest.record_path(small_project["out"]).read_text()) == {}
    assert not build().unchanged


def test_the_site_is_part_of_what_must_be_unchanged(small_project):
    site = small_project["tmp"] / "site"

    def build():
        return small_project["build"](site=True, formats=("pdf", "docx"))

    assert not build().unchanged  # the books were recorded without a site
    assert build().unchanged
    books_alone = small_project["build"](formats=("pdf", "docx"))  # another kind of build: its own entry
    assert not books_alone.unchanged and not any(b.fresh for b in books_alone.books)
    assert small_project["build"](formats=("pdf", "docx")).unchanged and build().unchanged  # both kept
    page = site / "daerah" / "kota-kedua" / "index.html"
    page.write_text(page.read_text().replace("Kedua", "Diubah"))
    again = build()
    assert not again.unchanged and again.ok and "Diubah" not in page.read_text()
