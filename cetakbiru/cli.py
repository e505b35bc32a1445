"""The command line, in Bahasa Indonesia: `python build.py [check|new|schema] ...`.

Expected failures (bad input, missing files) print a message and exit non-zero, never a traceback.
So do failures of the machine (disk full, read-only folder) and, as a last resort, bugs: the
message names the file and what to do, or the kind of error and whom to tell.
"""

from __future__ import annotations

import argparse
import errno
import os
import re
import sys
import traceback
from pathlib import Path

from . import __version__, labels
from .paths import INSTALLED
from .problems import Abort, display_name, os_reason

# argparse's own words, in Indonesian (it looks `_` up at call time).
_ARGPARSE_ID = {
    "usage: ": "penggunaan: ",
    "positional arguments": "argumen posisi",
    "options": "opsi",
    "show this help message and exit": "tampilkan bantuan ini lalu keluar",
    "%(prog)s: error: %(message)s\n": "%(prog)s: galat: %(message)s\n",
    "the following arguments are required: %s": "argumen berikut wajib diisi: %s",
    "unrecognized arguments: %s": "argumen tidak dikenal: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "pilihan tidak dikenal: %(value)r (pilih dari %(choices)s)",
    "argument %(argument_name)s: %(message)s": "argumen %(argument_name)s: %(message)s",
    "expected one argument": "memerlukan satu nilai",
    "ambiguous option: %(option)s could match %(matches)s": "opsi ambigu: %(option)s cocok dengan %(matches)s",
    "invalid %(type)s value: %(value)r": "nilai %(type)s tidak valid: %(value)r",
}


def _translate(text: str) -> str:
    return _ARGPARSE_ID.get(text, text)


argparse._ = _translate  # type: ignore[attr-defined]

_MAIN_HELP = """\
Cetak Biru: dari satu berkas YAML per kota menjadi buku masterplan smart city dan situs publik.

Tanpa perintah, menjalankan pekerjaan utama: memeriksa semua kota di cities/, membuat bukunya,
lalu membangun situs publik di site/.

contoh:
  python build.py                      pekerjaan utama
  python build.py check                periksa semua kota
  python build.py check tanjungpinang  periksa satu kota
  python build.py books                buat buku DOCX dan PDF semua kota
  python build.py site                 bangun situs publik di site/
  python build.py serve                pratinjau situs yang diperbarui otomatis
  python build.py new kota-contoh      buat kerangka kota baru
  python build.py schema               tulis JSON Schema untuk editor
"""


# The command as the user runs it: `python build.py` in a checkout, `cetakbiru` once installed
# (`pip install .`); the help's examples are written for the first and shown for the second.
PROG = "cetakbiru" if INSTALLED else "build.py"


class _Help(argparse.RawDescriptionHelpFormatter):
    def format_help(self) -> str:
        text = super().format_help()
        if INSTALLED:  # same columns: the 6 characters saved go after the example
            text = re.sub(r"python build\.py(\S*(?: \S+)*)(  +)", r"cetakbiru\1\2      ", text)
            text = text.replace("python build.py", "cetakbiru")
        return text


def _targets(p: argparse.ArgumentParser) -> None:
    p.add_argument("targets", nargs="*", metavar="KOTA|BERKAS", help="slug kota atau jalur berkas (bawaan: semua kota)")


STRICT_HELP = ("perlakukan peringatan sebagai galat, dan hentikan semuanya bila satu kota gagal "
               "(bawaan: kota yang gagal mempertahankan versi terakhirnya, kota lain tetap dibuat)")


def _strict(p: argparse.ArgumentParser, help: str = STRICT_HELP) -> None:
    # SUPPRESS: `build.py --strict check` keeps the global flag instead of this default
    p.add_argument("--strict", action="store_true", default=argparse.SUPPRESS, help=help)


def _jobs(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"harus bilangan bulat 1 atau lebih, tertulis '{value}'")
    return int(value)


