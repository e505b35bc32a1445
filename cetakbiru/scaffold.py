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

TEMPLATES = SHARE / "templates"


def render(slug: str, *, jenis: str = "kota", nama: str | None = None, provinsi: str | None = None,
           tahun: int | None = None, today: dt.date | None = None) -> str:
    catalog, reports = load_catalog()
    if catalog is None:
        raise Abort("\n".join(str(p) for r in reports for p in r.problems))
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
        nama=nama or slug.replace("-", " ").title(),
        nama_yaml=_yaml_text(nama or slug.replace("-", " ").title()),
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
