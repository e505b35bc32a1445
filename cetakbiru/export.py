"""Open data of a published city: the whole masterplan as JSON, the rencana aksi and quick wins
as CSV (long format, one row per year and funding source), and the data dictionary that describes
every column — ready for a Satu Data / CKAN portal, keyed by the Kemendagri kode wilayah.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json

from . import labels
from . import model as m
from .derive import Derived
from .pipeline import City

# The columns of each CSV, in order, with the kind of value (a key of `data.tipe` in the catalogue).
# Their names identify the open data and are the same in every language; the words for the types
# and the description of every column come from the catalogue (`data`, cetakbiru/labels.py).
_RENCANA_AKSI_TYPES = {
    "kode_wilayah": "teks", "daerah": "teks", "dimensi": "teks", "nama_dimensi": "teks", "sub_dimensi": "teks",
    "strategi": "teks", "program_kode": "teks", "program": "teks", "jangka": "teks", "kegiatan_kode": "teks",
    "kegiatan": "teks", "indikator": "teks", "satuan": "teks", "baseline": "angka_teks", "tahun": "bilangan_bulat",
    "target": "angka_teks", "sumber_dana": "teks", "anggaran_rupiah": "bilangan_bulat", "opd": "teks",
    "nama_opd": "teks",
}
_QUICK_WIN_TYPES = {
    "kode_wilayah": "teks", "daerah": "teks", "kode": "teks", "nama": "teks", "kepanjangan": "teks",
    "dimensi": "teks", "sub_dimensi": "teks", "tahun": "bilangan_bulat", "status": "teks", "opd": "teks",
    "nama_opd": "teks", "sasaran": "teks", "mitra": "teks", "anggaran_rupiah": "bilangan_bulat",
    "sumber_dana": "teks", "indikator": "teks",
}


def _columns(table: str, types: dict[str, str]) -> dict[str, tuple[str, str]]:
    """column → (type, description): the data dictionary, shown on the site and shipped as JSON."""
    return {column: (str(labels.teks("data", "tipe", kind)), str(labels.teks("data", table, column)))
            for column, kind in types.items()}


RENCANA_AKSI_COLUMNS = _columns("rencana_aksi", _RENCANA_AKSI_TYPES)
QUICK_WIN_COLUMNS = _columns("quick_win", _QUICK_WIN_TYPES)


def jsonable(value):
    """Model objects, dates and year-keyed dicts as plain JSON values."""
    if dataclasses.is_dataclass(value):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def region_name(plan: m.Masterplan) -> str:
    return labels.region_name(plan.daerah)


def city_json(city: City) -> str:
    plan, d = city.plan, Derived(city.plan, city.catalog)
    data = {
        "metadata": {
            "judul": labels.teks("data", "judul").format(daerah=region_name(plan)),
            "kode_wilayah": plan.daerah.kode_wilayah,
            "daerah": region_name(plan),
            "provinsi": plan.daerah.provinsi,
            "periode": [plan.dokumen.periode.mulai, plan.dokumen.periode.selesai],
            "status": plan.dokumen.status,
            "ilustratif": plan.dokumen.ilustratif,
            "produsen_data": labels.author(plan.daerah),
            "dibuat_dengan": "Cetak Biru",
        },
        "masterplan": jsonable(plan),
        "turunan": {
            "total_anggaran": d.total_budget,
            "anggaran_per_tahun": {str(k): v for k, v in sorted(d.budget_by_year.items())},
            "anggaran_per_sumber_dana": d.budget_by_source,
            "anggaran_per_dimensi": d.budget_by_dimension,
            "anggaran_per_opd": d.budget_by_opd,
            "jumlah_program_per_dimensi": {k: len(v) for k, v in d.programs_by_dimension.items()},
            "jumlah_quick_win_per_dimensi": {k: len(v) for k, v in d.quick_wins_by_dimension.items()},
        },
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _csv(columns: dict, rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def action_plan_rows(city: City) -> list[dict]:
    plan, d = city.plan, Derived(city.plan, city.catalog)
    rows = []
    for a in plan.rencana_aksi:
        program = d.programs[a.program]
        dim = d.program_dimension(program)
        opd = d.action_opd(a)
        base = {
            "kode_wilayah": plan.daerah.kode_wilayah, "daerah": region_name(plan), "dimensi": dim,
            "nama_dimensi": city.catalog.dimensions[dim].nama, "sub_dimensi": d.program_sub_dimension(program) or "",
            "strategi": program.strategi, "program_kode": program.kode, "program": program.nama,
            "jangka": program.jangka, "kegiatan_kode": a.kode, "kegiatan": a.kegiatan, "indikator": a.indikator,
            "satuan": a.satuan, "baseline": "" if a.baseline is None else a.baseline, "opd": opd,
            "nama_opd": d.opds[opd].nama if opd in d.opds else "",
        }
        for year in sorted(set(a.target) | set(a.anggaran)):
            target = a.target.get(year, "")
            sources = a.anggaran.get(year) or {"": 0}
            for source, value in sources.items():
                rows.append({**base, "tahun": year, "target": target, "sumber_dana": source, "anggaran_rupiah": value})
    return rows


def quick_win_rows(city: City) -> list[dict]:
    plan, d = city.plan, Derived(city.plan, city.catalog)
    return [{
        "kode_wilayah": plan.daerah.kode_wilayah, "daerah": region_name(plan), "kode": q.kode, "nama": q.nama,
        "kepanjangan": q.kepanjangan, "dimensi": q.dimensi, "sub_dimensi": q.sub_dimensi or "", "tahun": q.tahun,
        "status": q.status, "opd": q.opd_pj, "nama_opd": d.opds[q.opd_pj].nama if q.opd_pj in d.opds else "",
        "sasaran": q.sasaran, "mitra": "; ".join(q.mitra), "anggaran_rupiah": sum(q.anggaran.values()),
        "sumber_dana": "; ".join(q.anggaran),
        "indikator": "; ".join(f"{i.nama}: {i.target} {i.satuan}" for i in q.indikator),
    } for q in plan.quick_win]


def action_plan_csv(city: City) -> str:
    return _csv(RENCANA_AKSI_COLUMNS, action_plan_rows(city))


def quick_win_csv(city: City) -> str:
    return _csv(QUICK_WIN_COLUMNS, quick_win_rows(city))


def dictionary_json() -> str:
    def cols(spec):
        return [{"kolom": k, "tipe": t, "keterangan": desc} for k, (t, desc) in spec.items()]
    return json.dumps({"rencana_aksi": cols(RENCANA_AKSI_COLUMNS), "quick_win": cols(QUICK_WIN_COLUMNS)},
                      ensure_ascii=False, indent=1) + "\n"
