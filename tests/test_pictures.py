"""City pictures are what they claim: hostile picture files, each refused at the field's position
or published only as clean bytes (cetakbiru/pictures.py, wired into check, books and site).

Every test builds its own city folder under tmp_path from tests/fixtures/minimal.yaml.
"""

import io
import os
import re
import struct
import threading
import zlib

import pytest
from conftest import FIXTURES, check_paths
from PIL import Image, PngImagePlugin

from cetakbiru import books, pictures, render, site
from cetakbiru.problems import Abort, display_name

SLUG = "kota-uji"
SECRET = b"RAHASIA-JANGAN-TERBIT-7f3a"
SVG_OK = ('<svg xmlns="http://www.w3.org/2000/svg" width="40mm" height="20mm" viewBox="0 0 40 20">'
          '<rect width="40" height="20" fill="#0B5563"/></svg>')
FIELD = "daerah.gambar[1].berkas"
LINE, COL = 16, 16  # where the first picture's `berkas` value sits in city() below (as in gambar-tidak-ada)


def png(size=(40, 20), mode="RGB", color=(11, 85, 99), **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, "PNG", **save)
    return out.getvalue()


def jpeg(size=(40, 20), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (11, 85, 99)).save(out, "JPEG", **save)
    return out.getvalue()


def city(tmp_path, files: dict, gambar: list[str], logo: str | None = None):
    """cities/kota-uji.yaml naming `gambar` (in daerah.gambar) and `logo`, its folder holding `files`
    (name -> bytes, or a callable that makes the entry at the given path)."""
    folder = tmp_path / "cities" / SLUG
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        content(target) if callable(content) else target.write_bytes(content)
    text = (FIXTURES / "minimal.yaml").read_text()
    items = "".join(f"    - {{berkas: {g}, judul: Peta {i}, alt: Peta kota nomor {i}}}\n"
                    for i, g in enumerate(gambar, 1))
    text = text.replace("  jumlah_kecamatan: 5\n", "  jumlah_kecamatan: 5\n  gambar:\n" + items)
    if logo:
        text = text.replace("  tanggal: 2024-10-04\n", f"  tanggal: 2024-10-04\n  logo: {{berkas: {logo}, judul: Logo, "
                            "alt: Logo Kota Contoh}\n")
    path = tmp_path / "cities" / f"{SLUG}.yaml"
    path.write_text(text)
    return path


def errors(path) -> list[str]:
    return [str(p) for p in check_paths(path).errors]


def located(path, message, line=LINE, col=COL, field=FIELD) -> str:
    return f"{display_name(str(path))}:{line}:{col}: {field}: {message}"


def outside_secret(tmp_path):
    """A file outside the city folder (and outside cities/) that must never be published."""
    secret = tmp_path / "luar" / "rahasia.png"
    secret.parent.mkdir(parents=True, exist_ok=True)
    secret.write_bytes(png() + SECRET)  # a valid PNG: only the path rules can stop it
    return secret


# --- bytes that are not what the extension says --------------------------------------------------


def test_html_named_png_is_refused_at_its_field(tmp_path):
    path = city(tmp_path, {"peta.png": b"<!doctype html><script>alert(document.cookie)</script>"}, ["peta.png"])
    assert errors(path) == [located(path, "berkas gambar 'peta.png' bukan PNG yang sah "
                                          "(isinya tidak cocok dengan ekstensinya)")]


def test_jpeg_named_png_says_which_extension_to_use(tmp_path):
    path = city(tmp_path, {"foto.png": jpeg()}, ["foto.png"])
    assert errors(path) == [located(path, "berkas gambar 'foto.png' bukan PNG yang sah (isinya tidak cocok dengan "
                                          "ekstensinya); isinya JPEG, jadi ganti ekstensinya menjadi .jpg")]


