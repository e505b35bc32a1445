"""What a reviewer catches, beyond the one case each fixture pins: the variants of each check, what
it must leave alone, and the scaffold's default name (fixtures/errors/ and fixtures/warnings/ pin
the main case of each message and its position)."""

import pytest
from conftest import FIXTURES, check_paths

from cetakbiru import scaffold
from cetakbiru.problems import Abort

MINIMAL = (FIXTURES / "minimal.yaml").read_text()
QUICK_WIN = """quick_win:
  - kode: QW1
    nama: SIAP
    kepanjangan: Sistem Informasi Aktivitas Presensi
    dimensi: SG
    opd_pj: DISKOMINFO
    tahun: 2025
    masalah: Presensi manual.
    inovasi: Presensi daring.
    tujuan: Disiplin pegawai.
    manfaat: Data kehadiran akurat.
    sasaran: ASN
    keberlanjutan: Dianggarkan tiap tahun.
    jadwal:
      - {kegiatan: Uji coba, mulai: "MULAI", selesai: "SELESAI"}
rencana_aksi:
"""


def city(tmp_path, *replacements, append=""):
    text = MINIMAL
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "kota-uji.yaml"
    path.write_text(text + append)
    return check_paths(path)


def messages(result, *, warnings=False):
    return [(p.path, p.message) for p in (result.warnings if warnings else result.errors)]


# --- the head's title and the region's name agree with `jenis` ------------------------------------

@pytest.mark.parametrize("jenis, field, jabatan, expected", [
    ("kabupaten", "kepala_daerah", "Wali Kota Contoh",
     "jabatan 'Wali Kota Contoh' tidak cocok dengan `jenis: kabupaten`: kepala daerah kabupaten disebut Bupati, "
     "bukan Wali Kota; perbaiki jabatannya, atau ubah `jenis` bila daerah ini kota"),
    ("kabupaten", "kepala_daerah", "Walikota Contoh", None),
    ("kabupaten", "kepala_daerah", "Penjabat Wali Kota Contoh", None),
    ("kota", "kepala_daerah", "Plt. Bupati Contoh", None),
    ("kota", "wakil_kepala_daerah", "Wakil Bupati Contoh",
     "jabatan 'Wakil Bupati Contoh' tidak cocok dengan `jenis: kota`: wakil kepala daerah kota disebut Wakil Wali "
     "Kota, bukan Wakil Bupati; perbaiki jabatannya, atau ubah `jenis` bila daerah ini kabupaten"),
])
def test_a_title_of_the_other_kind_is_an_error_at_the_title(tmp_path, jenis, field, jabatan, expected):
    result = city(tmp_path, ("jenis: kota", f"jenis: {jenis}"),
                  ("  kepala_daerah: {nama: Budi Santoso}\n",
                   f"  {field}: {{nama: Budi Santoso, jabatan: {jabatan}}}\n"
                   + ("  kepala_daerah: {nama: Ani}\n" if field != "kepala_daerah" else "")))
    ((path, message),) = messages(result)
    assert path == f"daerah.{field}.jabatan"
    if expected:
        assert message == expected
    else:
        assert message.startswith(f"jabatan '{jabatan}' tidak cocok dengan `jenis: {jenis}`")


@pytest.mark.parametrize("jenis, jabatan", [("kota", "Wali Kota Contoh"), ("kabupaten", "Bupati Contoh"),
                                            ("kota", "Penjabat Wali Kota"), ("kota", "Kepala Daerah")])
def test_a_title_of_the_own_kind_is_fine(tmp_path, jenis, jabatan):
    result = city(tmp_path, ("jenis: kota", f"jenis: {jenis}"),
                  ("{nama: Budi Santoso}", f"{{nama: Budi Santoso, jabatan: {jabatan}}}"))
    assert result.errors == []


