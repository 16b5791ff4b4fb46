"""The ways in: the front door, the language pages, the teachers' pages; what student pages offer."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, build, pdf_text
from jikim.plan import Selection

#: The index pages of a course (no PDF is rendered: quick enough for the default course).
INDEX_KINDS = ("root-index", "lang-index", "audience-index", "teachers", "help")
HREF = re.compile(r'href="([^"]+)"')


@pytest.fixture(scope="module")
def default_pages(tmp_path_factory) -> Path:
    """The default course's index pages, built without its PDFs."""
    from jikim.pipeline import Options
    from jikim.pipeline import build as run_build
    out = tmp_path_factory.mktemp("front") / "output"
    run_build(Options(root=ROOT, out=out, selection=Selection(kinds=INDEX_KINDS)))
    return out


def course_yaml(root: Path = ROOT) -> dict:
    return yaml.safe_load((root / "course.yaml").read_text())


def links(page: Path) -> set[str]:
    return {html.unescape(h) for h in HREF.findall(page.read_text())}


def visible_text(page: Path, lang: str = "") -> str:
    """The page's words; with `lang`, only those in that language (not in an element of another lang)."""
    from html.parser import HTMLParser

    class Words(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.stack, self.words = [], []

        def handle_starttag(self, tag, attrs):
            if tag in ("meta", "link", "br", "img", "input", "hr"):
                return
            outer = self.stack[-1] if self.stack else ("", lang)
            self.stack.append((tag, dict(attrs).get("lang") or outer[1]))

        def handle_endtag(self, tag):
            while self.stack and self.stack.pop()[0] != tag:
                pass

        def handle_data(self, data):
            tag, in_lang = self.stack[-1] if self.stack else ("", lang)
            if tag not in ("style", "script", "title") and (not lang or in_lang == lang):
                self.words.append(data)

    parser = Words()
    parser.feed(page.read_text())
    return re.sub(r"\s+", " ", " ".join(parser.words))


@pytest.mark.parametrize("root_fixture", ["mini_out", "default_pages"])
def test_front_door_links_every_audience_teachers_page_and_help_and_shows_112(request, root_fixture):
    out = request.getfixturevalue(root_fixture)
    course = course_yaml(ROOT / "tests/fixtures/mini" if root_fixture == "mini_out" else ROOT)
    found = links(out / "index.html")
    for lang in course["languages"]:
        assert f"{lang}/help.html" in found, lang
        for audience in course["audiences"]:
            assert f"{lang}/{audience['id']}/index.html" in found, (lang, audience["id"])
            if audience["student"]:
                assert f"{lang}/{audience['id']}/teachers.html" in found, (lang, audience["id"])
                assert f"{lang}/{audience['id']}/parent-letter.pdf" in found, (lang, audience["id"])
    for href in found:  # every link of the front door leads to a file that was built (default_pages: no PDFs)
        if not href.startswith(("tel:", "http", "#")) and (root_fixture == "mini_out" or href.endswith(".html")):
            assert (out / href).is_file(), href
    assert "tel:112" in found
    assert "112" in visible_text(out / "index.html")


def test_front_door_names_the_school_and_its_readers(mini_out):
    text = visible_text(mini_out / "index.html")
    assert "한빛중학교" in text and "Hanbit Middle School" in text
    strings = yaml.safe_load((ROOT / "templates/strings.yaml").read_text())
    for lang in ("ko", "en"):
        for key in ("for_students", "for_teachers", "for_parents", "front_intro"):
            assert strings[lang][key] in text, (lang, key)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_language_page_links_its_audiences_teachers_pages_and_help(mini_out, lang):
    found = links(mini_out / lang / "index.html")
    assert {"elementary/index.html", "middle/index.html", "staff/index.html", "elementary/teachers.html",
            "middle/teachers.html", "help.html", "tel:112"} <= found


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("audience", ["elementary", "middle"])
def test_student_pages_offer_no_teacher_material(mini_out, lang, audience):
    for page in (mini_out / lang / audience / "index.html", mini_out / lang / audience / "blocks.html"):
        found = links(page)
        assert "blocks.handout.pdf" in found, page
        offered = {h for h in found if h.endswith((".guide.pdf", ".slides.html", ".slides.pdf", ".docx", ".txt"))
                   or h in ("handouts.pdf", "teachers.html")}
        assert not offered, f"{page} offers teacher material: {offered}"
    assert "ANSWER" not in visible_text(mini_out / lang / audience / "blocks.html")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_teachers_page_offers_everything_a_teacher_downloads(mini_out, lang):
    page = mini_out / lang / "middle/teachers.html"
    found = links(page)
    assert {"blocks.guide.pdf", "blocks.slides.html", "blocks.slides.pdf", "blocks.handout.pdf",
            "blocks.handout.docx", "handouts.pdf", "parent-letter.pdf", "parent-letter.docx",
            "parent-letter.txt", "parent-letter.hwpx", "index.html"} <= found
    for href in found - {"index.html"}:
        if not href.startswith(("tel:", "#", "http", "../")):
            assert (page.parent / href).is_file(), href
    assert not (mini_out / lang / "staff/teachers.html").exists()  # the staff pages are for teachers already
    assert "blocks.guide.pdf" in links(mini_out / lang / "staff/index.html")


def test_no_english_from_course_yaml_on_korean_pages(default_pages, mini_out):
    """Ages given once ("adult") or per language, names, titles: Korean pages show Korean."""
    for out, root in ((default_pages, ROOT), (mini_out, ROOT / "tests/fixtures/mini")):
        course = course_yaml(root)
        english = set()
        for audience in course["audiences"]:
            for value in (audience["name"], audience.get("ages", "")):
                text = value.get("en", "") if isinstance(value, dict) else value
                english |= {w.lower() for w in re.findall(r"[A-Za-z]{2,}", str(text))}
        english |= {w.lower() for w in re.findall(r"[A-Za-z]{2,}", course["title"]["en"])}
        assert "adult" in english or "staff" in english
        pages = [p for p in sorted((out / "ko").rglob("*.html")) if p.name in ("index.html", "teachers.html",
                                                                                "help.html")] + [out / "index.html"]
        for page in pages:
            text = visible_text(page, "ko")  # the front door's English part is marked lang="en"
            words = {w.lower() for w in re.findall(r"[A-Za-z]{2,}", text)}
            assert not (words & english), f"{page.relative_to(out)}: {sorted(words & english)}"
    assert "연령 성인" in visible_text(mini_out / "ko/staff/index.html")  # ages: adult, given once
    assert "(텍스트, " in visible_text(mini_out / "ko/middle/teachers.html")  # a file's format, in Korean


def test_help_is_above_the_fold_on_a_phone(default_pages, mini_out):
    """On a 390×844 phone the front door shows 112 and the help numbers without scrolling
    (mini_out: with a school's name and contacts)."""
    from browser import chromium
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        for out, path in [(out, path) for out in (default_pages, mini_out)
                          for path in ("index.html", "ko/index.html", "en/index.html")]:
            page.goto((out / path).as_uri())
            box = page.evaluate("(() => { const b = document.querySelector('.quick-help').getBoundingClientRect();"
                                " return [b.top, b.bottom]; })()")
            assert 0 < box[0] and box[1] <= 844, (path, box)
            assert page.evaluate("document.querySelector('.emergency-call a').textContent").strip().endswith("112")
        # phone numbers never split across lines, web addresses not on a phone, nothing is wider than the screen
        for width, kept in ((320, ".tel, .channel-phone a"), (360, ".tel, .channel-phone a, .channel-web a")):
            page.set_viewport_size({"width": width, "height": 700})
            for path in ("ko/help.html", "en/help.html", "en/middle/index.html"):
                page.goto((default_pages / path).as_uri())
                split = page.evaluate(f"""[...document.querySelectorAll('{kept}')]
                    .filter(e => e.getClientRects().length > 1).map(e => e.textContent)""")
                assert not split, (width, path, split)
                assert page.evaluate("document.documentElement.scrollWidth") <= width, (width, path)
        page.close()


def test_korean_words_are_not_broken_in_pdfs():
    from jikim.pdf import Printer, keep_words
    assert keep_words("<title>동의</title><p title=\"동의\">말씀드렸어요 2024년</p>") == \
        "<title>동의</title><p title=\"동의\">말\u2060씀\u2060드\u2060렸\u2060어\u2060요 2024\u2060년</p>"
    sentence = "친구가 보낸 사진을 다른 사람에게 보내지 않았어요 그래서 선생님께 말씀드렸어요 전화 031-123-4567 번"
    document = Printer(ROOT, [ROOT / "templates"]).document(
        f"<p style='width: 40mm; font: 10pt NanumGothic'>{sentence}</p>")
    lines = []

    def walk(box):
        if type(box).__name__ == "LineBox":
            lines.append("".join(t.text for t in _texts(box)).replace("\u2060", "").strip())
        for child in getattr(box, "children", []):
            walk(child)
    walk(document.pages[0]._page_box)
    assert len(lines) > 3
    assert all(line in sentence.split(" ") or f" {line} " in f" {sentence} " for line in lines), lines
    assert any("031-123-4567" in line for line in lines), lines


def _texts(box):
    if hasattr(box, "text"):
        yield box
    for child in getattr(box, "children", []):
        yield from _texts(child)


def test_exit_slip_is_cut_off_above_the_help_panel(mini, tmp_path):
    lesson = mini / "lessons/blocks.en.md"
    text = lesson.read_text()
    text = text.replace("## Help {minutes=3}", "## Closing: exit card {minutes=2}\n\nOne thing I learned: ____\n\n"
                        "## Help {minutes=3}")
    lesson.write_text(text)
    assert build(mini, tmp_path / "out", "--lang", "en", "--audience", "middle") == 0
    printed = pdf_text(tmp_path / "out/en/middle/blocks.handout.pdf")
    assert "✂ cut here" in printed and "hand in" in printed
    assert printed.index("One thing I learned") < printed.index("Where to get help")
    assert printed.index("✂ cut here") < printed.index("One thing I learned")


def test_phone_numbers_in_lesson_text_are_kept_whole_and_the_html_stays_html():
    import jinja2
    from markupsafe import Markup

    from jikim.render import keep_phones
    given = Markup('<p>Call 02-735-8994<sup><a href="#fn-1">1</a></sup> on 2024-10-16</p>')
    kept = keep_phones(given)
    assert kept == Markup('<p>Call <span class="tel">02-735-8994</span><sup><a href="#fn-1">1</a></sup> '
                          'on 2024-10-16</p>')
    rendered = jinja2.Environment(autoescape=True).from_string("{{ x }}").render(x=kept)
    assert rendered == str(kept)


@pytest.mark.parametrize("path", ["ko/middle/teachers.html", "en/elementary/teachers.html", "en/index.html"])
def test_new_pages_have_no_serious_accessibility_violations(mini_out, path):
    import json

    from browser import chromium
    from test_accessibility import AXE, violations
    if not AXE.is_file():
        pytest.fail("axe-core is missing: run `make test`, which installs it with npm")
    with chromium() as browser:
        context = browser.new_context(bypass_csp=True, viewport={"width": 390, "height": 844})
        found = violations(context.new_page(), (mini_out / path).as_uri())
        context.close()
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)
