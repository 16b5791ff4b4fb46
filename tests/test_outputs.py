"""What the built fixture course contains: paths, block placement, PDFs, links, help panels."""

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, assert_korean_glyphs, pdf_pages, pdf_text

from jikim.kinds import OUTPUT_KINDS

PATHS = {kind.name: kind.path for kind in OUTPUT_KINDS}

LANGS, AUDIENCES = ("ko", "en"), ("elementary", "middle", "staff")


def expected_paths():
    for lang in LANGS:
        yield PATHS["lang-index"].format(lang=lang)
        yield PATHS["help"].format(lang=lang)
        for audience in AUDIENCES:
            yield PATHS["audience-index"].format(lang=lang, audience=audience)
            yield PATHS["pack"].format(lang=lang, audience=audience)
            if audience != "staff":
                yield PATHS["letter"].format(lang=lang, audience=audience)
            for kind in ("page", "deck", "slides", "handout", "guide"):
                yield PATHS[kind].format(lang=lang, audience=audience, lesson="blocks")
    yield "index.html"
    yield "assets/site.css"


def test_every_contract_path_exists(mini_out):
    missing = [p for p in expected_paths() if not (mini_out / p).is_file()]
    assert not missing
    assert not (mini_out / "en/staff/parent-letter.pdf").exists(), "staff get no parent letter"


MARKERS = ["PREFACE", "COMMON", "NOTES", "NESTED-NOTES-MIDDLE-STAFF", "AUD-ELEMENTARY", "AUD-MIDDLE-STAFF",
           "SLIDES-ONLY", "HANDOUT-ONLY", "GUIDE-ONLY", "ACTIVITY", "NESTED-ANSWERS", "DISCUSS", "ANSWERS",
           "FOOTNOTE", "NOTE-CONTENT"]
#: For the middle audience: which markers each output shows.
SHOWN = {
    "page": {"PREFACE", "COMMON", "AUD-MIDDLE-STAFF", "HANDOUT-ONLY", "ACTIVITY", "DISCUSS", "FOOTNOTE", "NOTE-CONTENT"},
    "handout": {"PREFACE", "COMMON", "AUD-MIDDLE-STAFF", "HANDOUT-ONLY", "ACTIVITY", "DISCUSS", "FOOTNOTE", "NOTE-CONTENT"},
    # the deck file holds the presenter view: notes and model answers, hidden from the projected slides
    "deck": {"PREFACE", "COMMON", "NOTES", "NESTED-NOTES-MIDDLE-STAFF", "AUD-MIDDLE-STAFF", "SLIDES-ONLY", "ACTIVITY",
             "NESTED-ANSWERS", "DISCUSS", "ANSWERS", "FOOTNOTE", "NOTE-CONTENT"},
    "slides": {"PREFACE", "COMMON", "AUD-MIDDLE-STAFF", "SLIDES-ONLY", "ACTIVITY", "DISCUSS", "FOOTNOTE", "NOTE-CONTENT"},
    "guide": {"PREFACE", "COMMON", "NOTES", "NESTED-NOTES-MIDDLE-STAFF", "AUD-MIDDLE-STAFF", "GUIDE-ONLY", "ACTIVITY",
              "NESTED-ANSWERS", "DISCUSS", "ANSWERS", "FOOTNOTE", "NOTE-CONTENT"},
}


def output_text(out: Path, kind: str, lang: str, audience: str = "middle") -> str:
    path = out / PATHS[kind].format(lang=lang, audience=audience, lesson="blocks")
    return pdf_text(path) if path.suffix == ".pdf" else path.read_text()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", sorted(SHOWN))
def test_blocks_land_only_where_the_contract_says(mini_out, kind, lang):
    text = output_text(mini_out, kind, lang)
    for marker in MARKERS:
        present = re.search(rf"\b{re.escape(marker)}-", text) is not None
        assert present == (marker in SHOWN[kind]), f"{marker} {'missing from' if not present else 'leaked into'} {kind}"


def test_elementary_gets_its_own_block(mini_out):
    text = output_text(mini_out, "handout", "en", "elementary")
    assert "AUD-ELEMENTARY-en" in text and "AUD-MIDDLE-STAFF-en" not in text


def test_notes_are_hidden_in_the_audience_view(mini_out):
    html = output_text(mini_out, "deck", "en")
    assert re.search(r'<aside class="notes" hidden>\s*<p>NOTES-en</p>', html)


@pytest.mark.parametrize("path", [p for p in expected_paths() if p.endswith(".pdf") and p.startswith("ko/")])
def test_korean_pdfs_draw_real_glyphs(mini_out, path):
    assert_korean_glyphs(mini_out / path)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_handout_is_a4_with_footer_and_help_last(mini_out, audience):
    from pypdf import PdfReader
    path = mini_out / f"en/{audience}/blocks.handout.pdf"
    reader = PdfReader(path)
    assert len(reader.pages) <= 2
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    text = pdf_text(path)
    assert "Block test · " in text and "Facts checked 2026-11-22" in text and re.search(r"1 ?/ ?1", text)
    assert text.rindex("02-735-8994") > text.rindex("DISCUSS-en"), "help comes after the lesson"
    assert text.rindex("02-735-8994") > text.rindex("FOOTNOTE-en"), "help comes after the notes too"
    assert "Hanbit Middle School" in text and "02-123-4567" in text, "school contacts are shown"
    assert text.index("02-123-4567") < text.index("1366"), "school contacts come first"


