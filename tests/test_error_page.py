"""Every message quoted on the guide's page of messages (content/panduan/pesan-galat.md) is what the
tool prints.

The page quotes `check` run on Kota Sukamaju, the example city that the field reference
(referensi.md) builds block by block, with one mistake planted. Here the same file is assembled
from the reference's YAML blocks (it passes `check` with warnings only), each case below plants one
mistake in a copy, and `python build.py check` runs once over all the copies. A quoted line is
matched with the output modulo:

- the `cities/<file>.yaml:LINE:COL: ` prefix (each copy has its own name, and the reference moves
  lines whenever a block changes);
- a line number inside the message ("pertama di baris 349", "sudah dipakai di baris 220"), compared
  as "baris N".

Messages about whole files and commands, which no Sukamaju copy can show, run as their own
commands. `NOT_REPRODUCED` lists the quoted lines no case plants yet, each with why: the test fails
when one of them is reproduced after all (drop it from the list) or is no longer quoted.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import ROOT, project_copy, run_cli
from PIL import Image

PAGE = ROOT / "content" / "panduan" / "pesan-galat.md"
REFERENCE = ROOT / "content" / "panduan" / "referensi.md"
_PREFIX = re.compile(r"^(?:cities|data)/[^:\s]+\.yaml:\d+:\d+: ")


def body(line: str) -> str:
    """A message without its location, with a line number it names as 'baris N', and with the
    copy's picture folder named as Kota Sukamaju's."""
    text = re.sub(r"\bbaris \d+", "baris N", _PREFIX.sub("", line.strip()))
    return re.sub(r"cities/kota-sukamaju-\d+/", "cities/kota-sukamaju/", text)


def quoted_lines() -> list[str]:
    text = PAGE.read_text(encoding="utf-8")
    blocks = re.findall(r"^([ \t]*)(```|~~~)text\n(.*?)^\1\2$", text, re.M | re.S)  # also inside a note
    return [line.strip() for _, _, block in blocks for line in block.splitlines() if line.strip()]


def sukamaju() -> str:
    """Kota Sukamaju as the reference builds it: its YAML blocks, in order."""
    blocks = re.findall(r"^~~~yaml\n(.*?)^~~~$", REFERENCE.read_text(encoding="utf-8"), re.M | re.S)
    return "".join(blocks)


def sub(text: str, old: str, new: str, nth: int = 0) -> str:
    """`text` with the `nth` occurrence of `old` replaced (the case fails if there is none)."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(old, at + 1)
    return text[:at] + new + text[at + len(old):]