@pytest.mark.parametrize("name, data", [
    ("terpotong.png", png()[:60]),
    ("crc-salah.png", png()[:40] + bytes([png()[40] ^ 0xFF]) + png()[41:]),
    ("terpotong.jpg", jpeg((200, 200))[:300]),
    ("sampah.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 64),
])
def test_corrupt_png_and_jpeg_are_refused_without_traceback(tmp_path, name, data):
    path = city(tmp_path, {name: data}, [name])
    assert errors(path) == [located(path, f"berkas gambar '{name}' rusak atau terpotong; "
                                          "simpan ulang dari aplikasi pembuatnya")]


def test_empty_and_oversized_files_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(pictures, "MAX_BYTES", 1024 * 1024)
    path = city(tmp_path, {"kosong.png": b"", "besar.png": png() + b"\x00" * (1024 * 1024)},
                ["kosong.png", "besar.png"])
    assert errors(path) == [
        located(path, "berkas gambar 'kosong.png' kosong"),
        located(path, "berkas gambar 'besar.png' lebih besar dari 1 MB; perkecil ukurannya", line=LINE + 1,
                field="daerah.gambar[2].berkas"),
    ]


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def test_decompression_bomb_is_refused_before_decoding(tmp_path):
    """A 100 000 × 100 000 PNG of a few hundred bytes (10 gigapixels once decoded)."""
    side = 100_000
    row = zlib.compressobj(9)
    data = row.compress(b"\x00" * (side + 1) * 64) + row.flush()  # 64 rows of zeros, enough to look real
    bomb = (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0))
            + _png_chunk(b"IDAT", data) + _png_chunk(b"IEND", b""))
    assert len(bomb) < 200_000
    path = city(tmp_path, {"bom.png": bomb}, ["bom.png"])
    assert errors(path) == [located(path, "berkas gambar 'bom.png' terlalu besar: lebih dari 50 juta piksel; "
                                          "perkecil resolusinya")]


# --- metadata is not published ---------------------------------------------------------------------


def test_png_text_chunks_and_icc_profile_are_not_published(tmp_path):
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "GPS -6.175392,106.827153 " + SECRET.decode())
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>" + SECRET.decode() + "</x:xmpmeta>")
    raw = png(mode="RGBA", color=(11, 85, 99, 128), pnginfo=info, icc_profile=b"\x00" * 128 + SECRET)
    path = city(tmp_path, {"peta.png": raw}, ["peta.png"])
    assert errors(path) == []
    name, data = pictures.site_file(path.parent / SLUG, "peta.png")
    assert name == "peta.png" and SECRET not in data and b"GPS" not in data
    with Image.open(io.BytesIO(data)) as im:
        assert im.format == "PNG" and im.mode == "RGBA" and im.size == (40, 20)
        assert not (set(im.info) & {"Comment", "XML:com.adobe.xmp", "icc_profile", "exif", "dpi"})
        assert im.getpixel((0, 0)) == (11, 85, 99, 128)


def test_jpeg_exif_gps_is_dropped_and_orientation_applied(tmp_path):
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x010E] = SECRET.decode()  # ImageDescription
    exif[0x8825] = {1: "S", 2: (6.0, 10.0, 31.0), 3: "E", 4: (106.0, 49.0, 37.0)}  # GPS
    raw = jpeg((40, 20), exif=exif)
    assert SECRET in raw
    path = city(tmp_path, {"foto.jpg": raw}, ["foto.jpg"])
    assert errors(path) == []
    name, data = pictures.site_file(path.parent / SLUG, "foto.jpg")
    assert name == "foto.jpg" and SECRET not in data and b"Exif" not in data
    with Image.open(io.BytesIO(data)) as im:
        assert im.format == "JPEG" and im.mode == "RGB"
        assert im.size == (20, 40)  # turned upright, so the orientation tag is no longer needed
        assert dict(im.getexif()) == {} and "exif" not in im.info and "icc_profile" not in im.info


