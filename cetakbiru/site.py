"""The public site: generated Markdown pages for every published city, the hand-written pages of
content/, mkdocs-material to build them, Pagefind to index them in Indonesian.

Only cities whose state is `final` or `ditetapkan` are published: a `draf` city never reaches the
generated pages, the downloads, the data or the search index. The site is built in a staging
folder and published into `site/` (a link to the current version, publish.py) only when everything
succeeded. The site layer is generated Markdown (templates/site/pages/) plus theme overrides
(templates/site/overrides/): moving to Zensical means pointing another builder at the same folder.

Every word the site shows that is not a page's own prose comes from the language catalogue
(templates/teks/<lang>.yaml, section `situs`): the site's name and footer, the navigation, the
titles of a city's pages, the labels of the open-data files, and the words of the theme's search
box and of cetakbiru.js, which the theme override gives every page (`config.extra.cetakbiru`).
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import yaml
from markupsafe import Markup, escape

from . import books as books_mod
from . import export, fmt, labels, pictures, publish, render
from . import figures as figs
from .derive import Derived, national
from .paths import SHARE, project
from .pipeline import CITIES_DIR, City
from .problems import Abort, display_name
from .richtext import render_html

SITE_DIR = project() / "site"
TEMPLATES = SHARE / "templates" / "site"
# the folder of each region's pages: /daerah/<slug>/, for a kota and a kabupaten alike
REGION_DIR = "daerah"
PUBLISHED = ("final", "ditetapkan")
# hand-written pages of content/ that go on the site (content/buku/ is prose for the books)
CONTENT_PAGES = ["tentang.md", "panduan", "contoh-buku.md", "contoh-buku"]
# an entry of mkdocs' `nav`: a page, or {title: a page or a list of entries}
NavEntry = str | dict[str, Any]


@dataclass
class Download:
    label: str
    path: str  # relative to the docs folder
    size: int
    kind: str  # PDF, DOCX, JSON, CSV


@dataclass
class SiteCity:
    city: City
    d: Derived
    slug: str
    name: str  # "Kota Tanjungpinang"
    books: list[Download] = field(default_factory=list)
    data: list[Download] = field(default_factory=list)
    figures: dict[str, figs.Figure] = field(default_factory=dict)  # slug → figure, files in daerah/<slug>/gambar/

    @property
    def plan(self):
        return self.city.plan


def teks(*path: str) -> str:
    """A word of the site from the language catalogue: `teks("navigasi", "beranda")` → 'Beranda'."""
    return str(labels.teks("situs", *path))


def published(cities: list[City]) -> list[City]:
    return [c for c in cities if c.plan.dokumen.status in PUBLISHED]


# --- text for Markdown pages ------------------------------------------------------------

_PY_MARKDOWN_ESCAPES = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+-.!|"})


def text(value) -> Markup:
    """Plain text from a city file, safe as text content of a Python-Markdown page: HTML-escaped
    (so no markup is ever injected) and with Markdown's special characters escaped (so it stays
    literal). Quotes are left as they are: headings go into the page's table of contents, which
    would show `&#34;`. For attributes, use Jinja's own autoescape (`{{ value }}`), not this filter."""
    if value is None:
        return Markup("")
    flat = " ".join(str(value).split())
    return Markup(html.escape(flat, quote=False).translate(_PY_MARKDOWN_ESCAPES))


def rich(value) -> Markup:
    """A rich-text field, already checked by richtext.py, as HTML (raw HTML disabled)."""
    if not value:
        return Markup("")
    return Markup('<div class="cb-rich">\n' + render_html(value) + "</div>")


# --- presentation helpers: the templates format, they do not compute (issue 8) ----------------
# The numbers about a city come from derive.py; these only put a number in the unit or geometry of
# the page.


def in_millions(value: int) -> float:
    """Rupiah in millions, for a table whose caption says "juta rupiah" (derive's `million`; 0 stays 0)."""
    return Derived.million(value) or 0.0


def file_size(n: int) -> tuple[float, str]:
    """A download's size in the unit people read it in: (value, "MB" | "KB" | "B"), kilobytes whole
    (the template writes the unit)."""
    if n >= 1024 * 1024:
        return n / (1024 * 1024), "MB"
    if n >= 1024:
        return round(n / 1024), "KB"
    return n, "B"


PX_PER_MM = 4  # the width and height attributes of a figure's <img>