# One planted mistake per case: (old, new) or (old, new, nth occurrence), applied in order.
Q1 = '    opd_pj: DINKES\n    opd_pendukung: [DISKOMINFO]\n  - kode: SL-P02'
KEPALA = "  kepala_daerah:\n    nama: Dr. H. Ahmad Fauzi, S.E., M.Si.\n    jabatan: Wali Kota Sukamaju\n"
BUDGET = "2025: {APBD: 350000000}"
PENUTUP = "  penutup: |\n    Masterplan ini adalah komitmen bersama seluruh pemangku kepentingan Kota Sukamaju.\n"
PICTURE = "    - berkas: peta-wilayah.png"
CASES: list[list[tuple]] = [
    [],  # the file as it is: the warnings every partial plan shows
    [(Q1, Q1.replace("DINKES", "DINKESS", 1))],
    [("  status: ditetapkan", "\tstatus: ditetapkan")],
    [("  slogan: Sukamaju Maju Bersama", "  slogan: Sukamaju: Maju Bersama")],
    [("    mulai: 2025\n    selesai: 2034", "    mulai: 2025\n   selesai: 2034")],
    [("  slogan: Sukamaju Maju Bersama", "  slogan: @sukamaju")],
    [("  slogan: Sukamaju Maju Bersama", "  slogan: & Sukamaju")],
    [("  slogan: Sukamaju Maju Bersama", "  slogan: | Sukamaju")],
    [("  slogan: Sukamaju Maju Bersama", "  slogan: ? Sukamaju")],
    [("  slogan: Sukamaju Maju Bersama", "  slogan: - Sukamaju")],
    [("    opd_pendukung: [DPMPTSP, BAPPEDA]", "    opd_pendukung: [DPMPTSP, BAPPEDA")],
    [("    anggaran: {APBD: 75000000}", "    anggaran: {APBD: 75000000")],
    [("        sumber: Diskominfo Kota Sukamaju\n", '        sumber: "Diskominfo Kota Sukamaju\n')],
    [('  versi: "1.0"', '  versi: "1.0')],
    [("  slogan: Sukamaju Maju Bersama", '  slogan: "Sukamaju\\d"')],
    [("daerah:\n", "---\ndaerah:\n", 0)],
    [("    opd_pendukung: [DPMPTSP, BAPPEDA]", "    opd_pendukung: &opd [DPMPTSP, BAPPEDA]"),
     ("    opd_pendukung: [DISKOMINFO]", "    opd_pendukung: *opd")],
    [("    opd_pendukung: [DISKOMINFO]", "    opd_pendukung: *opd")],
    [("  - kode: SL-P02\n", "  - <<: {jangka: panjang}\n    kode: SL-P02\n")],
    [("  slogan: Sukamaju Maju Bersama", "  slogan: !rahasia Sukamaju Maju Bersama")],
    [("  slogan: Sukamaju Maju Bersama", "  [slogan, moto]: Sukamaju Maju Bersama")],
    [("  slogan: Sukamaju Maju Bersama", "  slogan: Sukamaju Maju Bersama\n  luas_km2: 120.5")],
    [("\nmisi:\n", "\nvisi:\n  teks: Sukamaju Cerdas\nmisi:\n")],
    [("      2025: {APBD: 350000000}\n", "      2025: {APBD: 350000000}\n      2025: {APBD: 10000000}\n")],
    [("visi:\n  teks:", "visii:\n  teks:")],
    [("    opd_pj: BPBD", "    opd_jp: BPBD")],
    [("  slogan: Sukamaju Maju Bersama", "  moto: Sukamaju Maju Bersama")],
    [(KEPALA, "  kepala_daerah: {nama: Dr. H. Ahmad Fauzi, S.E., M.Si., jabatan: Wali Kota Sukamaju}\n")],
    [("    mitra: [Universitas Sukamaju, Bank Jabar Banten]",
      "    mitra: [Universitas Sukamaju, Dr. Budi Santoso, S.Kom.]")],
    [(KEPALA, "  kepala_daerah: Dr. H. Ahmad Fauzi, S.E., M.Si.\n")],
    [("    opd_pendukung: [DPMPTSP, BAPPEDA]", "    opd_pendukung: DPMPTSP, BAPPEDA")],
    [("  slogan: Sukamaju Maju Bersama", "  slogan: {Sukamaju: Maju Bersama}")],
    [("  slogan: Sukamaju Maju Bersama", "  slogan: [Sukamaju, Maju Bersama]")],
    [("  jumlah_kecamatan: 5", "  jumlah_kecamatan: [5]")],
    [("  jumlah_kecamatan: 5", "  jumlah_kecamatan: lima")],
    [("  jumlah_kecamatan: 5", '  jumlah_kecamatan: "5"')],
    [("  jumlah_kecamatan: 5", "  jumlah_kecamatan: 5.5")],
    [("    jumlah: 254300", "    jumlah: 254.300")],
    [("  luas_km2: 120.5", "  luas_km2: 120,5")],
    [("  luas_km2: 120.5", '  luas_km2: "120.5"')],
    [("  luas_km2: 120.5", '  luas_km2: "120,5"')],
    [("  luas_km2: 120.5", "  luas_km2: sekitar 120")],
    [("  ilustratif: true", "  ilustratif: ya")],
    [("  tanggal: 2024-10-04\n  tempat", "  tanggal: 04-10-2024\n  tempat")],
    [("  tanggal: 2024-10-04\n  tempat", "  tanggal: 4 Oktober 2024\n  tempat")],
    [("  tanggal: 2024-10-04\n  tempat", "  tanggal: 2024-02-30\n  tempat")],
    [("  tanggal: 2024-10-04\n  tempat", '  tanggal: "2024-10-04"\n  tempat')],
    [('        mulai: "2025-03"', '        mulai: "2025-3"')],
    [('        mulai: "2025-03"', '        mulai: "2025-03-01"')],
    [("    tahun: 2023\n    sumber: BPS", "    tahun: 2023/2024\n    sumber: BPS")],
    [("    tahun: 2023\n    sumber: BPS", '    tahun: "2023"\n    sumber: BPS')],
    [("    tahun: 2023\n    sumber: BPS", "    tahun: 23\n    sumber: BPS")],
    [("target: {2025: 20,", "target: {25: 20,")],
    [("target: {2025: 20,", "target: {tahun 2025: 20,")],
    [('  kode_wilayah: "32.99"', '  kode_wilayah: "3299"')],
    [('  kode_wilayah: "32.99"', '  kode_wilayah: "32.7"')],
    [('  warna_utama: "#1F4E79"', "  warna_utama: biru")],
    [("  url_jdih: https://jdih.sukamajukota.go.id/perwali-12-2025", "  url_jdih: jdih.sukamajukota.go.id")],
    [("  - kode: SG-P01\n", "  - kode: SG P01\n")],
    [("    skor: 2\n", "    skor: 7\n")],
    [("      baseline: 3.84", "      baseline: 38.4")],
    [("    prioritas: 1", "    prioritas: 0")],
    [("    peringkat: 13", "    peringkat: 0")],
    [("  - tahun: 2024\n    tahap: II", "  - tahun: 2204\n    tahap: II")],
    [("    - Sentra kerajinan anyaman bambu", "    -")],
    [("target: {2025: 20, 2026: 35,", "target: {2025: 20, 2026: ,")],
    [("  periode:\n    mulai: 2025\n    selesai: 2034\n", "")],
    [("  teks: Sukamaju Kota Cerdas yang Melayani dan Sejahtera\n", "")],
    [("  nama: Sukamaju\n", "  nama:\n")],
    [("      alt: Peta Kota Sukamaju", "      sumber_lain: Peta Kota Sukamaju")],
    [("  status: ditetapkan", "  status: terbit")],
    [("  jenis: kota", "  jenis: Kota")],
    [("    kertas: A4", "    kertas: a4")],
    [("    jangka: pendek", "    jangka: sedang")],
    [("        unsur: akademisi", "        unsur: perguruan tinggi")],
    [("        dampak: tinggi", "        dampak: sangat tinggi")],
    [("  - jenis: Keputusan Kepala Daerah", "  - jenis: Keputusan Wali Kota")],
    [("    opd_pj: BPBD", "    opd_pj: DAMKAR")],
    [("    - opd: DINKES", "    - opd: Dinkes")],
    [("    misi: M2\n    teks: Meningkatkan mutu", "    misi: M3\n    teks: Meningkatkan mutu")],
    [("    isu: [IS-01]", "    isu: [IS-1]")],
    [("    program: SL-P02\n", "    program: SL-P03\n")],
    [("    dimensi: SL\n    uraian: Antrean", "    dimensi: SMART-LIVING\n    uraian: Antrean")],
    [("    sub_dimensi: SG1\n    misi: M1", "    sub_dimensi: SG9\n    misi: M1")],
    [("2026: {APBD: 400000000, DAK: 150000000}", "2026: {APBDES: 400000000, DAK: 150000000}")],
    [("  - elemen: infrastruktur", "  - elemen: infra")],
    [("  - lingkup: umum", "  - lingkup: semua")],
    [("      quick_win: 3.35", "      quickwin: 3.35")],
    [("SEN: 2.75}", "SENV: 2.75}")],
    [("    sub_dimensi: SG1\n    misi: M1", "    sub_dimensi: SL1\n    misi: M1")],
    [("    sub_dimensi: SG1\n    jangka", "    sub_dimensi: SE1\n    jangka")],
    [("    program: SG-P01\n    opd_pj: DPMPTSP", "    program: SL-P01\n    opd_pj: DPMPTSP")],
    [("    sub_elemen: digital", "    sub_elemen: anggaran")],
    [("  - kode: BAPPEDA", "  - kode: DISKOMINFO")],
    [("  - kode: SL-P02\n", "  - kode: SL-P01\n")],
    [("    kode: SL4", "    kode: SL3")],
    [("      catatan: Angka rekaan untuk contoh.\n",
      "      catatan: Angka rekaan untuk contoh.\n    - kode: penduduk-kecamatan\n      judul: Luas\n"
      "      topik: geografi\n      tahun: 2023\n      sumber: BPS\n      kolom: [Kecamatan]\n"
      "      baris: [[Sukamaju Utara]]\n")],
    [("      judul: Ringkasan Eksekutif Masterplan Smart City",
      "      judul: Ringkasan Eksekutif Masterplan Smart City\n      nomor: III")],
    [("    mulai: 2025\n    selesai: 2034", "    mulai: 2034\n    selesai: 2025")],
    [("    tahun_mulai: 2025\n    tahun_selesai: 2026", "    tahun_mulai: 2026\n    tahun_selesai: 2025")],
    [("      mulai: 2021\n      selesai: 2026\n    dasar_hukum",
      "      mulai: 2026\n      selesai: 2021\n    dasar_hukum")],
    [('        mulai: "2025-07"\n        selesai: "2025-12"', '        mulai: "2025-12"\n        selesai: "2025-07"')],
    [("    tahun_selesai: 2034", "    tahun_selesai: 2036")],
    [("target: {2025: 3.3,", "target: {2024: 3.3,")],
    [("    tahun: 2025\n    status: berjalan", "    tahun: 2022\n    status: berjalan")],
    [("      selesai: 2034\n      fokus", "      selesai: 2035\n      fokus")],
    [("    - tahun: 2028\n      uraian", "    - tahun: 2040\n      uraian")],
    [("target: {2025: 5, 2026: 9}", "target: {2025: 5, 2026: 9, 2027: 12}"),
     ("      2026: {APBD: 300000000, CSR: 100000000}\n",
      "      2026: {APBD: 300000000, CSR: 100000000}\n      2027: {APBD: 100000000}\n")],
    [('        selesai: "2025-12"', '        selesai: "2035-02"')],
    [("    tahun: 2025\n    status: berjalan", "    tahun: 2026\n    status: berjalan")],
    [('        selesai: "2025-12"', '        selesai: "2027-03"')],
    [("    tanggal: 2024-11-20", "    tanggal: 2023-12-20")],
    [("    selesai: 2034\n  status", "    selesai: 2060\n  status")],
    [("      mulai: 2024-10-22\n      selesai: 2024-10-23", "      mulai: 2024-10-23\n      selesai: 2024-10-22")],
    [("      mulai: 2024-10-22\n", "      mulai: 2023-12-30\n")],
    [("    tanggal: 2024-11-20", "    tanggal: 2024-10-22")],
    [("    periode:\n      tahun: 2024", "    periode:\n      tahun: 2025")],
    [("    tahap: II\n    periode:\n      tahun: 2024\n",
      "    tahap: III\n    periode:\n      tahun: 2024\n      semester: 3\n")],
    [("  angkatan: 2022\n  tanggal: 2022-03-15", "  angkatan: 2016\n  tanggal: 2016-03-15")],
    [("  tanggal: 2022-03-15", "  tanggal: 2023-01-10")],
    [("  angkatan: 2022\n  tanggal: 2022-03-15", "  angkatan: 2024\n  tanggal: 2024-10-10")],
    [("  angkatan: 2022\n  tanggal: 2022-03-15", "  angkatan: 2024\n  tanggal: 2024-05-02"),
     ("      mulai: 2024-10-22\n      selesai: 2024-10-23", "      mulai: 2024-03-10\n      selesai: 2024-03-11")],
    [("  nama: Sukamaju\n", "  nama: Kota Sukamaju\n")],
    [("  nama: Sukamaju\n", "  nama: Kabupaten Sukamaju\n")],
    [("    jabatan: Wali Kota Sukamaju\n  wakil", "    jabatan: Bupati Sukamaju\n  wakil")],
    [("    jabatan: Wakil Wali Kota Sukamaju", "    jabatan: Wakil Bupati Sukamaju")],
    [("penetapan:\n  jenis: Perwali\n", "penetapan_lama:\n  jenis: Perwali\n")],
    [("penetapan:\n  jenis: Perwali\n", "penetapan:\n  jenis: Perbup\n")],
    [("  tanggal_diundangkan: 2025-01-16", "  tanggal_diundangkan: 2025-01-14")],
    [("  tanggal_ditetapkan: 2025-01-15", "  tanggal_ditetapkan: 2024-12-30"),
     ("  tanggal_diundangkan: 2025-01-16", "  tanggal_diundangkan: 2024-12-31")],
    [("  catatan_ilustratif: |\n    Kota Sukamaju adalah **kota rekaan** untuk Panduan Penulisan Cetak Biru.\n"
      "    Semua nama, angka, dan nomor peraturan di dalamnya dibuat untuk contoh.\n", "")],
    [("        - [Sukamaju Barat, 37100, 21.5]", "        - [Sukamaju Barat, 37100]")],
    [("      nomor: I\n", "      nomor: 1\n")],
    [("    - jenis: analisis_strategis", "    - jenis: masterplan")],
    [(BUDGET, "2025: {APBD: Rp 350.000.000}")],
    [(BUDGET, "2025: {APBD: 350.000.000}")],
    [(BUDGET, "2025:\n        APBD: 350.000.000,00")],
    [(BUDGET, "2025: {APBD: 350 juta}")],
    [(BUDGET, '2025: {APBD: "350000000"}')],
    [(BUDGET, "2025: {APBD: -350000000}")],
    [(BUDGET, "2025: {APBD: 350,000,000}")],
    [("    nilai: 1250000000000", "    nilai: 1,25 triliun")],
    [("  tempat: Sukamaju\n  ilustratif", "  tempat: Suka\u202emaju\n  ilustratif")],
    [("  nama: Sukamaju\n", "  nama: Suka\u200bmaju\n")],
    [("  provinsi: Jawa Barat", '  provinsi: "Jawa\\e Barat"')],
    [("    nama: Dr. H. Ahmad Fauzi, S.E., M.Si.\n    jabatan: Wali Kota Sukamaju\n  wakil",
      "    nama: Dr. H. Ahmad Fauzi, S.E., M.Si.\n    jabatan: Wali Kota \x07Sukamaju\n  wakil")],
    [(PENUTUP, PENUTUP.replace("Masterplan ini", "<b>Masterplan</b> ini"))],
    [(PENUTUP, PENUTUP.replace("Masterplan ini", "<!-- catatan --> Masterplan ini"))],
    [(PENUTUP, PENUTUP.replace("    Masterplan ini", "    # Penutup\n\n    Masterplan ini"))],
    [(PENUTUP, PENUTUP + "\n        kode yang menjorok\n")],
    [(PENUTUP, PENUTUP + "\n    ```\n    kode\n    ```\n")],
    [(PENUTUP, PENUTUP + "\n    ---\n\n    Lanjutan.\n")],
    [(PENUTUP, PENUTUP.replace("Masterplan ini", "![peta](peta.png) Masterplan ini"))],
    [(PENUTUP, PENUTUP.replace("Masterplan ini", "[peta](peta.html) Masterplan ini"))],
    [(PENUTUP, PENUTUP.replace("Masterplan ini", "`<w:br/>`{=openxml} Masterplan ini"))],
    [(PENUTUP, PENUTUP.replace("Masterplan ini", "$x^2$ Masterplan ini"))],
    [(PICTURE, "    - berkas: peta-kota.png")],
    [(PICTURE, "    - berkas: Peta-Wilayah.PNG")],
    [(PICTURE, "    - berkas: /home/andi/peta-wilayah.png")],
    [(PICTURE, "    - berkas: C:\\Users\\andi\\peta-wilayah.png")],
    [(PICTURE, "    - berkas: ../peta-wilayah.png")],
    [(PICTURE, "    - berkas: peta-wilayah.pdf")],
    [(PICTURE, "    - berkas: peta.png"), {"peta.png": "jpeg"}],
    [(PICTURE, "    - berkas: peta.png"), {"peta.png": "truncated"}],
    [(PICTURE, "    - berkas: logo.svg"), {"logo.svg": "script"}],
    [(PICTURE, "    - berkas: tautan.png"), {"tautan.png": "symlink"}],
    [("  judul: Masterplan Smart City Kota Sukamaju Tahun 2025-2034", "  judul: " + "A" * 25_199)],
    [(PENUTUP, PENUTUP.replace("Masterplan ini", "[" * 19_000))] + [
        (f"  {field}: |\n", f"  {field}: |\n    {'[' * 19_000}\n")
        for field in ("latar_belakang", "maksud_tujuan", "ruang_lingkup", "metodologi")],
    [("    masalah: Pengurusan izin usaha mikro", "    masalah: Pengurusan<br>izin usaha mikro")],
    [("      alt: Peta Kota Sukamaju dengan lima kecamatan berwarna berbeda dan batas kelurahan bergaris putus-putus.",
      '      alt: ""')],
    [("  slogan: Sukamaju Maju Bersama", '  slogan: "ISI: slogan daerah"')],
    [('  warna_utama: "#1F4E79"', "  warna_utama: #1F4E79")],
    [("  slogan: Sukamaju Maju Bersama", "  slogan: &Co Maju Bersama")],
    [("  nama: Sukamaju\n", '  nama: ""\n')],
    [('  kode_wilayah: "32.99"', '  kode_wilayah: "00.00"')],
    [("  luas_km2: 120.5", "  luas_km2: 0")],
    [("    jumlah: 254300", "    jumlah: 0")],
    [("  jumlah_kecamatan: 5", "  jumlah_kecamatan: 0")],
    [("\ntujuan:\n", "\n  - kode: M3\n    teks: Misi tambahan\ntujuan:\n")],
    [("program:\n", "  - kode: SL-S3\n    dimensi: SL\n    misi: M2\n    uraian: Strategi tambahan\nprogram:\n")],
    [("rencana_aksi:\n", "  - kode: SL-P03\n    nama: Program tambahan\n    strategi: SL-S2\n    jangka: pendek\n"
      "    tahun_mulai: 2026\n    tahun_selesai: 2027\n    deskripsi: Uraian.\n    opd_pj: BPBD\nrencana_aksi:\n")],
    [("  - kode: SL-P01-K1\n", "  - kode: SG-P01-K2\n    program: SG-P01\n    kegiatan: Kegiatan tambahan\n"
      "    indikator: Indikator\n    satuan: unit\n  - kode: SL-P01-K1\n")],
    [(BUDGET, "2025: {APBD: 0}"), ("2026: {APBD: 400000000, DAK: 150000000}", "2026: {APBD: 0, DAK: 0}"),
     ("2027: {APBD: 300000000}", "2027: {APBD: 0}")],
    [("2025: {APBD: 450000000}", "2025: {APBD: 0}"), ("2026: {APBD: 300000000, CSR: 100000000}", "2026: {APBD: 0}"),
     ("2026: {APBD: 200000000}", "2026: {APBD: 0}"), ("2028: {APBD-PROV: 300000000}", "2028: {APBD-PROV: 0}"),
     (BUDGET, "2025: {APBD: 0}"), ("2026: {APBD: 400000000, DAK: 150000000}", "2026: {APBD: 0, DAK: 0}"),
     ("2027: {APBD: 300000000}", "2027: {APBD: 0}")],
    [("  - kode: BPBD\n", "  - kode: DISHUB\n    singkatan: Dishub\n    nama: Dinas Perhubungan\n  - kode: BPBD\n")],
    [("peta_jalan:\n", "  - kode: QW-SE-2025\n    nama: PASAR\n    kepanjangan: Pasar Daring\n    dimensi: SE\n"
      "    opd_pj: DPMPTSP\n    tahun: 2025\n    masalah: M.\n    inovasi: I.\n    tujuan: T.\n    manfaat: M.\n"
      "    sasaran: Pedagang\n    keberlanjutan: K.\npeta_jalan:\n")],
    [("  - elemen: suprastruktur\n", "  - elemen: struktur\n"),
     ("    sub_elemen: kebijakan", "    sub_elemen: tata_kelola")],
]

