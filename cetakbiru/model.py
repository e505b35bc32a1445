"""The model of one city's smart-city masterplan.

The dataclasses below are the single source of truth for the YAML format: the validator
(`validate.py`) walks them to check a city file, `schema.py` turns them into a JSON Schema for
editors, and the authoring guide is tested against them. Field names are the Indonesian keys a
consultant types; each field's `doc` (Indonesian, shown in the editor) says what it holds.

Annotations carry the rules a plain type cannot:
- `Ref("opd")` -- the value must be the `kode` of an existing item of that kind;
- `Kind("money")`, `Kind("markdown")`, ... -- a scalar with extra checks;
- `Range(lo, hi)` -- numeric bounds.

Derived values (totals, the roadmap) are computed in `derive.py`, never typed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Optional, TypeVar, Union, dataclass_transform

# --- annotation markers -------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """The value names the `kode` of an item of `kind` (city-local or from the shipped data)."""

    kind: str


@dataclass(frozen=True)
class Kind:
    """A scalar with extra checks: id, markdown, money, year, month, url, path, value."""

    name: str


@dataclass(frozen=True)
class Range:
    lo: float | None = None
    hi: float | None = None


Id = Annotated[str, Kind("id")]
Markdown = Annotated[str, Kind("markdown")]
Money = Annotated[int, Kind("money"), Range(0, None)]
Year = Annotated[int, Kind("year"), Range(1945, 2100)]
Month = Annotated[str, Kind("month")]
Url = Annotated[str, Kind("url")]
FilePath = Annotated[str, Kind("path")]
# A measured or target value: a number, or a short text such as "Tersedia".
Value = Annotated[Union[int, float, str], Kind("value")]
EvalScore = Annotated[float, Range(0, 5)]


# References: the value is the `kode` of an existing item of that kind. Aliases rather than a
# `ref(kind)` call in the annotation, so a type checker reads them as `str` while the validator
# and the schema (through `typing.get_type_hints(..., include_extras=True)`) see the `Ref`.
KodeDimensi = Annotated[str, Ref("dimensi")]
KodeDimensiEvaluasi = Annotated[str, Ref("dimensi_evaluasi")]
KodeElemen = Annotated[str, Ref("elemen")]
KodeIsu = Annotated[str, Ref("isu")]
KodeLingkupSwot = Annotated[str, Ref("lingkup_swot")]
KodeMisi = Annotated[str, Ref("misi")]
KodeOpd = Annotated[str, Ref("opd")]
KodeProgram = Annotated[str, Ref("program")]
KodeStrategi = Annotated[str, Ref("strategi")]
KodeSubDimensi = Annotated[str, Ref("sub_dimensi")]
KodeSubElemen = Annotated[str, Ref("sub_elemen")]
KodeSumberDana = Annotated[str, Ref("sumber_dana")]
KodeTujuan = Annotated[str, Ref("tujuan")]


REQUIRED = dataclasses.MISSING


def f(doc: str, default: Any = REQUIRED, *, example: Any = None) -> Any:
    """Declare a field with its Indonesian description (shown in the editor and the schema)."""
    meta = {"doc": doc, "example": example}
    if default is REQUIRED:
        return dataclasses.field(metadata=meta)
    if isinstance(default, (list, dict)):
        return dataclasses.field(default_factory=type(default), metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


class Node:
    """Base of every model class. Not a dataclass, so `_path` is no field: the validator sets it on
    each object it builds to where that object is written (a path of keys and list positions, see
    `problems.py`), and pass 2 reports problems there."""

    _path: tuple


_C = TypeVar("_C", bound=Node)


# `dataclass_transform` tells type checkers that a decorated class is a keyword-only dataclass.
# `f` is not listed as a field specifier (they take keyword arguments only), so a checker takes
# every field as having a default: it checks the types of constructor arguments, not their presence.
@dataclass_transform(kw_only_default=True)
def model(cls: type[_C]) -> type[_C]:
    """Our dataclasses: keyword-only, so required and optional fields can mix freely."""
    return dataclass(kw_only=True)(cls)


# --- shared small pieces ------------------------------------------------------------------


@model
class Periode(Node):
    mulai: Year = f("Tahun pertama.", example=2024)
    selesai: Year = f("Tahun terakhir (ikut dihitung).", example=2028)


@model
class Orang(Node):
    nama: str = f("Nama lengkap dengan gelar.", example="Dr. H. Ahmad Fauzi, S.E., M.Si.")
    jabatan: Optional[str] = f("Jabatan.", None, example="Kepala Dinas Komunikasi dan Informatika")
    nip: Optional[str] = f("NIP, bila penanda tangan ASN.", None, example="197001011995031001")


@model
class Gambar(Node):
    berkas: FilePath = f(
        "Berkas gambar (PNG, JPG, atau SVG) di folder `cities/<slug>/`, ditulis relatif terhadap folder itu.",
        example="peta-wilayah.png",
    )
    judul: str = f("Judul gambar, dipakai sebagai keterangan 'Gambar x.y'.", example="Peta Administrasi Kota")
    alt: str = f(
        "Teks alternatif: uraian isi gambar bagi pembaca yang tidak dapat melihatnya.",
        example="Peta kota dengan empat kecamatan berwarna berbeda.",
    )
    sumber: Optional[str] = f("Sumber gambar.", None, example="Bappelitbang, 2023")


@model
class Risiko(Node):
    uraian: str = f("Risiko yang mungkin terjadi.", example="Jaringan internet di puskesmas tidak stabil.")
    kemungkinan: Literal["rendah", "sedang", "tinggi"] = f("Kemungkinan terjadi.", example="sedang")
    dampak: Literal["rendah", "sedang", "tinggi"] = f("Besar dampak bila terjadi.", example="tinggi")
    mitigasi: str = f("Langkah mitigasi.", example="Menyediakan koneksi cadangan dan mode luring.")


@model
class Indikator(Node):
    nama: str = f("Nama indikator.", example="Indeks SPBE")
    satuan: str = f("Satuan ukur.", example="indeks")
    baseline: Optional[Value] = f("Nilai awal (kondisi saat ini).", None, example=2.6)
    target: dict[Year, Value] = f("Target per tahun: `tahun: nilai`.", {}, example={2025: 3.0, 2026: 3.2})


# --- dokumen ------------------------------------------------------------------------------


# the kinds of book (labels.BOOK_KINDS registers their slug, number, title and template)
JenisBuku = Literal["analisis_strategis", "masterplan", "quick_win", "ringkasan_eksekutif", "peta_jalan"]


@model
class Buku(Node):
    jenis: JenisBuku = f(
        "Jenis buku.", example="quick_win"
    )
    nomor: Optional[str] = f("Nomor buku dalam angka Romawi; kosongkan untuk buku tanpa nomor (Ringkasan Eksekutif).",
                             None, example="III")
    judul: Optional[str] = f("Judul buku; bila kosong dipakai judul baku jenisnya.", None, example="Quick Win")


@model
class Gaya(Node):
    kertas: Literal["A4", "F4"] = f("Ukuran kertas buku.", "A4", example="A4")
    spasi_rupiah: bool = f(
        "Tulis rupiah dengan spasi (`Rp 1.250.000`). Bakunya (PUEBI) tanpa spasi: `Rp1.250.000`.", False, example=False
    )
    warna_utama: Optional[Annotated[str, Kind("color")]] = f(
        "Warna utama sampul dan judul, kode heksadesimal.", None, example="#1F4E79"
    )


@model
class Dokumen(Node):
    judul: Optional[str] = f(
        "Judul masterplan; bila kosong: 'Masterplan Smart City Kota/Kabupaten <nama>'.",
        None,
        example="Masterplan Smart City Kota Tanjungpinang",
    )
    periode: Periode = f("Masa berlaku masterplan (biasanya sepuluh tahun).")
    status: Literal["draf", "final", "ditetapkan"] = f(
        "Status: draf (tidak terbit), final (terbit), ditetapkan (sudah diundangkan dengan Perwali/Perbup).",
        example="final",
    )
    versi: Optional[str] = f("Nomor versi dokumen.", None, example="1.0")
    tanggal: dt.date = f("Tanggal dokumen (TTTT-BB-HH), untuk baris tempat dan tanggal.", example="2024-10-04")
    tempat: Optional[str] = f(
        "Tempat penandatanganan; bila kosong dipakai nama daerah (kabupaten biasanya memakai ibu kota).",
        None,
        example="Sangatta",
    )
    ilustratif: bool = f("Isi dokumen (sebagian) rekaan, untuk contoh. Ditandai di setiap keluaran.", False)
    catatan_ilustratif: Optional[Markdown] = f(
        "Wajib bila `ilustratif`: bagian mana yang fakta publik dan mana yang rekaan.", None
    )
    buku: list[Buku] = f(
        "Susunan buku. Bila kosong: I Analisis Strategis, II Masterplan, III Quick Win, dan Ringkasan Eksekutif.",
        [],
    )
    gaya: Gaya = f("Pilihan tata letak.", None)
    logo: Optional[Gambar] = f("Logo daerah untuk sampul.", None)


# --- daerah -------------------------------------------------------------------------------


@model
class Penduduk(Node):
    jumlah: int = f("Jumlah penduduk (jiwa).", example=227663)
    tahun: Year = f("Tahun data.", example=2023)
    sumber: str = f("Sumber data.", example="BPS Kota Tanjungpinang")


@model
class Apbd(Node):
    tahun: Year = f("Tahun anggaran.", example=2024)
    nilai: Money = f("Total belanja APBD dalam rupiah (bilangan bulat).", example=1250000000000)
    sumber: Optional[str] = f("Sumber data.", None, example="Perda APBD 2024")


@model
class UraianDaerah(Node):
    geografi: Optional[Markdown] = f("Geografi dan wilayah administrasi.", None)
    demografi: Optional[Markdown] = f("Kependudukan.", None)
    ekonomi: Optional[Markdown] = f("Perekonomian daerah.", None)
    sosial: Optional[Markdown] = f("Sosial budaya, pendidikan, kesehatan.", None)
    pemerintahan: Optional[Markdown] = f("Pemerintahan dan perangkat daerah.", None)


@model
class TabelData(Node):
    kode: Id = f("Kode unik tabel.", example="penduduk-kecamatan")
    judul: str = f("Judul tabel.", example="Jumlah Penduduk per Kecamatan")
    topik: Literal["geografi", "demografi", "ekonomi", "sosial", "pemerintahan"] = f(
        "Subbab tempat tabel dimuat.", example="demografi"
    )
    tahun: Year = f("Tahun data.", example=2023)
    sumber: str = f("Sumber data.", example="BPS, Kecamatan dalam Angka 2024")
    kolom: list[str] = f("Judul kolom.", example=["Kecamatan", "Penduduk (jiwa)"])
    baris: list[list[Value]] = f(
        "Isi tabel: satu daftar per baris, sebanyak kolom.", example=[["Bukit Bestari", 61234]]
    )
    catatan: Optional[str] = f("Catatan di bawah tabel.", None)


@model
class Daerah(Node):
    jenis: Literal["kota", "kabupaten"] = f("Jenis daerah.", example="kota")
    nama: str = f("Nama daerah tanpa 'Kota'/'Kabupaten'.", example="Tanjungpinang")
    kode_wilayah: Annotated[str, Kind("kode_wilayah")] = f(
        "Kode wilayah Kemendagri kabupaten/kota, format NN.NN.", example="21.72"
    )
    provinsi: str = f("Nama provinsi.", example="Kepulauan Riau")
    ibu_kota: Optional[str] = f("Ibu kota kabupaten.", None, example="Sangatta")
    kepala_daerah: Orang = f("Wali kota atau bupati; jabatan diisi otomatis bila kosong.")
    wakil_kepala_daerah: Optional[Orang] = f("Wakil wali kota atau wakil bupati.", None)
    sekretaris_daerah: Optional[Orang] = f("Sekretaris daerah.", None)
    luas_km2: float = f("Luas wilayah daratan (km²).", example=144.56)
    penduduk: Penduduk = f("Jumlah penduduk dengan tahun dan sumbernya.")
    jumlah_kecamatan: int = f("Jumlah kecamatan.", example=4)
    jumlah_kelurahan: int = f("Jumlah kelurahan.", 0, example=18)
    jumlah_desa: int = f("Jumlah desa.", 0, example=0)
    apbd: Optional[Apbd] = f("Belanja APBD.", None)
    slogan: Optional[str] = f("Slogan atau jenama daerah.", None, example="Tanjungpinang Kota Gurindam")
    potensi_unggulan: list[str] = f("Potensi unggulan daerah.", [], example=["Wisata sejarah dan budaya Melayu"])
    uraian: UraianDaerah = f("Uraian gambaran umum per topik.", None)
    tabel: list[TabelData] = f("Tabel data daerah (dengan tahun dan sumber).", [])
    gambar: list[Gambar] = f("Gambar gambaran umum (peta, foto).", [])

    # the region's own words (templates/teks/<lang>.yaml), for every output
    @property
    def nama_lengkap(self) -> str:
        """'Kota Tanjungpinang', 'Kabupaten Kutai Timur'."""
        from .labels import region_name

        return region_name(self)

    @property
    def jabatan_kepala(self) -> str:
        """The head's title: the file's `kepala_daerah.jabatan`, else 'Wali Kota' or 'Bupati'."""
        from .labels import head_title

        return head_title(self)


# --- regulasi dan rujukan -----------------------------------------------------------------

JENIS_PERATURAN = Literal[
    "UUD", "UU", "Perppu", "PP", "Perpres", "Inpres", "Permen", "Kepmen", "SE Menteri",
    "Perda Provinsi", "Pergub", "Perda", "Perwali", "Perbup", "Keputusan Kepala Daerah",
]  # fmt: skip


@model
class Penetapan(Node):
    jenis: Literal["Perwali", "Perbup", "Perda"] = f("Jenis peraturan penetapan.", example="Perwali")
    nomor: str = f("Nomor peraturan.", example="84")
    tahun: Year = f("Tahun peraturan.", example=2020)
    tentang: str = f("Judul peraturan.", example="Rencana Induk Tanjungpinang Kota Cerdas")
    tanggal_ditetapkan: dt.date = f("Tanggal ditetapkan.", example="2020-12-28")
    tanggal_diundangkan: Optional[dt.date] = f("Tanggal diundangkan.", None, example="2020-12-28")
    berita_daerah: Optional[str] = f(
        "Nomor Berita Daerah.", None, example="Berita Daerah Kota Tanjungpinang Tahun 2020 Nomor 84"
    )
    url_jdih: Optional[Url] = f("Tautan ke JDIH.", None, example="https://jdih.tanjungpinangkota.go.id/")


@model
class Perubahan(Node):
    jenis: JENIS_PERATURAN = f("Jenis peraturan yang mengubah.", example="UU")
    penerbit: Optional[str] = f("Untuk Permen/Kepmen/Pergub dan sejenisnya: pejabat yang menetapkan.", None)
    nomor: str = f("Nomor.", example="19")
    tahun: Year = f("Tahun.", example=2016)
    tentang: str = f(
        "Judul peraturan yang mengubah.",
        example="Perubahan atas Undang-Undang Nomor 11 Tahun 2008 tentang Informasi dan Transaksi Elektronik",
    )
    tanggal: Optional[dt.date] = f(
        "Tanggal diundangkan; buku yang bertanggal lebih awal tidak menyebut perubahan ini. "
        "Bila kosong, yang dipakai tahunnya.",
        None,
        example="2016-11-25",
    )


@model
class Peraturan(Node):
    jenis: JENIS_PERATURAN = f("Jenis peraturan.", example="Perpres")
    penerbit: Optional[str] = f(
        "Untuk Permen/Kepmen/Pergub dan sejenisnya: pejabat yang menetapkan.", None, example="Menteri Dalam Negeri"
    )
    nomor: str = f("Nomor.", example="95")
    tahun: Year = f("Tahun.", example=2018)
    tentang: str = f("Judul.", example="Sistem Pemerintahan Berbasis Elektronik")
    tanggal: Optional[dt.date] = f(
        "Tanggal diundangkan; buku yang bertanggal lebih awal tidak memuat peraturan ini. "
        "Bila kosong, yang dipakai tahunnya.",
        None,
        example="2018-10-05",
    )
    perubahan: list[Perubahan] = f("Perubahannya, urut dari yang pertama, bila ada.", [])


@model
class Rpjmd(Node):
    periode: Periode = f("Periode RPJMD.")
    dasar_hukum: Optional[str] = f("Perda penetapan RPJMD.", None, example="Perda Nomor 3 Tahun 2024")
    visi: str = f("Visi kepala daerah dalam RPJMD.")
    misi: list[str] = f("Misi RPJMD.", [])


@model
class DokumenRujukan(Node):
    nama: str = f("Nama dokumen.", example="RPJPD Kota Tanjungpinang 2005-2025")
    dasar_hukum: Optional[str] = f("Peraturan yang menetapkan.", None, example="Perda Nomor 5 Tahun 2008")
    keterkaitan: Optional[Markdown] = f("Keterkaitannya dengan masterplan.", None)


@model
class Renstra(Node):
    opd: KodeOpd = f("Kode OPD pemilik Renstra.", example="DISKOMINFO")
    periode: Periode = f("Periode Renstra.")
    keterkaitan: Optional[Markdown] = f("Program Renstra yang dirujuk masterplan.", None)


@model
class IndeksSpbe(Node):
    tahun: Year = f("Tahun evaluasi SPBE.", example=2023)
    nilai: float = f("Indeks SPBE.", example=3.12)
    predikat: str = f("Predikat.", example="Baik")


@model
class RujukanPerencanaan(Node):
    rpjpd: Optional[DokumenRujukan] = f("RPJPD.", None)
    rpjmd: Optional[Rpjmd] = f("RPJMD yang berlaku.", None)
    renstra_opd: list[Renstra] = f("Renstra OPD yang dirujuk.", [])
    rtrw: Optional[DokumenRujukan] = f("RTRW.", None)
    arsitektur_spbe: Optional[DokumenRujukan] = f("Arsitektur SPBE daerah.", None)
    indeks_spbe: list[IndeksSpbe] = f("Riwayat indeks SPBE (KemenPANRB).", [])


# --- kelembagaan dan OPD ------------------------------------------------------------------


@model
class Sk(Node):
    nomor: str = f("Nomor SK.", example="100.3.3.2/123/2024")
    tanggal: dt.date = f("Tanggal SK.", example="2024-03-01")
    tentang: Optional[str] = f("Judul SK.", None)


@model
class Anggota(Node):
    nama: str = f("Nama.", example="Ir. Siti Aminah, M.T.")
    jabatan: str = f("Jabatan atau asal.", example="Kepala Bappelitbang")
    peran: str = f("Peran dalam tim.", "Anggota", example="Ketua")
    unsur: Literal["pemerintah", "akademisi", "swasta", "komunitas", "media", "legislatif"] = f(
        "Unsur pentahelix.", "pemerintah", example="akademisi"
    )


@model
class Tim(Node):
    sk: Optional[Sk] = f("SK pembentukan.", None)
    tugas: Optional[Markdown] = f("Tugas tim.", None)
    anggota: list[Anggota] = f("Susunan anggota.", [])


@model
class Pembimbing(Node):
    nama: str = f("Nama tenaga ahli.", example="Dr. Yudho Giri Sucahyo")
    instansi: str = f("Instansi.", example="Kementerian Komunikasi dan Digital")


@model
class Kelembagaan(Node):
    dewan: Tim = f("Dewan Smart City.", None)
    tim_pelaksana: Tim = f("Tim Pelaksana Smart City.", None)
    tim_pembimbing: list[Pembimbing] = f("Tim pembimbing dari Kementerian.", [])
    forum: Optional[Markdown] = f("Forum Smart City: peserta dan jadwal.", None)


@model
class Opd(Node):
    kode: Id = f("Kode unik OPD, dipakai untuk merujuk.", example="DISKOMINFO")
    singkatan: str = f("Singkatan resmi.", example="Diskominfo")
    nama: str = f("Nama lengkap.", example="Dinas Komunikasi dan Informatika")
    kepala: Optional[str] = f("Nama kepala OPD.", None)


# --- analisis strategis (Buku I) ----------------------------------------------------------


@model
class IndikatorDaerah(Node):
    nama: str = f("Nama indikator.", example="Rumah tangga dengan akses internet")
    nilai: Value = f("Nilai.", example=82.4)
    satuan: str = f("Satuan.", example="%")
    tahun: Year = f("Tahun data.", example=2023)
    sumber: str = f("Sumber data.", example="BPS, Susenas 2023")


@model
class ProfilDimensi(Node):
    dimensi: KodeDimensi = f("Kode dimensi.", example="SG")
    uraian: Markdown = f("Kondisi eksisting daerah pada dimensi ini.")
    indikator: list[IndikatorDaerah] = f("Data pendukung.", [])
    gambar: list[Gambar] = f("Gambar pendukung.", [])


@model
class Kesiapan(Node):
    elemen: KodeElemen = f("Elemen kesiapan.", example="infrastruktur")
    sub_elemen: KodeSubElemen = f("Subelemen, dari daftar elemen kesiapan.", example="digital")
    kondisi: Markdown = f("Kondisi saat ini.")
    skor: Annotated[int, Range(1, 5)] = f("Penilaian mandiri 1 (sangat rendah) sampai 5 (sangat tinggi).", example=3)
    bukti: list[str] = f("Bukti pendukung penilaian.", [], example=["Laporan Evaluasi SPBE 2023"])
    kesenjangan: Markdown = f("Kesenjangan antara kondisi dan kebutuhan smart city.")
    rekomendasi: Optional[Markdown] = f("Rekomendasi untuk menutup kesenjangan.", None)


@model
class StrategiSwot(Node):
    so: list[str] = f("Strategi S-O (kekuatan untuk meraih peluang).", [])
    st: list[str] = f("Strategi S-T (kekuatan untuk menghadapi ancaman).", [])
    wo: list[str] = f("Strategi W-O (peluang untuk memperbaiki kelemahan).", [])
    wt: list[str] = f("Strategi W-T (meminimalkan kelemahan dan ancaman).", [])


@model
class Swot(Node):
    lingkup: KodeLingkupSwot = f("Kode elemen kesiapan atau dimensi yang dianalisis, atau `umum`.", example="struktur")
    kekuatan: list[str] = f("Kekuatan (internal).", [])
    kelemahan: list[str] = f("Kelemahan (internal).", [])
    peluang: list[str] = f("Peluang (eksternal).", [])
    ancaman: list[str] = f("Ancaman (eksternal).", [])
    strategi: StrategiSwot = f("Strategi silang SWOT.", None)


@model
class IsuStrategis(Node):
    kode: Id = f("Kode unik isu.", example="IS-01")
    dimensi: KodeDimensi = f("Kode dimensi.", example="SL")
    uraian: str = f("Uraian isu strategis.")
    prioritas: Annotated[int, Range(1, 99)] = f("Urutan prioritas (1 = tertinggi).", example=1)


# --- masterplan (Buku II) -----------------------------------------------------------------


@model
class MaknaVisi(Node):
    frasa: str = f("Kata atau frasa dari visi.", example="Cerdas")
    makna: str = f("Maknanya.")


@model
class Visi(Node):
    teks: str = f("Rumusan visi smart city.", example="Tanjungpinang Kota Cerdas yang Berbudaya Melayu")
    makna: list[MaknaVisi] = f("Makna tiap frasa visi.", [])


@model
class Misi(Node):
    kode: Id = f("Kode unik misi.", example="M1")
    teks: str = f("Rumusan misi.")
    uraian: Optional[Markdown] = f("Penjelasan misi.", None)


@model
class Tujuan(Node):
    kode: Id = f("Kode unik tujuan.", example="T1")
    misi: KodeMisi = f("Kode misi yang dijabarkan.", example="M1")
    teks: str = f("Rumusan tujuan.")


@model
class Sasaran(Node):
    kode: Id = f("Kode unik sasaran.", example="S1")
    tujuan: KodeTujuan = f("Kode tujuan.", example="T1")
    teks: str = f("Rumusan sasaran.")
    indikator: list[Indikator] = f("Indikator sasaran dengan target tahunan.", [])


@model
class SubDimensiLokal(Node):
    dimensi: KodeDimensi = f("Kode dimensi induk.", example="SL")
    kode: Id = f("Kode unik subdimensi tambahan.", example="SL4")
    nama: str = f("Nama subdimensi.", example="Ketahanan Bencana")
    uraian: Optional[str] = f("Uraian.", None)


@model
class Strategi(Node):
    kode: Id = f("Kode unik strategi.", example="SG-S1")
    dimensi: KodeDimensi = f("Kode dimensi.", example="SG")
    sub_dimensi: Optional[KodeSubDimensi] = f("Kode subdimensi pada dimensi itu.", None, example="SG1")
    misi: KodeMisi = f("Kode misi yang didukung.", example="M1")
    uraian: str = f("Rumusan strategi.")
    isu: list[KodeIsu] = f("Kode isu strategis yang dijawab.", [], example=["IS-01"])


@model
class Program(Node):
    kode: Id = f("Kode unik program.", example="SG-P01")
    nama: str = f("Nama program.", example="Pengembangan Layanan Publik Terpadu Berbasis Elektronik")
    strategi: KodeStrategi = f("Kode strategi; dimensi program mengikuti strategi ini.", example="SG-S1")
    sub_dimensi: Optional[KodeSubDimensi] = f(
        "Kode subdimensi; bila kosong mengikuti strategi.", None, example="SG1"
    )
    jangka: Literal["pendek", "menengah", "panjang"] = f(
        "Jangka: pendek (1-2 tahun), menengah (sampai 5 tahun), panjang (sampai 10 tahun).", example="menengah"
    )
    tahun_mulai: Year = f("Tahun mulai pelaksanaan.", example=2025)
    tahun_selesai: Year = f("Tahun selesai pelaksanaan.", example=2029)
    deskripsi: Markdown = f("Uraian program.")
    rujukan_rpjmd: Optional[str] = f(
        "Nomenklatur program di RPJMD/Renstra yang menjadi payungnya.",
        None,
        example="Program Aplikasi Informatika",
    )
    opd_pj: KodeOpd = f("Kode OPD penanggung jawab.", example="DISKOMINFO")
    opd_pendukung: list[KodeOpd] = f("Kode OPD pendukung.", [], example=["BAPPELITBANG"])
    mitra: list[str] = f("Mitra di luar pemerintah daerah.", [], example=["PT Telkom Indonesia"])
    keluaran: Optional[str] = f("Keluaran (output) program.", None)
    hasil: Optional[str] = f("Hasil (outcome) program.", None)


@model
class RencanaAksi(Node):
    kode: Id = f("Kode unik kegiatan.", example="SG-P01-K1")
    program: KodeProgram = f("Kode program.", example="SG-P01")
    kegiatan: str = f("Kegiatan atau inisiatif.", example="Integrasi layanan perizinan ke Mal Pelayanan Publik digital")
    indikator: str = f("Indikator kinerja kegiatan.", example="Jenis layanan terintegrasi")
    satuan: str = f("Satuan indikator.", example="layanan")
    baseline: Optional[Value] = f("Nilai awal.", None, example=12)
    target: dict[Year, Value] = f("Target per tahun: `tahun: nilai`.", {}, example={2025: 20, 2026: 35})
    anggaran: dict[Year, dict[KodeSumberDana, Money]] = f(
        "Indikasi anggaran per tahun per sumber dana, dalam rupiah: `tahun: {SUMBER: nilai}`.",
        {},
        example={2025: {"APBD": 350000000}},
    )
    lokasi: Optional[str] = f("Lokasi kegiatan.", None, example="Seluruh kecamatan")
    opd: Optional[KodeOpd] = f("Kode OPD pelaksana; bila kosong OPD penanggung jawab program.", None)


@model
class JadwalKegiatan(Node):
    kegiatan: str = f("Tahap kegiatan.", example="Uji coba di dua puskesmas")
    mulai: Month = f("Bulan mulai, TTTT-BB.", example="2025-03")
    selesai: Month = f("Bulan selesai, TTTT-BB.", example="2025-06")


@model
class IndikatorQuickWin(Node):
    nama: str = f("Indikator keberhasilan.", example="Waktu tunggu pasien rata-rata")
    satuan: str = f("Satuan.", example="menit")
    baseline: Optional[Value] = f("Nilai awal.", None, example=90)
    target: Value = f("Target.", example=30)


@model
class QuickWin(Node):
    kode: Id = f("Kode unik quick win.", example="QW-SL-2022")
    nama: str = f("Nama singkat atau akronim.", example="TOSSA")
    kepanjangan: str = f("Kepanjangan atau nama lengkap.", example="Triage, One Stop Service and Acceleration")
    dimensi: KodeDimensi = f("Kode dimensi.", example="SL")
    sub_dimensi: Optional[KodeSubDimensi] = f("Kode subdimensi.", None, example="SL3")
    program: Optional[KodeProgram] = f("Kode program induknya, bila ada.", None)
    opd_pj: KodeOpd = f("Kode OPD pemilik quick win.", example="DINKES")
    opd_pendukung: list[KodeOpd] = f("Kode OPD pendukung.", [])
    tahun: Year = f("Tahun pelaksanaan.", example=2022)
    status: Literal["rencana", "berjalan", "selesai"] = f("Status pelaksanaan.", "rencana", example="berjalan")
    masalah: Markdown = f("Masalah yang dijawab.")
    inovasi: Markdown = f("Uraian inovasi.")
    tujuan: Markdown = f("Tujuan.")
    manfaat: Markdown = f("Manfaat bagi masyarakat dan pemerintah.")
    sasaran: str = f("Kelompok sasaran.", example="Pasien puskesmas")
    keunikan: Optional[Markdown] = f("Keunikan dibanding layanan serupa.", None)
    mitra: list[str] = f("Mitra dan peluang kemitraan.", [])
    sumber_daya: Optional[Markdown] = f("Sumber daya yang dibutuhkan (SDM, sarana).", None)
    jadwal: list[JadwalKegiatan] = f("Jadwal pelaksanaan.", [])
    anggaran: dict[KodeSumberDana, Money] = f("Anggaran per sumber dana, rupiah.", {}, example={"APBD": 150000000})
    indikator: list[IndikatorQuickWin] = f("Indikator keberhasilan.", [])
    risiko: list[Risiko] = f("Risiko dan mitigasinya.", [])
    keberlanjutan: Markdown = f("Rencana keberlanjutan.")
    potensi_pengembangan: Optional[Markdown] = f("Potensi pengembangan dan replikasi.", None)
    gambar: list[Gambar] = f("Gambar (tangkapan layar, foto).", [])


@model
class Fase(Node):
    nama: str = f("Nama fase peta jalan.", example="Fondasi")
    mulai: Year = f("Tahun mulai.", example=2025)
    selesai: Year = f("Tahun selesai.", example=2026)
    fokus: Markdown = f("Fokus fase ini.")


@model
class Tonggak(Node):
    tahun: Year = f("Tahun.", example=2026)
    uraian: str = f("Capaian yang ditargetkan.", example="Seluruh layanan perizinan daring")


@model
class PetaJalan(Node):
    fase: list[Fase] = f("Fase-fase pelaksanaan.", [])
    tonggak: list[Tonggak] = f("Tonggak capaian. Matriks tahunan dihitung dari rencana aksi.", [])


@model
class TataKelola(Node):
    uraian: Optional[Markdown] = f("Tata kelola pelaksanaan: peran Dewan, Tim Pelaksana, Forum.", None)
    pembiayaan: Optional[Markdown] = f(
        "Skema pembiayaan (APBD, non-APBD, KPBU, CSR). Rekap angka dihitung otomatis.", None
    )
    risiko: list[Risiko] = f("Risiko pelaksanaan masterplan dan mitigasinya.", [])
    monev: Optional[Markdown] = f("Mekanisme pemantauan dan evaluasi.", None)


@model
class Petugas(Node):
    nama: str = f("Nama lengkap dengan gelar.", example="Dr. Harya Damar Widiputra, S.T., M.Kom.")
    instansi: str = f("Instansi atau lembaga asal.", example="Kementerian Komunikasi dan Digital")
    peran: Optional[str] = f("Peran dalam tim, bila disebut.", None, example="Ketua tim")


@model
class Kunjungan(Node):
    mulai: dt.date = f("Hari pertama kunjungan lapangan (TTTT-BB-HH).", example="2022-10-04")
    selesai: dt.date = f("Hari terakhir kunjungan lapangan; sama dengan `mulai` bila hanya sehari.",
                         example="2022-10-05")
    tempat: Optional[str] = f("Tempat kunjungan atau paparan.", None, example="Ruang Rapat Kantor Wali Kota")


@model
class PeriodeEvaluasi(Node):
    tahun: Year = f("Tahun pelaksanaan masterplan yang dinilai.", example=2022)
    semester: Optional[Annotated[int, Range(1, 2)]] = f(
        "Semester yang dinilai (1 atau 2); kosongkan bila yang dinilai satu tahun penuh.", None, example=1
    )


@model
class Keikutsertaan(Node):
    angkatan: Year = f(
        "Angkatan (tahun) daerah dalam Gerakan Menuju Smart City; gerakan dimulai pada 2017.", example=2019
    )
    tanggal: dt.date = f(
        "Tanggal penandatanganan nota kesepakatan (MoU) dengan Kementerian (TTTT-BB-HH).", example="2019-04-10"
    )
    nomor: Optional[str] = f("Nomor nota kesepakatan, bila diketahui.", None, example="B-123/DJAI/AI.01.01/04/2019")
    sumber: Optional[str] = f("Sumber keterangan (naskah, berita).", None, example="Diskominfo, April 2019")


@model
class Evaluasi(Node):
    tahun: Year = f("Tahun evaluasi.", example=2022)
    tahap: Optional[Literal["I", "II"]] = f(
        "Tahap evaluasi dalam tahun itu: I (tahap pertama) atau II (tahap kedua, penilaian akhir).", None,
        example="II",
    )
    periode: Optional[PeriodeEvaluasi] = f("Masa pelaksanaan yang dinilai: satu tahun, atau satu semester.", None)
    kunjungan: Optional[Kunjungan] = f("Kunjungan lapangan (verifikasi) evaluator ke daerah: rentang tanggalnya.",
                                       None)
    evaluator: list[Petugas] = f("Evaluator (penilai) dari Kementerian atau lembaga yang ditunjuk.", [])
    pendamping: list[Petugas] = f("Tim pendamping (tenaga ahli) yang mendampingi daerah selama evaluasi.", [])
    nomor_surat: Optional[str] = f("Nomor surat hasil evaluasi.", None, example="B-1003/DJAI/AI.01.04/12/2022")
    tanggal: Optional[dt.date] = f("Tanggal surat.", None)
    skor: dict[KodeDimensiEvaluasi, EvalScore] = f(
        "Nilai per dimensi evaluasi.", {}, example={"baseline": 3.84, "output": 3.18}
    )
    skor_akhir: Optional[EvalScore] = f("Nilai akhir resmi; bila kosong dihitung dari bobot.", None, example=3.48)
    skor_pilar: dict[KodeDimensi, EvalScore] = f("Nilai per pilar (dimensi).", {}, example={"SG": 2.75})
    peringkat: Optional[Annotated[int, Range(1, None)]] = f("Peringkat nasional.", None, example=13)
    kekuatan: list[str] = f("Kekuatan menurut evaluator.", [])
    kelemahan: list[str] = f("Kelemahan menurut evaluator.", [])
    rekomendasi: list[str] = f("Rekomendasi evaluator.", [])
    sumber: Optional[str] = f("Sumber (surat, berita).", None)


@model
class Sambutan(Node):
    teks: Markdown = f("Isi kata sambutan.")
    tempat: Optional[str] = f("Tempat; bila kosong `dokumen.tempat`.", None)
    tanggal: Optional[dt.date] = f("Tanggal; bila kosong `dokumen.tanggal`.", None)
    penanda_tangan: Optional[Orang] = f("Penanda tangan; bila kosong kepala daerah.", None)


@model
class Pengantar(Node):
    teks: Markdown = f("Isi kata pengantar.")
    tempat: Optional[str] = f("Tempat; bila kosong `dokumen.tempat`.", None)
    tanggal: Optional[dt.date] = f("Tanggal; bila kosong `dokumen.tanggal`.", None)
    penanda_tangan: Orang = f("Penanda tangan (Ketua Tim Pelaksana atau Kepala Diskominfo).")


@model
class Lampiran(Node):
    judul: str = f("Judul lampiran.", example="Daftar Hadir Bimtek")
    isi: Markdown = f("Isi lampiran.")
    gambar: list[Gambar] = f("Gambar lampiran.", [])


@model
class Narasi(Node):
    latar_belakang: Optional[Markdown] = f("Latar belakang khas daerah (BAB I).", None)
    maksud_tujuan: Optional[Markdown] = f("Maksud dan tujuan penyusunan.", None)
    ruang_lingkup: Optional[Markdown] = f("Ruang lingkup.", None)
    metodologi: Optional[Markdown] = f("Metodologi (bimtek, FGD, survei) yang dijalani daerah.", None)
    penutup: Optional[Markdown] = f("Penutup.", None)


# the kinds of source in the Daftar Pustaka (regulations are not among them: the book lists the
# legal basis and the enactment under "Peraturan Perundang-undangan" by itself)
JenisPustaka = Literal["buku", "laporan", "artikel", "berita", "laman", "dokumen"]


@model
class Pustaka(Node):
    jenis: JenisPustaka = f(
        "Jenis sumber: buku; laporan (terbitan lembaga, misalnya BPS); artikel (jurnal atau prosiding); "
        "berita (media cetak atau daring); laman (halaman situs web); dokumen (pedoman, surat, atau paparan "
        "resmi lainnya). Peraturan tidak ditulis di sini, tetapi di `dasar_hukum`.",
        example="buku",
    )
    penulis: list[str] = f(
        "Penulis: orang ditulis 'Nama Belakang, Inisial.' (Sucahyo, Y. G.), nama tunggal apa adanya, lembaga "
        "ditulis lengkap. Bila kosong, judul menempati tempat penulis.",
        [],
        example=["Kementerian Komunikasi dan Informatika"],
    )
    tahun: Optional[Year] = f("Tahun terbit; bila kosong ditulis 't.t.' (tanpa tahun).", None, example=2021)
    tanggal: Optional[dt.date] = f(
        "Tanggal terbit, untuk berita dan laman (TTTT-BB-HH); tahunnya harus sama dengan `tahun`.",
        None,
        example="2019-02-22",
    )
    judul: str = f("Judul sumber, ditulis seperti pada sumbernya.",
                   example="Buku Panduan Penyusunan Masterplan Smart City")
    terbitan: Optional[str] = f(
        "Nama terbitan yang memuatnya: jurnal, surat kabar, atau situs berita.", None, example="Sijorikepri.com"
    )
    penerbit: Optional[str] = f(
        "Penerbit buku, laporan, atau dokumen.", None, example="Direktorat Jenderal Aplikasi Informatika"
    )
    tempat: Optional[str] = f("Kota tempat terbit.", None, example="Jakarta")
    url: Optional[Url] = f("Alamat daring sumber.", None, example="https://aptika.kominfo.go.id/")
    diakses: Optional[dt.date] = f(
        "Tanggal sumber daring diakses (TTTT-BB-HH); wajib bila ada `url`, tidak boleh sesudah tanggal dokumen.",
        None,
        example="2020-11-30",
    )


@model
class Masterplan(Node):
    """One city's masterplan: the root of `cities/<slug>.yaml`."""

    dokumen: Dokumen = f("Identitas dan status dokumen.")
    daerah: Daerah = f("Profil daerah.")
    penetapan: Optional[Penetapan] = f("Peraturan penetapan masterplan; wajib bila status `ditetapkan`.", None)
    dasar_hukum: list[Peraturan] = f(
        "Dasar hukum khas daerah; dasar hukum nasional sudah disediakan bersama.", []
    )
    rujukan_perencanaan: RujukanPerencanaan = f("Dokumen perencanaan terkait.", None)
    kelembagaan: Kelembagaan = f("Dewan, Tim Pelaksana, Tim Pembimbing, Forum.", None)
    keikutsertaan: Optional[Keikutsertaan] = f(
        "Keikutsertaan daerah dalam Gerakan Menuju Smart City: nota kesepakatan dan angkatan.", None
    )
    opd: list[Opd] = f("Perangkat daerah yang terlibat.", [])
    narasi: Narasi = f("Narasi khas daerah untuk bab pendahuluan dan penutup.", None)
    profil_dimensi: list[ProfilDimensi] = f("Kondisi eksisting per dimensi.", [])
    kesiapan: list[Kesiapan] = f("Analisis kesiapan per subelemen (penilaian mandiri).", [])
    swot: list[Swot] = f("Analisis SWOT per elemen atau dimensi.", [])
    isu_strategis: list[IsuStrategis] = f("Isu strategis.", [])
    visi: Visi = f("Visi smart city dan maknanya.")
    misi: list[Misi] = f("Misi smart city.", [])
    tujuan: list[Tujuan] = f("Tujuan per misi.", [])
    sasaran: list[Sasaran] = f("Sasaran per tujuan, dengan indikator.", [])
    sub_dimensi_lokal: list[SubDimensiLokal] = f("Subdimensi tambahan khas daerah.", [])
    strategi: list[Strategi] = f("Strategi per dimensi dan subdimensi.", [])
    program: list[Program] = f("Program per strategi.", [])
    rencana_aksi: list[RencanaAksi] = f("Rencana aksi: kegiatan, target, dan anggaran per tahun.", [])
    quick_win: list[QuickWin] = f("Program quick win.", [])
    peta_jalan: PetaJalan = f("Fase dan tonggak peta jalan.", None)
    tata_kelola: TataKelola = f("Tata kelola, pembiayaan, risiko, dan monev.", None)
    evaluasi: list[Evaluasi] = f("Hasil evaluasi Kementerian.", [])
    kata_sambutan: Optional[Sambutan] = f("Kata sambutan kepala daerah.", None)
    kata_pengantar: Optional[Pengantar] = f("Kata pengantar.", None)
    singkatan: dict[str, str] = f(
        "Daftar singkatan: `SINGKATAN: kepanjangan`.", {}, example={"FGD": "Focus Group Discussion"}
    )
    pustaka: list[Pustaka] = f(
        "Daftar pustaka: satu butir berkolom per sumber; buku menyusun dan mengurutkannya sendiri.", []
    )
    lampiran: list[Lampiran] = f("Lampiran.", [])