def pixels(mm: float) -> int:
    """A figure's print size in mm as the pixel size of its <img> (the SVG scales to the page)."""
    return round(mm * PX_PER_MM)


def bar_width(value: float, top: float) -> float:
    """The length of a decorative bar (aria-hidden: its number is written beside it) in % of the
    longest one, `top`: derive's share, rounded for CSS (0 when `top` is 0)."""
    share = Derived.share(value, top)
    return round(share, 1) if share is not None else 0.0


def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([TEMPLATES / "pages"]),
        undefined=jinja2.StrictUndefined,
        autoescape=True,  # every value is HTML-escaped unless marked safe
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        md=text, rich=rich, angka=fmt.angka, tanggal=fmt.tanggal, rentang_tanggal=fmt.rentang_tanggal, bulan=fmt.bulan,
        persen=fmt.persen, rupiah_ringkas=fmt.rupiah_ringkas, romawi=fmt.romawi,
        juta=in_millions, ukuran=file_size, piksel=pixels, lebar_batang=bar_width, berkas_terbit=pictures.served_name,
    )
    env.globals.update(label=labels, peraturan=render.peraturan, region_dir=REGION_DIR)  # the words the books use too
    return env


# --- gathering ------------------------------------------------------------------------------


def _size(path: Path) -> int:
    return path.stat().st_size


def gather(cities: list[City], books_dir: Path, docs: Path, books: list | None = None) -> list[SiteCity]:
    """Everything the pages need, with the downloads and figures written into `docs`. The books
    are the files of `books` (what the books step built, books.BuiltBook); without them, the files
    found in `books_dir`."""
    built = {(b.city, b.slug): b.files for b in books} if books is not None else None
    out = []
    for city in published(cities):
        plan = city.plan
        name = export.region_name(plan)
        sc = SiteCity(city, Derived(plan, city.catalog), city.slug, name)
        target = docs / "unduh" / city.slug
        target.mkdir(parents=True, exist_ok=True)
        for book in render.books_of(plan):
            slug = render.book_slug(book)
            for kind in ("pdf", "docx"):
                if built is not None:
                    source = built.get((city.slug, slug), {}).get(kind, books_dir / city.slug / f"{slug}.{kind}")
                else:
                    source = books_dir / city.slug / f"{slug}.{kind}"
                if not source.is_file():
                    raise Abort(f"Buku {display_name(str(source))} belum ada: "
                                f"jalankan dulu python build.py books {city.slug}")
                shutil.copyfile(source, target / source.name)
                sc.books.append(Download(render.book_label(book),
                                         f"unduh/{city.slug}/{source.name}", _size(source), kind.upper()))
        for filename, content, key, kind in (  # key: the file's label in situs.berkas_data
            (f"{city.slug}.json", export.city_json(city), "json", "JSON"),
            (f"{city.slug}-rencana-aksi.csv", export.action_plan_csv(city), "rencana_aksi", "CSV"),
            (f"{city.slug}-quick-win.csv", export.quick_win_csv(city), "quick_win", "CSV"),
        ):
            path = target / filename
            path.write_text(content, encoding="utf-8")
            sc.data.append(Download(teks("berkas_data", key), f"unduh/{city.slug}/{filename}", _size(path), kind))
        _copy_pictures(city, docs / REGION_DIR / city.slug / "berkas")
        gambar = docs / REGION_DIR / city.slug / "gambar"
        gambar.mkdir(parents=True, exist_ok=True)
        for fig in figs.all_figures(sc.d):
            (gambar / f"{fig.slug}.svg").write_text(fig.svg, encoding="utf-8")
            sc.figures[fig.slug] = fig
        out.append(sc)
    return out


def _copy_pictures(city: City, target: Path) -> None:
    """Every picture the city file names, as the checked and re-encoded PNG or JPEG of
    pictures.site_file (an SVG as its PNG: a city's SVG is never served from the site's origin)."""
    for g in pictures.named(city.plan):
        try:
            name, data = pictures.site_file(city.path.parent / city.slug, g.berkas)
        except pictures.PictureError as e:  # changed since the check
            raise Abort(f"{display_name(str(city.path))}: {e}") from None
        dest = target / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)


# --- pages ------------------------------------------------------------------------------------

