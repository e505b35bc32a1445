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

# column → (type, description): the data dictionary, shown on the site and shipped as JSON/CSV
RENCANA_AKSI_COLUMNS = {
    "kode_wilayah": ("teks", "Kode wilayah Kemendagri kabupaten/kota (NN.NN)."),
    "daerah": ("teks", "Nama kabupaten/kota."),
    "dimensi": ("teks", "Kode dimensi smart city (SG, SB, SE, SL, SS, SEN)."),
    "nama_dimensi": ("teks", "Nama dimensi smart city."),
    "sub_dimensi": ("teks", "Kode sub-dimensi."),
    "strategi": ("teks", "Kode strategi."),
    "program_kode": ("teks", "Kode program."),
    "program": ("teks", "Nama program."),
    "jangka": ("teks", "Jangka program: pendek, menengah, atau panjang."),
    "kegiatan_kode": ("teks", "Kode kegiatan rencana aksi."),
    "kegiatan": ("teks", "Uraian kegiatan."),
    "indikator": ("teks", "Indikator kinerja kegiatan."),
    "satuan": ("teks", "Satuan indikator."),
    "baseline": ("angka/teks", "Nilai awal indikator."),
    "tahun": ("bilangan bulat", "Tahun pelaksanaan."),
    "target": ("angka/teks", "Target indikator pada tahun itu (kosong bila tidak ada)."),
    "sumber_dana": ("teks", "Kode sumber dana (APBD, APBD-PROV, APBN, DAK, CSR, KPBU, SWADAYA)."),
    "anggaran_rupiah": ("bilangan bulat",
                        "Indikasi anggaran dalam rupiah pada tahun dan sumber dana itu (0 bila hanya target)."),
    "opd": ("teks", "Kode OPD pelaksana."),
    "nama_opd": ("teks", "Nama OPD pelaksana (produsen data)."),
}
QUICK_WIN_COLUMNS = {
    "kode_wilayah": ("teks", "Kode wilayah Kemendagri kabupaten/kota (NN.NN)."),
    "daerah": ("teks", "Nama kabupaten/kota."),
    "kode": ("teks", "Kode quick win."),
    "nama": ("teks", "Nama singkat atau akronim."),
    "kepanjangan": ("teks", "Kepanjangan atau nama lengkap."),
    "dimensi": ("teks", "Kode dimensi smart city."),
    "sub_dimensi": ("teks", "Kode sub-dimensi."),
    "tahun": ("bilangan bulat", "Tahun pelaksanaan."),
    "status": ("teks", "Status: rencana, berjalan, atau selesai."),
    "opd": ("teks", "Kode OPD pemilik quick win."),
    "nama_opd": ("teks", "Nama OPD pemilik quick win."),
    "sasaran": ("teks", "Kelompok sasaran."),
    "mitra": ("teks", "Mitra, dipisah titik koma."),
    "anggaran_rupiah": ("bilangan bulat", "Total anggaran dalam rupiah."),
    "sumber_dana": ("teks", "Kode sumber dana, dipisah titik koma."),
    "indikator": ("teks", "Indikator keberhasilan dengan targetnya, dipisah titik koma."),
}


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
            "judul": f"Masterplan Smart City {region_name(plan)}",
            "kode_wilayah": plan.daerah.kode_wilayah,
            "daerah": region_name(plan),
            "provinsi": plan.daerah.provinsi,
            "periode": [plan.dokumen.periode.mulai, plan.dokumen.periode.selesai],
            "status": plan.dokumen.status,
            "ilustratif": plan.dokumen.ilustratif,
            "produsen_data": f"Pemerintah {region_name(plan)}",
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
