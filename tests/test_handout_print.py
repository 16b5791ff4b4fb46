"""The default course's student handouts: two pages at most, an exit slip to cut off, help kept."""

from __future__ import annotations

from functools import lru_cache

import pytest

from conftest import ROOT, pdf_pages, pdf_text

STUDENTS = ("elementary", "middle", "high")
CUT = {"ko": "✂ 자르는 선", "en": "✂ cut here"}
HELP = {"ko": "도움 받을 곳", "en": "Where to get help"}


@lru_cache(maxsize=1)
def lessons():
    from jikim.pipeline import Options, load
    return {(x.id, x.lang): x for x in load(Options(root=ROOT)).lessons}


def closing_sections(lang: str, audience: str, lesson: str) -> bool:
    """Whether the lesson's last section for the audience before its help is a closing one."""
    from jikim.markdown import Renderer
    from jikim.render import LessonView
    found = lessons()[(lesson, lang)]
    view = LessonView(found, audience, "handout", Renderer(ROOT / "lessons", "file"))
    last = view.body_sections[-1] if view.body_sections else None
    return bool(last) and last["plain_title"].startswith({"ko": "마무리", "en": "Closing"}[lang])


def test_no_handout_warning(course_build):
    _, summary = course_build
    assert not [w for w in summary.warnings if "handout has" in w.message], summary.warnings


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("audience", STUDENTS)
def test_student_handouts_fit_two_pages_with_the_slip_above_the_help(course_out, lang, audience):
    handouts = sorted((course_out / lang / audience).glob("*.handout.pdf"))
    assert handouts
    slips = 0
    for pdf in handouts:
        assert pdf_pages(pdf) <= 2, pdf.name
        text = pdf_text(pdf)
        assert not any(tag in text for tag in ("<p>", "</a>", "<sup", "&lt;")), f"{pdf.name} prints HTML as text"
        lesson = pdf.name.split(".")[0]
        if closing_sections(lang, audience, lesson):
            slips += 1
            assert CUT[lang] in text, pdf.name
            assert text.index(CUT[lang]) < text.rindex(HELP[lang]), pdf.name
        else:
            assert CUT[lang] not in text, pdf.name
    assert slips, "no lesson of this audience has a closing section"
