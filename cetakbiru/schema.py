"""JSON Schema of a city file, generated from `model.py` and the shipped catalog.

Editors read it through the `yaml-language-server` modeline that every scaffold carries, so a
consultant gets completion, descriptions (in Indonesian) and red squiggles while typing. The
validator stays the authority: the schema is a convenience and never stricter than `check`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import typing
from pathlib import Path
from typing import Any, Literal, Union

from . import model as m
from .catalog import Catalog, load_catalog
from .paths import project
from .problems import Abort
from .validate import fields, hints, is_required, optional_inner, unwrap

DEFAULT_PATH = project() / "schema" / "masterplan.schema.json"  # beside cities/: the scaffolds' modeline points here
MODELINE = "# yaml-language-server: $schema=../schema/masterplan.schema.json"

_TEXT = {"type": ["string", "number"]}  # text fields also take what YAML reads as a number (nomor: 84)


def _ref_schema(kind: str, catalog: Catalog) -> dict:
    codes = {
        "dimensi": list(catalog.dimensions),
        "sumber_dana": list(catalog.funding_sources),
        "elemen": list(catalog.elements),
        "sub_elemen": list(catalog.sub_elements),
        "dimensi_evaluasi": list(catalog.evaluation_dimensions),
        "lingkup_swot": [*catalog.elements, *catalog.dimensions, "umum"],
    }.get(kind)
    if codes is not None:
        return {"enum": codes}
    if kind == "sub_dimensi":  # the framework's, or a city's own sub_dimensi_lokal
        return {"anyOf": [{"enum": list(catalog.sub_dimensions)}, {"type": "string"}]}
    return dict(_TEXT)


class _Builder:
    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.defs: dict[str, Any] = {}

    def type_schema(self, tp) -> dict:
        inner = optional_inner(tp)
        if inner is not None:
            tp = inner
        base, extras = unwrap(tp)
        kind = next((e.name for e in extras if isinstance(e, m.Kind)), None)
        ref = next((e.kind for e in extras if isinstance(e, m.Ref)), None)
        rng = next((e for e in extras if isinstance(e, m.Range)), None)
        if ref is not None:
            return _ref_schema(ref, self.catalog)
        if dataclasses.is_dataclass(base):
            return self.dataclass_ref(base)
        origin = typing.get_origin(base)
        if origin is list:
            return {"type": "array", "items": self.type_schema(typing.get_args(base)[0])}
        if origin is dict:
            key_tp, value_tp = typing.get_args(base)
            out: dict[str, Any] = {"type": "object", "additionalProperties": self.type_schema(value_tp)}
            key_base, key_extras = unwrap(key_tp)
            if any(isinstance(e, m.Kind) and e.name == "year" for e in key_extras):
                out["propertyNames"] = {"pattern": "^[0-9]{4}$"}
            else:
                key_schema = self.type_schema(key_tp)
                if "enum" in key_schema:
                    out["propertyNames"] = key_schema
            return out
        if origin is Literal:
            return {"enum": list(typing.get_args(base))}
        if kind == "value" or origin is Union:
            return {"type": ["number", "string"]}
        if base is bool:
            return {"type": "boolean"}
        if base is int or base is float:
            out = {"type": "integer" if base is int else "number"}
            if rng and rng.lo is not None:
                out["minimum"] = rng.lo
            if rng and rng.hi is not None:
                out["maximum"] = rng.hi
            return out
        if base is dt.date:
            return {"type": "string", "format": "date"}
        if kind == "month":
            return {"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$"}
        if kind == "kode_wilayah":
            return {"type": ["string", "number"], "pattern": "^[0-9]{2}\\.[0-9]{2}$"}
        if kind == "color":
            return {"type": "string", "pattern": "^#[0-9A-Fa-f]{6}$"}
        if kind in ("url", "path", "markdown"):
            return {"type": "string"}
        return dict(_TEXT)

    def dataclass_ref(self, cls) -> dict:
        name = cls.__name__
        if name not in self.defs:
            self.defs[name] = {}  # placeholder against recursion
            props, required = {}, []
            for fname, fld in fields(cls).items():
                prop = self.type_schema(hints(cls)[fname])
                prop = {**prop, "description": fld.metadata.get("doc", "")}
                example = fld.metadata.get("example")
                if example is not None:
                    prop["examples"] = [_jsonable(example)]
                props[fname] = prop
                if is_required(fld):
                    required.append(fname)
            body: dict[str, Any] = {"type": "object", "additionalProperties": False, "properties": props}
            if cls.__doc__ and cls is m.Masterplan:
                body["description"] = cls.__doc__.strip()
            if required:
                body["required"] = required
            self.defs[name] = body
        return {"$ref": f"#/definitions/{name}"}


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def generate(catalog: Catalog) -> dict:
    b = _Builder(catalog)
    root = b.dataclass_ref(m.Masterplan)
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "Masterplan Smart City (Cetak Biru)",
        **root,
        "definitions": b.defs,
    }


def render(catalog: Catalog) -> str:
    return json.dumps(generate(catalog), ensure_ascii=False, indent=1) + "\n"


def write(path: Path | None = None) -> Path:
    catalog, reports = load_catalog()
    if catalog is None:
        raise Abort("\n".join(str(p) for r in reports for p in r.problems))
    path = path or DEFAULT_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(render(catalog), encoding="utf-8")
    tmp.replace(path)
    return path
