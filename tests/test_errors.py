"""Every kind of authoring mistake: its exact message, at its exact position.

Each fixture under fixtures/errors/ is a small city with one planted mistake; the lines
`# galat: LINE:COL: path: message` at its end are the errors `check` must print, no more, no less.
"""

import re

import pytest
from conftest import FIXTURES, assert_pinned_errors, check_paths, expected_errors, run_cli

from cetakbiru.problems import display_name

ERROR_FIXTURES = sorted((FIXTURES / "errors").glob("*.yaml")) + [FIXTURES / "lima-kesalahan.yaml"]


def test_there_is_a_fixture_per_kind_of_mistake():
    assert len(ERROR_FIXTURES) >= 30


@pytest.mark.parametrize("path", ERROR_FIXTURES, ids=lambda p: p.stem)
def test_error_message_and_position(path):
    assert_pinned_errors(path)


def test_minimal_city_has_no_errors():
    result = check_paths(FIXTURES / "minimal.yaml")
    assert result.errors == []
    assert result.warnings  # the minimal city leaves five dimensions empty


def test_five_planted_mistakes_give_five_located_messages_and_exit_1():
    path = FIXTURES / "lima-kesalahan.yaml"
    done = run_cli("check", str(path.relative_to(FIXTURES.parent.parent)))
    assert done.returncode == 1
    located = [line for line in done.stderr.splitlines()
               if re.match(r"^tests/fixtures/lima-kesalahan\.yaml:\d+:\d+: ", line)]
    errors = [line for line in located if ": peringatan: " not in line]
    assert errors == expected_errors(path)
    assert len(errors) == 5
    assert "Traceback" not in done.stderr + done.stdout
    assert done.stderr.splitlines()[-1].startswith("Gagal: 5 galat, ")


def test_all_files_are_reported_in_one_run():
    paths = [FIXTURES / "errors" / "kunci-ganda.yaml", FIXTURES / "errors" / "sintaks-tab.yaml",
             FIXTURES / "minimal.yaml"]
    result = check_paths(*paths)
    assert {p.file for p in result.errors} == {display_name(str(p)) for p in paths[:2]}
    assert result.files == 3


def test_not_utf8_is_located(tmp_path):
    path = tmp_path / "kota-latin1.yaml"
    path.write_bytes("dokumen:\n  tempat: Bogor\n  judul: Caf\xe9\n".encode("latin-1"))
    (error,) = check_paths(path).errors
    assert (error.line, error.col, error.message) == (3, 13, "berkas bukan teks UTF-8; simpan ulang sebagai UTF-8")


@pytest.mark.parametrize(
    "text, line, col, message",
    [
        ("", 1, 1, "berkas kosong"),
        ("# hanya komentar\n", 1, 1, "berkas kosong"),
        ("---\n", 1, 1, "berkas kosong"),  # an explicit empty document passed `check` silently
        ("~\n", 1, 1, "berkas kosong"),
        ("a: 1\n---\nb: 2\n", 2, 1, "berkas hanya boleh berisi satu dokumen YAML; hapus pemisah '---' tambahan "
                                    "(YAML: but found another document)"),
        ("- 1\n- 2\n", 1, 1, "harus berupa pemetaan (kunci: nilai), tertulis sebuah daftar"),
        ("---\n- 1\n", 2, 1, "harus berupa pemetaan (kunci: nilai), tertulis sebuah daftar"),
    ],
)
def test_whole_file_mistakes(tmp_path, text, line, col, message):
    """The whole message and where it points: the one error of the file, nothing after it."""
    path = tmp_path / "kota.yaml"
    path.write_text(text)
    result = check_paths(path)
    assert [str(p) for p in result.problems] == [f"{display_name(str(path))}:{line}:{col}: {message}"]
    assert result.cities == []


def test_oversized_file_is_refused_unread(tmp_path, monkeypatch):
    from cetakbiru import load
    from cetakbiru.problems import Report

    monkeypatch.setattr(load, "MAX_BYTES", 100)
    path = tmp_path / "besar.yaml"
    path.write_text("a: " + "x" * 200 + "\n")
    report = Report("besar.yaml")
    assert load.read_text(path, report) is None
    assert [p.message for p in report.errors] == ["berkas terlalu besar (204 byte; batas 100 byte)"]


def test_bad_file_name(tmp_path):
    path = tmp_path / "Kota Bogor.yaml"
    path.write_text((FIXTURES / "minimal.yaml").read_text())
    messages = [e.message for e in check_paths(path).errors]
    assert messages == ["nama berkas 'Kota Bogor.yaml' harus huruf kecil, angka, dan tanda hubung, "
                        "misalnya kota-contoh.yaml"]