CITY_PAGES = [  # (file, key of its title in situs.halaman_kota, template), after the dimension pages
    ("peta-jalan.md", "peta_jalan", "kota-peta-jalan.md.j2"),
    ("quick-win.md", "quick_win", "kota-quick-win.md.j2"),
    ("kesiapan.md", "kesiapan", "kota-kesiapan.md.j2"),
    ("evaluasi.md", "evaluasi", "kota-evaluasi.md.j2"),
    ("unduh.md", "unduh", "kota-unduh.md.j2"),
]


def dimension_page(code: str) -> str:
    return f"dimensi-{code.lower()}.md"


def write_pages(site_cities: list[SiteCity], docs: Path, catalog) -> list:
    env = _env()
    common = dict(cities=site_cities, catalog=catalog, fmt=fmt, dimension_page=dimension_page,
                  national=national([sc.d for sc in site_cities], catalog))

    def write(rel: str, template: str, **context):
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        depth = rel.count("/") + (0 if rel.endswith("index.md") else 1)
        path.write_text(env.get_template(template).render(root="../" * depth, page=rel, **common, **context),
                        encoding="utf-8")

    write("index.md", "beranda.md.j2")
    write("cari.md", "cari.md.j2")
    write("data/index.md", "kamus-data.md.j2", columns_ra=export.RENCANA_AKSI_COLUMNS,
          columns_qw=export.QUICK_WIN_COLUMNS)
    (docs / "data" / "kamus-data.json").write_text(export.dictionary_json(), encoding="utf-8")
    nav_cities: list[NavEntry] = []
    for sc in site_cities:
        base = f"{REGION_DIR}/{sc.slug}/"
        write(base + "index.md", "kota.md.j2", sc=sc)
        entries: list[NavEntry] = [base + "index.md"]
        for code, dim in catalog.dimensions.items():
            write(base + dimension_page(code), "kota-dimensi.md.j2", sc=sc, code=code, dim=dim)
            entries.append({_nav_title(dim.nama): base + dimension_page(code)})
        for filename, key, template in CITY_PAGES:
            write(base + filename, template, sc=sc)
            entries.append({_nav_title(teks("halaman_kota", key)): base + filename})
        nav_cities.append({_nav_title(sc.name): entries})
    nav = [{_nav("beranda"): "index.md"}, {_nav("daerah"): nav_cities or ["index.md"]}, {_nav("cari"): "cari.md"},
           {_nav("data"): "data/index.md"}]
    return nav


def _nav_title(title: str) -> str:
    """The theme prints navigation titles as they are: escape them (a city file's, the catalogue's)."""
    return str(escape(" ".join(title.split())))


def _nav(key: str) -> str:
    """A title of the main navigation (situs.navigasi)."""
    return _nav_title(teks("navigasi", key))


def copy_content(docs: Path) -> list[NavEntry]:
    nav: list[NavEntry] = []
    content = SHARE / "content"
    for name in CONTENT_PAGES:
        source = content / name
        if source.is_dir():
            shutil.copytree(source, docs / name)
        elif source.is_file():
            shutil.copyfile(source, docs / name)
    guide = sorted(p.name for p in (docs / "panduan").glob("*.md")) if (docs / "panduan").is_dir() else []
    if guide:
        ordered = ["index.md"] + [g for g in guide if g != "index.md"]
        nav.append({_nav("panduan"): [f"panduan/{g}" for g in ordered]})
    if (docs / "contoh-buku.md").exists():
        nav.append({_nav("contoh_buku"): "contoh-buku.md"})
    if (docs / "tentang.md").exists():
        nav.append({_nav("tentang"): "tentang.md"})
    return nav


def copy_assets(docs: Path) -> None:
    shutil.copytree(TEMPLATES / "assets", docs / "assets", dirs_exist_ok=True)


def write_config(nav: list, docs: Path, out: Path, *, dev: bool = False) -> Path:
    """mkdocs.yml with the generated navigation, the site's words from the catalogue, and the paths."""
    config = yaml.safe_load((SHARE / "mkdocs.yml").read_text(encoding="utf-8"))
    config.update(site_name=teks("nama"), site_description=teks("deskripsi"), copyright=teks("kaki"))
    config.update(docs_dir=str(docs), site_dir=str(out), nav=nav)
    # for the theme override: the header's search box, and the words of cetakbiru.js, which the
    # override writes into every page as JSON (Jinja's `tojson`: <, >, & and ' as \u escapes)
    config["extra"] = {**(config.get("extra") or {}), "cetakbiru": {
        "kotak_cari": labels.teks("situs", "kotak_cari"),
        "skrip": {"kolom": labels.teks("situs", "kolom"), "tabel": labels.teks("situs", "tabel")},
    }}
    config["theme"]["custom_dir"] = str(SHARE / config["theme"]["custom_dir"])
    if dev:
        config["extra_javascript"] = [*config.get("extra_javascript", []), "assets/muat-ulang.js"]
    path = docs.parent / "mkdocs.gen.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def run_mkdocs(config: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(config)],
                          capture_output=True, text=True, env=env, preexec_fn=publish.die_with_parent())
    if done.returncode != 0:
        raise Abort(f"mkdocs gagal membangun situs:\n{(done.stderr or done.stdout).strip()[-4000:]}")


