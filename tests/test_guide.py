"""The authoring guide documents every field of the model (a field missing from it fails here)."""

import dataclasses
import re

from conftest import ROOT

from cetakbiru import model as m
from cetakbiru.validate import fields, hints, optional_inner, unwrap

GUIDE = ROOT / "content" / "panduan"


def field_paths(cls=m.Masterplan, prefix=""):
    for name in fields(cls):
        path = f"{prefix}{name}"
        yield path
        tp = hints(cls)[name]
        tp = optional_inner(tp) or tp
        base, _ = unwrap(tp)
        suffix = ""
        import typing

        if typing.get_origin(base) is list:
            base, suffix = unwrap(typing.get_args(base)[0])[0], "[]"
        if dataclasses.is_dataclass(base):
            yield from field_paths(base, f"{path}{suffix}.")


def test_every_field_is_in_the_reference():
    text = (GUIDE / "referensi.md").read_text()
    documented = set(re.findall(r"`([a-z_\[\].0-9]+)`", text))
    missing = [p for p in field_paths() if p not in documented]
    assert not missing, f"{len(missing)} kolom belum ada di content/panduan/referensi.md: {missing[:20]}"


def test_the_reference_names_no_field_that_does_not_exist():
    text = (GUIDE / "referensi.md").read_text()
    known = set(field_paths())
    tops = set(fields(m.Masterplan))
    stale = [p for p in re.findall(r"`([a-z_]+(?:\[\])?(?:\.[a-z_]+(?:\[\])?)+)`", text)
             if p.split(".")[0].removesuffix("[]") in tops and p not in known]
    assert not stale, f"referensi.md menyebut kolom yang tidak ada: {stale[:20]}"


def test_walk_reaches_nested_fields():
    paths = set(field_paths())
    assert {"quick_win[].risiko[].mitigasi", "dokumen.gaya.kertas",
            "kelembagaan.tim_pelaksana.anggota[].unsur"} <= paths


def test_quoted_scaffold_output_is_current(tmp_path):
    """The guide walks through a fresh scaffold; the output it quotes must be what check prints."""
    from conftest import check_paths

    from cetakbiru import scaffold

    guide = (GUIDE / "index.md").read_text()
    scaffold.write("kota-latihan", cities_dir=tmp_path, jenis="kota", nama="Latihan", provinsi="Jawa Tengah")
    path = tmp_path / "kota-latihan.yaml"
    n = len(check_paths(path).warnings)
    assert f"Gagal (--strict): 0 galat, {n} peringatan, di 1 berkas (1 berkas kota diperiksa)." in guide
    assert f"Pemeriksaan selesai: 1 berkas kota, 0 galat, {n} peringatan." in guide
    # the two planted mistakes of "Membaca pesan"
    lines = path.read_text().split("\n")
    lines = [ln.replace("luas_km2: 0 ", "luas_km2: 98,7 ", 1) for ln in lines]
    third = [i for i, ln in enumerate(lines) if ln.strip().startswith("opd_pj: DISKOMINFO")][2]
    lines[third] = lines[third].replace("DISKOMINFO", "DISKOMINPO")
    path.write_text("\n".join(lines))
    result = check_paths(path)
    shown = [str(p).replace(str(path), "cities/kota-latihan.yaml") for p in result.errors]
    for line in shown:
        assert line in guide, line
    assert f"Gagal: 2 galat, {len(result.warnings)} peringatan, di 1 berkas (1 berkas kota diperiksa)." in guide


def test_the_scaffolds_commented_sections_pass_check_once_uncommented(tmp_path):
    """`keikutsertaan`, `penetapan` and `evaluasi` are written commented out; a consultant who
    removes the '# ' gets a valid section (placeholders are warnings, never errors)."""
    from conftest import check_paths

    from cetakbiru import scaffold

    scaffold.write("kota-latihan", cities_dir=tmp_path, jenis="kota", nama="Latihan", provinsi="Jawa Tengah")
    path = tmp_path / "kota-latihan.yaml"
    lines, inside, opened = [], False, []
    for line in path.read_text().split("\n"):
        if line in ("# keikutsertaan:", "# evaluasi:", "# penetapan:                # wajib bila status `ditetapkan`"):
            inside = True
            opened.append(line)
        if inside and line.startswith("# "):
            line = line[2:]
        elif inside:
            inside = False
        lines.append(line)
    assert len(opened) == 3, opened
    path.write_text("\n".join(lines))
    result = check_paths(path)
    assert not result.errors, [str(e) for e in result.errors]
    (city,) = result.cities
    assert city.plan.keikutsertaan is not None and city.plan.penetapan is not None
    (ev,) = city.plan.evaluasi
    assert ev.tahap == "II" and ev.kunjungan is not None and ev.evaluator and ev.pendamping