def test_re_encoding_is_deterministic(tmp_path):
    path = city(tmp_path, {"foto.jpg": jpeg((64, 48)), "peta.png": png((64, 48))}, ["foto.jpg", "peta.png"])
    folder = path.parent / SLUG
    first = {n: pictures.site_file(folder, n) for n in ("foto.jpg", "peta.png")}
    pictures._CACHE.clear()
    assert {n: pictures.site_file(folder, n) for n in ("foto.jpg", "peta.png")} == first


# --- SVG --------------------------------------------------------------------------------------------

SCRIPT = "berisi skrip (<script>, atribut on..., atau tautan javascript:); ekspor ulang gambarnya tanpa skrip"
EXTERNAL = "merujuk ke berkas atau alamat di luar dirinya (href, url(), atau @import); SVG harus berdiri sendiri"


def _svg(body: str, root_attrs: str = "") -> bytes:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="40mm" '
            f'height="20mm" viewBox="0 0 40 20"{root_attrs}>{body}</svg>').encode()


@pytest.mark.parametrize("svg, message", [
    (_svg('<script>alert(document.domain)</script><rect width="4" height="4"/>'), SCRIPT),
    (_svg('<rect width="4" height="4"/>', ' onload="alert(1)"'), SCRIPT),
    (_svg('<a href="java&#x09;script:alert(1)"><rect width="4" height="4"/></a>'), SCRIPT),
    (_svg('<a xlink:href="JavaScript:alert(1)"><text>klik</text></a>'), SCRIPT),
    (_svg('<use xlink:href="https://contoh.invalid/ikon.svg#a"/>'), EXTERNAL),
    (_svg('<use href="file:///etc/passwd#x"/>'), EXTERNAL),
    (_svg('<rect width="4" height="4" fill="url(https://contoh.invalid/p.svg#g)"/>'), EXTERNAL),
    (_svg('<style>@import url("https://contoh.invalid/a.css");</style>'),
     "memuat gaya (CSS) yang tidak diizinkan (@import, url() ke luar, atau garis miring terbalik)"),
    (_svg('<image href="data:image/png;base64,iVBORw0KGgo=" width="4" height="4"/>'),
     "memuat gambar lain di dalamnya (<image>); ekspor gambarnya sebagai PNG atau JPG"),
    (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' + _svg("<text>&xxe;</text>"),
     "memakai entitas XML (<!ENTITY>); ekspor ulang sebagai SVG biasa"),
    (_svg('<g id="a"><rect width="1" height="1"/>' + "".join("<rect/>" for _ in range(9)) + "</g>"
          + "".join(f'<g id="{c}">' + f'<use xlink:href="#{p}"/>' * 10 + "</g>"
                    for p, c in zip("abcdef", "bcdefg", strict=True))),
     "terlalu rumit untuk digambar (lebih dari 100.000 elemen, termasuk salinan <use>); sederhanakan atau ekspor "
     "sebagai PNG"),
    (_svg('<rect width="4" height="4"') , "bukan SVG yang sah (XML-nya rusak); ekspor ulang dari aplikasi pembuatnya"),
    (b"<html><body>bukan gambar</body></html>", "bukan SVG yang sah (isinya tidak cocok dengan ekstensinya)"),
], ids=["script", "onload", "javascript-entity", "javascript-xlink", "use-external", "use-file", "css-url",
        "css-import", "image", "entity", "use-bomb", "xml-rusak", "html"])
def test_hostile_svg_is_refused_at_its_field(tmp_path, svg, message):
    path = city(tmp_path, {"logo.svg": svg}, ["logo.svg"])
    assert errors(path) == [located(path, f"berkas gambar 'logo.svg' {message}")]


