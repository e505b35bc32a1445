"""The command line as a consultant uses it: help, scaffold, schema, exit codes."""

import json

import pytest
from conftest import ROOT, check_paths, project_copy, run_cli


@pytest.mark.parametrize("args", [["--help"], ["check", "--help"], ["new", "--help"], ["schema", "--help"]])
def test_help_is_indonesian(args):
    done = run_cli(*args)
    assert done.returncode == 0
    assert done.stdout.startswith("penggunaan: build.py")
    assert "tampilkan bantuan ini lalu keluar" in done.stdout
    assert "contoh:" in done.stdout


def test_unknown_command_is_a_usage_error_in_indonesian():
    done = run_cli("cetak")
    assert done.returncode == 2
    assert "galat: argumen PERINTAH: pilihan tidak dikenal: 'cetak'" in done.stderr


def test_unknown_city_is_reported_without_traceback():
    done = run_cli("check", "kota-tidak-ada")
    assert done.returncode == 2
    assert done.stderr.startswith("Kota atau berkas 'kota-tidak-ada' tidak ditemukan. Kota yang ada: ")
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("jenis", ["kota", "kabupaten"])
def test_scaffold_passes_check_with_warnings_only(tmp_path, jenis):
    from cetakbiru import scaffold

    shown = scaffold.write("daerah-baru", cities_dir=tmp_path, jenis=jenis, nama="Baru", provinsi="Jawa Tengah")
    path = tmp_path / "daerah-baru.yaml"
    assert shown.endswith("daerah-baru.yaml")
    text = path.read_text()
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../schema/masterplan.schema.json"
    result = check_paths(path)
    assert result.errors == []
    assert result.cities and result.cities[0].plan.daerah.jenis == jenis
    plan = result.cities[0].plan
    assert {s.dimensi for s in plan.strategi} == {"SG", "SB", "SE", "SL", "SS", "SEN"}
    assert {q.dimensi for q in plan.quick_win} == {"SG", "SB", "SE", "SL", "SS", "SEN"}
    messages = {w.message for w in result.warnings}
    assert "masih berisi teks contoh 'ISI: ...'; ganti dengan isian sebenarnya" in messages
    assert "jumlah penduduk belum diisi" in messages
    # nothing else than unfilled placeholders is left to warn about
    assert not any("belum memiliki" in m or "belum dinilai" in m for m in messages)


def test_new_command_writes_and_never_overwrites(tmp_path):
    root = project_copy(tmp_path)  # `new` writes into cities/: a copy of the project, never the checkout
    path = root / "cities" / "zz-uji-kerangka.yaml"
    first = run_cli("new", "zz-uji-kerangka", "--nama", "Latihan", cwd=root, root=root)
    assert first.returncode == 0, first.stderr
    assert first.stderr.startswith("Kerangka ditulis ke cities/zz-uji-kerangka.yaml.")
    assert path.is_file()
    again = run_cli("new", "zz-uji-kerangka", cwd=root, root=root)
    assert again.returncode == 1
    assert "sudah ada; tidak ditimpa" in again.stderr
    assert run_cli("check", "zz-uji-kerangka", cwd=root, root=root).returncode == 0


def test_new_rejects_a_bad_slug():
    done = run_cli("new", "Kota Bogor")
    assert done.returncode == 2
    assert "Slug 'Kota Bogor' tidak valid" in done.stderr


def test_schema_command_matches_the_committed_schema(tmp_path):
    out = tmp_path / "s.json"
    done = run_cli("schema", "--keluaran", str(out))
    assert done.returncode == 0, done.stderr
    committed = ROOT / "schema" / "masterplan.schema.json"
    assert out.read_text() == committed.read_text(), "schema/ is stale: run `python build.py schema`"
    assert json.loads(out.read_text())["title"] == "Masterplan Smart City (Cetak Biru)"


def test_bare_build_runs_the_main_job(tmp_path):
    root = project_copy(tmp_path)  # the main job writes build/ and site: never into the checkout
    done = run_cli(cwd=root, root=root, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "Pemeriksaan selesai:" in done.stderr
    assert (root / "site" / "kota" / "tanjungpinang" / "index.html").is_file()
    assert (root / "build" / "buku" / "kutai-timur" / "ringkasan-eksekutif.pdf").is_file()
