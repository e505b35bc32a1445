"""Warnings a reviewer would raise, and --strict turning them into failures.

Each fixture under fixtures/warnings/ is the minimal city with one planted doubt; the lines
`# peringatan: LINE:COL: path: message` at its end are the warnings `check` must print on top of
the minimal city's own, no more, no less, and the fixture has no error.
"""

import re

import pytest
from conftest import FIXTURES, check_paths, run_cli

WARNING_FIXTURES = sorted((FIXTURES / "warnings").glob("*.yaml"))


def warnings_of(path):
    return [(w.path, w.message) for w in check_paths(path).warnings]


def test_there_is_a_fixture_per_kind_of_doubt():
    assert len(WARNING_FIXTURES) >= 5


@pytest.mark.parametrize("path", WARNING_FIXTURES, ids=lambda p: p.stem)
def test_warning_message_and_position(path):
    expected = re.findall(r"^# peringatan: (.*)$", path.read_text(), re.M)
    assert expected, f"{path.name} declares no expected warning"
    minimal = set(warnings_of(FIXTURES / "minimal.yaml"))
    result = check_paths(path)
    assert [str(e) for e in result.errors] == []
    added = [f"{w.line}:{w.col}: {w.path}: {w.message}" for w in result.warnings if (w.path, w.message) not in minimal]
    assert added == expected


def test_minimal_city_warnings():
    assert warnings_of(FIXTURES / "minimal.yaml") == [
        ("quick_win", "dimensi SG (Smart Governance) belum memiliki quick win"),
        ("quick_win", "dimensi SB (Smart Branding) belum memiliki quick win"),
        ("quick_win", "dimensi SE (Smart Economy) belum memiliki quick win"),
        ("quick_win", "dimensi SL (Smart Living) belum memiliki quick win"),
        ("quick_win", "dimensi SS (Smart Society) belum memiliki quick win"),
        ("quick_win", "dimensi SEN (Smart Environment) belum memiliki quick win"),
        ("kesiapan", "elemen kesiapan 'struktur' belum dinilai"),
        ("kesiapan", "elemen kesiapan 'infrastruktur' belum dinilai"),
        ("kesiapan", "elemen kesiapan 'suprastruktur' belum dinilai"),
        ("dokumen.periode", "tahun 2027–2034 belum memiliki indikasi anggaran di rencana aksi mana pun, padahal "
                            "termasuk masa berlaku masterplan (2025–2034)"),
        ("program", "dimensi SB (Smart Branding) belum memiliki program"),
        ("program", "dimensi SE (Smart Economy) belum memiliki program"),
        ("program", "dimensi SL (Smart Living) belum memiliki program"),
        ("program", "dimensi SS (Smart Society) belum memiliki program"),
        ("program", "dimensi SEN (Smart Environment) belum memiliki program"),
    ]


def test_unused_misi_strategi_opd_and_program_without_actions(tmp_path):
    text = (FIXTURES / "minimal.yaml").read_text()
    text = text.replace("misi:\n", "misi:\n  - {kode: M9, teks: Misi tanpa strategi}\n", 1)
    text = text.replace("opd:\n", "opd:\n  - {kode: DISDIK, singkatan: Disdik, nama: Dinas Pendidikan}\n", 1)
    text = text.replace("strategi:\n",
                        "strategi:\n  - {kode: SG-S9, dimensi: SG, misi: M1, uraian: Strategi tanpa program}\n", 1)
    text = text.replace("rencana_aksi:\n", "  - {kode: SG-P09, nama: Tanpa aksi, strategi: SG-S1, jangka: pendek, "
                        "tahun_mulai: 2025, tahun_selesai: 2026, deskripsi: Belum ada kegiatan., opd_pj: DISKOMINFO}\n"
                        "rencana_aksi:\n", 1)
    path = tmp_path / "kota.yaml"
    path.write_text(text)
    found = warnings_of(path)
    for expected in [
        ("misi[1]", "misi M9 belum dijabarkan ke strategi mana pun"),
        ("opd[1]", "OPD DISDIK belum mendapat tugas (program, rencana aksi, atau quick win)"),
        ("strategi[1]", "strategi SG-S9 belum memiliki program"),
        ("program[2]", "program SG-P09 belum memiliki rencana aksi"),
    ]:
        assert expected in found


def test_strict_makes_warnings_fail():
    plain = run_cli("check", "tests/fixtures/minimal.yaml")
    strict = run_cli("check", "--strict", "tests/fixtures/minimal.yaml")
    strict_global = run_cli("--strict", "check", "tests/fixtures/minimal.yaml")
    assert plain.returncode == 0
    assert plain.stderr.splitlines()[-1] == "Pemeriksaan selesai: 1 berkas kota, 0 galat, 15 peringatan."
    assert strict.returncode == strict_global.returncode == 1
    assert strict.stderr.splitlines()[-1] == (
        "Gagal (--strict): 0 galat, 15 peringatan, di 1 berkas (1 berkas kota diperiksa).")