def _build_options(p: argparse.ArgumentParser, default=argparse.SUPPRESS) -> None:
    p.add_argument("--jobs", "-j", type=_jobs, metavar="N", default=default,
                   help="jumlah proses yang bekerja bersamaan (bawaan: semua inti prosesor)")
    p.add_argument("--quiet", "-q", action="store_true", default=default,
                   help="tanpa tampilan kemajuan dan daftar buku; hanya masalah, kegagalan, dan ringkasan")


def _parser() -> argparse.ArgumentParser:
    fmt = _Help
    p = argparse.ArgumentParser(prog=PROG, description=_MAIN_HELP, formatter_class=fmt)
    p.add_argument("--strict", action="store_true", help=STRICT_HELP)
    _build_options(p, default=None)
    p.add_argument("--version", action="version", version=f"cetakbiru {__version__}",
                   help="tampilkan versi lalu keluar")
    sub = p.add_subparsers(dest="command", title="perintah", metavar="PERINTAH")

    c = sub.add_parser(
        "check",
        help="periksa berkas kota dan laporkan setiap kesalahan",
        description="Memeriksa berkas kota dan melaporkan setiap kesalahan dengan letaknya "
        "(berkas:baris:kolom), sekaligus untuk semua berkas. Keluar dengan kode 1 bila ada galat.\n\n"
        "contoh:\n  python build.py check\n  python build.py check tanjungpinang cities/kutai-timur.yaml",
        formatter_class=fmt,
    )
    _targets(c)
    _strict(c, "perlakukan peringatan sebagai galat")

    n = sub.add_parser(
        "new",
        help="buat kerangka berkas kota baru",
        description="Menulis cities/SLUG.yaml: kerangka lengkap berkomentar dengan enam dimensi siap diisi. "
        "Kerangka ini lolos pemeriksaan dengan peringatan saja; ganti setiap 'ISI: ...'.\n\n"
        "contoh:\n  python build.py new kota-contoh --nama \"Contoh\" --provinsi \"Jawa Barat\"\n"
        "  python build.py new kabupaten-contoh --jenis kabupaten",
        formatter_class=fmt,
    )
    n.add_argument("slug", metavar="SLUG", help="nama berkas: huruf kecil, angka, tanda hubung (mis. kota-bogor)")
    n.add_argument("--jenis", choices=list(labels.region_kinds()), default=None,
                   help="jenis daerah (bawaan: dari awal slug, kabupaten-… atau kab-…; selain itu kota)")
    n.add_argument("--nama", help="nama daerah tanpa 'Kota'/'Kabupaten' (bawaan: dari slug)")
    n.add_argument("--provinsi", help="nama provinsi")
    n.add_argument("--tahun", type=int, help="tahun pertama masa berlaku (bawaan: tahun depan)")

    b = sub.add_parser(
        "books",
        help="buat buku (DOCX dan PDF) untuk setiap kota",
        description="Memeriksa kota, lalu membuat setiap bukunya (bawaan: Buku I Analisis Strategis, "
        "Buku II Masterplan, Buku III Quick Win, Ringkasan Eksekutif) sebagai DOCX dan PDF di build/buku/<kota>/. "
        "Kota yang gagal diperiksa atau dibuat mempertahankan buku terakhirnya; kota lain tetap dibuat, "
        "dan perintah keluar dengan kode 1. Pekerjaan dibagi ke semua inti prosesor (--jobs).\n\n"
        "contoh:\n  python build.py books\n  python build.py books tanjungpinang --format pdf\n"
        "  python build.py books --jobs 4 --quiet",
        formatter_class=fmt,
    )
    _targets(b)
    b.add_argument("--format", default="docx,pdf", help="format dipisah koma: docx, pdf (bawaan: docx,pdf)")
    _strict(b)
    _build_options(b)

    st = sub.add_parser(
        "site",
        help="buat situs publik di site/ (kota final dan ditetapkan)",
        description="Memeriksa kota, membuat ulang buku yang berubah, lalu membangun situs publik di site/ "
        "(mkdocs-material dan pencarian Pagefind) dari setiap kota berstatus final atau ditetapkan. "
        "Kota berstatus draf tidak muncul di mana pun. Kota yang gagal mempertahankan versi terakhirnya "
        "di situs.\n\ncontoh:\n  python build.py site",
        formatter_class=fmt,
    )
    _strict(st)
    _build_options(st)
    sv = sub.add_parser(
        "serve",
        help="pratinjau situs yang dibangun ulang setiap ada perubahan",
        description="Membangun situs, menyajikannya di http://127.0.0.1:PORT/, dan membangunnya ulang "
        "setiap kali berkas kota, templat, atau halaman content/ berubah; halaman di peramban dimuat ulang "
        "sendiri.\n\ncontoh:\n  python build.py serve --port 8000",
        formatter_class=fmt,
    )
    sv.add_argument("--port", type=int, default=8000, help="port lokal (bawaan: 8000)")

    s = sub.add_parser(
        "schema",
        help="tulis JSON Schema untuk pelengkapan otomatis di editor",
        description="Menulis JSON Schema berkas kota, yang dipakai ekstensi YAML VS Code untuk "
        "melengkapi dan menandai kolom saat mengetik.\n\ncontoh:\n  python build.py schema",
        formatter_class=fmt,
    )
    s.add_argument("--keluaran", metavar="BERKAS", help="jalur berkas keluaran (bawaan: schema/masterplan.schema.json)")
    return p