def test_svg_is_rebuilt_from_an_allowlist_and_served_only_as_png(tmp_path):
    """What an editor leaves in an SVG (metadata, its own namespaces, a foreignObject with HTML as
    draw.io writes, animation) is dropped; the drawing stays; the site gets a PNG."""
    dirty = _svg(
        '<metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' + SECRET.decode()
        + '</rdf:RDF></metadata>'
        '<sodipodi:namedview xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" id="nv"/>'
        '<style>.a{fill:#0B5563}</style>'
        '<defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs>'
        '<rect class="a" width="40" height="20" data-x="1"/><circle cx="5" cy="5" r="3" fill="url(#g)"/>'
        '<use xlink:href="#g"/>'
        '<switch><foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml">'
        '<iframe src="https://contoh.invalid/"></iframe></div></foreignObject><text x="1" y="9">Peta</text></switch>'
        '<set attributeName="fill" to="red"/>'
    )
    path = city(tmp_path, {"peta.svg": dirty}, ["peta.svg"], logo="peta.svg")
    assert errors(path) == []
    folder = path.parent / SLUG
    files = pictures.book_files(folder, "peta.svg")
    assert set(files) == {"peta.svg", "peta.png"}
    svg = files["peta.svg"].decode()
    for gone in ("metadata", "rdf", "sodipodi", "foreignObject", "iframe", "xhtml", "data-x", "<set", SECRET.decode()):
        assert gone not in svg
    for kept in ('class="a"', "<style>.a{fill:#0B5563}</style>", 'fill="url(#g)"', 'xlink:href="#g"', ">Peta</text>"):
        assert kept in svg
    name, data = pictures.site_file(folder, "peta.svg")
    assert name == "peta.png" and data == files["peta.png"] and data.startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(io.BytesIO(data)) as im:
        assert im.width > im.height  # 40 × 20 mm drawing, long side about 1560 px
        assert 1400 < im.width < 1700
    (c,) = check_paths(path).cities
    site._copy_pictures(c, tmp_path / "situs")
    served = {f.relative_to(tmp_path / "situs").as_posix(): f.read_bytes() for f in (tmp_path / "situs").rglob("*")}
    assert served == {"peta.png": data}  # no SVG on the site


def test_site_links_the_png_of_an_svg_picture():
    env = site._env()
    page = env.from_string('{% import "_makro.md.j2" as mk with context %}{{ mk.foto(sc, g) }}')

    class G:
        berkas, judul, alt, sumber = "peta/wilayah.svg", "Peta", "Peta wilayah", None

    class SC:
        slug = "kota-uji"

    html = page.render(root="../../", sc=SC, g=G)
    assert 'src="../../daerah/kota-uji/berkas/peta/wilayah.png"' in html and ".svg" not in html
    G.berkas = "foto.jpg"
    assert 'src="../../daerah/kota-uji/berkas/foto.jpg"' in page.render(root="../../", sc=SC, g=G)


def test_an_svg_and_a_png_of_the_same_stem_cannot_both_be_named(tmp_path):
    path = city(tmp_path, {"logo.svg": _svg("<rect width='4' height='4'/>"), "logo.png": png()}, ["logo.png"],
                logo="logo.svg")
    assert errors(path) == [located(
        path, "berkas gambar 'logo.png' dan 'logo.svg' sama-sama diterbitkan sebagai 'logo.png' (SVG juga dibuat "
              "menjadi PNG bernama sama); ganti nama salah satunya", line=LINE + 1)]  # below the logo


# --- the path: symbolic links, special files -----------------------------------------------------

LINK = "adalah tautan simbolik (symlink); salin berkas aslinya ke folder kota"


def test_symlinked_picture_file_is_refused_and_never_read(tmp_path):
    secret = outside_secret(tmp_path)
    path = city(tmp_path, {"peta.png": lambda p: p.symlink_to(secret)}, ["peta.png"])
    found = errors(path)
    assert found == [located(path, f"berkas gambar 'peta.png' {LINK}")]
    assert str(secret) not in found[0] and "luar" not in found[0]


def test_symlinked_picture_folder_is_refused(tmp_path):
    secret = outside_secret(tmp_path)
    path = city(tmp_path, {"peta": lambda p: p.symlink_to(secret.parent, target_is_directory=True)},
                ["peta/rahasia.png"])
    assert errors(path) == [located(path, f"folder 'peta' pada berkas gambar 'peta/rahasia.png' {LINK}")]


