"""The language catalogue (templates/teks/<lang>.yaml): every key the code asks for is there, and a
second catalogue can be checked against the Indonesian one, key for key."""

import ast
import copy
import string
import typing

import pytest
import yaml
from conftest import ROOT

from cetakbiru import export, figures, labels
from cetakbiru import model as m
from cetakbiru.derive import JANGKA_ORDER, Derived

# --- keys used by the code ---------------------------------------------------------------------
# The Python code reads its reader-facing words with `teks("section", "key", ...)` (cetakbiru/labels.py)
# or through a function that passes its parameters on to `teks`: `labels.frame(word)` is
# `teks("buku_kerangka", word)`, `figures._words(figure, key)` is `teks("gambar", figure, key)`. The
# scan below finds those functions itself (any function whose `teks` call takes one of its
# parameters), then every call of `teks` or of such a function; literal arguments (and a literal
# subscript of the result, `region_words(j)["kepala"]`) give the path, anything else is known only at
# run time (DYN). A `.format(...)` on a fully literal entry must name exactly the entry's {fields}.

PACKAGE = ROOT / "cetakbiru"
CATALOGUES = ROOT / "templates" / "teks"
REFERENCE = CATALOGUES / f"{labels.LANGUAGE}.yaml"
DYN = object()  # a key known only at run time
BASE = ("labels", "teks")


def load(path=REFERENCE) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _literal(node: ast.AST):
    if isinstance(node, ast.Constant) and isinstance(node.value, str | int) and not isinstance(node.value, bool):
        return node.value
    return DYN


class _Module:
    def __init__(self, path):
        self.name = path.stem
        self.tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        self.imports: dict[str, tuple[str, str]] = {}  # a bare name → (module, function)
        self.modules: dict[str, str] = {}  # a name bound to a module of the package → its name
        for node in ast.walk(self.tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                for alias in node.names:
                    if node.module:  # from .labels import frame
                        self.imports[alias.asname or alias.name] = (node.module, alias.name)
                    else:  # from . import labels
                        self.modules[alias.asname or alias.name] = alias.name

    def target(self, func: ast.AST) -> tuple[str, str] | None:
        """(module, function) a call goes to, when it is a function of the package."""
        if isinstance(func, ast.Name):
            return self.imports.get(func.id, (self.name, func.id))
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in self.modules:
            return self.modules[func.value.id], func.attr
        return None


def _modules() -> list[_Module]:
    return [_Module(p) for p in sorted(PACKAGE.glob("*.py"))]


def _paths(module: _Module, call: ast.Call, wrappers: dict, params: list[str]) -> list[tuple]:
    """The catalogue paths one call reads: items are literal keys, DYN, or ("param", name)."""
    target = module.target(call.func)
    if target is None or (target != BASE and target not in wrappers):
        return []

    def arg(node):
        if isinstance(node, ast.Name) and node.id in params:
            return ("param", node.id)
        return _literal(node)

    if target == BASE:
        return [tuple(arg(a) for a in call.args)]
    names, templates = wrappers[target]
    given = dict(zip(names, call.args, strict=False)) | {k.arg: k.value for k in call.keywords if k.arg}
    out = []
    for template in templates:
        path = []
        for item in template:
            if isinstance(item, tuple):  # the wrapper's own parameter: what this call passes
                path.append(arg(given[item[1]]) if item[1] in given else DYN)
            else:
                path.append(item)
        out.append(tuple(path))
    return out


def _functions(tree: ast.AST):
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def find_wrappers(modules: list[_Module]) -> dict:
    """(module, function) → (parameter names, [path template]) of every function that passes one of
    its parameters on to `teks`, directly or through another such function."""
    wrappers: dict = {}
    changed = True
    while changed:
        changed = False
        for module in modules:
            for fn in _functions(module.tree):
                params = [a.arg for a in fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs]
                templates = [p for call in ast.walk(fn) if isinstance(call, ast.Call)
                             for p in _paths(module, call, wrappers, params)
                             if any(isinstance(item, tuple) for item in p)]
                key = (module.name, fn.name)
                if templates and wrappers.get(key, (None, []))[1] != templates:
                    wrappers[key] = (params, templates)
                    changed = True
    return wrappers


def uses(modules: list[_Module] | None = None) -> tuple[list[tuple[str, tuple]], list[tuple[str, tuple, set]]]:
    """([(where, path)], [(where, path, keyword names of its .format)]) of every catalogue read."""
    modules = modules if modules is not None else _modules()
    wrappers = find_wrappers(modules)
    found, formats = [], []
    for module in modules:
        parents = {child: node for node in ast.walk(module.tree) for child in ast.iter_child_nodes(node)}
        for call in ast.walk(module.tree):
            if not isinstance(call, ast.Call):
                continue
            for path in _paths(module, call, wrappers, []):
                parent = parents.get(call)
                if isinstance(parent, ast.Subscript) and parent.value is call:  # region_words(j)["kepala"]
                    path += (_literal(parent.slice),)
                where = f"cetakbiru/{module.name}.py:{call.lineno}"
                found.append((where, path))
                # X.format(...) or str(X).format(...)
                if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) and parent.func.id == "str":
                    parent = parents.get(parent)
                if isinstance(parent, ast.Attribute) and parent.attr == "format":
                    outer = parents.get(parent)
                    if isinstance(outer, ast.Call) and outer.func is parent and DYN not in path:
                        formats.append((where, path, {k.arg for k in outer.keywords}))
    return found, formats


