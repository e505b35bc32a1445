"""The one path by which city text reaches the books' pandoc Markdown.

A city file is untrusted input. Instead of asking every template to remember an escaping filter,
the book renderer never sees raw city text at all: `escaped()` copies the checked model with every
free-text string replaced by an `Md` value, pandoc Markdown that reads back as exactly the text
typed (plain fields), or a conversion of the safe rich-text subset that can express nothing else
(rich fields, `Kind("markdown")`). Codes, controlled values, colours and other pattern-checked
scalars stay as they are. Templates then insert values as they come; what a template writes itself
is trusted, like code.

Defence in depth behind this: pandoc reads the books with raw HTML, raw attributes, raw TeX and
TeX math turned off (`READER`), in `--sandbox` mode, and the Lua filter drops any link or image
that is not one of ours (templates/pandoc/cetakbiru.lua).
"""

from __future__ import annotations

import copy
import dataclasses
import json
import re
import typing
from typing import Any, Literal, Self, Union

from . import model as m
from . import richtext

# pandoc's Markdown reader for the books: everything that could carry a raw format is off.
READER = "markdown" + "".join(f"-{ext}" for ext in (
    "raw_html", "raw_attribute", "raw_tex", "latex_macros", "tex_math_dollars",
    "tex_math_single_backslash", "tex_math_double_backslash", "markdown_in_html_blocks",
))  # fmt: skip


class Md(str):
    """A string that is safe pandoc Markdown. `raw` is the text it was made from, for the rare
    place that needs the value itself (a file path, an attribute)."""

    raw: str

    def __new__(cls, markdown: str, raw: str | None = None) -> Self:
        obj = super().__new__(cls, markdown)
        obj.raw = markdown if raw is None else raw
        return obj


class RichMd(Md):
    """A rich-text field as pandoc Markdown blocks; `inline` is the same on one line (table cells)."""

    inline: str

    def __new__(cls, markdown: str, raw: str, inline: str) -> Self:
        obj = super().__new__(cls, markdown, raw)
        obj.inline = inline
        return obj


# pandoc Markdown characters that start markup anywhere in a line.
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~^$@&])")
# what starts a block at the beginning of a line: list markers (1. a) (i) #.), quotes, rules,
# headings, definition lists, line blocks, table captions, metadata and title blocks.
_LIST_MARKER = re.compile(r"^(\(?)([0-9]{1,9}|[A-Za-z]|[ivxlcdmIVXLCDM]+|#)([.)])(?=\s|$)")
_LEADING = re.compile(r"^([-+:=])")
_LONG_WORD = re.compile(r"\S{31,}")
# control characters (the check refuses them; never let one reach a tool): C0 but tab and newline, DEL, C1
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
ZWSP = "\u200b"


def _break_long(match: re.Match) -> str:
    word = match.group(0)
    return ZWSP.join(word[i : i + 20] for i in range(0, len(word), 20))


def _escape_marker(match: re.Match) -> str:
    opening, label, delimiter = match.groups()
    followed = match.end() < len(match.string)  # by a space: "A." alone on its line is a list item
    if not opening and delimiter == "." and len(label) == 1 and label.isupper() and followed:
        return match.group(0)  # "H. Syamsul": a capital letter and a period need two spaces to be a list
    return f"{opening}{label}\\{delimiter}"


# a span of years typed with a hyphen; not inside a number, a code or a path ("188.45/2019-2020")
_YEAR_RANGE = re.compile(r"(?<![\w/])(?<!\w[.–-])((?:19|20)\d\d)-((?:19|20)\d\d)(?![\w/]|[.–-]\w)")


def _en_dash(match: re.Match) -> str:
    first, last = match.groups()
    return f"{first}–{last}" if 0 < int(last) - int(first) <= 30 else match.group(0)


