"""City pictures (`gambar[].berkas`, `dokumen.logo`): safe to read, and what they claim to be.

A city file names pictures by a path relative to `cities/<slug>/` (its characters, extension and
'..' are checked by validate.py). This module is the only reader of those files:

- **Path**: the path is opened component by component from `cities/<slug>/` with O_NOFOLLOW, so a
  symbolic link anywhere (the city folder itself, a folder on the way, the file) is refused; the
  file must be a regular file (no FIFO or device) and is read with a bounded read, whatever `stat`
  says about its size.
- **PNG and JPEG** are decoded by Pillow (the bytes must match the extension, the pixel count is
  limited before anything is decoded), then re-encoded without metadata (EXIF with its GPS
  position, XMP, ICC, text chunks), with the EXIF orientation applied.
- **SVG** is parsed without DTDs, entities or network, refused when it holds active content
  (scripts, event attributes, `javascript:`), embedded pictures or references outside itself, and
  rebuilt from an allowlist of drawing elements and attributes. The clean SVG goes into the PDF;
  a PNG rendered from it by typst (shipped fonts only) goes into DOCX and onto the site, which
  never serves a city's SVG.

`problems()` gives the checker its Indonesian messages; `book_files()` and `site_file()` give the
builders the safe bytes. Results are memoised per file identity (inode, mtime, size), so a check
and a build in one run decode each picture once.
"""

from __future__ import annotations

import errno
import io
import os
import re
import stat
import warnings
from collections import OrderedDict
from pathlib import Path

from .problems import display_name

MAX_BYTES = 20 * 1024 * 1024  # per picture file
MAX_PIXELS = 50_000_000  # decoded size of a PNG or JPEG (a 50-megapixel photo)
MAX_SVG_NODES = 100_000  # SVG elements after expanding <use>
SVG_RASTER_LONG_SIDE_MM = 180  # the PNG of an SVG: long side 180 mm at RASTER_PPI (about 1560 px)
RASTER_PPI = 220

_KIND = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".svg": "SVG"}
_MAGIC = {"PNG": (b"\x89PNG\r\n\x1a\n",), "JPEG": (b"\xff\xd8\xff",)}
_EXT_FOR = {"PNG": ".png", "JPEG": ".jpg"}


class PictureError(Exception):
    """A picture that cannot be used; the message is in Indonesian, ready for the consultant."""


def kind_of(relative: str) -> str:
    """'PNG', 'JPEG' or 'SVG', from the extension (any case)."""
    return _KIND[os.path.splitext(relative)[1].lower()]


def served_name(relative: str) -> str:
    """The name of the bitmap a picture is published as: an SVG becomes a PNG of the same stem
    (the Lua filter points DOCX at that name too); PNG and JPEG keep their name."""
    if kind_of(relative) == "SVG":
        return relative[: -len(".svg")] + ".png"
    return relative


# --- public API ---------------------------------------------------------------------------------


def problems(city_dir: Path, relative: str) -> list[str]:
    """What is wrong with the picture `relative` of the city folder `city_dir`, in Indonesian."""
    try:
        _sanitized(Path(city_dir), relative)
    except PictureError as e:
        return [str(e)]
    return []


def book_files(city_dir: Path, relative: str) -> dict[str, bytes]:
    """The files a book needs for a picture, by path relative to the book's folder: the clean
    picture under its own name and, for an SVG, its PNG beside it (for DOCX).
    Raises PictureError (Indonesian message) when the picture is not usable."""
    clean, raster = _sanitized(Path(city_dir), relative)
    out = {relative: clean}
    if raster is not None:
        out[served_name(relative)] = raster
    return out


def site_file(city_dir: Path, relative: str) -> tuple[str, bytes]:
    """The file the site publishes for a picture: (name relative to the city's picture folder,
    bytes). Always PNG or JPEG: a city's SVG is never served from the site's origin."""
    clean, raster = _sanitized(Path(city_dir), relative)
    return served_name(relative), raster if raster is not None else clean