def missing(node, path: tuple, shown: str = "") -> list[str]:
    """Where `path` leaves the catalogue. DYN: a non-empty section, one of whose entries has the rest."""
    if not path:
        return []
    key, rest = path[0], path[1:]
    if key is DYN:
        if not isinstance(node, dict | list) or not node:
            return [f"{shown or '(top)'} is not a section"]
        children = list(node.values() if isinstance(node, dict) else node)
        if not rest or any(not missing(child, rest) for child in children):
            return []
        return [f"{shown}.*: no entry has {'.'.join('*' if k is DYN else str(k) for k in rest)}"]
    here = f"{shown}.{key}" if shown else str(key)
    if not isinstance(node, dict) or key not in node:
        return [f"{here} is missing"]
    return missing(node[key], rest, here)


def fields(text) -> set[str]:
    """The {fields} of a catalogue string (none for anything else)."""
    if not isinstance(text, str):
        return set()
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:  # a lone brace: compared as it is
        return {f"<{text}>"}


def test_every_key_the_code_reads_is_in_the_catalogue():
    catalogue = load()
    found, _ = uses()
    problems = [f"{where}: {problem}" for where, path in found for problem in missing(catalogue, path)]
    assert not problems, "\n".join(problems)


def test_every_format_of_an_entry_gives_its_fields():
    catalogue = load()
    _, formats = uses()
    problems = []
    for where, path, given in formats:
        node = catalogue
        for key in path:
            node = node[key]
        if fields(node) != given:
            problems.append(f"{where}: {'.'.join(map(str, path))} has {sorted(fields(node))}, the code gives "
                            f"{sorted(given)}")
    assert not problems, "\n".join(problems)


def test_the_scan_sees_direct_calls_wrappers_subscripts_and_formats():
    """The scan itself: without it the two tests above would pass on nothing."""
    found, formats = uses()
    paths = {path for _, path in found}
    assert ("docx", "daftar_kosong") in paths  # labels.teks("docx", ...)
    assert ("buku_kerangka", "kosong") in paths  # frame("kosong"), imported from labels
    assert ("buku_kerangka", "bab") in paths  # labels.frame('bab')
    assert ("gambar", "kesiapan", "judul") in paths  # figures._words, a wrapper of a wrapper's kind
    assert ("data", "rencana_aksi", DYN) in paths  # export._columns: a parameter and a loop variable
    assert ("daerah", DYN, "kepala") in paths  # region_words(daerah.jenis)["kepala"]
    assert any(path == ("gambar", "peta_jalan", "alt") for _, path, _ in formats)
    assert any(path == ("data", "judul") and given == {"daerah"} for _, path, given in formats)


def test_the_scan_finds_a_key_the_catalogue_lacks(tmp_path):
    code = tmp_path / "probe.py"
    code.write_text("from .labels import teks\n\n\ndef word(key):\n    return teks('gambar', 'kesiapan', key)\n\n\n"
                    "X = word('tidak_ada')\nY = teks('gambar', 'kesiapan', 'judul').format(lebih=1)\n")
    found, formats = uses([*_modules(), _Module(code)])
    catalogue = load()
    problems = [p for where, path in found if where.startswith("cetakbiru/probe.py") for p in missing(catalogue, path)]
    assert problems == ["gambar.kesiapan.tidak_ada is missing"]
    ((_, path, given),) = [f for f in formats if f[0].startswith("cetakbiru/probe.py")]
    assert fields(catalogue["gambar"]["kesiapan"]["judul"]) != given


