"""What a teacher, a parent or a student acts on: pinned on the built default course.

CONTENT.md's last section ("What the first full review taught us"): no output tells a teacher
to edit course.yaml; a service is offered with its limits (Take It Down); staff know the law
that binds them (Article 34, the duty to report); despair has a number (109).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import docx
import pytest

from conftest import pdf_text

# The limits of Take It Down, as facts-kr.md gives them: an image already on the person's
# own device, taken before 18, on participating platforms. Each output that names the
# service must carry every one of these words (whitespace ignored in Korean).
TAKE_IT_DOWN_LIMITS = {
    "ko": ("기기", "18세", "참여"),
    "en": ("device", "18", "participating"),
}
DUTY_TO_REPORT = {"ko": "제34조", "en": "Article 34"}


def text_of(path: Path) -> str:
    """The words a reader sees in one output, whitespace collapsed."""
    if path.suffix == ".pdf":
        text = pdf_text(path)
    elif path.suffix == ".docx":
        document = docx.Document(path)
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        text = "\n".join([p.text for p in document.paragraphs] + cells)
    elif path.suffix == ".hwpx":
        from hwp_hwpx_parser import read
        text = read(str(path)).text
    elif path.suffix == ".html":
        source = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", path.read_text(encoding="utf-8"))
        text = html.unescape(re.sub(r"<[^>]+>", " ", source))
    else:
        text = path.read_text(encoding="utf-8")
    return " ".join(text.split())


def has(text: str, lang: str, words: str) -> bool:
    if lang == "ko":  # a line break can fall inside 제34조 or 18세 in a PDF
        return words.replace(" ", "") in text.replace(" ", "")
    return re.search(rf"(?<![\w]){re.escape(words)}(?![\w])", text) is not None


def outputs(root: Path, pattern: str) -> list[Path]:
    found = sorted(root.glob(pattern))
    assert found, f"no output matches {pattern}"
    return found


def lang_of(root: Path, path: Path) -> str:
    return path.relative_to(root).parts[0]


def guides_and_letters(root: Path) -> list[Path]:
    return outputs(root, "*/*/*.guide.pdf") + outputs(root, "*/*/parent-letter.*")


def test_no_guide_or_letter_tells_a_teacher_to_edit_course_yaml(course_out):
    offenders = [str(p.relative_to(course_out)) for p in guides_and_letters(course_out)
                 if "course.yaml" in text_of(p)]
    assert not offenders, f"'course.yaml' printed for teachers or parents in: {offenders}"


def test_every_output_that_names_take_it_down_states_its_limits(course_out):
    checked, missing = 0, []
    for path in sorted(course_out.glob("*/**/*")):
        if path.suffix not in (".html", ".pdf", ".docx", ".txt") or path.name == "handouts.pdf":
            continue  # the print pack is the handouts again, checked one by one
        text = text_of(path)
        if "Take It Down" not in text:
            continue
        checked += 1
        lang = lang_of(course_out, path)
        absent = [w for w in TAKE_IT_DOWN_LIMITS[lang] if not has(text, lang, w)]
        if absent:
            missing.append(f"{path.relative_to(course_out)} (no {', '.join(absent)})")
    assert checked, "no output names Take It Down: the test checks nothing"
    assert not missing, f"{len(missing)} of {checked} outputs name Take It Down without its limits: {missing}"


def test_every_staff_guide_states_the_duty_to_report(course_out):
    missing = [str(p.relative_to(course_out)) for p in outputs(course_out, "*/staff/*.guide.pdf")
               if not has(text_of(p), lang_of(course_out, p), DUTY_TO_REPORT[lang_of(course_out, p)])]
    assert not missing, f"no Article 34 (the duty to report) in: {missing}"


@pytest.mark.parametrize("pattern", ["*/*/parent-letter.pdf", "*/*/parent-letter.docx", "*/*/parent-letter.txt",
                                     "*/*/parent-letter.hwpx",
                                     "*/high/*.guide.pdf", "*/staff/*.guide.pdf"])
def test_109_is_named_on_every_parent_letter_and_in_high_and_staff_guides(course_out, pattern):
    missing = [str(p.relative_to(course_out)) for p in outputs(course_out, pattern)
               if not re.search(r"(?<!\d)109(?!\d)", text_of(p))]
    assert not missing, f"no 109 (suicide prevention, 24 h) in: {missing}"


def test_every_deck_shows_every_number_of_its_help_panel(course_out):
    """The help slide is read from the back of the room: no number may be cut off it."""
    from conftest import ROOT

    from jikim.pipeline import Options, load
    pack = load(Options(root=ROOT)).pack
    missing = []
    for path in sorted(course_out.glob("*/*/*.slides.pdf")):
        audience = path.parent.name
        text = pdf_text(path).replace(" ", "")
        missing += [f"{path.relative_to(course_out)}: {ch.phone}" for ch in pack.channels_for(audience)
                    if ch.phone and ch.phone.replace(" ", "") not in text]
    assert not missing, missing[:10]