def clean_file(city_dir: Path, relative: str) -> bytes:
    """The picture as the build uses it (re-encoded, or the rebuilt SVG): what a city's last good
    version keeps (books.py), a file the checks accept again."""
    return _sanitized(Path(city_dir), relative)[0]


def named(plan) -> list:
    """Every picture a city file names (model.Gambar): its own pictures, those of its dimension
    profiles, quick wins and appendices, and its logo."""
    out = [*plan.daerah.gambar, *(g for p in plan.profil_dimensi for g in p.gambar),
           *(g for q in plan.quick_win for g in q.gambar), *(g for x in plan.lampiran for g in x.gambar)]
    return [*out, plan.dokumen.logo] if plan.dokumen.logo else out


# --- memo ---------------------------------------------------------------------------------------

_CACHE: OrderedDict[tuple, tuple[bytes, bytes | None] | PictureError] = OrderedDict()
_CACHE_SIZE = 64


def _sanitized(city_dir: Path, relative: str) -> tuple[bytes, bytes | None]:
    """(clean bytes, PNG raster for an SVG or None), memoised per file identity."""
    fd, st = _open(city_dir, relative)
    try:
        key = (relative, st.st_dev, st.st_ino, st.st_mtime_ns, st.st_ctime_ns, st.st_size)
        if key in _CACHE:
            _CACHE.move_to_end(key)
            found = _CACHE[key]
        else:
            try:
                found = _process(_read(fd, relative), relative)
            except PictureError as e:
                found = e
            _CACHE[key] = found
            while len(_CACHE) > _CACHE_SIZE:
                _CACHE.popitem(last=False)
    finally:
        os.close(fd)
    if isinstance(found, PictureError):
        raise PictureError(str(found))
    return found


# --- reading the file -------------------------------------------------------------------------

_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


def _symlink(relative: str, part: str | None) -> PictureError:
    if part is None:
        return PictureError(f"berkas gambar '{relative}' adalah tautan simbolik (symlink); "
                            "salin berkas aslinya ke folder kota")
    return PictureError(f"folder '{part}' pada berkas gambar '{relative}' adalah tautan simbolik (symlink); "
                        "salin berkas aslinya ke folder kota")


def _open(city_dir: Path, relative: str) -> tuple[int, os.stat_result]:
    """An fd on the picture, opened without following any symbolic link, and its fstat."""
    missing = PictureError(f"berkas gambar '{relative}' tidak ditemukan di folder {display_name(str(city_dir))}/")
    try:
        st = os.lstat(city_dir)
    except (FileNotFoundError, NotADirectoryError):
        raise missing from None
    except OSError:
        raise PictureError(f"berkas gambar '{relative}' tidak dapat dibaca") from None
    if stat.S_ISLNK(st.st_mode):
        raise PictureError(f"folder kota {display_name(str(city_dir))}/ adalah tautan simbolik (symlink); "
                           "jadikan folder biasa berisi berkas gambar aslinya")
    if not stat.S_ISDIR(st.st_mode):
        raise missing
    parts = relative.split("/")
    try:
        dir_fd = os.open(city_dir, os.O_RDONLY | _O_DIRECTORY | _O_NOFOLLOW | _O_CLOEXEC)
    except OSError:
        raise PictureError(f"berkas gambar '{relative}' tidak dapat dibaca") from None
    try:
        for i, name in enumerate(parts):
            last = i == len(parts) - 1
            where = None if last else "/".join(parts[: i + 1])
            if name in ("", ".."):
                raise missing
            try:
                st = os.lstat(name, dir_fd=dir_fd)
            except (FileNotFoundError, NotADirectoryError):
                raise missing from None
            if stat.S_ISLNK(st.st_mode):
                raise _symlink(relative, where)
            if not last:
                if not stat.S_ISDIR(st.st_mode):
                    raise missing
                flags = os.O_RDONLY | _O_DIRECTORY | _O_NOFOLLOW | _O_CLOEXEC
            else:
                if not stat.S_ISREG(st.st_mode):
                    raise _not_regular(relative)
                # O_NONBLOCK: a FIFO swapped in after lstat must not block the open
                flags = os.O_RDONLY | _O_NOFOLLOW | _O_NONBLOCK | _O_CLOEXEC
            try:
                fd = os.open(name, flags, dir_fd=dir_fd)
            except OSError as e:  # ELOOP: replaced by a symbolic link since lstat
                if e.errno in (errno.ELOOP, errno.EMLINK):
                    raise _symlink(relative, where) from None
                raise
            os.close(dir_fd)
            dir_fd = fd
        st = os.fstat(dir_fd)
        if not stat.S_ISREG(st.st_mode):
            raise _not_regular(relative)
        fd, dir_fd = dir_fd, -1  # handed to the caller, who closes it
        return fd, st
    except OSError:
        raise PictureError(f"berkas gambar '{relative}' tidak dapat dibaca") from None
    finally:
        if dir_fd >= 0:
            os.close(dir_fd)