def _say(text: str) -> None:
    print(text, file=sys.stderr)


def cmd_check(targets: list[str], strict: bool) -> int:
    from . import pipeline

    return 0 if pipeline.build(targets, books=False, strict=strict, say=_say).ok else 1


def _progress(args):
    from . import progress

    return progress.for_stream(sys.stderr, quiet=bool(args.quiet))


def cmd_books(args) -> int:
    from . import pipeline

    chosen = tuple(f.strip() for f in args.format.split(",") if f.strip())
    result = pipeline.build(args.targets, site=False, formats=chosen, strict=args.strict, say=_say,
                            jobs=args.jobs, progress=_progress(args))
    if not args.quiet:
        for b in result.books:
            files = ", ".join(display_name(str(p)) for k, p in b.files.items() if k != "md")
            _say(f"{b.city}: {b.title} → {files}{'' if b.fresh else ' (tidak berubah)'}")
    if result.books:
        fresh = sum(b.fresh for b in result.books)
        cities = len({b.city for b in result.books})
        _say(f"Selesai: {len(result.books)} buku dari {cities} kota ({fresh} dibuat, "
             f"{len(result.books) - fresh} tidak berubah).")
    return 0 if result.ok else 1


def cmd_site(args) -> int:
    """`site` and the bare main job: check, books (only what changed is rebuilt), site."""
    from . import pipeline

    result = pipeline.build(strict=args.strict, say=_say, jobs=args.jobs, progress=_progress(args))
    if result.books:
        fresh = sum(b.fresh for b in result.books)
        cities = len({b.city for b in result.books})
        _say(f"Buku: {len(result.books)} buku dari {cities} kota di build/buku/ ({fresh} dibuat).")
    if result.site:
        _say(f"Situs: {len(result.site)} daerah terbit di site/ (daerah berstatus draf tidak diterbitkan).")
    return 0 if result.ok else 1


def cmd_new(args) -> int:
    from . import scaffold

    path = scaffold.write(args.slug, jenis=args.jenis, nama=args.nama, provinsi=args.provinsi, tahun=args.tahun)
    run = "cetakbiru" if INSTALLED else "python build.py"
    _say(f"Kerangka ditulis ke {path}. Ganti setiap 'ISI: ...', lalu jalankan: {run} check {args.slug}")
    return 0


def cmd_schema(args) -> int:
    from . import schema

    path = schema.write(Path(args.keluaran) if args.keluaran else None)
    _say(f"JSON Schema ditulis ke {display_name(str(path))}.")
    return 0