# Quoted lines no case plants yet, with the reason.
NOT_REPRODUCED: dict[str, str] = {}


def _picture(path: Path, kind: str) -> None:
    """A picture that is not what its name says."""
    if kind == "jpeg":
        Image.new("RGB", (40, 30), "teal").save(path, format="JPEG")
    elif kind == "truncated":
        Image.new("RGB", (40, 30), "teal").save(path)
        path.write_bytes(path.read_bytes()[:60])
    elif kind == "script":
        path.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"><script>alert(1)</script></svg>')
    elif kind == "symlink":
        path.symlink_to(path.parent / "peta-wilayah.png")


def _whole_files(cities: Path, base: str) -> list[str]:
    """Files whose mistake is the file itself (as the page quotes them): their names."""
    made = {
        "kosong": b"# hanya komentar\n",
        "bukan-utf8": base.replace("Curug Cibeureum", "Curug Cibeur\u00e9um").encode("latin-1", "replace"),
        "nul": b"dokumen:\x00\n",
        "terlalu-besar": b"# " + b"x" * (4_215_578 - 3) + b"\n",
    }
    names = []
    for name, content in made.items():
        (cities / f"kota-sukamaju-{name}.yaml").write_bytes(content)
        names.append(f"kota-sukamaju-{name}")
    (cities / "kota-sukamaju-tautan.yaml").symlink_to(cities / "kota-sukamaju-kosong.yaml")
    (cities / "kota-sukamaju-folder.yaml").mkdir()
    return names + ["kota-sukamaju-tautan", "kota-sukamaju-folder"]