def _not_regular(relative: str) -> PictureError:
    return PictureError(f"berkas gambar '{relative}' bukan berkas biasa (misalnya folder, pipe, atau perangkat)")


def _read(fd: int, relative: str) -> bytes:
    """At most MAX_BYTES + 1 bytes, whatever the file's size claims."""
    os.set_blocking(fd, True)
    chunks, total = [], 0
    while total <= MAX_BYTES:
        try:
            chunk = os.read(fd, min(1 << 20, MAX_BYTES + 1 - total))
        except OSError:
            raise PictureError(f"berkas gambar '{relative}' tidak dapat dibaca") from None
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    if total > MAX_BYTES:
        raise PictureError(f"berkas gambar '{relative}' lebih besar dari {MAX_BYTES // (1024 * 1024)} MB; "
                           "perkecil ukurannya")
    if total == 0:
        raise PictureError(f"berkas gambar '{relative}' kosong")
    return b"".join(chunks)


# --- content ----------------------------------------------------------------------------------


def _process(data: bytes, relative: str) -> tuple[bytes, bytes | None]:
    kind = kind_of(relative)
    if kind == "SVG":
        return _svg(data, relative)
    if not data.startswith(_MAGIC[kind]):
        raise PictureError(_mismatch(data, relative, kind))
    return _bitmap(data, relative, kind), None


def _mismatch(data: bytes, relative: str, kind: str) -> str:
    msg = f"berkas gambar '{relative}' bukan {kind} yang sah (isinya tidak cocok dengan ekstensinya)"
    for other, magics in _MAGIC.items():
        if other != kind and data.startswith(magics):
            return msg + f"; isinya {other}, jadi ganti ekstensinya menjadi {_EXT_FOR[other]}"
    return msg


def _corrupt(relative: str) -> PictureError:
    return PictureError(f"berkas gambar '{relative}' rusak atau terpotong; simpan ulang dari aplikasi pembuatnya")


def _too_many_pixels(relative: str) -> PictureError:
    return PictureError(f"berkas gambar '{relative}' terlalu besar: lebih dari {MAX_PIXELS // 1_000_000} juta piksel; "
                        "perkecil resolusinya")


def _bitmap(data: bytes, relative: str, kind: str) -> bytes:
    """The picture decoded and re-encoded in the same format, without any metadata."""
    from PIL import Image, ImageOps

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=[kind]) as im:
                width, height = im.size
                if width * height > MAX_PIXELS:  # before a single pixel is decoded
                    raise _too_many_pixels(relative)
                im.verify()
            with Image.open(io.BytesIO(data), formats=[kind]) as opened:
                opened.load()
                plain = _plain_mode(ImageOps.exif_transpose(opened), kind)
                # a fresh image: nothing of the original's `info` (EXIF, XMP, ICC, text) comes along
                clean = Image.frombytes(plain.mode, plain.size, plain.tobytes())
        except PictureError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):  # Pillow's own guard
            raise _too_many_pixels(relative) from None
        except Exception:  # Pillow raises many kinds on hostile input; all mean the same here
            raise _corrupt(relative) from None
    out = io.BytesIO()
    if kind == "PNG":
        clean.save(out, "PNG", compress_level=6)
    else:
        clean.save(out, "JPEG", quality=90, optimize=True)
    return out.getvalue()


