#!/usr/bin/env python3
"""Benchmark the national build: N synthetic cities, built as a user builds them.

    .venv/bin/python bench/scale.py [--n 10 100 514] [--jobs J] [--sample K] [--keep DIR]

For each N it synthesises N varied cities (seeded: the two samples and the sparse test city as
bases, kota and kabupaten, A4 and F4, a third of them with pictures and a logo, a share of their
rencana aksi dropped), then runs `build.py -q` in a project of their own and prints:

- cold: the first build (books and site), no-op: the same again, edit: one city's visi changed;
  each with the peak memory of the whole process tree (the sum of RSS, sampled every 0.1 s);
- `books` run once with nothing changed but without a record of the last build (manifest.py):
  every city checked and rendered, no book made;
- the site step alone on every city (site.build, timed in this process), per page;
- the floor: the same books by the bare tools run one after another (pandoc → DOCX, pandoc →
  typst → PDF with the typst binding, one LibreOffice converting every DOCX), measured on K
  cities and scaled to N by their number of books, and the ratio of the cold build to it;
- the PDFs by our path (typst) against pandoc's xelatex path on the same K cities, when xelatex
  is installed (Debian: texlive-xetex, and librsvg2-bin for the SVG figures).

Speed is measured here, never in tests.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from cetakbiru import pdf, pipeline  # noqa: E402
from cetakbiru.raster import to_png  # noqa: E402

BASES = {  # base file → its own name in prose, and how often it is drawn
    ROOT / "cities" / "tanjungpinang.yaml": ("Tanjungpinang", 3),
    ROOT / "cities" / "kutai-timur.yaml": ("Kutai Timur", 3),
    ROOT / "tests" / "fixtures" / "lembah-hijau.yaml": ("Lembah Hijau", 2),
}
SYLLABLES = ["ban", "jar", "sari", "ma", "lang", "tan", "jung", "mu", "ara", "bu", "kit", "su", "ka",
             "ra", "wa", "ti", "pa", "dang", "se", "ru", "ni", "ga", "lo", "mbok"]
PROJECT_FILES = ["build.py", "cetakbiru", "content", "data", "fonts", "templates", "schema", "mkdocs.yml",
                 "requirements.txt", "requirements-dev.txt"]


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data):  # city files may not hold anchors
        return True


def _name(rng: random.Random, taken: set[str]) -> str:
    while True:
        name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
        if name not in taken and len(name) > 4:
            taken.add(name)
            return name


def synthesise(n: int, cities: Path, seed: int = 2026) -> list[str]:
    """Write n varied, valid city files into `cities`; returns their slugs."""
    rng = random.Random(seed)
    bases = [(path, yaml.safe_load(path.read_text()), own) for path, (own, weight) in BASES.items()
             for _ in range(weight)]
    taken: set[str] = set()
    slugs = []
    for i in range(n):
        path, data, own = rng.choice(bases)
        data = yaml.safe_load(yaml.dump(data, Dumper=_NoAliases))  # a copy
        name = _name(rng, taken)
        kind = data["daerah"]["jenis"]
        slug = f"{kind}-{name.lower()}"
        data["daerah"]["kode_wilayah"] = f"{11 + i // 90:02d}.{(71 if kind == 'kota' else 1) + i % 90 % 28:02d}"
        if data["dokumen"]["status"] == "draf":  # published, like every city of a national portal
            data["dokumen"]["status"] = "final"
        data["dokumen"].setdefault("gaya", {})["kertas"] = rng.choice(["A4", "A4", "F4"])
        if len(data.get("rencana_aksi") or []) > 10:
            keep = rng.uniform(0.5, 1.0)
            data["rencana_aksi"] = [r for r in data["rencana_aksi"] if rng.random() < keep] or data["rencana_aksi"][:1]
        folder = cities / slug
        if i % 3 == 0:  # pictures: a map and a logo, drawn for this city
            folder.mkdir(parents=True, exist_ok=True)
            color = f"#{rng.randrange(0x1000000):06X}"
            svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="80mm" height="50mm" viewBox="0 0 80 50">'
                   f'<rect width="80" height="50" fill="{color}"/><circle cx="40" cy="25" r="{rng.randint(5, 20)}" '
                   f'fill="#FFFFFF"/></svg>')
            (folder / "peta.png").write_bytes(to_png(svg, 80))
            (folder / "logo.png").write_bytes(to_png(svg, 40))
            data["daerah"]["gambar"] = [{"berkas": "peta.png", "judul": "Peta Administrasi",
                                         "alt": f"Peta wilayah {name}", "sumber": "Bappeda"}]
            data["dokumen"]["logo"] = {"berkas": "logo.png", "judul": "Logo", "alt": f"Logo {name}"}
        text = yaml.dump(data, Dumper=_NoAliases, allow_unicode=True, sort_keys=False, width=100)
        (cities / f"{slug}.yaml").write_text(text.replace(own, name), encoding="utf-8")
        slugs.append(slug)
    checked = pipeline.check([str(cities / f"{s}.yaml") for s in slugs])
    if checked.errors:
        raise SystemExit("synthetic cities do not pass the checks:\n" + "\n".join(map(str, checked.errors[:20])))
    return slugs


# --- running and measuring -----------------------------------------------------------------------


def _tree_rss(root: int) -> int:
    """The resident memory of `root` and every process below it, in bytes."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack += children.get(pid, [])
    return total