# --- shipped controlled lists (data/*.yaml) -----------------------------------------------


@model
class SubDimensi(Node):
    kode: Id = f("Kode subdimensi.")
    nama: str = f("Nama.")
    uraian: Optional[str] = f("Uraian dan topik.", None)


@model
class Dimensi(Node):
    kode: Id = f("Kode dimensi.")
    nama: str = f("Nama.")
    uraian: str = f("Uraian.")
    sub_dimensi: list[SubDimensi] = f("Subdimensi.")


@model
class NamaGerakan(Node):
    tahun: Year = f("Tahun nama ini mulai dipakai.", example=2021)
    nama: str = f("Nama gerakan.", example="Gerakan Menuju Smart City")
    utama: bool = f("Nama yang dipakai buku untuk menyebut gerakan, sejak tahunnya.", False)
    sumber: str = f("Sumber.")


@model
class PesertaGerakan(Node):
    tahun: Year = f("Tahun evaluasi yang mencatat jumlah ini.", example=2024)
    jumlah: Annotated[int, Range(1, None)] = f("Jumlah kabupaten/kota peserta.", example=191)
    periode: Periode = f("Tahun-tahun keikutsertaan yang dicakup.")
    sumber: str = f("Sumber.")


@model
class Gerakan(Node):
    nama: list[NamaGerakan] = f("Nama gerakan menurut tahun, urut dari yang pertama.")
    peserta: list[PesertaGerakan] = f("Jumlah peserta yang tercatat, menurut tahun.", [])


