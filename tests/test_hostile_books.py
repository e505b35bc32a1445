"""A city written as an attacker would, built into every book: nothing leaks, runs or is fetched.

The city is Tanjungpinang with a payload in every free-text field (tests/hostile.py). A file
outside the project holds a secret, and a server on 127.0.0.1 counts every request the build (or
LibreOffice opening the DOCX) makes. The Markdown is read back by pandoc with the books' own reader;
the DOCX and PDF are opened part by part.
"""

from __future__ import annotations

import json
import re
import zipfile

import pypandoc
import pypdf

from cetakbiru.escape import READER

SAFE_LINK = re.compile(r"^(https?://|mailto:|#)", re.I)


def test_the_payload_reaches_every_free_text_field(hostile):
    assert hostile["poisoned"] > 1000
    assert len(hostile["built"]) == 4


def _walk(node, found):
    if isinstance(node, dict):
        if "t" in node:
            found.append(node)
        for v in node.values():
            _walk(v, found)
    elif isinstance(node, list):
        for v in node:
            _walk(v, found)


def test_markdown_carries_no_raw_format_math_or_foreign_link(hostile):
    """What pandoc reads from the book Markdown: no raw blocks, no math, our pictures, safe links."""
    printed = ""
    for b in hostile["built"]:
        ast = json.loads(pypandoc.convert_file(str(b.files["md"]), "json", format=READER))
        nodes: list[dict] = []
        _walk(ast["blocks"], nodes)
        kinds = {n["t"] for n in nodes}
        assert not kinds & {"RawBlock", "RawInline", "Math"}, b.slug
        for n in nodes:
            if n["t"] == "Image":
                assert re.fullmatch(r"figures/[a-z0-9-]+\.svg", n["c"][2][0]), n["c"][2][0]
            elif n["t"] == "Link":
                assert SAFE_LINK.match(n["c"][2][0]), n["c"][2][0]
        printed += pypandoc.convert_file(str(b.files["md"]), "plain", format=READER, extra_args=["--wrap=none"])
    printed = " ".join(printed.replace("\u200b", "").split())
    for literal in ("onerror=alert(1)>", "[l](javascript:alert(2))", "{=openxml}", "{{7*7}}", "$x^2$", "::: {.cover}"):
        assert literal in printed, literal  # every payload is printed as the text it is


def test_docx_parts_hold_no_outside_file_no_field_and_no_foreign_link(hostile):
    marker = hostile["marker"].encode()
    for b in hostile["built"]:
        with zipfile.ZipFile(b.files["docx"]) as z:
            for name in z.namelist():
                data = z.read(name)
                assert marker not in data, (b.slug, name)
                if name.startswith("word/media/"):
                    assert re.fullmatch(r"word/media/[\w.-]+\.(png|svg|jpe?g)", name), name
            document = z.read("word/document.xml").decode()
            rels = z.read("word/_rels/document.xml.rels").decode()
        instructions = re.findall(r"<w:instrText[^>]*>([^<]*)<", document)
        assert instructions and all(i.strip().startswith("TOC ") for i in instructions), set(instructions)
        assert "<w:fldSimple" not in document
        assert "INCLUDEPICTURE" not in "".join(instructions)
        for target, mode in re.findall(r'Target="([^"]*)"(?: TargetMode="(\w+)")?', rels):
            if mode == "External":
                assert SAFE_LINK.match(target), target


def test_pdf_holds_no_outside_file_no_script_and_no_foreign_link(hostile):
    marker = hostile["marker"]
    printed = ""
    for b in hostile["built"]:
        reader = pypdf.PdfReader(b.files["pdf"])
        text = " ".join(page.extract_text() or "" for page in reader.pages)
        assert marker not in text
        printed += text
        root = reader.trailer["/Root"]
        assert "/OpenAction" not in root and "/AA" not in root
        assert "/JavaScript" not in root.get("/Names", {})
        assert "/EmbeddedFiles" not in root.get("/Names", {})
        for page in reader.pages:
            for annot in page.get("/Annots") or []:
                action = annot.get_object().get("/A")
                if action is None:
                    continue
                action = action.get_object()
                assert action.get("/S") in ("/URI", "/GoTo"), action
                if action.get("/S") == "/URI":
                    assert SAFE_LINK.match(str(action["/URI"])), action["/URI"]
        assert not any(marker.encode() in data for data in _streams(reader)), b.slug
    assert "onerror=alert(1)" in " ".join(printed.split())  # the payload is printed as text


def _streams(reader: pypdf.PdfReader):
    """The decoded data of every stream object in the file (content, fonts, images, metadata)."""
    numbers = {(n, g) for g, objs in reader.xref.items() for n in objs} | {(n, 0) for n in reader.xref_objStm}
    for number, generation in sorted(numbers):
        obj = reader.get_object(pypdf.generic.IndirectObject(number, generation, reader))
        if isinstance(obj, pypdf.generic.StreamObject):
            yield obj.get_data()


def test_nothing_was_fetched(hostile):
    assert hostile["hits"] == []