@pytest.mark.parametrize("jenis, nama, expected", [
    ("kabupaten", "Kabupaten Contoh",
     "tulis nama tanpa 'Kabupaten' (nama: Contoh), karena buku menambahkan jenis daerah di depannya: kini tertulis "
     "'Kabupaten Kabupaten Contoh'"),
    ("kabupaten", "Kab. Contoh",
     "tulis nama tanpa 'Kab.' (nama: Contoh), karena buku menambahkan jenis daerah di depannya: kini tertulis "
     "'Kabupaten Kab. Contoh'"),
    ("kota", "kota contoh",
     "tulis nama tanpa 'kota' (nama: contoh), karena buku menambahkan jenis daerah di depannya: kini tertulis "
     "'Kota kota contoh'"),
    ("kota", "Kabupaten Contoh",
     "tulis nama tanpa 'Kabupaten' (nama: Contoh), karena buku menambahkan jenis daerah di depannya: kini tertulis "
     "'Kota Kabupaten Contoh' (bila daerah ini kabupaten, ubah juga `jenis` menjadi kabupaten)"),
])
def test_a_name_with_its_kind_is_an_error_at_the_name(tmp_path, jenis, nama, expected):
    result = city(tmp_path, ("jenis: kota", f"jenis: {jenis}"), ("  nama: Contoh\n", f"  nama: {nama}\n"))
    assert messages(result) == [("daerah.nama", expected)]


@pytest.mark.parametrize("nama", ["Kotamobagu", "Kotabaru", "Kotawaringin Barat", "Kota"])
def test_names_that_only_start_like_a_kind_are_fine(tmp_path, nama):
    assert city(tmp_path, ("  nama: Contoh\n", f"  nama: {nama}\n")).errors == []


# --- the scaffold's default name ----------------------------------------------------------------

@pytest.mark.parametrize("slug, nama", [("kota-bogor", "Bogor"), ("kabupaten-kutai-timur", "Kutai Timur"),
                                        ("kab-bogor", "Bogor"), ("tanjungpinang", "Tanjungpinang"),
                                        ("kotamobagu", "Kotamobagu"), ("kota", "Kota")])
def test_default_name_leaves_out_the_kind(slug, nama):
    assert scaffold.default_name(slug) == nama


@pytest.mark.parametrize("slug, given, jenis, nama", [("kota-bogor", None, "kota", "Bogor"),
                                                      ("kabupaten-kutai-timur", None, "kabupaten", "Kutai Timur"),
                                                      ("kab-bogor", "kabupaten", "kabupaten", "Bogor"),
                                                      ("kota-baru", "kabupaten", "kabupaten", "Baru")])
def test_scaffold_from_a_slug_with_its_kind_passes_check(tmp_path, slug, given, jenis, nama):
    scaffold.write(slug, cities_dir=tmp_path, jenis=given, provinsi="Jawa Barat")
    result = check_paths(tmp_path / f"{slug}.yaml")
    assert result.errors == []
    (checked,) = result.cities
    assert (checked.plan.daerah.jenis, checked.plan.daerah.nama) == (jenis, nama)


def test_scaffold_refuses_a_name_with_its_kind_and_a_kabupaten_slug_as_kota(tmp_path):
    with pytest.raises(Abort) as caught:
        scaffold.write("kota-bogor", cities_dir=tmp_path, nama="Kota Bogor")
    assert (str(caught.value), caught.value.code) == (
        "Nama daerah ditulis tanpa 'Kota', karena buku menuliskannya sendiri: --nama \"Bogor\"", 2)
    with pytest.raises(Abort) as caught:
        scaffold.write("kabupaten-bogor", cities_dir=tmp_path, jenis="kota")
    assert (str(caught.value), caught.value.code) == (
        "Slug 'kabupaten-bogor' menyebut kabupaten, padahal jenis daerahnya kota: tambahkan --jenis kabupaten, "
        "atau pilih slug lain.", 2)
    assert list(tmp_path.iterdir()) == []


# --- quick-win schedule, evaluation date ------------------------------------------------------------

@pytest.mark.parametrize("mulai, selesai, errors, warnings", [
    ("2025-01", "2026-12", [], []),  # a quick win runs for one to two years
    ("2024-12", "2025-03", [("quick_win[1].jadwal[1].mulai",
                             "bulan 2024-12 di luar masa berlaku masterplan (2025–2034)")], []),
    ("2026-06", "2028-01", [], [("quick_win[1].jadwal[1].selesai", "bulan 2028-01 melewati akhir 2026: quick win "
                                 "tahun 2025 adalah program percepatan yang selesai dalam satu sampai dua tahun")]),
])
def test_quick_win_schedule(tmp_path, mulai, selesai, errors, warnings):
    result = city(tmp_path, ("rencana_aksi:\n", QUICK_WIN.replace("MULAI", mulai).replace("SELESAI", selesai)))
    assert messages(result) == errors
    assert [w for w in messages(result, warnings=True) if "jadwal" in w[0]] == warnings


