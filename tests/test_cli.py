"""The command line as a consultant uses it: help, scaffold, schema, exit codes."""

import argparse
import json
import os
import re
import subprocess
import sys

import pytest
from conftest import ROOT, check_paths, project_copy, run_cli

from cetakbiru import cli


def _commands() -> dict[str, argparse.ArgumentParser]:
    """The subcommands, read from the parser itself: a command added later is covered too."""
    (sub,) = (a for a in cli._parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


COMMANDS = _commands()
# argparse's own English, and English a help text could slip into (whole words only)
ENGLISH = re.compile(r"\b(usage|options|positional arguments|optional arguments|show this help|required|default|"
                     r"the|and|of|to|with|for|file|files|command|build|books of)\b", re.I)
KNOWN_NAMES = re.compile(r"JSON Schema|VS Code|mkdocs-material|Pagefind|DOCX|PDF|YAML|build\.py|build/buku|"
                         r"--\w+|\{[\w,]+\}|https?://\S+")


def flat(text: str) -> str:
    return " ".join(text.split())


def help_of(capsys, *args: str) -> str:
    """`--help` through the CLI's entry point, as `python build.py ARGS --help` runs it."""
    with pytest.raises(SystemExit) as done:
        cli.main([*args, "--help"])
    assert done.value.code in (0, None)
    out, err = capsys.readouterr()
    assert err == ""
    return out


def assert_help_lists(parser: argparse.ArgumentParser, out: str):
    """Every argument and option of `parser` is in its help, with its own (non-empty) description."""
    for action in parser._actions:
        if action.help == argparse.SUPPRESS or isinstance(action, argparse._SubParsersAction):
            continue
        assert action.help, f"{action.option_strings or action.dest} has no help text"
        for name in action.option_strings or [action.metavar or action.dest]:
            assert re.search(rf"(^|[\s\[,]){re.escape(name)}([\s\],]|$)", out, re.M), name
        assert flat(action.help % vars(action) if "%(" in action.help else action.help) in flat(out), action.help


def test_every_command_is_covered():
    assert {"check", "new", "schema", "books", "site", "serve"} <= set(COMMANDS)


def test_main_help_is_indonesian_and_lists_every_command(capsys):
    out = help_of(capsys)
    assert out.startswith(f"penggunaan: {cli.PROG} ")
    assert "opsi:" in out and "perintah:" in out and "contoh:" in out
    assert not ENGLISH.search(KNOWN_NAMES.sub("", out)), ENGLISH.search(KNOWN_NAMES.sub("", out))
    assert_help_lists(cli._parser(), out)
    (sub,) = (a for a in cli._parser()._actions if isinstance(a, argparse._SubParsersAction))
    for choice in sub._choices_actions:
        assert re.search(rf"^\s+{choice.dest}\s+{re.escape(choice.help)}$", out, re.M), choice.dest
    assert {c.dest for c in sub._choices_actions} == set(COMMANDS)  # each command has its line


@pytest.mark.parametrize("command", COMMANDS)
def test_help_of_every_command_is_indonesian(capsys, command):
    parser = COMMANDS[command]
    out = help_of(capsys, command)
    assert out.startswith(f"penggunaan: {cli.PROG} {command} ")
    assert "opsi:" in out and "tampilkan bantuan ini lalu keluar" in out
    if any(not a.option_strings for a in parser._actions):
        assert "argumen posisi:" in out
    assert parser.description and len(parser.description) > 60, "no description"
    description = parser.description.split("\n\ncontoh:")[0]
    assert flat(description) in flat(out)
    run = "cetakbiru" if cli.INSTALLED else "python build.py"
    assert re.search(rf"^contoh:\n  {re.escape(run)} {command}\b", out, re.M), "no example"
    assert not ENGLISH.search(KNOWN_NAMES.sub("", out)), ENGLISH.search(KNOWN_NAMES.sub("", out))
    assert_help_lists(parser, out)


def test_help_through_build_py_is_the_same():
    """The real entry (build.py, bootstrap included) prints the same help, for the main help and a command."""
    for args in ([], ["check"]):
        done = run_cli(*args, "--help")
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("penggunaan: build.py")
        assert "tampilkan bantuan ini lalu keluar" in done.stdout and "contoh:" in done.stdout


@pytest.mark.parametrize("command", ["books", "site", "serve"])
def test_help_needs_no_system_packages(tmp_path, command):
    """`--help` only prints text: it must work on a machine without LibreOffice or poppler (and
    never start apt-get), like `check --help` does."""
    env = {**os.environ, "CETAKBIRU_NO_VENV": "1", "PATH": str(tmp_path)}  # no soffice, no pdftoppm, no apt-get
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), command, "--help"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("penggunaan: build.py")


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


def test_new_takes_the_kind_of_region_from_the_slug(tmp_path):
    """`new kabupaten-sukamaju` writes a kabupaten named Sukamaju without --jenis; asking for a kota
    with a kabupaten's slug is refused (it used to be the silent default)."""
    root = project_copy(tmp_path)
    done = run_cli("new", "kabupaten-sukamaju", cwd=root, root=root)
    assert done.returncode == 0, done.stderr
    text = (root / "cities" / "kabupaten-sukamaju.yaml").read_text(encoding="utf-8")
    assert "  jenis: kabupaten\n" in text and "  nama: \"Sukamaju\"\n" in text
    refused = run_cli("new", "kabupaten-lain", "--jenis", "kota", cwd=root, root=root)
    assert refused.returncode == 2 and "--jenis kabupaten" in refused.stderr
    assert not (root / "cities" / "kabupaten-lain.yaml").exists()


def test_new_rejects_a_bad_slug(tmp_path):
    root = project_copy(tmp_path)  # were the slug accepted, `new` would write into cities/: a copy's
    before = sorted(p.name for p in (root / "cities").iterdir())
    done = run_cli("new", "Kota Bogor", cwd=root, root=root)
    assert done.returncode == 2
    assert "Slug 'Kota Bogor' tidak valid" in done.stderr
    assert sorted(p.name for p in (root / "cities").iterdir()) == before


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
    assert (root / "site" / "daerah" / "tanjungpinang" / "index.html").is_file()
    assert (root / "build" / "buku" / "kutai-timur" / "ringkasan-eksekutif.pdf").is_file()