@model
class Kerangka(Node):
    gerakan: Gerakan = f("Riwayat Gerakan Menuju Smart City: nama dan jumlah peserta menurut tahun.")
    dimensi: list[Dimensi] = f("Enam dimensi smart city.")


@model
class SumberDana(Node):
    kode: Id = f("Kode.")
    nama: str = f("Nama lengkap.")


@model
class DaftarSumberDana(Node):
    sumber_dana: list[SumberDana] = f("Sumber dana.")


@model
class SubElemen(Node):
    kode: Id = f("Kode.")
    nama: str = f("Nama.")
    uraian: Optional[str] = f("Uraian.", None)


@model
class Elemen(Node):
    kode: Id = f("Kode.")
    nama: str = f("Nama.")
    uraian: str = f("Uraian.")
    utama: bool = f("Elemen utama (struktur, infrastruktur, suprastruktur).", True)
    sub_elemen: list[SubElemen] = f("Subelemen.")


@model
class DaftarElemen(Node):
    elemen: list[Elemen] = f("Elemen kesiapan.")


@model
class DimensiEvaluasi(Node):
    kode: Id = f("Kode.")
    nama: str = f("Nama.")
    uraian: str = f("Uraian.")


@model
class Bobot(Node):
    berlaku_mulai: Year = f("Tahun evaluasi pertama yang memakai bobot ini.")
    bobot: dict[KodeDimensiEvaluasi, Annotated[int, Range(0, 100)]] = f("Bobot dalam persen.")
    sumber: str = f("Sumber.")


@model
class KriteriaQuickWin(Node):
    kode: Id = f("Kode.")
    nama: str = f("Nama kriteria.")


@model
class PedomanEvaluasi(Node):
    dimensi_evaluasi: list[DimensiEvaluasi] = f("Dimensi evaluasi.")
    bobot: list[Bobot] = f("Bobot per periode.")
    kriteria_quick_win: list[KriteriaQuickWin] = f("Kriteria penilaian quick win.")


@model
class DasarHukumNasional(Node):
    peraturan: list[Peraturan] = f("Dasar hukum nasional yang berlaku bagi setiap daerah.")
