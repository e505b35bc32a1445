"""Rich-text fields: a safe subset of Markdown, checked with markdown-it-py.

Allowed: paragraphs, emphasis, lists, block quotes, tables, inline code and links to http(s) or
mailto. Not allowed: raw HTML (it would reach the public site), headings (the books number their own
chapters), images (they need alt text and a caption: use a `gambar` field), code blocks and rules.
"""

from __future__ import annotations

from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])

_BLOCK_MESSAGES = {
    "html_block": "HTML mentah tidak diizinkan di kolom teks; gunakan Markdown",
    "heading_open": "judul Markdown ('#' atau garis bawah '---'/'===') tidak diizinkan di kolom teks: "
    "bab dan subbab dibuat otomatis; gunakan **teks tebal**",
    "code_block": "baris yang menjorok 4 spasi atau lebih dibaca sebagai blok kode; hapus indentasi tambahannya",
    "fence": "blok kode (```) tidak diizinkan di kolom teks",
    "hr": "garis pemisah ('---', '***') tidak diizinkan di kolom teks",
}

_SAFE_SCHEMES = ("https://", "http://", "mailto:")


def problems(text: str) -> list[tuple[int, str]]:
    """(line offset within the text, message) for every construct outside the safe subset."""
    found: list[tuple[int, str]] = []
    for tok in _md.parse(text):
        line = tok.map[0] if tok.map else 0
        if tok.type in _BLOCK_MESSAGES:
            found.append((line, _BLOCK_MESSAGES[tok.type]))
        for child in tok.children or ():
            if child.type == "html_inline":
                found.append((line, f"HTML mentah tidak diizinkan di kolom teks: {child.content!r}"))
            elif child.type == "image":
                found.append((line, "gambar tidak boleh disisipkan di kolom teks; gunakan kolom `gambar` (dengan alt dan judul)"))
            elif child.type == "link_open":
                href = str(child.attrs.get("href", ""))
                if not href.lower().startswith(_SAFE_SCHEMES):
                    found.append((line, f"tautan '{href}' harus diawali https://, http://, atau mailto:"))
    return found


# Rendering never passes raw HTML through, even if a value skipped the check.
_render = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def render_html(text: str) -> str:
    """HTML of an already-checked rich-text value (used by the site)."""
    return _render.render(text)