def run_pagefind(site: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--force-language", "id"],
                          capture_output=True, text=True, preexec_fn=publish.die_with_parent())
    if done.returncode != 0:
        raise Abort(f"Pagefind gagal mengindeks situs:\n{(done.stderr or done.stdout).strip()[-4000:]}")


def build(cities: list[City], *, books: list | None = None, books_dir: Path = books_mod.OUT_DIR,
          out: Path = SITE_DIR, work: Path | None = None, dev: bool = False) -> list[SiteCity]:
    """Gather, write and build everything in staging folders; publish `out` atomically at the end
    (publish.py: `out` is a link to a complete version, replaced in one rename). `books`: what the
    books step built (pipeline.build passes it); without it, the books found in `books_dir`.
    `work` holds the generated Markdown (default: `.<out>-kerja` beside `out`, git-ignored)."""
    work = work or out.parent / f".{out.name}-kerja"
    if not cities:
        raise Abort("Tidak ada kota untuk situs.")
    catalog = cities[0].catalog
    with publish.locked(out):  # one site build at a time: `work` and `out` are shared
        publish.recover(out)
        if work.exists():
            shutil.rmtree(work)
        docs = work / "docs"
        docs.mkdir(parents=True)
        with publish.locked(books_dir, shared=True):  # every book from one version of build/buku
            site_cities = gather(cities, books_dir, docs, books)
        nav = write_pages(site_cities, docs, catalog)
        nav += copy_content(docs)
        copy_assets(docs)
        staging = publish.stage(out)
        try:
            run_mkdocs(write_config(nav, docs, staging, dev=dev))
            run_pagefind(staging)
            if dev:  # the live-reload script polls this file
                (staging / ".versi-build").write_text(str(time.time_ns()), encoding="utf-8")
            publish.commit(out, staging)
        finally:
            publish.discard(staging)
    return site_cities


# --- live preview -------------------------------------------------------------------------

WATCHED = ["templates", "content", "data", "mkdocs.yml"]  # shipped resources, and the project's cities/


def _snapshot() -> dict[str, float]:
    stamp = {}
    for path in [CITIES_DIR, *(SHARE / name for name in WATCHED)]:
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
        for f in files:
            try:
                stamp[str(f)] = f.stat().st_mtime
            except OSError:
                pass
    return stamp


def serve(port: int, say) -> None:
    """Build, serve site/ on 127.0.0.1, rebuild when a city, template or content page changes."""
    import functools
    import http.server
    import threading

    from . import pipeline

    def rebuild() -> None:
        try:  # the one job every command runs (pipeline.build), with the live-reload script
            result = pipeline.build(say=say, dev=True)
            if result.unchanged:
                pass  # said by the build: nothing changed, the preview stays as it is
            elif result.ok:
                say(f"Situs diperbarui ({time.strftime('%H:%M:%S')}).")
            elif result.site:
                say(f"Situs diperbarui ({time.strftime('%H:%M:%S')}), kecuali kota yang gagal di atas; "
                    "perbaiki lalu simpan lagi.")
            else:
                say("Pratinjau belum diperbarui; perbaiki lalu simpan lagi.")
        except Abort as e:
            say(str(e))

    rebuild()
    handler = functools.partial(_QuietHandler, directory=str(SITE_DIR))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    say(f"Pratinjau di http://127.0.0.1:{port}/ — berhenti dengan Ctrl+C.")
    seen = _snapshot()
    try:
        while True:
            time.sleep(1)
            now = _snapshot()
            if now != seen:
                seen = now
                rebuild()
    finally:
        server.shutdown()


import http.server as _http  # noqa: E402


class _QuietHandler(_http.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # the terminal is for build messages
        pass
