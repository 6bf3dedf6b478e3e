"""The pages in a real browser: Debian's headless Chromium driven by selenium through the system chromedriver
(nothing is downloaded). Every page kind loads without a console error and passes axe-core (no serious or
critical violation); every link reachable from the landing page resolves; the search finds SMARD1 by alias and by
identifier; the diagram is shown and names the genes. A screenshot of each page kind goes to $SMAKG_SCREENSHOTS
(default reports/screenshots/), for CI to keep.

Under CI=true a missing browser fails; elsewhere these tests skip with the command that installs it.
"""

from __future__ import annotations

import os
import shutil
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT
from test_serve import Running, start, stop

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
INSTALL = "apt-get install -y chromium chromium-driver; npm ci --prefix tests/browser"
SCREENSHOTS = Path(os.environ.get("SMAKG_SCREENSHOTS", ROOT / "reports" / "screenshots"))
CAUSAL = "SELECT ?gene ?condition WHERE { ?g smakg:isCausalGeneFor ?c ; rdfs:label ?gene . ?c rdfs:label ?condition }"
# One page of each kind: (name, path).
KINDS = [
    ("landing", "/"),
    ("condition", "/id/condition/smard1"),
    ("gene", "/id/gene/IGHMBP2"),
    ("locus", "/id/locus/hsa-11q13.3"),
    ("phenotype-hpo", "/term/HP_0002098.html"),
    ("phenotype-own", "/id/phenotype/fatty-finger-pads"),
    ("source", "/id/source/gard-sma"),
    ("statement", "/id/statement/0319fade6cf7573d"),
    ("vocabulary", "/vocab"),
    ("find", "/find?q=SMARD1"),
    ("results", "/sparql?" + urllib.parse.urlencode({"query": CAUSAL})),
    ("query-error", "/sparql?" + urllib.parse.urlencode({"query": "SELEC ?x WHERE { ?x ?p ?o }"})),
    ("endpoint", "/sparql"),
]


def _missing() -> str | None:
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        return f"Chromium or chromedriver is missing: {INSTALL}"
    if not AXE.is_file():
        return f"axe-core is missing: {INSTALL}"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is missing: pip install -e '.[test]'"
    return None


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Running]:
    running = start(tmp_path_factory.mktemp("serve-browser"))
    yield running
    stop(running)


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    missing = _missing()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(missing)
        pytest.skip(missing)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1280,1600",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    browser.set_page_load_timeout(60)
    browser.set_script_timeout(60)
    yield browser
    browser.quit()


def _errors(driver) -> list[str]:
    """Console messages of level SEVERE since the last call (a failed load, a script error, a CSP refusal)."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


RESOURCE_ERROR = "Failed to load resource: the server responded with a status of 400 (Bad Request)"


def _expected_status(name: str) -> bool:
    return name != "query-error"  # that page answers 400 on purpose, which the console reports


@pytest.mark.parametrize("name, path", KINDS)
def test_page_kind_loads_cleanly_passes_axe_and_is_photographed(driver, server: Running, name: str,
                                                                path: str) -> None:
    _errors(driver)
    driver.get(server.url + path)
    _photograph(driver, name)  # first, so that a page failing what follows leaves its picture
    assert driver.execute_script("return document.readyState") == "complete"
    assert driver.find_element("css selector", "h1").text.strip(), f"{name}: the page has a heading"
    errors = _errors(driver)
    if not _expected_status(name):  # only the page's own 400, as Chromium words it; any other error stays
        expected = f"{server.url + path} - {RESOURCE_ERROR}"
        assert expected in errors, f"{name}: the page's 400 is reported: {errors}"
        errors = [e for e in errors if e != expected]
    assert not errors, f"{name}: console errors {errors}"
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations.map(v => "
        "({id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help}))), e => done([{id: 'axe-error', "
        "impact: 'critical', nodes: 0, help: String(e)}]));")
    bad = [v for v in result if v["impact"] in ("serious", "critical")]
    assert not bad, f"{name}: accessibility violations {bad}"


def _photograph(driver, name: str) -> None:
    """A screenshot of the whole page (up to 4000 pixels high) into SCREENSHOTS."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return Math.min(document.body.scrollHeight, 4000)")
    driver.set_window_size(1280, max(800, int(height)))
    driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))
    driver.set_window_size(1280, 1600)


@pytest.mark.parametrize("text", ["DSMA1", "MONDO:0011436", "mondo_0011436", "smard1"])
def test_search_finds_smard1(driver, server: Running, text: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(server.url + "/")
    box = driver.find_element("id", "search-q")
    box.send_keys(text)
    found = WebDriverWait(driver, 20).until(lambda d: [
        a for a in d.find_elements("css selector", "#search-results a")
        if a.text == "spinal muscular atrophy with respiratory distress type 1"])
    found[0].click()
    WebDriverWait(driver, 20).until(lambda d: d.current_url.endswith("/id/condition/smard1.html"))
    assert driver.find_element("css selector", "h1").text == "spinal muscular atrophy with respiratory distress type 1"
    assert not _errors(driver)


@pytest.mark.parametrize("path, genes", [("/id/condition/smard1", ["IGHMBP2"]),
                                         ("/id/condition/spinal-muscular-atrophy", ["SMN2"]),
                                         ("/id/gene/SMN2", ["SMN2"])])
def test_the_diagram_is_shown_and_names_the_genes(driver, server: Running, path: str, genes: list[str]) -> None:
    if shutil.which("dot") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Graphviz dot is missing: apt-get install -y graphviz")
        pytest.skip("Graphviz dot is missing: apt-get install -y graphviz")
    driver.get(server.url + path)
    image = driver.find_element("css selector", "figure.diagram img")
    assert driver.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", image)
    alt = image.get_attribute("alt")
    assert all(g in alt for g in genes), alt
    driver.get(image.get_attribute("src"))
    text = driver.execute_script("return document.documentElement.textContent")
    assert all(g in text for g in genes), "the SVG names the genes"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def test_every_link_resolves(driver, server: Running) -> None:
    """Crawl the site from the landing page (same host): every link answers 200. The browser gives the landing
    page's links as it resolves them; the crawl goes on over HTTP."""
    driver.get(server.url + "/")
    start_links = driver.execute_script("return Array.from(document.links).map(a => a.href)")
    host = urllib.parse.urlsplit(server.url).netloc
    todo = [urllib.parse.urldefrag(u)[0] for u in start_links]
    seen: set[str] = set()
    broken = []
    while todo:
        url = todo.pop()
        if url in seen or urllib.parse.urlsplit(url).netloc != host:
            continue
        seen.add(url)
        request = urllib.request.Request(url, headers={"Accept": "text/html,*/*;q=0.8"})
        try:
            with urllib.request.urlopen(request, timeout=60) as reply:
                kind, body = reply.headers.get("Content-Type", ""), reply.read()
        except urllib.error.HTTPError as exc:
            broken.append(f"{url}: {exc.code}")
            continue
        if kind.startswith("text/html") and "/sparql?" not in url:
            parser = _Links()
            parser.feed(body.decode("utf-8"))
            todo += [urllib.parse.urldefrag(urllib.parse.urljoin(url, link))[0] for link in parser.links]
    assert len(seen) > 200, f"the crawl reached only {len(seen)} pages"
    assert not broken, broken[:20]
