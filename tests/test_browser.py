"""The site in a real browser: Debian's Chromium driven by Playwright, against a static server on
127.0.0.1 that serves the site under a sub-path (/masterplan/), as a city portal would."""

import functools
import http.server
import re
import threading

import pytest
from test_site import site_build  # noqa: F401  (session fixture shared with the file tests)

CHROMIUM = "/usr/bin/chromium"
SUBPATH = "/masterplan/"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def base_url(site_build, tmp_path_factory):  # noqa: F811
    root = tmp_path_factory.mktemp("www")
    (root / SUBPATH.strip("/")).symlink_to(site_build["out"], target_is_directory=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{SUBPATH}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync"])
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser, base_url):
    """A page that records every request and every console error; both are checked at teardown."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    requests, errors = [], []
    pg.on("request", lambda r: requests.append(r.url))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    origin = re.match(r"https?://[^/]+", base_url).group(0)
    outside = [u for u in requests if not u.startswith(origin) and not u.startswith("data:")]
    context.close()
    assert outside == [], f"requests left the origin: {outside[:5]}"
    assert errors == [], f"console errors: {errors[:5]}"


def test_navigation_from_home_to_a_dimension(page, base_url):
    page.goto(base_url)
    assert "Masterplan Smart City" in page.title()
    page.get_by_role("link", name=re.compile("Tanjungpinang")).first.click()
    page.wait_for_url(re.compile(r"/daerah/tanjungpinang/$"))
    assert "Tanjungpinang" in page.locator("h1").inner_text()
    page.locator("a[href*='dimensi-sg']").first.click()
    page.wait_for_url(re.compile(r"/daerah/tanjungpinang/dimensi-sg/$"))
    assert "Smart Governance" in page.locator("h1").inner_text()


def test_search_understands_indonesian_stemming(page, base_url):
    page.goto(base_url + "cari/?q=membangun")
    results = page.locator(".pagefind-ui__result")
    results.first.wait_for(timeout=15000)
    texts = " ".join(results.all_inner_texts()).lower()
    assert "pembangunan" in texts  # a word that only shares the stem with the query
    page.goto(base_url + "cari/?q=Qorvindel")
    page.locator(".pagefind-ui__message").wait_for(timeout=15000)
    assert page.locator(".pagefind-ui__result").count() == 0


def test_action_plan_filter(page, base_url):
    page.goto(base_url + "daerah/tanjungpinang/dimensi-sg/")
    table = page.locator("table.cb-filter").first
    rows = table.locator(":scope > tbody > tr")
    total = rows.count()
    select = page.get_by_label("OPD").first
    options = [o for o in select.locator("option").all_inner_texts()]
    assert len(options) > 2
    select.select_option(index=1)
    visible = [r for r in rows.all() if r.is_visible()]
    assert 0 < len(visible) < total
    chosen = select.input_value()
    assert all(chosen in (r.get_attribute("data-opd") or "").split() for r in visible)


def test_every_download_link_returns_its_file(page, base_url):
    for slug in ("tanjungpinang", "kutai-timur"):
        page.goto(base_url + f"daerah/{slug}/unduh/")
        links = page.locator("a[href$='.pdf'], a[href$='.docx'], a[href$='.json'], a[href$='.csv']")
        hrefs = [links.nth(i).evaluate("a => a.href") for i in range(links.count())]
        assert len(hrefs) >= 11  # 4 books x 2 formats + JSON + 2 CSV
        for href in hrefs:
            response = page.request.get(href)
            assert response.ok, href
            body = response.body()
            assert len(body) > 100, href
            if href.endswith(".pdf"):
                assert body.startswith(b"%PDF"), href
            if href.endswith(".docx"):
                assert body.startswith(b"PK"), href


@pytest.mark.parametrize("path", ["", "daerah/tanjungpinang/", "daerah/tanjungpinang/dimensi-sg/"])
def test_no_serious_accessibility_violation(page, base_url, path):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(base_url + path)
    results = Axe().run(page)
    serious = [(v["id"], v["impact"], len(v["nodes"])) for v in results.response["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == [], serious