def text(value: Any, *, start_of_line: bool = True, strip: bool = True) -> str:
    """Plain text as pandoc Markdown that reads back as the same text, on one line. `strip=False`
    keeps one space at either end (a piece of a sentence)."""
    if value is None:
        return ""
    flat = re.sub(r"\s+", " ", _CONTROL.sub("", str(value)))  # one line: table cells and headings cannot hold breaks
    if strip:
        flat = flat.strip()
    flat = _LONG_WORD.sub(_break_long, flat)  # a 500-character word must still fit the page
    flat = _YEAR_RANGE.sub(_en_dash, flat)  # "2019-2028" → "2019–2028": one dash style in the books
    out = _SPECIAL.sub(r"\\\1", flat)
    if start_of_line:
        out = _LIST_MARKER.sub(_escape_marker, out)
        if out.startswith("Table:"):
            out = "Table\\:" + out[6:]
        out = _LEADING.sub(r"\\\1", out)
    return out


def md(value: Any) -> Md:
    """Plain text → Md (a value already made safe stays as it is)."""
    if isinstance(value, Md):
        return value
    raw = "" if value is None else str(value)
    return Md(text(raw), raw)


def rich(value: str) -> RichMd:
    """A rich-text field → pandoc Markdown of the safe subset, whatever the value holds."""
    blocks, inline = richtext.to_pandoc(_CONTROL.sub("", value), text)
    return RichMd(blocks, value, inline)


def attribute(value: Any) -> str:
    """A value inside a double-quoted pandoc attribute (`alt="..."`): literal, one line."""
    raw = value.raw if isinstance(value, Md) else ("" if value is None else str(value))
    return " ".join(_CONTROL.sub("", raw).split()).replace("\\", "\\\\").replace('"', '\\"')


def yaml_string(value: Any) -> str:
    """A metadata value (already safe Markdown, which pandoc parses) as a YAML double-quoted scalar."""
    return json.dumps(" ".join(_CONTROL.sub("", str(value)).split()), ensure_ascii=False)


def plain(value: Any) -> Any:
    """The text an `Md` value was made from, for comparisons in templates; other values as they are."""
    return value.raw if isinstance(value, Md) else value


# --- the escaped copy of the model ---------------------------------------------------------

# kinds whose values are pattern-checked, so they carry no markup and are used as they are
_VERBATIM_KINDS = {"id", "money", "year", "month", "url", "kode_wilayah", "color"}


def _hints(cls) -> dict[str, Any]:
    from .validate import hints

    return hints(cls)


def _unwrap(tp) -> tuple[Any, list]:
    from .validate import unwrap

    return unwrap(tp)


def _value(value: Any, tp: Any) -> Any:
    if value is None:
        return None
    base, extras = _unwrap(tp)
    if typing.get_origin(base) is Union:
        args = [a for a in typing.get_args(base) if a is not type(None)]
        if len(args) == 1:
            return _value(value, args[0] if not extras else typing.Annotated[args[0], *extras])
    if dataclasses.is_dataclass(value):
        return escaped(value)
    origin = typing.get_origin(base)
    if isinstance(value, list):
        (item_tp,) = typing.get_args(base) or (Any,)
        return [_value(v, item_tp) for v in value]
    if isinstance(value, dict):
        key_tp, value_tp = typing.get_args(base) or (Any, Any)
        return {_value(k, key_tp): _value(v, value_tp) for k, v in value.items()}
    if not isinstance(value, str):
        return value  # numbers, dates, booleans
    kinds = {e.name for e in extras if isinstance(e, m.Kind)}
    if "markdown" in kinds:
        return rich(value)
    if kinds & _VERBATIM_KINDS or origin is Literal or any(isinstance(e, m.Ref) for e in extras):
        return value
    return md(value)


def escaped(obj: Any) -> Any:
    """A copy of a model object in which every free-text string is `Md` (see the module doc)."""
    new = copy.copy(obj)
    hints = _hints(type(obj))
    for fld in dataclasses.fields(obj):
        setattr(new, fld.name, _value(getattr(obj, fld.name), hints.get(fld.name, Any)))
    return new