def test_every_value_the_model_allows_has_its_words():
    """The keys the code reads at run time: every value a city file may hold has its label."""
    catalogue = load()

    def allowed(cls, name):
        return set(typing.get_args(typing.get_type_hints(cls)[name]))

    assert allowed(m.Program, "jangka") <= set(catalogue["jangka"])
    assert set(JANGKA_ORDER) <= set(catalogue["gambar"]["peta_jalan"]["jangka"])
    assert allowed(m.QuickWin, "status") <= set(catalogue["status"])
    assert allowed(m.Dokumen, "status") <= set(catalogue["status_dokumen"])
    assert allowed(m.Daerah, "jenis") == set(catalogue["daerah"])
    assert set(typing.get_args(m.JenisBuku)) == set(labels.BOOK_KINDS) <= set(catalogue["buku"])
    assert set(range(1, 6)) <= set(catalogue["skala_kesiapan"])
    levels = Derived.RISK_LEVEL
    assert allowed(m.Risiko, "kemungkinan") == allowed(m.Risiko, "dampak") == set(levels)
    assert {a * b for a in levels.values() for b in levels.values()} <= set(catalogue["tingkat_risiko"])
    assert len(catalogue["bulan"]) == len(catalogue["bulan_singkat"]) == 12
    # the open data: one description per column, no description of a column that is gone
    assert list(catalogue["data"]["rencana_aksi"]) == list(export.RENCANA_AKSI_COLUMNS)
    assert list(catalogue["data"]["quick_win"]) == list(export.QUICK_WIN_COLUMNS)
    assert figures.JANGKA_LABEL == {j: catalogue["gambar"]["peta_jalan"]["jangka"][j] for j in JANGKA_ORDER}


# The same keys in every catalogue: `same_keys(a, b)` lists where two catalogues differ in shape (a
# key only one has, a section against a word, lists of different lengths, a string whose {fields}
# differ), so a later templates/teks/en.yaml is checked against id.yaml.


def same_keys(a, b, path: str = "") -> list[str]:
    """Where catalogue `b` differs in shape from catalogue `a`; empty when they agree."""
    here = path or "(top)"

    def at(key) -> str:
        return f"{path}.{key}" if path else str(key)

    if isinstance(a, dict) and isinstance(b, dict):
        out = [f"{at(k)}: missing" for k in sorted(a.keys() - b.keys(), key=str)]
        out += [f"{at(k)}: not in the reference" for k in sorted(b.keys() - a.keys(), key=str)]
        return out + [d for k in a if k in b for d in same_keys(a[k], b[k], at(k))]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{here}: {len(b)} entries, the reference has {len(a)}"]
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in same_keys(x, y, f"{path}[{i}]")]
    if isinstance(a, dict | list) or isinstance(b, dict | list):
        return [f"{here}: a {type(b).__name__}, the reference has a {type(a).__name__}"]
    if fields(a) != fields(b):
        return [f"{here}: fields {sorted(fields(b))}, the reference has {sorted(fields(a))}"]
    return []


def _leaves(node, path=()) -> list[tuple]:
    if isinstance(node, dict) and node:
        return [leaf for k, v in node.items() for leaf in _leaves(v, (*path, k))]
    return [path]


@pytest.mark.parametrize("path", sorted(CATALOGUES.glob("*.yaml")), ids=lambda p: p.name)
def test_every_catalogue_has_the_keys_of_the_reference(path):
    assert same_keys(load(), load(path)) == []


def test_a_region_kind_has_the_words_of_the_other():
    daerah = load()["daerah"]
    first, *others = daerah.values()
    for other in others:
        assert same_keys(first, other) == []


