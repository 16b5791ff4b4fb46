"""axe-core (from the npm registry) run in Chromium on the site's pages and decks."""

import json

import pytest
from browser import chromium
from conftest import ROOT

AXE = ROOT / "node_modules/axe-core/axe.min.js"
PAGES = ["index.html", "ko/index.html", "en/help.html", "ko/help.html", "ko/middle/index.html",
         "ko/middle/blocks.html", "en/staff/blocks.html", "ko/middle/blocks.slides.html",
         "en/elementary/blocks.slides.html"]


@pytest.fixture(scope="module")
def axe_page():
    if not AXE.is_file():
        pytest.fail("axe-core is missing: run `make test`, which installs it with npm")
    with chromium() as browser:
        context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 720})
        yield context.new_page()
        context.close()


def violations(page, url):
    page.goto(url)
    page.add_script_tag(content=AXE.read_text())
    result = page.evaluate("""async () => {
      const r = await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']});
      return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}));
    }""")
    return [v for v in result if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violations(axe_page, mini_out, path):
    found = violations(axe_page, (mini_out / path).as_uri())
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


def test_every_deck_slide_passes(axe_page, mini_out):
    """A deck shows one slide at a time: check each of them."""
    url = (mini_out / "ko/middle/blocks.slides.html").as_uri()
    for number in range(1, 7):
        found = violations(axe_page, f"{url}#{number}")
        assert not found, (number, found)
