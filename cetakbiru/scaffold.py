"""`build.py new SLUG`: a complete, commented city file with the six dimensions ready to fill.

It passes `check` with warnings only: every "ISI: ..." placeholder is a warning, so `--strict`
refuses to publish a file that still has one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import jinja2

from . import labels
from .catalog import load_catalog
from .paths import SHARE
from .pipeline import CITIES_DIR, SLUG_RE
from .problems import Abort, display_name
from .schema import MODELINE
from .validate import REGION_KIND_PREFIX

TEMPLATES = SHARE / "templates"

# Slugs that start with the region's kind: `kota-bogor`, `kabupaten-kutai-timur`, `kab-bogor`.
_SLUG_KINDS = (("kabupaten-", "kabupaten"), ("kab-", "kabupaten"), ("kota-", "kota"))


def slug_kind(slug: str) -> tuple[str | None, str]:
    """(the kind the slug starts with or None, the rest): ('kota', 'bogor') for kota-bogor."""
    for prefix, kind in _SLUG_KINDS:
        if slug.startswith(prefix) and len(slug) > len(prefix):
            return kind, slug[len(prefix):]
    return None, slug


def default_name(slug: str) -> str:
    """The region's name from its slug, without its kind (the books write 'Kota' or 'Kabupaten'
    before it): kota-bogor → Bogor, kabupaten-kutai-timur → Kutai Timur."""
    return slug_kind(slug)[1].replace("-", " ").title()


def render(slug: str, *, jenis: str | None = None, nama: str | None = None, provinsi: str | None = None,
           tahun: int | None = None, today: dt.date | None = None) -> str:
    """`jenis` None: the kind the slug starts with (kabupaten-..., kab-...), else kota."""
    catalog, reports = load_catalog()
    if catalog is None:
        raise Abort("\n".join(str(p) for r in reports for p in r.problems))
    from_slug = slug_kind(slug)[0]
    if jenis == "kota" and from_slug == "kabupaten":  # asked for a kota with a kabupaten's slug
        raise Abort(f"Slug '{slug}' menyebut kabupaten, padahal jenis daerahnya kota: tambahkan --jenis kabupaten, "
                    "atau pilih slug lain.", code=2)
    jenis = jenis or from_slug or "kota"
    if nama:
        found = REGION_KIND_PREFIX.match(nama)
        if found:
            raise Abort(f"Nama daerah ditulis tanpa '{found.group(1)}', karena buku menuliskannya sendiri: "
                        f"--nama {_yaml_text(found.group(2))}", code=2)
    nama = nama or default_name(slug)
    today = today or dt.date.today()
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined, keep_trailing_newline=True
    )
    return env.get_template("scaffold.yaml.j2").render(
        modeline=MODELINE,
        slug=slug,
        jenis=jenis,
        jenis_label=labels.region_words(jenis)["jenis"],
        kepala_label=labels.region_words(jenis)["kepala"],
        nama=nama,
        nama_yaml=_yaml_text(nama),
        provinsi=(provinsi or "ISI: nama provinsi").replace('"', "'"),
        tahun=tahun or today.year + 1,
        hari_ini=today.isoformat(),
        dimensi=catalog.kerangka.dimensi,
        elemen=[e for e in catalog.elemen.elemen if e.utama],
        sumber_dana=", ".join(catalog.funding_sources),
    )


def _yaml_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write(slug: str, *, cities_dir: Path = CITIES_DIR, **options) -> str:
    if not SLUG_RE.match(slug):
        raise Abort(f"Slug '{slug}' tidak valid: gunakan huruf kecil, angka, dan tanda hubung, mis. kota-bogor.",
                    code=2)
    path = cities_dir / f"{slug}.yaml"
    if path.exists():
        raise Abort(f"{display_name(str(path))} sudah ada; tidak ditimpa. Pilih slug lain atau hapus berkas itu dulu.")
    text = render(slug, **options)
    cities_dir.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as fh:  # "x": never overwrite, even in a race
        fh.write(text)
    return display_name(str(path))
