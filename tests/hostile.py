"""A city written as an attacker would: a sample city with a payload in every free-text field.

Which fields are free text is read from the model (the same annotations escape.py reads), so a
field added later is attacked too. Plain-text fields get markup of every kind the tools could act
on; rich-text fields get what the rich-text check lets through (code spans with raw attributes,
math, TeX, template syntax), since that is what reaches the renderer.
"""

from __future__ import annotations

import dataclasses
import re
import typing
from pathlib import Path
from typing import Any, Literal, Union

import yaml

from cetakbiru import model as m
from cetakbiru.validate import hints, unwrap

VERBATIM = {"id", "money", "year", "month", "url", "kode_wilayah", "color", "path"}


def plain_payloads(secret: Path, port: int) -> list[str]:
    """Plain-text payloads; each field gets one, in turn, so every kind reaches every book."""
    return [
        "<script>alert('p')</script><img src=x onerror=alert(1)> \"kutip\" 'satu'",
        f"*em* _i_ **b** [l](javascript:alert(2)) ![x](file://{secret}) ![y](http://127.0.0.1:{port}/p.png)",
        "`<w:p/>`{=openxml} `#import \"@preview/cetz:0.3.0\"`{=typst} $x^2$ {{7*7}} {% if 1 %}j{% endif %}",
        f"\\input{{{secret}}} &#34; &amp; | # @cite ^s^ ~t~ [^1] <!-- c --> --- : =",
        "- daftar? 1. daftar? a) b. (i) #. > kutip | garis ::: {.cover}",
        "x" * 300,
        "--- \n---\ntitle: bukan\n...",
    ]


def rich_payloads(secret: Path, port: int) -> list[str]:
    """Rich-text payloads: what the rich-text check lets through (raw attributes and math are
    refused there, and tested against the renderer in test_fuzz_escape and test_sandbox)."""
    return [
        "**tebal** dan *miring* `<w:p><w:r><w:fldSimple w:instr=\"INCLUDEPICTURE "
        f"http://127.0.0.1:{port}/r.png\"/></w:r></w:p>` {{=openxml}}",
        f"`#import \"@preview/cetz:0.3.0\"` `\\input{{{secret}}}` `<script>alert(3)</script>` {{=html}}",
        "\\begin{verbatim}x\\end{verbatim} {{7*7}} {% raw %} @cite [^1] ::: {.cover} US$5 dan US$6",
        "[tautan](https://contoh.go.id/a_(b)) <https://contoh.go.id/auto>\n\n- satu `x`\n- dua\n\n> kutip",
    ]


def _is_free_text(tp: Any) -> bool:
    base, extras = unwrap(tp)
    if typing.get_origin(base) is Union:
        args = [a for a in typing.get_args(base) if a is not type(None)]
        if len(args) == 1:
            return _is_free_text(typing.Annotated[args[0], *extras] if extras else args[0])
        base = str if str in args else base
    if base is not str and typing.get_origin(base) is not Union:
        return False
    kinds = {e.name for e in extras if isinstance(e, m.Kind)}
    if kinds & VERBATIM or typing.get_origin(base) is Literal or any(isinstance(e, m.Ref) for e in extras):
        return False
    return True


def _is_rich(tp: Any) -> bool:
    base, extras = unwrap(tp)
    if typing.get_origin(base) is Union:
        args = [a for a in typing.get_args(base) if a is not type(None)]
        if len(args) == 1:
            return _is_rich(args[0])
    return any(isinstance(e, m.Kind) and e.name == "markdown" for e in extras)


class Poisoner:
    def __init__(self, secret: Path, port: int):
        self.plain, self.rich = plain_payloads(secret, port), rich_payloads(secret, port)
        self.n = 0

    def text(self, tp: Any, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        if _is_rich(tp) or _is_free_text(tp):
            self.n += 1
            choices = self.rich if _is_rich(tp) else self.plain
            return f"{choices[self.n % len(choices)]} ({self.n})"  # numbered: keys stay unique
        return value

    def value(self, tp: Any, value: Any) -> Any:
        base, extras = unwrap(tp)
        if typing.get_origin(base) is Union:
            args = [a for a in typing.get_args(base) if a is not type(None)]
            if len(args) == 1:
                return self.value(typing.Annotated[args[0], *extras] if extras else args[0], value)
        if dataclasses.is_dataclass(value):
            return self.obj(value)
        if isinstance(value, list):
            (item,) = typing.get_args(base) or (Any,)
            return [self.value(item, v) for v in value]
        if isinstance(value, dict):
            key_tp, value_tp = typing.get_args(base) or (Any, Any)
            return {self.text(key_tp, k): self.value(value_tp, v) for k, v in value.items()}
        return self.text(tp, value)

    def obj(self, obj: Any) -> dict:
        out = {}
        types = hints(type(obj))
        for fld in dataclasses.fields(obj):
            value = getattr(obj, fld.name)
            if value is None or value == [] or value == {}:
                continue
            out[fld.name] = self.value(types[fld.name], value)
            if isinstance(obj, m.Pustaka):
                out[fld.name] = _for_bibliography(out[fld.name])
        return out


def _for_bibliography(value: Any) -> Any:
    """A payload the check lets into the Daftar Pustaka: it refuses square brackets and 'xxx' there
    (placeholder text, validate._PLACEHOLDER_TEXT), so these become parentheses and 'yyy'; every
    other character still reaches the bibliography."""
    if isinstance(value, list):
        return [_for_bibliography(v) for v in value]
    if not isinstance(value, str):
        return value
    return re.sub(r"x{3,}", lambda found: "y" * len(found.group()), value, flags=re.I).translate(
        str.maketrans("[]", "()"))


def hostile_city_yaml(plan: m.Masterplan, secret: Path, port: int) -> tuple[str, int]:
    """The plan as YAML with every free-text field poisoned; (text, number of poisoned fields)."""
    p = Poisoner(secret, port)
    data = p.obj(plan)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000), p.n