def run(project: Path, *args: str) -> tuple[float, int, str]:
    """`build.py ARGS` in `project`: seconds, peak memory of its process tree, and its output."""
    env = {**os.environ, "CETAKBIRU_PROJECT": str(project), "CETAKBIRU_NO_VENV": "1"}
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(project / "build.py"), *args], cwd=project, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = [0]

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = proc.communicate()
    elapsed = time.perf_counter() - started
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"build.py {' '.join(args)} failed:\n{output[-3000:]}")
    return elapsed, peak[0], output


def site_alone(project: Path, work: Path) -> float:
    """Seconds for the site step alone (pages, mkdocs, Pagefind) on every city, from the books
    the build made, into a folder of its own."""
    from cetakbiru import site

    cities = pipeline.check(cities_dir=project / "cities").cities
    t0 = time.perf_counter()
    site.build(cities, books_dir=project / "build" / "buku", out=work / "site", work=work / "kerja")
    return time.perf_counter() - t0


def sources(cities: list[Path], work: Path) -> list[tuple[Path, dict]]:
    """Every book of these cities rendered as the build renders it (Markdown with its figures),
    with the options of its PDF."""
    from cetakbiru import books, render

    out = []
    for city in pipeline.check([str(c) for c in cities]).cities:
        options = {"paper": city.plan.dokumen.gaya.kertas, "variables": books.pdf_variables(city)}
        for book in render.books_of(city.plan):
            rendered = render.render_book(city.plan, city.catalog, book)
            out.append((books.write_sources(city, rendered, work / city.slug / rendered.slug), options))
    return out


def floor(sources: list[tuple[Path, dict]], work: Path) -> dict[str, float]:
    """The bare tools on these books, one after another, with their defaults: seconds per tool."""
    import pypandoc
    import typst

    pandoc = pypandoc.get_pandoc_path()
    out = {"pandoc-docx": 0.0, "pandoc-typst": 0.0, "typst": 0.0, "libreoffice": 0.0}
    docx_dir = work / "docx"
    docx_dir.mkdir(parents=True, exist_ok=True)
    for i, (src, _) in enumerate(sources):
        t0 = time.perf_counter()
        subprocess.run([pandoc, str(src), "-o", str(docx_dir / f"{i}.docx")], cwd=src.parent, check=True,
                       capture_output=True)
        t1 = time.perf_counter()
        typ = src.with_name("bare.typ")
        subprocess.run([pandoc, str(src), "-t", "typst", "-s", "-o", str(typ)], cwd=src.parent, check=True,
                       capture_output=True)
        t2 = time.perf_counter()
        typst.compile(str(typ), output=str(src.with_name("bare.pdf")), root=str(src.parent))
        t3 = time.perf_counter()
        out["pandoc-docx"] += t1 - t0
        out["pandoc-typst"] += t2 - t1
        out["typst"] += t3 - t2
    profile = Path(tempfile.mkdtemp(prefix="cb-bench-lo-"))
    t0 = time.perf_counter()
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to", "pdf",
                    "--outdir", str(work / "lo"), *map(str, sorted(docx_dir.glob("*.docx")))],
                   check=True, capture_output=True)
    out["libreoffice"] = time.perf_counter() - t0
    shutil.rmtree(profile, ignore_errors=True)
    return out