def _plain_mode(im, kind: str):
    """RGB, RGBA (PNG only) or L, as a browser, typst and Word all read them."""
    has_alpha = im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (im.mode == "P" and "transparency" in im.info) \
        or (im.mode in ("RGB", "L") and "transparency" in im.info)
    if im.mode.startswith("I;16") or im.mode == "I":  # 16-bit greyscale: scale to 8 bits
        return im.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    if im.mode == "1":
        return im.convert("L")
    if im.mode == "L" and not has_alpha:
        return im
    if kind == "PNG" and has_alpha:
        return im.convert("RGBA")
    return im.convert("RGB")


# --- SVG --------------------------------------------------------------------------------------

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"

# Drawing elements kept (SVG namespace). Everything else is dropped with its content: metadata,
# editor namespaces (Inkscape, Illustrator), foreignObject, animation (<set>/<animate> can change
# attributes such as href), and so on. `a` is kept as a plain group.
_ELEMENTS = {
    "svg", "g", "defs", "symbol", "use", "switch", "a",
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
    "text", "tspan", "textPath",
    "linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker", "style",
    "filter", "feGaussianBlur", "feOffset", "feBlend", "feColorMatrix", "feComposite", "feFlood", "feMerge",
    "feMergeNode", "feDropShadow", "feComponentTransfer", "feFuncR", "feFuncG", "feFuncB", "feFuncA",
    "feMorphology",
}  # fmt: skip

# Attributes kept (no namespace), besides `href`/`xlink:href` (local '#id' only) and `xml:space`.
_ATTRIBUTES = {
    "id", "class", "style", "transform", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy",
    "fr", "width", "height", "d", "points", "pathLength", "viewBox", "preserveAspectRatio", "version",
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity", "stroke-linecap",
    "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset", "opacity", "color", "display",
    "visibility", "clip-path", "clip-rule", "mask", "filter", "font-family", "font-size", "font-weight",
    "font-style", "font-variant", "font-stretch", "font", "text-anchor", "dominant-baseline", "alignment-baseline",
    "baseline-shift", "letter-spacing", "word-spacing", "text-decoration", "writing-mode", "direction",
    "unicode-bidi", "stop-color", "stop-opacity", "marker-start", "marker-mid", "marker-end", "marker",
    "paint-order", "vector-effect", "shape-rendering", "text-rendering", "image-rendering", "color-interpolation",
    "color-interpolation-filters", "mix-blend-mode", "isolation", "overflow", "flood-color", "flood-opacity",
    "lighting-color", "dx", "dy", "rotate", "textLength", "lengthAdjust", "startOffset", "method", "spacing", "side",
    "gradientUnits", "gradientTransform", "spreadMethod", "offset", "patternUnits", "patternContentUnits",
    "patternTransform", "clipPathUnits", "maskUnits", "maskContentUnits", "markerWidth", "markerHeight",
    "markerUnits", "refX", "refY", "orient", "filterUnits", "primitiveUnits", "in", "in2", "result",
    "stdDeviation", "mode", "operator", "k1", "k2", "k3", "k4", "values", "type", "tableValues", "slope",
    "intercept", "amplitude", "exponent", "radius", "requiredFeatures", "requiredExtensions", "systemLanguage",
    "media",
}  # fmt: skip

_LOCAL_REF = re.compile(r"#[A-Za-z_][\w.:-]*")
_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.I | re.S)


