"""Rich-text fields: a safe subset of Markdown, checked with markdown-it-py.

Allowed: paragraphs, emphasis, lists, block quotes, tables, inline code and links to http(s) or
mailto. Not allowed: raw HTML (it would reach the public site), headings (the books number their own
chapters), images (they need alt text and a caption: use a `gambar` field), code blocks and rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

_md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
# markdown-it silently drops links it deems unsafe (javascript:, vbscript:, file:, data:); the
# check must see every link to report it, and the renderers below apply their own rule.
_md.validateLink = lambda url: True  # type: ignore[method-assign]

_BLOCK_MESSAGES = {
    "html_block": "HTML mentah tidak diizinkan di kolom teks; gunakan Markdown",
    "heading_open": "judul Markdown ('#' atau garis bawah '---'/'===') tidak diizinkan di kolom teks: "
    "bab dan subbab dibuat otomatis; gunakan **teks tebal**",
    "code_block": "baris yang menjorok 4 spasi atau lebih dibaca sebagai blok kode; hapus indentasi tambahannya",
    "fence": "blok kode (```) tidak diizinkan di kolom teks",
    "hr": "garis pemisah ('---', '***') tidak diizinkan di kolom teks",
}

_SAFE_SCHEMES = ("https://", "http://", "mailto:")


def safe_link(href: str) -> bool:
    return href.strip().lower().startswith(_SAFE_SCHEMES)


# markdown-it-py takes about 1 µs per character of prose, but up to 25 µs per '[' and 10 µs per line
# of a list: `cost` weighs a text by that, and a file may hold rich text up to FILE_BUDGET, which
# bounds the check of any city file to a few seconds (each sample uses about 4% of it).
FILE_BUDGET = 2_000_000


def cost(text: str) -> int:
    return len(text) + 24 * text.count("[") + 4 * (text.count("*") + text.count("_")) + 12 * text.count("\n")


# pandoc syntax that CommonMark reads as plain text: a raw attribute after a code span, and TeX math
# (pandoc's rule: `$` then a non-space, a non-space then `$` not followed by a digit; or `$$`).
_RAW_ATTRIBUTE = re.compile(r"^\{\s*=\s*([^}\s]*)\s*\}")
_MATH = re.compile(r"\$\$|(?<![\\$])\$(?=[^\s$])(?:[^$\\\n]|\\.)*?(?<=[^\s\\])\$(?!\d)")


def problems(text: str) -> list[tuple[int, str]]:
    """(line offset within the text, message) for every construct outside the safe subset."""
    found: list[tuple[int, str]] = []
    for tok in _md.parse(text):
        line = tok.map[0] if tok.map else 0
        if tok.type in _BLOCK_MESSAGES:
            found.append((line, _BLOCK_MESSAGES[tok.type]))
        children = tok.children or []
        for i, child in enumerate(children):
            after = children[i + 1] if i + 1 < len(children) else None
            if child.type == "code_inline" and after is not None and after.type == "text":
                raw = _RAW_ATTRIBUTE.match(after.content)
                if raw:
                    found.append((line, f"format mentah '{{={raw.group(1)}}}' tidak diizinkan di kolom teks; "
                                        "hapus '{=...}' setelah kode"))
            if child.type == "text" and _MATH.search(child.content):
                found.append((line, "rumus matematika ($...$) tidak didukung di kolom teks; tulis dengan kata-kata, "
                                    "atau apit dengan tanda ` bila tanda $ memang bagian dari teks"))
            if child.type == "html_inline":
                found.append((line, f"HTML mentah tidak diizinkan di kolom teks: {child.content!r}"))
            elif child.type == "image":
                found.append((line, "gambar tidak boleh disisipkan di kolom teks; "
                                    "gunakan kolom `gambar` (dengan alt dan judul)"))
            elif child.type == "link_open":
                href = str(child.attrs.get("href", ""))
                if not safe_link(href):
                    found.append((line, f"tautan '{href}' harus diawali https://, http://, atau mailto:"))
    return found


class _SafeLinks(MarkdownIt):
    """markdown-it whose link check is `safe_link` (http, https, mailto) instead of its own."""

    def validateLink(self, url: str) -> bool:
        return safe_link(url)


# Rendering never passes raw HTML through, even if a value skipped the check.
_render = _SafeLinks("commonmark", {"html": False}).enable(["table", "strikethrough"])


def render_html(text: str) -> str:
    """HTML of an already-checked rich-text value (used by the site)."""
    return _render.render(text)


# --- the books: the safe subset as pandoc Markdown ------------------------------------------

Escape = Callable[..., str]


def to_pandoc(text: str, escape: Escape) -> tuple[str, str]:
    """(blocks, one line) of pandoc Markdown for a rich-text value. Only the safe subset is
    expressed: every piece of text goes through `escape` (escape.text), links keep only http(s) and
    mailto targets, and anything outside the subset (HTML, headings, code blocks, images) comes
    out as plain text, even if a value skipped the check."""
    tree = SyntaxTreeNode(_md.parse(text))
    blocks = _blocks(tree.children, escape)
    inline = " ".join(_flat(tree.children, escape).split())
    return "\n\n".join(blocks), inline


def _inline(node: SyntaxTreeNode | None, escape: Escape) -> str:
    """The inline content of a paragraph-like node, on one line."""
    if node is None:
        return ""
    out: list[str] = []
    for child in node.children:
        out.append(_inline_node(child, escape, at_start=not out))
    return "".join(out)


def _inline_node(node: SyntaxTreeNode, escape: Escape, *, at_start: bool = False) -> str:
    kind = node.type
    if kind == "text":
        return escape(node.content, start_of_line=at_start, strip=False)
    if kind in ("softbreak", "hardbreak"):
        return " "
    if kind in ("em", "strong", "s"):
        mark = {"em": "*", "strong": "**", "s": "~~"}[kind]
        inner = "".join(_inline_node(c, escape) for c in node.children).strip()
        return f"{mark}{inner}{mark}" if inner else ""
    if kind == "code_inline":
        content = " ".join(node.content.split())
        fence = "`" * (max((len(r) for r in re.findall(r"`+", content)), default=0) + 1)
        pad = " " if content.startswith("`") or content.endswith("`") else ""
        return f"{fence}{pad}{content}{pad}{fence}" if content else ""
    if kind == "link":
        inner = "".join(_inline_node(c, escape) for c in node.children).strip()
        href = str(node.attrs.get("href", ""))
        if not safe_link(href) or not inner:
            return inner
        return f"[{inner}](<{quote(href, safe=_URL_SAFE)}>)"
    if kind == "image":  # refused by the check; its alt text at most
        return escape(" ".join(c.content for c in node.children if c.type == "text"), start_of_line=at_start)
    return escape(node.content, start_of_line=at_start)  # html_inline and anything unknown: as text


_URL_SAFE = "/:@!$&'()*+,;=?#%~-._"


def _blocks(nodes, escape: Escape) -> list[str]:
    out = []
    for node in nodes:
        kind = node.type
        if kind == "paragraph":
            line = _inline(node.children[0] if node.children else None, escape).strip()
            if line:
                out.append(line)
        elif kind in ("bullet_list", "ordered_list"):
            out.append(_list(node, escape))
        elif kind == "blockquote":
            inner = "\n\n".join(_blocks(node.children, escape))
            out.append("\n".join("> " + line if line else ">" for line in inner.split("\n")))
        elif kind == "table":
            out.append(_table(node, escape))
        else:  # headings, code, HTML, rules: refused by the check; plain text at most
            flat = " ".join(_flat([node], escape).split())
            if flat:
                out.append(flat)
    return out


def _list(node: SyntaxTreeNode, escape: Escape) -> str:
    ordered = node.type == "ordered_list"
    start = int(node.attrs.get("start", 1)) if ordered else 1
    tight = all(getattr(p, "hidden", False) for item in node.children for p in item.children
                if p.type == "paragraph")
    items = []
    for i, item in enumerate(node.children):
        marker = f"{start + i}. " if ordered else "- "
        body = ("\n" if tight else "\n\n").join(_blocks(item.children, escape)) or "\\"
        lines = body.split("\n")
        pad = " " * len(marker)
        items.append("\n".join([marker + lines[0], *((pad + x) if x else "" for x in lines[1:])]))
    return ("\n" if tight else "\n\n").join(items)


def _table(node: SyntaxTreeNode, escape: Escape) -> str:
    rows = [tr for part in node.children for tr in part.children]
    if not rows:
        return ""
    width = max(len(tr.children) for tr in rows)

    def cells(tr) -> list[str]:
        got = [_inline(c.children[0] if c.children else None, escape) or " " for c in tr.children]
        return got + [" "] * (width - len(got))

    aligns = []
    for th in rows[0].children:
        style = str(th.attrs.get("style", ""))
        aligns.append(":---:" if "center" in style else "---:" if "right" in style else ":---")
    aligns += [":---"] * (width - len(aligns))
    lines = ["| " + " | ".join(cells(rows[0])) + " |", "|" + "|".join(aligns) + "|"]
    lines += ["| " + " | ".join(cells(tr)) + " |" for tr in rows[1:]]
    return "\n".join(lines)


def _flat(nodes, escape: Escape) -> str:
    """Everything as one line of inline Markdown (a table cell): blocks joined by spaces, list
    items marked with a bullet."""
    parts = []
    for node in nodes:
        if node.type == "inline":
            parts.append(_inline(node, escape))
        elif node.type == "list_item":
            parts.append("• " + _flat(node.children, escape))
        elif node.type in ("code_block", "fence", "html_block"):
            parts.append(escape(node.content))
        elif node.type == "hr":
            continue
        elif node.children:
            parts.append(_flat(node.children, escape))
        elif node.content:
            parts.append(escape(node.content))
    return " ".join(p for p in parts if p)