def pdf_paths(sources: list[tuple[Path, dict]]) -> tuple[float, float | None, int]:
    """Our PDF step (pdf.build) and pandoc's xelatex path on the same books: seconds each (None
    when xelatex is not installed), and how many books xelatex could not make (its SVG figures
    need rsvg-convert: Debian librsvg2-bin)."""
    import pypandoc

    ours = 0.0
    for src, options in sources:
        t0 = time.perf_counter()
        pdf.build(src, src.with_name("ours.pdf"), **options)
        ours += time.perf_counter() - t0
    if shutil.which("xelatex") is None:
        return ours, None, 0
    xelatex, failed = 0.0, 0
    for src, _ in sources:
        t0 = time.perf_counter()
        done = subprocess.run([pypandoc.get_pandoc_path(), str(src), "-o", str(src.with_name("xelatex.pdf")),
                               "--pdf-engine=xelatex", "-V", "mainfont=Liberation Sans"],
                              cwd=src.parent, capture_output=True)
        xelatex += time.perf_counter() - t0
        failed += done.returncode != 0
    return ours, xelatex, failed


def bench(n: int, jobs: int | None, sample: int, keep: Path | None) -> None:
    base = keep or Path(tempfile.mkdtemp(prefix=f"cb-scale-{n}-"))
    project = base / "proyek"
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, project / name)
    t0 = time.perf_counter()
    slugs = synthesise(n, project / "cities")
    t_synth = time.perf_counter() - t0
    flags = ["-q", *(["-j", str(jobs)] if jobs else [])]
    cold, cold_mem, _ = run(project, *flags)
    noop, noop_mem, _ = run(project, *flags)
    books_noop, _, _ = run(project, "books", *flags)
    edited = project / "cities" / f"{slugs[n // 2]}.yaml"
    data = yaml.safe_load(edited.read_text(encoding="utf-8"))
    data["visi"]["teks"] += " dan Berkelanjutan"  # every book but the quick-win one shows the visi
    edited.write_text(yaml.dump(data, Dumper=_NoAliases, allow_unicode=True, sort_keys=False, width=100),
                      encoding="utf-8")
    edit, edit_mem, _ = run(project, *flags)
    pages = sum(1 for _ in (project / "site").rglob("*.html"))
    site = site_alone(project, base / "situs")
    books_dir = project / "build" / "buku"
    books = sum(1 for _ in books_dir.glob("*/*.md"))
    chosen = sources([project / "cities" / f"{s}.yaml" for s in slugs[: min(sample, n)]], base / "lantai")
    scale = books / len(chosen)
    tools = {k: v * scale for k, v in floor(chosen, base / "lantai").items()}
    bare = sum(tools.values())
    ours_pdf, xelatex, xelatex_failed = pdf_paths(chosen)
    gib = 1024 ** 3
    print(f"\nN = {n} cities ({books} books, {pages} pages; synthesised in {t_synth:.1f} s; "
          f"jobs = {jobs or os.cpu_count()})")
    print(f"  cold build        {cold:8.1f} s   peak {cold_mem / gib:5.2f} GiB   {cold / n:.2f} s per city")
    print(f"  no-op rebuild     {noop:8.1f} s   peak {noop_mem / gib:5.2f} GiB   "
          f"(without its record, `books` checks and renders every city: {books_noop:.1f} s)")
    print(f"  one-city edit     {edit:8.1f} s   peak {edit_mem / gib:5.2f} GiB   (books and site)")
    print(f"  site              {site:8.1f} s   {site / pages * 1000:.0f} ms per page")
    print(f"  floor (bare tools, one after another; {len(chosen)} books measured, x{scale:.1f}):")
    for tool, seconds in tools.items():
        print(f"    {tool:<16}{seconds:8.1f} s")
    print(f"    {'total':<16}{bare:8.1f} s   cold build / floor = {cold / bare:.2f}")
    line = f"  PDF, {len(chosen)} books: ours (typst) {ours_pdf:.1f} s"
    if xelatex is None:
        print(line + "; pandoc + xelatex: not installed (apt-get install texlive-xetex)")
    else:
        failures = f" ({xelatex_failed} of them failed)" if xelatex_failed else ""
        print(line + f", pandoc + xelatex {xelatex:.1f} s{failures}: ours is {xelatex / ours_pdf:.1f} times faster")
    if keep is None:
        shutil.rmtree(base, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, nargs="+", default=[10, 100, 514])
    ap.add_argument("--jobs", type=int, default=None, help="worker processes (default: every core)")
    ap.add_argument("--sample", type=int, default=6, help="cities the floor is measured on")
    ap.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = ap.parse_args()
    for n in args.n:
        bench(n, args.jobs, args.sample, args.keep / str(n) if args.keep else None)


if __name__ == "__main__":
    main()