def commands(tmp_path: Path) -> set[str]:
    """What the commands print about themselves, a misnamed file, and broken shipped lists (in a
    copy of the project)."""
    cities = tmp_path / "nama" / "cities"
    cities.mkdir(parents=True)
    (cities / "Kota_Sukamaju.yaml").write_text(sukamaju(), encoding="utf-8")
    runs = [run_cli("check", "kota-bogor"), run_cli("cek"), run_cli("new"), run_cli("new", "Kota_Bogor"),
            run_cli("new", "tanjungpinang"), run_cli("check", "cities/Kota_Sukamaju.yaml", cwd=tmp_path / "nama")]
    (tmp_path / "salinan").mkdir()
    root = project_copy(tmp_path / "salinan")
    data = root / "data"
    evaluation = data / "evaluasi.yaml"
    evaluation.write_text(sub(evaluation.read_text(), "quick_win: 10}", "quick_win: 20}"))
    funds = data / "sumber_dana.yaml"
    funds.write_text(sub(funds.read_text(), "  - kode: DAK", "  - kode: APBN"))
    runs.append(run_cli("check", "tanjungpinang", cwd=root, root=root))
    return {body(line) for r in runs for line in (r.stdout + r.stderr).splitlines() if line.strip()}


def test_every_quoted_message_is_real_output(tmp_path):
    base = sukamaju()
    cities = tmp_path / "cities"
    cities.mkdir()
    pictures = re.findall(r"berkas: (\S+)", base)
    originals = tmp_path / "gambar"
    originals.mkdir()
    for name in pictures:
        Image.new("RGB", (40, 30), "teal").save(originals / name)
    names = []
    for i, mutations in enumerate(CASES):
        text = base
        name = f"kota-sukamaju-{i}"
        shutil.copytree(originals, cities / name)
        for mutation in mutations:
            if isinstance(mutation, dict):
                for filename, kind in mutation.items():
                    _picture(cities / name / filename, kind)
                continue
            old, new, *nth = mutation
            text = sub(text, old, new, *nth)
        (cities / f"{name}.yaml").write_bytes(text.encode("utf-8"))
        names.append(name)
    whole = _whole_files(cities, base)
    result = run_cli("check", *(f"cities/{n}.yaml" for n in names + whole), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    printed = [line for line in (result.stdout + result.stderr).splitlines() if _PREFIX.match(line)]
    per_file: dict[str, set[str]] = {n: set() for n in names + whole}
    for line in printed:
        per_file[line.split(":", 1)[0].removeprefix("cities/").removesuffix(".yaml")].add(body(line))
    quoted = {body(line) for line in quoted_lines()}
    produced = set().union(*per_file.values(), commands(tmp_path))
    useless = [n for n in names + whole if not per_file[n] & quoted]
    assert not useless, f"cases that reproduce no quoted message: {useless}"
    missing = sorted(quoted - produced - NOT_REPRODUCED.keys())
    assert not missing, "quoted on pesan-galat.md but not printed by check:\n" + "\n".join(missing)
    assert not (NOT_REPRODUCED.keys() & produced), "reproduced now: drop from NOT_REPRODUCED"
    assert NOT_REPRODUCED.keys() <= quoted, "no longer quoted: drop from NOT_REPRODUCED"