def _svg_problem(relative: str, what: str) -> PictureError:
    messages = {
        "xml": "bukan SVG yang sah (XML-nya rusak); ekspor ulang dari aplikasi pembuatnya",
        "root": "bukan SVG yang sah (isinya tidak cocok dengan ekstensinya)",
        "entity": "memakai entitas XML (<!ENTITY>); ekspor ulang sebagai SVG biasa",
        "script": "berisi skrip (<script>, atribut on..., atau tautan javascript:); ekspor ulang gambarnya tanpa skrip",
        "image": "memuat gambar lain di dalamnya (<image>); ekspor gambarnya sebagai PNG atau JPG",
        "external": "merujuk ke berkas atau alamat di luar dirinya (href, url(), atau @import); "
                    "SVG harus berdiri sendiri",
        "css": "memuat gaya (CSS) yang tidak diizinkan (@import, url() ke luar, atau garis miring terbalik)",
        "complex": f"terlalu rumit untuk digambar (lebih dari {MAX_SVG_NODES:_} elemen, ".replace("_", ".")
                   + "termasuk salinan <use>); sederhanakan atau ekspor sebagai PNG",
        "render": "tidak dapat digambar; ekspor ulang SVG-nya atau gunakan PNG",
    }
    return PictureError(f"berkas gambar '{relative}' {messages[what]}")


def _local(name) -> str:
    return name.split("}", 1)[1] if isinstance(name, str) and name.startswith("{") else name


def _ns(name) -> str | None:
    return name[1:].split("}", 1)[0] if isinstance(name, str) and name.startswith("{") else None


def _css_ok(css: str) -> str | None:
    """None when `css` is safe, else the problem kind."""
    if "\\" in css or "@import" in css.lower() or "expression(" in css.lower():
        return "css"
    for _, target in _URL.findall(css):
        if not _LOCAL_REF.fullmatch(target.strip()):
            return "external"
    if re.search(r"url\s*\(", css, re.I) and not _URL.search(css):
        return "css"
    return None


def _svg(data: bytes, relative: str) -> tuple[bytes, bytes]:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                             huge_tree=False, remove_comments=True, remove_pis=True, recover=False)
    try:
        root = etree.fromstring(data, parser)
    except Exception:  # XMLSyntaxError mostly; its message would quote the file
        if data.lstrip()[:1] != b"<":
            raise _svg_problem(relative, "root") from None
        raise _svg_problem(relative, "xml") from None
    if _local(root.tag) != "svg" or _ns(root.tag) not in (None, SVG_NS):
        raise _svg_problem(relative, "root")
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise _svg_problem(relative, "entity")
    _svg_hostile(root, relative)
    clean = _svg_rebuild(root, etree)
    _svg_size_guard(clean, relative)
    svg = etree.tostring(clean, xml_declaration=True, encoding="UTF-8")
    return svg, _svg_raster(svg, clean, relative)


def _svg_hostile(root, relative: str) -> None:
    """Refuse what has no place in a picture, wherever it is (even inside parts that would be dropped)."""
    from lxml import etree

    for el in root.iter():
        if isinstance(el, etree._Entity):
            raise _svg_problem(relative, "entity")
        if not isinstance(el.tag, str):
            continue
        name, ns = _local(el.tag), _ns(el.tag)
        if name.lower() in ("script", "handler", "listener"):
            raise _svg_problem(relative, "script")
        svg_el = ns in (None, SVG_NS)
        if svg_el and name in ("image", "feImage"):
            raise _svg_problem(relative, "image")
        for attr, value in el.attrib.items():
            aname = _local(attr)
            compact = re.sub(r"[\s\x00-\x1f]", "", value).lower()
            if aname.lower().startswith("on") or compact.startswith(("javascript:", "vbscript:")):
                raise _svg_problem(relative, "script")
            if aname == "href" and svg_el and not _LOCAL_REF.fullmatch(value.strip()):
                raise _svg_problem(relative, "external")
            if svg_el and (aname == "style" or "url(" in compact):
                problem = _css_ok(value)
                if problem:
                    raise _svg_problem(relative, problem)
        if svg_el and name == "style":
            problem = _css_ok("".join(el.itertext()))
            if problem:
                raise _svg_problem(relative, problem)


