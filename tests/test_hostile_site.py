"""The site of a city with a payload in every free-text field, in a real browser (Chromium).

Every page the site links to is visited at desktop and phone widths: no dialog opens (the payloads
call alert()), no request leaves the origin, no page scrolls sideways, and the payload is shown as
the text it is. The site's files are searched for a live script or handler from the payload.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from urllib.parse import urljoin, urlsplit

import pytest
from test_browser import CHROMIUM, _Quiet

from cetakbiru import site


@pytest.fixture(scope="module")
def hostile_site(hostile):
    tmp = hostile["tmp"]
    out = tmp / "site"
    site.build(hostile["cities"], books=hostile["built"], books_dir=hostile["out"], out=out, work=tmp / "site-work")
    return out


@pytest.fixture(scope="module")
def hostile_url(hostile_site):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(hostile_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_no_payload_becomes_markup_in_the_files(hostile_site):
    pages = {path: path.read_text(encoding="utf-8") for path in hostile_site.rglob("*.html")}
    assert len(pages) > 12 and any("/daerah/kota-jahat/" in str(path) for path in pages)
    for path, html in pages.items():
        assert "<script>alert(" not in html, path
        assert not re.search(r"<img[^>]*onerror", html), path
        assert not re.search(r"""href=["']?\s*javascript:""", html, re.I), path
        assert "RAHASIA-" not in html
    shown = "".join(pages.values())  # the payloads are on the pages, as the text they are
    assert "&lt;script&gt;alert(" in shown and "onerror=alert(1)&gt;" in shown


def test_every_page_in_a_browser_opens_no_dialog_and_stays_on_the_page_width(hostile_url):
    from playwright.sync_api import sync_playwright

    dialogs: list[str] = []
    outside: list[str] = []
    visited: set[str] = set()
    wide: list[tuple[str, int]] = []
    origin = hostile_url.rstrip("/")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync"])
        try:
            for width, height in ((1280, 900), (390, 844)):
                context = browser.new_context(viewport={"width": width, "height": height})
                page = context.new_page()
                page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
                page.on("request", lambda r: None if r.url.startswith((origin, "data:", "blob:"))
                        else outside.append(r.url))
                queue, seen = [hostile_url], {hostile_url}
                while queue:
                    url = queue.pop(0)
                    page.goto(url, wait_until="load")
                    page.wait_for_timeout(50)
                    visited.add(urlsplit(url).path)
                    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                    if overflow > 1:
                        wide.append((url, overflow))
                    for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
                        target = urljoin(url, href).split("#")[0].split("?")[0]
                        in_site = target.startswith(hostile_url) and (target.endswith("/") or target.endswith(".html"))
                        if in_site and "/panduan/" not in target and target not in seen:
                            seen.add(target)
                            queue.append(target)
                if width == 1280:  # search results show the payload as text too
                    page.goto(hostile_url + "cari/?q=alert", wait_until="load")
                    page.wait_for_function("document.querySelectorAll('.pagefind-ui__result').length > 0",
                                           timeout=15000)
                context.close()
        finally:
            browser.close()
    assert any("/daerah/kota-jahat/" in v for v in visited) and len(visited) >= 12
    assert dialogs == []
    assert outside == []
    assert wide == []
