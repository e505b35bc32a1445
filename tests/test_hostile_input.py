"""Hostile input: city files come from many hands, so no file may crash, hang, or mislead `check`.

Each fixture under fixtures/hostile/ is a small city with one planted attack; the lines
`# galat: LINE:COL: path: message` at its end are the errors `check` must print, no more, no less
(the same convention as fixtures/errors/). Attacks that need the file system (links, pipes,
devices, folders, huge files) are built under tmp_path here. Wherever a regression could hang or
eat the memory, `check` runs in a child process with a timeout, so the test fails instead.
"""

import errno
import importlib.util
import os
import re
import resource
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, assert_pinned_errors, check_paths, expected_errors, run_cli

from cetakbiru import cli, load, pipeline
from cetakbiru.problems import Report, display_name

HOSTILE_FIXTURES = sorted((FIXTURES / "hostile").glob("*.yaml"))
MINIMAL = FIXTURES / "minimal.yaml"
SYMLINK = "berkas kota adalah tautan simbolik; simpan berkas kota sebagai berkas biasa di cities/"


def not_regular(kind):
    return f"berkas kota bukan berkas biasa melainkan {kind}; simpan berkas kota sebagai berkas biasa di cities/"


def located(path, message, line=1, col=1):
    return f"{display_name(str(path))}:{line}:{col}: {message}"


def no_traceback(done):
    assert "Traceback" not in done.stdout + done.stderr, done.stderr[-2000:]


# --- the corpus -------------------------------------------------------------------------------

def test_there_is_a_fixture_per_kind_of_attack():
    assert len(HOSTILE_FIXTURES) >= 36


@pytest.mark.parametrize("path", HOSTILE_FIXTURES, ids=lambda p: p.stem)
def test_hostile_fixture_message_and_position(path):
    assert not assert_pinned_errors(path).cities