def _svg_rebuild(root, etree):
    """A new tree with only the allowed elements and attributes of `root`."""

    def copy(src, parent):
        name = _local(src.tag)
        tag = "g" if name == "a" else name
        dst = etree.Element(f"{{{SVG_NS}}}{tag}", nsmap={None: SVG_NS, "xlink": XLINK_NS}) if parent is None \
            else etree.SubElement(parent, f"{{{SVG_NS}}}{tag}")
        for attr, value in src.attrib.items():
            ns, aname = _ns(attr), _local(attr)
            if aname == "href" and ns in (None, XLINK_NS):
                if name != "a":
                    dst.set(f"{{{XLINK_NS}}}href", value.strip())  # local '#id', checked above
            elif ns == XML_NS and aname == "space":
                dst.set(attr, value)
            elif ns is None and aname in _ATTRIBUTES:
                dst.set(aname, value)
        if name in ("text", "tspan", "textPath", "style"):
            dst.text = src.text
        for child in src:
            if isinstance(child.tag, str) and _ns(child.tag) in (None, SVG_NS) and _local(child.tag) in _ELEMENTS:
                kept = copy(child, dst)
                if name in ("text", "tspan", "textPath"):
                    kept.tail = child.tail
        return dst

    return copy(root, None)


def _svg_size_guard(clean, relative: str) -> None:
    """Refuse an SVG whose drawing, with every <use> expanded, has too many elements (a few nested
    <use> of <use> multiply like the 'billion laughs')."""
    everything = list(clean.iter())  # held, so that lxml keeps one proxy (one id()) per element
    ids = {el.get("id"): el for el in everything if el.get("id")}
    memo: dict[int, int] = {}
    active: set[int] = set()

    def size(el) -> int:
        key = id(el)
        if key in memo:
            return memo[key]
        if key in active:  # a <use> that reaches itself: usvg skips it, count it once
            return 1
        active.add(key)
        total = 1
        for child in el:
            total += size(child)
            if total > MAX_SVG_NODES:
                break
        if _local(el.tag) == "use":
            target = ids.get((el.get(f"{{{XLINK_NS}}}href") or "")[1:])
            if target is not None:
                total += size(target)
        active.discard(key)
        memo[key] = total
        return total

    if size(clean) > MAX_SVG_NODES:
        raise _svg_problem(relative, "complex")


_LENGTH = re.compile(r"\s*([0-9.]+(?:e[-+]?\d+)?)\s*(px|pt|pc|mm|cm|in)?\s*", re.I)
_PER_PX = {None: 1.0, "px": 1.0, "pt": 4 / 3, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0}


def _aspect(clean) -> float:
    """Width / height of the SVG's drawing, from width/height or the viewBox; 1 when unknown."""
    sizes = []
    for attr in ("width", "height"):
        m = _LENGTH.fullmatch(clean.get(attr) or "")
        sizes.append(float(m.group(1)) * _PER_PX[(m.group(2) or "").lower() or None] if m else None)
    w, h = sizes
    if not (w and h):
        try:
            _, _, w, h = (float(v) for v in re.split(r"[\s,]+", (clean.get("viewBox") or "").strip()))
        except ValueError:
            return 1.0
    if not (w and h and w > 0 and h > 0):
        return 1.0
    return min(max(w / h, 1 / 50), 50)


def _svg_raster(svg: bytes, clean, relative: str) -> bytes:
    from .raster import to_png

    aspect = _aspect(clean)
    width_mm = SVG_RASTER_LONG_SIDE_MM if aspect >= 1 else SVG_RASTER_LONG_SIDE_MM * aspect
    try:
        return to_png(svg.decode("utf-8"), width_mm, ppi=RASTER_PPI)
    except Exception:  # typst refuses what it cannot draw; the message would quote the file
        raise _svg_problem(relative, "render") from None
