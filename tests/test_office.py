"""Editable copies: Word files read back with python-docx, opened by LibreOffice; the text letter."""

import re
import shutil
import subprocess

import docx
import pytest
import yaml
from docx.oxml.ns import qn
from conftest import FIXTURES, assert_korean_glyphs, pdf_pages, pdf_text


def document_text(path) -> str:
    document = docx.Document(path)
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
                for inner in cell.tables:
                    parts.extend(c.text for r in inner.rows for c in r.cells)
    return "\n".join(parts)


def channels():
    return yaml.safe_load((FIXTURES / "mini/data/kr.yaml").read_text())["channels"]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_letter_docx_names_lessons_help_and_blanks(mini_out, lang):
    path = mini_out / f"{lang}/middle/parent-letter.docx"
    text = document_text(path)
    assert ("블록 시험" if lang == "ko" else "Block test") in text
    for channel in channels():
        if channel.get("phone"):
            assert channel["phone"] in text
    document = docx.Document(path)
    styles = {p.style.name for p in document.paragraphs}
    assert {"Title", "Heading 1", "List Bullet"} <= styles
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "맑은 고딕"


def test_letter_without_school_details_has_marked_blanks(mini, tmp_path):
    from conftest import build, without_school
    assert build(without_school(mini), tmp_path / "out", "--lang", "ko", "--audience", "middle") == 0
    text = document_text(tmp_path / "out/ko/middle/parent-letter.docx")
    assert "○○학교" in text and "담당 교사: ________" in text
    assert "○○학교" in pdf_text(tmp_path / "out/ko/middle/parent-letter.pdf")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_handout_docx_has_handout_blocks_only(mini_out, lang):
    path = mini_out / f"{lang}/middle/blocks.handout.docx"
    text = document_text(path)
    for marker in ("PREFACE", "COMMON", "AUD-MIDDLE-STAFF", "HANDOUT-ONLY", "ACTIVITY", "DISCUSS", "FOOTNOTE"):
        assert f"{marker}-{lang}" in text, marker
    for marker in ("NOTES", "NESTED-NOTES-MIDDLE-STAFF", "ANSWERS", "NESTED-ANSWERS", "GUIDE-ONLY", "SLIDES-ONLY",
                   "AUD-ELEMENTARY"):
        assert f"{marker}-{lang}" not in text, marker
    assert "02-735-8994" in text and text.rindex("02-735-8994") > text.rindex(f"DISCUSS-{lang}")
    document = docx.Document(path)
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Common section" in headings and "Outputs" in headings
    alts = [e.get("descr") for e in document.element.body.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")]
    assert alts == ["ALT-SQUARE"]


def test_handout_docx_follows_the_template_boxes_help_footer_and_properties(mini_out):
    """Made from handout.html: the content note and each activity a box with its label, the help
    panel's contacts and channels (a table whose header row repeats), the running footer as Word's."""
    from docx.table import Table
    document = docx.Document(mini_out / "en/middle/blocks.handout.docx")
    boxes = [t for t in document.tables if len(t.rows) == 1 and len(t.columns) == 1]
    labels = [t.cell(0, 0).paragraphs[0] for t in boxes]
    assert [p.text for p in labels] == ["Before we start NOTE-CONTENT-en", "Activity: ACTIVITY-TITLE-en", "Discuss"]
    assert all(p.runs[0].bold for p in labels)
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == ("Title", "Block test")
    assert ("Heading 1", "Where to get help") in headings and ("Heading 2", "National help and reporting") in headings
    contacts = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert "School counsellor · Main building 2F · 02-123-4567" in contacts
    channels = next(t for t in document.tables if len(t.columns) == 4)
    assert [c.text for c in channels.rows[0].cells] == ["National help and reporting", "Phone", "Hours", "Website"]
    assert channels.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert isinstance(channels, Table) and "02-735-8994" in [c.text for c in channels.rows[2].cells]
    assert [p.text for p in document.sections[0].footer.paragraphs] == ["Block test · Middle · Facts checked 2026-11-22"]
    props = document.core_properties
    assert (props.title, props.subject, props.language) == ("Block test", "A test lesson that uses every block.", "en")
    assert props.created == props.modified and (props.created.hour, props.created.minute) == (0, 0)
    assert props.created.date().isoformat() == "2026-11-22"


def test_a_schools_handout_template_changes_the_word_handout(mini, tmp_path):
    """A school's handout.html (extending Jikim's) changes the PDF, the Word and the 한글 handouts alike."""
    from conftest import build, school_template
    from hwp_hwpx_parser import read
    school_template(mini, "handout.html", '{% extends "jikim/handout.html" %}\n{% block main %}{{ super() }}'
                    '<p class="school-note">OUR-SCHOOL-NOTE</p>{% endblock %}\n')
    out = tmp_path / "out"
    assert build(mini, out, "--lang", "en", "--audience", "middle", "--lesson", "blocks") == 0
    handout = out / "en/middle/blocks.handout"
    assert "OUR-SCHOOL-NOTE" in pdf_text(f"{handout}.pdf")
    assert "OUR-SCHOOL-NOTE" in [p.text for p in docx.Document(f"{handout}.docx").paragraphs][-1:]
    assert "OUR-SCHOOL-NOTE" in read(f"{handout}.hwpx").text


@pytest.mark.parametrize("name", ["ko/middle/parent-letter.docx", "ko/middle/blocks.handout.docx"])
def test_libreoffice_opens_the_word_copies(mini_out, tmp_path, name):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.fail("LibreOffice is missing: run `make test`, which installs libreoffice-writer-nogui")
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(mini_out / name)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / (name.rsplit("/", 1)[-1].replace(".docx", ".pdf"))
    assert 1 <= pdf_pages(pdf) <= 3
    assert_korean_glyphs(pdf)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_text_letter_is_plain_and_carries_help_numbers(mini_out, lang):
    text = (mini_out / f"{lang}/middle/parent-letter.txt").read_text()
    assert not re.search(r"[<>*#`_\[\]{}|]", re.sub("_{4,}", "", text)), "no markup characters"
    for channel in channels():
        if channel.get("phone"):
            assert channel["phone"] in text
    assert not re.search(r"\b(\d{3,4}) \1\b", text), "a number already in a service's name is not repeated"
    assert ("블록 시험" if lang == "ko" else "Block test") in text


def test_text_letter_links_the_help_page_when_the_site_address_is_known(mini, tmp_path):
    from conftest import build
    course = mini / "course.yaml"
    data = yaml.safe_load(course.read_text())
    data["school"]["site_url"] = "https://school.example/jikim/"
    course.write_text(yaml.safe_dump(data, allow_unicode=True))
    assert build(mini, tmp_path / "out", "--lang", "en", "--audience", "middle") == 0
    assert "https://school.example/jikim/en/help.html" in (tmp_path / "out/en/middle/parent-letter.txt").read_text()


def message_bytes(text: str) -> int:
    """Bytes as Korean messaging apps count a long message (EUC-KR: two a Korean or other non-ASCII character)."""
    return sum(1 if ord(ch) < 128 else 2 for ch in text)


def test_every_korean_text_letter_of_the_default_course_fits_one_long_message(course_out):
    """The general letter lists every lesson; in Korean it still fits. A teacher sends one class's
    letter (tests/test_hangul.py), which fits in both languages."""
    letters = sorted(course_out.glob("ko/*/parent-letter.txt"))
    assert len(letters) == 3
    for path in letters:
        assert message_bytes(path.read_text()) <= 2000, f"{path}: {message_bytes(path.read_text())} bytes"


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_word_letter_fits_one_page_like_the_pdf(course_out, tmp_path, lang):
    """The default course's longest letter (high school, every lesson), opened in LibreOffice."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.fail("LibreOffice is missing: run `make test`, which installs libreoffice-writer-nogui")
    letter = course_out / f"{lang}/high/parent-letter.docx"
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(letter)], check=True, capture_output=True, timeout=180)
    assert pdf_pages(tmp_path / "parent-letter.pdf") == 1
    assert pdf_pages(letter.with_suffix(".pdf")) == 1


def test_each_numbered_list_of_a_word_handout_counts_from_its_start(tmp_path):
    """Word would go on counting from the last list of the style: '2.' in a box whose first question is 1."""
    import datetime as dt
    from jikim import office
    html = '<ol><li>a</li><li>b</li></ol><div class="block"><ol><li>c</li></ol></div><ol start="4"><li>d</li></ol>'
    document = office.handout_document(html, "a4", "T", "S", "en", dt.date(2026, 1, 2), tmp_path)
    paragraphs = [p for p in document.paragraphs if p.text] + document.tables[0].cell(0, 0).paragraphs
    ids = {p.text: p._p.pPr.numPr.numId.val for p in paragraphs}
    assert ids["a"] == ids["b"] and len({ids["a"], ids["c"], ids["d"]}) == 3
    numbering = document.part.numbering_part.element
    starts = {text: numbering.num_having_numId(num).find(qn("w:lvlOverride")).find(qn("w:startOverride")).get(qn("w:val"))
              for text, num in ids.items()}
    assert starts == {"a": "1", "b": "1", "c": "1", "d": "4"}