def test_messages_never_carry_the_hidden_characters():
    """A message that quoted a bidi control or an ANSI escape would reorder or recolour the terminal."""
    for path in HOSTILE_FIXTURES:
        for problem in check_paths(path).problems:
            text = str(problem)
            assert not any(c in text for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200f\x1b\x00")


def test_the_cli_reports_the_corpus_without_traceback():
    done = run_cli("check", *(str(p.relative_to(ROOT)) for p in HOSTILE_FIXTURES), timeout=60)
    assert done.returncode == 1
    no_traceback(done)
    for path in HOSTILE_FIXTURES:
        for line in expected_errors(path):
            assert line in done.stderr
    assert done.stderr.splitlines()[-1].endswith(f"({len(HOSTILE_FIXTURES)} berkas kota diperiksa).")


# --- files that are not regular files -----------------------------------------------------------

@pytest.fixture
def cities(tmp_path):
    """A cities/ folder holding one good city."""
    folder = tmp_path / "cities"
    folder.mkdir()
    (folder / "kota-baik.yaml").write_text(MINIMAL.read_text())
    return folder


def only_errors(result, path):
    shown = display_name(str(path))
    return [str(p) for p in result.errors if p.file == shown]


def test_symlink_to_another_city_is_refused_and_not_published(cities):
    link = cities / "kota-tiruan.yaml"
    link.symlink_to("kota-baik.yaml")
    result = pipeline.check(cities_dir=cities)
    assert result.files == 2
    assert [c.slug for c in result.cities] == ["kota-baik"]
    assert only_errors(result, link) == [located(link, SYMLINK)]


def test_symlink_named_on_the_command_line_is_refused(cities):
    link = cities / "kota-tiruan.yaml"
    link.symlink_to(cities / "kota-baik.yaml")
    result = check_paths(link)
    assert [str(p) for p in result.errors] == [located(link, SYMLINK)]
    assert result.cities == []


def test_dangling_symlink_is_a_symlink_not_a_missing_city(cities):
    link = cities / "kota-hilang.yaml"
    link.symlink_to(cities / "tidak-ada.yaml")
    assert [str(p) for p in check_paths(link).errors] == [located(link, SYMLINK)]


def test_refused_symlink_never_quotes_its_target_or_content(cities, tmp_path):
    secret = tmp_path / "SANDI-RAHASIA-42.txt"
    secret.write_text("token: SANDI-RAHASIA-42\n")
    link = cities / "kota-bocor.yaml"
    link.symlink_to(secret)
    done = run_cli("check", str(link), timeout=30)
    assert done.returncode == 1
    assert "SANDI-RAHASIA" not in done.stderr + done.stdout
    assert SYMLINK in done.stderr


def test_symlink_to_dev_zero_is_refused_without_reading(cities):
    """It used to read 2.6 GB and end in a MemoryError traceback."""
    link = cities / "kota-nol.yaml"
    link.symlink_to("/dev/zero")
    done = run_cli("check", str(link), timeout=30)
    assert done.returncode == 1
    no_traceback(done)
    assert located(link, SYMLINK) in done.stderr


def test_fifo_is_refused_without_blocking(cities):
    """Opening a named pipe for reading waits for a writer: `check` used to hang forever."""
    fifo = cities / "kota-pipa.yaml"
    os.mkfifo(fifo)
    done = run_cli("check", str(fifo), str(cities / "kota-baik.yaml"), timeout=30)
    assert done.returncode == 1
    no_traceback(done)
    assert located(fifo, not_regular("pipa bernama (FIFO)")) in done.stderr
    assert "(2 berkas kota diperiksa)" in done.stderr


def test_device_is_refused(cities):
    device = cities / "kota-perangkat.yaml"
    try:
        os.mknod(device, stat.S_IFCHR | 0o600, os.makedev(1, 5))  # /dev/zero's numbers
    except (PermissionError, OSError):
        pytest.skip("creating a device node needs CAP_MKNOD")
    done = run_cli("check", str(device), timeout=30)
    assert done.returncode == 1
    no_traceback(done)
    assert located(device, not_regular("perangkat karakter")) in done.stderr


def test_folder_named_yaml_is_refused(cities):
    folder = cities / "kota-folder.yaml"
    folder.mkdir()
    result = pipeline.check(cities_dir=cities)
    assert only_errors(result, folder) == [located(folder, not_regular("folder"))]
    assert [c.slug for c in result.cities] == ["kota-baik"]


def test_refused_files_do_not_stop_the_other_cities(cities):
    """Every city of the folder, as `python build.py check` walks cities/; in a child process,
    since a regression would block on the pipe or read /dev/zero until the memory runs out."""
    (cities / "kota-tautan.yaml").symlink_to("kota-baik.yaml")
    (cities / "kota-folder.yaml").mkdir()
    os.mkfifo(cities / "kota-pipa.yaml")
    (cities / "kota-nol.yaml").symlink_to("/dev/zero")
    (cities / "kota-kedua.yaml").write_text(MINIMAL.read_text())
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
            "from pathlib import Path\nfrom cetakbiru import pipeline\n"
            f"result = pipeline.check(cities_dir=Path({str(cities)!r}))\n"
            "print(result.files, *sorted(c.slug for c in result.cities))\n"
            "for p in result.errors: print(p)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    no_traceback(done)
    summary, *errors = done.stdout.splitlines()
    assert summary == "6 kota-baik kota-kedua"
    assert errors == [
        located(cities / "kota-folder.yaml", not_regular("folder")),
        located(cities / "kota-nol.yaml", SYMLINK),
        located(cities / "kota-pipa.yaml", not_regular("pipa bernama (FIFO)")),
        located(cities / "kota-tautan.yaml", SYMLINK),
    ]


def test_unreadable_path_is_a_located_message(cities):
    path = cities / "kota-baik.yaml" / "kota.yaml"  # under a regular file: ENOTDIR, even for root
    report = Report("kota.yaml")
    assert load.read_text(path, report) is None
    assert [str(p) for p in report.errors] == [
        "kota.yaml:1:1: berkas tidak dapat dibaca: salah satu bagian jalurnya bukan folder (ENOTDIR)"]


# Root passes every permission check; without these two capabilities it is held to them like anyone.
AS_USER = (["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]
           if hasattr(os, "geteuid") and os.geteuid() == 0 else [])


def run_cli_as_user(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CETAKBIRU_NO_VENV": "1"}
    return subprocess.run([*AS_USER, sys.executable, str(ROOT / "build.py"), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


def test_file_without_read_permission_is_a_located_message(cities):
    path = cities / "kota-baik.yaml"
    path.chmod(0)
    done = run_cli_as_user("check", str(path))
    assert done.returncode == 1
    no_traceback(done)
    assert f"{display_name(str(path))}:1:1: berkas tidak dapat dibaca: izin ditolak (EACCES)" in done.stderr


# --- the size limit applies to what is read -----------------------------------------------------

def test_limit_applies_to_what_is_read_not_to_what_stat_says(tmp_path, monkeypatch):
    """A file that grows after fstat (or a /proc-like file whose size reads 0) is still bounded."""
    monkeypatch.setattr(load, "MAX_BYTES", 100)
    path = tmp_path / "kota-tumbuh.yaml"
    path.write_text("a: " + "x" * 200 + "\n")
    real_fstat = os.fstat

    def shrunk(fd):
        st = real_fstat(fd)
        return os.stat_result((st.st_mode, *st[1:6], 0, *st[7:]))  # st_size = 0

    monkeypatch.setattr(load.os, "fstat", shrunk)
    report = Report("kota-tumbuh.yaml")
    assert load.read_text(path, report) is None
    assert [p.message for p in report.errors] == ["berkas terlalu besar (lebih dari 100 byte)"]


@pytest.mark.parametrize("size, refused", [(100, False), (101, True)])
def test_size_limit_boundary(tmp_path, monkeypatch, size, refused):
    monkeypatch.setattr(load, "MAX_BYTES", 100)
    path = tmp_path / "kota-batas.yaml"
    path.write_text("a: " + "x" * (size - 4) + "\n")
    assert path.stat().st_size == size
    report = Report("kota-batas.yaml")
    assert (load.read_text(path, report) is None) == refused
    assert len(report.errors) == refused


def test_file_over_the_limit_is_refused_in_a_child_process(cities):
    big = cities / "kota-besar.yaml"
    with big.open("wb") as f:
        f.truncate(load.MAX_BYTES + 1)  # sparse: no disk used
    done = run_cli("check", str(big), timeout=30)
    assert done.returncode == 1
    no_traceback(done)
    assert located(big, f"berkas terlalu besar ({load.MAX_BYTES + 1} byte; batas {load.MAX_BYTES} byte)") in done.stderr


# --- generated at scale -------------------------------------------------------------------------

def _city_with(tmp_path, name, extra):
    path = tmp_path / f"{name}.yaml"
    path.write_text(MINIMAL.read_text() + extra)
    return path


def test_very_long_single_line_is_refused_as_one_message(tmp_path):
    path = _city_with(tmp_path, "kota-baris-panjang",
                      "pustaka:\n  - jenis: buku\n    judul: " + "Pustaka panjang sekali. " * 40_000 + "\n")
    result = check_paths(path)
    assert [(p.line, p.col, p.path, p.message) for p in result.errors] == [
        (51, 12, "pustaka[1].judul",
         "teks terlalu panjang: 959.999 karakter, padahal batasnya 20.000 karakter per kolom; ringkas teksnya")]


def test_unknown_keys_at_scale_each_get_one_message(tmp_path):
    n = 20_000
    path = _city_with(tmp_path, "kota-kolom-asing", "".join(f"kolom_asing_{i}: x\n" for i in range(n)))
    started = time.perf_counter()
    result = check_paths(path)
    assert time.perf_counter() - started < 10
    unknown = [p for p in result.errors if p.message.startswith("kolom tidak dikenal")]
    assert len(unknown) == len(result.errors) == n
    assert unknown[0].message == "kolom tidak dikenal 'kolom_asing_0'"


def test_misspelt_keys_at_scale_keep_their_suggestion(tmp_path):
    extra = "".join(f"  - kode: X{i}\n    singkatann: S\n    nama: N\n" for i in range(3000))
    text = MINIMAL.read_text().replace("opd:\n", "opd:\n" + extra, 1)
    path = tmp_path / "kota-salah-ketik.yaml"
    path.write_text(text)
    messages = {p.message for p in check_paths(path).errors}
    assert "kolom tidak dikenal 'singkatann' (maksudnya 'singkatan'?)" in messages  # cached: one look-up


def test_huge_key_count_in_one_mapping(tmp_path):
    keys = "".join(f"  S{i}: Singkatan {i}\n" for i in range(50_000))
    path = _city_with(tmp_path, "kota-singkatan", "singkatan:\n" + keys)
    result = check_paths(path)
    assert result.errors == []
    assert len(result.cities[0].plan.singkatan) == 50_000


def test_deep_nesting_in_a_child_process(tmp_path):
    """The C composer recursed without a limit: 40,000 '[' crashed the interpreter (exit 139)."""
    path = _city_with(tmp_path, "kota-dalam", "lampiran_x: " + "[" * 1_000_000 + "]" * 1_000_000 + "\n")
    done = run_cli("check", str(path), timeout=30)
    assert done.returncode == 1, done.returncode
    no_traceback(done)
    assert located(path, f"struktur YAML terlalu dalam (lebih dari {load.MAX_DEPTH} tingkat bersarang); berkas kota "
                   "hanya memerlukan beberapa tingkat", 49, 12 + load.MAX_DEPTH) in done.stderr


def test_billion_laughs_at_scale_is_not_expanded(tmp_path):
    levels = ["  l0: &l0 [" + ", ".join(["ha"] * 10) + "]\n"]
    levels += [f"  l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]\n" for i in range(1, 30)]
    path = _city_with(tmp_path, "kota-tawa", "lol:\n" + "".join(levels) + "pustaka: [*l29, *l29]\n")
    done = run_cli("check", str(path), timeout=30)
    assert done.returncode == 1
    no_traceback(done)
    assert "anchor YAML '&l29' tidak didukung" in done.stderr


# --- bounded work -------------------------------------------------------------------------------

def _bench():
    spec = importlib.util.spec_from_file_location("bench_check", ROOT / "bench" / "check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_file_built_to_be_slow_is_checked_in_seconds(tmp_path):
    """A hang guard with a generous bound, not a benchmark (bench/check.py measures): just under
    the 4 MB limit, thousands of references to missing codes among thousands of codes, unknown
    keys that each get a did-you-mean, nesting just inside the depth limit, long texts. The
    quadratic did-you-mean took minutes on a third of this. The bound is on the child's CPU time,
    so a busy machine does not fail it; the timeout turns a hang into a failure. It is about 7 s
    (YAML composition alone is 6.5 s) and measured 12.9 s once on a loaded CI machine: 30 s keeps
    it a guard against minutes, not a flaky benchmark."""
    path = tmp_path / "kota-lambat.yaml"
    path.write_text(_bench().hostile_city(), encoding="utf-8")
    assert load.MAX_BYTES - 128 * 1024 < path.stat().st_size <= load.MAX_BYTES
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        done = run_cli("check", str(path), timeout=120)
    except subprocess.TimeoutExpired:
        pytest.fail("check did not finish in 120 s on a 4 MB hostile file")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert cpu < 30, f"check used {cpu:.1f} s of CPU on a 4 MB hostile file"
    assert done.returncode == 1
    no_traceback(done)
    assert done.stderr.splitlines()[-1].startswith("Gagal: ")
    assert "(maksudnya '" in done.stderr


@pytest.mark.parametrize("pattern", ["![", "- a\n", "a\n\n", "*a_"])
def test_a_file_of_slow_markdown_is_checked_in_seconds(tmp_path, pattern):
    """markdown-it-py is slow on some text (about 25 µs per '['): a file full of it stops at the
    file's Markdown budget with a located message instead of taking minutes."""
    block = "".join("      " + line + "\n" if line else "\n" for line in (pattern * (9000 // len(pattern))).split("\n"))
    program = ("  - kode: SG-P{i:04d}\n    nama: Program\n    strategi: SG-S1\n    jangka: menengah\n"
               "    tahun_mulai: 2025\n    tahun_selesai: 2029\n    opd_pj: DISKOMINFO\n    deskripsi: |\n")
    head = MINIMAL.read_text(encoding="utf-8").split("program:\n")[0]
    items, size = [], len(head)
    while size < load.MAX_BYTES - 256 * 1024:
        item = program.format(i=len(items)) + block
        items.append(item)
        size += len(item)
    path = tmp_path / "kota-markdown.yaml"
    path.write_text(head + "program:\n" + "".join(items), encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = run_cli("check", str(path), timeout=120)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert cpu < 30, f"check used {cpu:.1f} s of CPU on a 4 MB file of {pattern!r}"
    no_traceback(done)
    assert re.search(r"kota-markdown\.yaml:\d+:\d+: program\[\d+\]\.deskripsi: teks berformat di berkas ini terlalu "
                     r"panjang", done.stderr)


def test_suggestions_are_cached_and_bounded():
    from cetakbiru.validate import _Suggest

    suggest = _Suggest(budget=12_000)
    codes = {f"SG-P{i:05d}": None for i in range(5000)}
    assert suggest("SG-P0000l", codes, key="program").startswith(" (maksudnya 'SG-P")
    assert suggest.left == 7000
    suggest("SG-P0000l", codes, key="program")
    assert suggest.left == 7000  # the same word in the same list is looked up once
    suggest("SG-P0000x", codes, key="program")
    assert suggest.left == 2000
    assert suggest("SG-P0000y", codes, key="program") == ""  # over budget: no suggestion, no work
    assert suggest.left == 2000
    assert suggest("kegiatn", ["kegiatan", "indikator"], key="RencanaAksi") == " (maksudnya 'kegiatan'?)"


# --- failures of the machine are messages ---------------------------------------------------------

def test_output_under_a_regular_file_is_a_message(tmp_path):
    """Works as root too, where a read-only folder (chmod) would not stop the write."""
    blocker = tmp_path / "berkas"
    blocker.write_text("bukan folder\n")
    out = blocker / "skema.json"
    done = run_cli("schema", "--keluaran", str(out), timeout=60)
    assert done.returncode == 1
    no_traceback(done)
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"Gagal: {display_name(str(blocker))}: sudah ada sebagai berkas, padahal di sini "
                           "diperlukan folder (EEXIST).")
    assert "pindahkan atau ganti nama berkas itu" in line


def test_read_only_output_folder_is_a_message(tmp_path):
    folder = tmp_path / "hanya-baca"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        done = run_cli_as_user("schema", "--keluaran", str(folder / "skema.json"))
    finally:
        folder.chmod(0o700)
    assert done.returncode == 1
    no_traceback(done)
    assert "izin ditolak (EACCES)" in done.stderr
    assert display_name(str(folder / "skema.json")) in done.stderr


def test_disk_full_names_the_file(tmp_path, monkeypatch, capsys):
    out = tmp_path / "skema.json"

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))

    monkeypatch.setattr(Path, "write_text", full)
    assert cli.main(["schema", "--keluaran", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"Gagal: {display_name(str(out))}.tmp: ruang disk penuh (ENOSPC). Kosongkan ruang disk")
    assert "Traceback" not in err


def test_disk_full_without_a_file_name_names_the_output(tmp_path, monkeypatch, capsys):
    """A failed write() carries no file name: the message names where the command writes."""
    out = tmp_path / "skema.json"

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(Path, "write_text", full)
    assert cli.main(["schema", "--keluaran", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"Gagal: ruang disk penuh (ENOSPC) saat menulis ke {display_name(str(out))}. ")


def test_read_only_file_system_is_a_message(monkeypatch, capsys):
    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), "build/buku/kota/buku.pdf")

    monkeypatch.setattr(pipeline, "check", read_only)
    assert cli.main(["books"]) == 1
    err = capsys.readouterr().err
    assert err == ("Gagal: build/buku/kota/buku.pdf: sistem berkas hanya dapat dibaca (EROFS). "
                   "Jalankan perintah ini dari salinan proyek di folder yang dapat ditulisi.\n")


def test_unexpected_error_is_a_message_not_a_traceback(monkeypatch, capsys):
    def bug(*args, **kwargs):
        raise RuntimeError("rincian internal")

    monkeypatch.setattr(pipeline, "check", bug)
    monkeypatch.delenv("CETAKBIRU_DEBUG", raising=False)
    assert cli.main(["check"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Galat internal: pekerjaan berhenti karena RuntimeError yang tidak terduga; "
                          "ini kesalahan program")
    assert "Laporkan kepada pengelola Cetak Biru" in err
    assert "Traceback" not in err


def test_debug_shows_the_traceback(monkeypatch, capsys):
    def bug(*args, **kwargs):
        raise RuntimeError("rincian internal")

    monkeypatch.setattr(pipeline, "check", bug)
    monkeypatch.setenv("CETAKBIRU_DEBUG", "1")
    assert cli.main(["check"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err and "rincian internal" in err


def test_keyboard_interrupt_is_unchanged(monkeypatch, capsys):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "check", interrupted)
    assert cli.main(["check"]) == 130
    assert capsys.readouterr().err == "Dibatalkan.\n"


def test_unexpected_error_in_a_child_process(tmp_path):
    """The whole path a user sees: `python build.py`, an exception deep inside, one message."""
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r}); from cetakbiru import cli, pipeline\n"
            "def bug(*a, **k): raise ValueError('x')\n"
            "pipeline.check = bug\nsys.exit(cli.main(['check']))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 1
    no_traceback(done)
    assert "ValueError" in done.stderr