def test_qr_codes_decode_to_the_data_pack_urls(mini_out, tmp_path):
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(mini_out / "en/middle/blocks.handout.pdf"),
                    str(tmp_path / "page")], check=True)
    found = set()
    for image in sorted(tmp_path.glob("page*.png")):
        result = subprocess.run(["zbarimg", "--quiet", "--raw", str(image)], capture_output=True, text=True)
        found.update(line.strip() for line in result.stdout.splitlines() if line.strip())
    pack = yaml.safe_load((FIXTURES / "mini/data/kr.yaml").read_text())
    assert found == {c["website"] for c in pack["channels"] if c.get("website")}


def test_slide_pdf_has_one_16_9_page_per_slide(mini_out):
    from pypdf import PdfReader
    deck = output_text(mini_out, "deck", "ko")
    slides = len(re.findall(r'<section class="slide', deck))
    reader = PdfReader(mini_out / "ko/middle/blocks.slides.pdf")
    assert len(reader.pages) == slides == 7  # title, content note, 3 sections, the sources, the help section
    box = reader.pages[0].mediabox
    assert abs(float(box.width) / float(box.height) - 16 / 9) < 0.01


def test_guide_has_plan_objectives_answers_sources(mini_out):
    text = pdf_text(mini_out / "en/middle/blocks.guide.pdf")
    for words in ("OBJ-MIDDLE-en", "Lesson plan", "28 / 45", "NOTES-en", "ANSWERS-en", "https://example.org/one",
                  "If a student tells you about abuse", "Mr Park, student safety", "Facts checked"):
        assert words in text, words


def test_pack_starts_each_handout_on_a_front_page(mini_out):
    pages = pdf_pages(mini_out / "en/middle/blocks.handout.pdf")
    assert pdf_pages(mini_out / "en/middle/handouts.pdf") == pages


def test_parent_letter_names_lessons_and_school(mini_out):
    text = pdf_text(mini_out / "ko/middle/parent-letter.pdf")
    assert pdf_pages(mini_out / "ko/middle/parent-letter.pdf") == 1
    assert "블록 시험" in text and "한빛중학교" in text and "가정통신문" in text


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls, self.lang, self.h1 = [], None, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        self.h1 += tag == "h1"
        for name in ("href", "src"):
            if attrs.get(name):
                self.urls.append(attrs[name])


def test_site_links_resolve_and_nothing_is_remote(mini_out):
    pages = sorted(mini_out.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        parser = Links()
        parser.feed(page.read_text())
        assert parser.lang in LANGS, page
        assert parser.h1 == 1, f"{page}: {parser.h1} h1"
        for url in parser.urls:
            if url.startswith(("https://", "tel:", "mailto:")):
                assert page.parent.name != "assets"
                continue
            assert not url.startswith(("http:", "//", "data:")) or (url.startswith("data:") and ".slides." in page.name), url
            if url.startswith(("#", "data:")):
                continue
            assert (page.parent / url.split("#")[0]).resolve().is_file(), f"{page}: broken link {url}"


def test_help_page_lists_every_channel_and_first_steps(mini_out):
    html = (mini_out / "en/help.html").read_text()
    pack = yaml.safe_load((FIXTURES / "mini/data/kr.yaml").read_text())
    for channel in pack["channels"]:
        assert channel["name"]["en"].replace("'", "&#39;") in html
    for step in pack["first_steps"]:
        assert step["en"] in html


def test_lesson_page_ends_with_the_help_panel(mini_out):
    page = (mini_out / "en/middle/blocks.html").read_text()
    assert page.index('class="footnotes"') < page.index('class="help-panel"')
    assert page.index('class="downloads"') < page.index('class="help-panel"')
    assert page.count('class="help-panel"') == 1


def test_help_panel_words_a_channel_for_its_audience(mini_out):
    young, older = (pdf_text(mini_out / f"en/{a}/blocks.handout.pdf") for a in ("elementary", "middle"))
    assert "Call if someone hurts you" in young and "School violence reports" not in young
    assert "School violence reports" in older and "Call if someone hurts you" not in older


def test_pdf_streams_are_deflated_at_zlibs_default_level():
    """pydyf asks for level 9; the build's PDFs use level 6 (2.5× faster, 1.5% larger)."""
    import logging
    import zlib

    import pydyf

    from jikim import pdf
    pdf.set_up()
    pdf.set_up()  # a second Printer changes nothing
    data = bytes(range(256)) * 64 + "지킴 도움 받을 곳 ".encode() * 500
    assert pydyf.zlib is pdf._Deflate
    assert [type(f) for f in logging.getLogger("weasyprint").filters].count(pdf._Quiet) == 1
    made = pydyf.Stream([data], compress=True).data
    level6 = zlib.compressobj(6)
    assert level6.compress(data) + level6.flush() in made
    assert zlib.decompress(made.split(b"stream\n", 1)[1].rsplit(b"\nendstream", 1)[0]) == data