@pytest.mark.parametrize("section", list(load()))
def test_same_keys_finds_a_key_removed_from_a_copy(section):
    reference = load()
    leaf = max(_leaves(reference[section], (section,)), key=len)  # the deepest key of the section
    copied = copy.deepcopy(reference)
    node = copied
    for key in leaf[:-1]:
        node = node[key]
    del node[leaf[-1]]
    where = ".".join(map(str, leaf))
    assert same_keys(reference, copied) == [f"{where}: missing"]
    assert same_keys(copied, reference) == [f"{where}: not in the reference"]
    copied.pop(section, None)
    assert same_keys(reference, copied) == [f"{section}: missing"]


def test_same_keys_finds_a_changed_shape():
    reference = load()
    copied = copy.deepcopy(reference)
    copied["bulan"] = copied["bulan"][:-1]
    copied["gambar"]["kesiapan"]["alt"] = copied["gambar"]["kesiapan"]["alt"].replace("{jumlah}", "{banyak}")
    copied["docx"]["daftar_kosong"] = {"teks": "Tidak ada."}
    assert same_keys(reference, copied) == [
        "bulan: 11 entries, the reference has 12",
        "gambar.kesiapan.alt: fields ['banyak', 'rincian'], the reference has ['jumlah', 'rincian']",
        "docx.daftar_kosong: a dict, the reference has a str",
    ]
    assert same_keys(reference, copy.deepcopy(reference)) == []


# --- templates: the keys they read -----------------------------------------------------------------


def _template_keys() -> list[tuple[str, tuple]]:
    """(template, catalogue path) of every `label.teks("a", "b")` / `label.frame("x")` with literal
    arguments in the book and site templates."""
    import jinja2
    from jinja2 import nodes

    from cetakbiru import render

    out = []
    paths = [*(ROOT / "templates" / "book").glob("*.j2"), *(ROOT / "content" / "buku").glob("*.j2"),
             *(ROOT / "templates" / "site" / "pages").glob("*.j2")]
    for path in paths:
        source = path.read_text(encoding="utf-8")
        env = render.env() if "site" not in path.parts else jinja2.Environment()
        for call in env.parse(source).find_all(nodes.Call):
            target = call.node
            if not (isinstance(target, nodes.Getattr) and isinstance(target.node, nodes.Name)
                    and target.node.name == "label" and target.attr in ("teks", "frame")):
                continue
            if not call.args or not all(isinstance(a, nodes.Const) for a in call.args):
                continue
            keys = tuple(a.value for a in call.args)
            out.append((path.name, ("buku_kerangka", *keys) if target.attr == "frame" else keys))
    return out


def test_every_key_a_template_reads_is_in_the_catalogue():
    found = _template_keys()
    assert len(found) > 20  # the scan sees the templates' calls
    problems = [f"{name}: {'.'.join(map(str, keys))}" for name, keys in found if missing(load(), keys)]
    assert not problems, problems


# --- names shared with the Lua filter --------------------------------------------------------------


def test_the_lua_filter_writes_the_markers_docx_reads():
    """docx.MARKERS is the one list of bookmark names; the filter writes exactly those."""
    import re

    from cetakbiru import docx

    lua = (ROOT / "templates" / "pandoc" / "cetakbiru.lua").read_text(encoding="utf-8")
    written = set(re.findall(r"docx_marker\('(cb_[a-z_]+)'\)", lua))
    assert written == set(docx.MARKERS.values())
    assert "docx_marker('cb_field_' .. kind)" in lua
    kinds = set(re.findall(r"list_field\([^)]*, '([a-z]+)'\)", lua))
    assert kinds == set(docx.FIELD_KINDS)


def test_every_word_style_the_filter_names_is_in_the_reference_document(tmp_path):
    """The filter names Word styles (custom-style); the reference document must define each."""
    import re

    import docx as python_docx

    from cetakbiru import docx

    lua = (ROOT / "templates" / "pandoc" / "cetakbiru.lua").read_text(encoding="utf-8")
    named = set(re.findall(r"= '([A-Z][A-Za-z ]+)',", lua)) | set(re.findall(r"line\('([A-Z][A-Za-z ]+)'", lua))
    named |= set(re.findall(r"\['custom-style'\] = '([A-Z][A-Za-z ]+)'", lua)) | {"CbMarker"}
    assert {"Tanda Tangan", "Sampul Buku", "Sampul Logo", "Kartu"} <= named
    reference = python_docx.Document(str(docx.reference_doc("A4", "#1F4E79")))
    defined = {s.name for s in reference.styles}
    assert named <= defined, named - defined