def test_symlinked_city_folder_is_refused(tmp_path):
    secret = outside_secret(tmp_path)
    path = city(tmp_path, {}, ["rahasia.png"])
    folder = path.parent / SLUG
    folder.rmdir()
    folder.symlink_to(secret.parent, target_is_directory=True)
    assert errors(path) == [located(path, f"folder kota {display_name(str(folder))}/ adalah tautan simbolik "
                                          "(symlink); jadikan folder biasa berisi berkas gambar aslinya")]


def test_symlink_inside_the_city_folder_is_refused_too(tmp_path):
    path = city(tmp_path, {"asli.png": png(), "salinan.png": lambda p: p.symlink_to("asli.png")}, ["salinan.png"])
    assert errors(path) == [located(path, f"berkas gambar 'salinan.png' {LINK}")]


def test_fifo_is_refused_without_hanging(tmp_path):
    path = city(tmp_path, {"peta.png": lambda p: os.mkfifo(p)}, ["peta.png"])
    found = []
    worker = threading.Thread(target=lambda: found.extend(errors(path)), daemon=True)
    worker.start()
    worker.join(timeout=20)
    assert not worker.is_alive(), "check blocked on a FIFO"
    assert found == [located(path, "berkas gambar 'peta.png' bukan berkas biasa "
                                   "(misalnya folder, pipe, atau perangkat)")]


def test_folder_named_like_a_picture_is_refused(tmp_path):
    path = city(tmp_path, {"peta.png": lambda p: p.mkdir()}, ["peta.png"])
    assert errors(path) == [located(path, "berkas gambar 'peta.png' bukan berkas biasa "
                                          "(misalnya folder, pipe, atau perangkat)")]


def test_picture_swapped_for_a_symlink_after_the_check_reaches_no_output(tmp_path):
    """The builders read through the same rules: a picture replaced by a link to a secret between
    `check` and the build stops the build with a message, and the secret is written nowhere."""
    secret = outside_secret(tmp_path)
    path = city(tmp_path, {"peta.png": png(), "logo.png": png()}, ["peta.png"], logo="logo.png")
    result = check_paths(path)
    assert not result.errors
    (c,) = result.cities
    folder = path.parent / SLUG
    (folder / "peta.png").unlink()
    (folder / "peta.png").symlink_to(secret)
    pictures._CACHE.clear()
    book = next(b for b in render.books_of(c.plan) if render.book_slug(b) == "buku-1-analisis-strategis")
    rendered = render.render_book(c.plan, c.catalog, book)
    assert "peta.png" in rendered.images
    out = tmp_path / "keluaran"
    with pytest.raises(Abort, match=re.escape(f"'peta.png' {LINK}")):
        books.write_sources(c, rendered, out / "buku")
    with pytest.raises(Abort, match=re.escape(f"'peta.png' {LINK}")):
        books.book_key(c, rendered, ("pdf",))
    with pytest.raises(Abort, match=re.escape(f"'peta.png' {LINK}")):
        site._copy_pictures(c, out / "situs")
    for f in out.rglob("*"):
        assert f.is_symlink() is False
        assert not f.is_file() or SECRET not in f.read_bytes()


# --- books -----------------------------------------------------------------------------------------


def test_books_get_the_clean_bytes_and_key_on_them(tmp_path):
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SECRET.decode())
    path = city(tmp_path, {"peta.png": png(pnginfo=info), "logo.svg": SVG_OK.encode()}, ["peta.png"], logo="logo.svg")
    (c,) = check_paths(path).cities
    book = next(b for b in render.books_of(c.plan) if render.book_slug(b) == "buku-1-analisis-strategis")
    rendered = render.render_book(c.plan, c.catalog, book)
    work = tmp_path / "kerja"
    books.write_sources(c, rendered, work)
    assert SECRET not in (work / "peta.png").read_bytes()
    assert (work / "logo.svg").read_bytes().startswith(b"<?xml")
    assert (work / "logo.png").read_bytes().startswith(b"\x89PNG")  # Word's copy of the SVG logo
    key = books.book_key(c, rendered, ("pdf",))
    pictures._CACHE.clear()
    assert books.book_key(c, rendered, ("pdf",)) == key  # same picture, same key (deterministic bytes)
    # metadata alone does not change what the book is made of; the picture does
    (path.parent / SLUG / "peta.png").write_bytes(png())
    assert books.book_key(c, rendered, ("pdf",)) == key
    (path.parent / SLUG / "peta.png").write_bytes(png(color=(200, 0, 0)))
    assert books.book_key(c, rendered, ("pdf",)) != key