# What to do about a failed operating-system call, by errno.
_OS_ADVICE = {
    errno.ENOSPC: "Kosongkan ruang disk, lalu jalankan ulang perintah ini.",
    getattr(errno, "EDQUOT", -1): "Kosongkan ruang disk, lalu jalankan ulang perintah ini.",
    errno.EROFS: "Jalankan perintah ini dari salinan proyek di folder yang dapat ditulisi.",
    errno.EACCES: "Pastikan pengguna ini boleh membaca dan menulis di folder itu, atau mintalah bantuan "
    "pengelola komputer.",
    errno.EPERM: "Pastikan pengguna ini boleh membaca dan menulis di folder itu, atau mintalah bantuan "
    "pengelola komputer.",
    errno.ENOTDIR: "Ada berkas biasa di tempat yang seharusnya folder; pindahkan atau ganti nama berkas itu.",
    errno.EISDIR: "Ada folder di tempat yang seharusnya berkas; pindahkan atau ganti nama folder itu.",
    errno.EADDRINUSE: "Pilih port lain dengan --port.",
}

# Where each command writes: named when the failing call did not say which file it was.
_OUTPUTS = {"new": "cities/", "books": "build/buku/", "site": "build/buku/ dan site/", "serve": "build/buku/ dan site/",
            None: "build/buku/ dan site/"}


def _os_error_message(e: OSError, args) -> str:
    """An operating-system failure as one Indonesian sentence: which file, why, what to do."""
    reason = os_reason(e)
    advice = _OS_ADVICE.get(e.errno, "")
    blocked = e.filename is not None and os.path.lexists(e.filename) and not os.path.isdir(e.filename)
    if e.errno == errno.EEXIST and blocked:  # mkdir(exist_ok=True) when a file stands where a folder must be
        reason = "sudah ada sebagai berkas, padahal di sini diperlukan folder (EEXIST)"
        advice = _OS_ADVICE[errno.ENOTDIR]
    if e.filename is not None:
        where = display_name(os.fsdecode(e.filename))
        if e.filename2 is not None:
            where += f" → {display_name(os.fsdecode(e.filename2))}"
        text = f"Gagal: {where}: {reason}."
    else:
        out = _OUTPUTS.get(args.command)
        if args.command == "schema":
            out = display_name(args.keluaran) if args.keluaran else "schema/masterplan.schema.json"
        text = f"Gagal: {reason} saat menulis ke {out}." if out else f"Gagal: {reason}."
    return f"{text} {advice}".rstrip()


def _bug_message(e: BaseException) -> str:
    return (f"Galat internal: pekerjaan berhenti karena {type(e).__name__} yang tidak terduga; ini kesalahan program "
            "Cetak Biru. Laporkan kepada pengelola Cetak Biru beserta perintah yang dijalankan dan pesan ini; "
            "jalankan ulang dengan CETAKBIRU_DEBUG=1 untuk menampilkan rincian teknisnya.")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except Abort as e:
        _say(str(e))
        return e.code
    except KeyboardInterrupt:
        _say("Dibatalkan.")
        return 130
    except OSError as e:  # disk full, read-only or missing folder, permission denied, a tool not found...
        _say(_os_error_message(e, args))
        if os.environ.get("CETAKBIRU_DEBUG"):
            traceback.print_exc()
        return 1
    except Exception as e:  # a bug: still a message, never a bare traceback
        _say(_bug_message(e))
        if os.environ.get("CETAKBIRU_DEBUG"):
            traceback.print_exc()
        return 1


def _run(args) -> int:
    if args.command == "check":
        return cmd_check(args.targets, args.strict)
    if args.command == "new":
        return cmd_new(args)
    if args.command == "schema":
        return cmd_schema(args)
    if args.command == "books":
        return cmd_books(args)
    if args.command == "site":
        return cmd_site(args)
    if args.command == "serve":
        from . import site

        site.serve(args.port, _say)
        return 0
    return cmd_site(args)  # the main job: check, books, site