def test_evaluation_letter_of_the_same_or_a_later_year_is_fine(tmp_path):
    for tanggal in ("2026-01-05", "2027-02-01"):
        evaluasi = f"evaluasi:\n  - tahun: 2026\n    tanggal: {tanggal}\n"
        assert city(tmp_path, append=evaluasi).errors == []


# --- budgets ------------------------------------------------------------------------------------------

def test_zero_budgets_say_it_once(tmp_path):
    """All of the plan at 0: one warning for the plan, none per action or per year."""
    result = city(tmp_path, ("2025: {APBD: 250000000}", "2025: {APBD: 0}"),
                  ("2026: {APBD: 300000000, DAK: 100000000}", "2026: {APBD: 0, DAK: 0}"))
    budget = [w for w in messages(result, warnings=True) if "anggaran" in w[1]]
    assert budget == [("rencana_aksi", "semua indikasi anggaran rencana aksi bernilai 0; isi perkiraan biaya setiap "
                                       "kegiatan dalam rupiah")]


def test_a_fully_funded_period_has_no_budget_warning(tmp_path):
    years = "".join(f"      {y}: {{APBD: 100000000}}\n" for y in range(2027, 2035))
    result = city(tmp_path, ("tahun_selesai: 2029", "tahun_selesai: 2034"),
                  ("      2026: {APBD: 300000000, DAK: 100000000}\n",
                   "      2026: {APBD: 300000000, DAK: 100000000}\n" + years))
    assert [w for w in messages(result, warnings=True) if "anggaran" in w[1]] == []


# --- commas and quotes ----------------------------------------------------------------------------------

def test_several_degrees_cut_off_in_braces_are_one_message(tmp_path):
    result = city(tmp_path, ("{nama: Budi Santoso}", "{nama: Dr. H. Ahmad Fauzi, S.E., M.Si., jabatan: Wali Kota}"))
    assert messages(result) == [(
        "daerah.kepala_daerah.nama",
        "nilai terpotong oleh koma: dalam bentuk satu baris {...}, koma memisahkan kolom sehingga 'S.E.' dan 'M.Si.' "
        "terbaca sebagai kolom tersendiri; apit seluruh nilai dengan tanda kutip: nama: \"Dr. H. Ahmad Fauzi, S.E., "
        "M.Si.\"")]


@pytest.mark.parametrize("written", ['{nama: "Budi Santoso, S.Kom."}', "{nama: 'Budi Santoso, S.Kom.'}"])
def test_a_quoted_name_with_a_comma_is_fine(tmp_path, written):
    result = city(tmp_path, ("{nama: Budi Santoso}", written))
    assert result.errors == []
    assert result.cities[0].plan.daerah.kepala_daerah.nama == "Budi Santoso, S.Kom."


def test_a_name_with_a_comma_on_its_own_line_is_fine(tmp_path):
    result = city(tmp_path, ("{nama: Budi Santoso}", "\n    nama: Budi Santoso, S.Kom."))
    assert result.errors == []
    assert result.cities[0].plan.daerah.kepala_daerah.nama == "Budi Santoso, S.Kom."


def test_a_list_of_codes_or_plain_items_is_not_taken_for_degrees(tmp_path):
    result = city(tmp_path, ("    opd_pj: DISKOMINFO\nrencana_aksi:",
                             "    opd_pj: DISKOMINFO\n    mitra: [PT Telkom Indonesia, Universitas Contoh, No.]\n"
                             "rencana_aksi:"))
    assert [w for w in result.warnings if "gelar" in w.message] == []


@pytest.mark.parametrize("old, new, path, message", [
    ("APBD: 250000000", 'APBD: "250000000"', "rencana_aksi[1].anggaran.2025.APBD",
     "harus bilangan bulat rupiah, bukan teks: hapus tanda kutip pada '250000000'"),
    ("tahun: 2023", 'tahun: "2023"', "daerah.penduduk.tahun", "harus tahun, bukan teks: hapus tanda kutip pada '2023'"),
    ("luas_km2: 120.5", "luas_km2: '120'", "daerah.luas_km2", "harus angka, bukan teks: hapus tanda kutip pada '120'"),
])
def test_quoted_numbers_say_to_remove_the_quotes(tmp_path, old, new, path, message):
    assert messages(city(tmp_path, (old, new))) == [(path, message)]