def test_one_pdf_book_embeds_a_clean_svg_logo_and_picture(tmp_path):
    """typst takes the rebuilt SVG as it is: one book, PDF only."""
    import pypdf

    from cetakbiru import pdf

    diagram = _svg('<metadata>x</metadata><rect width="40" height="20" fill="#0B5563"/>'
                   '<text x="2" y="12" font-size="6" font-family="Liberation Sans">Qelvorani</text>')
    path = city(tmp_path, {"diagram.svg": diagram, "logo.svg": SVG_OK.encode()}, ["diagram.svg"], logo="logo.svg")
    (c,) = check_paths(path).cities
    book = next(b for b in render.books_of(c.plan) if render.book_slug(b) == "buku-1-analisis-strategis")
    rendered = render.render_book(c.plan, c.catalog, book)
    source = books.write_sources(c, rendered, tmp_path / "kerja")
    out = tmp_path / "buku.pdf"
    pdf.build(source, out, paper=c.plan.dokumen.gaya.kertas, variables=books.pdf_variables(c))
    text = " ".join(p.extract_text() or "" for p in pypdf.PdfReader(out).pages)
    assert re.search(r"Gambar 3\.\d+ Peta 1", text) and "Qelvorani" in text  # drawn from the SVG


def test_a_city_whose_book_fails_keeps_its_old_books_and_stops_no_other_city(tmp_path):
    """A picture broken between two builds: that city's previous books stay, the other city's new
    books are published, and the message names the city file, the book and the picture."""
    only_summary = "  tanggal: 2024-10-04\n  buku: [{jenis: analisis_strategis, nomor: I}]\n"
    path = city(tmp_path, {"peta.png": png()}, ["peta.png"])
    path.write_text(path.read_text().replace("  tanggal: 2024-10-04\n", only_summary, 1))
    other = path.with_name("kota-lain.yaml")
    other.write_text((FIXTURES / "minimal.yaml").read_text().replace("  tanggal: 2024-10-04\n", only_summary, 1))
    out = tmp_path / "buku"
    books.build(check_paths(path, other).cities, ("pdf",), out_dir=out)
    first = {p.relative_to(out): p.read_bytes() for p in out.rglob("*.pdf")}
    assert len(first) == 2
    for p in (path, other):  # both change, so both are rebuilt
        p.write_text(p.read_text().replace("luas_km2: 120.5", "luas_km2: 121.5"))
    cities = check_paths(path, other).cities
    (path.parent / SLUG / "peta.png").write_bytes(b"<html>bukan gambar</html>")
    pictures._CACHE.clear()
    with pytest.raises(Abort) as failure:
        books.build(cities, ("pdf",), out_dir=out)
    message = str(failure.value)
    assert message.startswith(f"{display_name(str(path))}: Buku I Analisis Strategis Smart City: ")
    assert "'peta.png'" in message and "buku 1 kota lainnya sudah diterbitkan" in message
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*.pdf")}
    mine = next(k for k in first if k.parts[0] == SLUG)
    theirs = next(k for k in first if k.parts[0] == "kota-lain")
    assert set(after) == set(first), (sorted(after), sorted(first))
    assert after[mine] == first[mine]  # the failed city keeps its previous book
    assert after[theirs] != first[theirs]  # the other city's new book is published
