"""Decks read from the back of a classroom: type sizes measured in every deck PDF, and the
engine that keeps them large by cutting long sections onto continuation slides.

The PDFs are 960×540 pt, the PowerPoint widescreen page, so PDF points are slide points.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import build, pdf_text

from jikim.deck import keep_words, line_count, nobreak

LARGE_PT = 24        # at least LARGE_SHARE of a deck's characters
LARGE_SHARE = 0.90
SMALLEST_PT = 14     # nothing smaller: a source line may be small, not tiny
TITLE_PT = 36        # slide titles are larger than the body


def type_sizes(path: Path) -> Counter:
    """Characters drawn at each size (pt, to 0.1): font size × the text and graphics matrices."""
    from pypdf import PdfReader
    sizes: Counter = Counter()

    def visit(text, cm, tm, font, size):
        count = len("".join(text.split()))
        if count and size:
            scale = math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3])
            sizes[round(size * scale, 1)] += count

    for page in PdfReader(path).pages:
        page.extract_text(visitor_text=visit)
    return sizes


def decks(out: Path) -> list[Path]:
    return sorted(out.glob("*/*/*.slides.pdf"))


def test_every_deck_is_set_large(course_out):
    found = decks(course_out)
    assert len(found) >= 20
    failures = []
    for path in found:
        sizes = type_sizes(path)
        total = sum(sizes.values())
        large = sum(n for size, n in sizes.items() if size >= LARGE_PT) / total
        tiny = sum(n for size, n in sizes.items() if size < SMALLEST_PT)
        body = sizes.most_common(1)[0][0]
        name = path.relative_to(course_out).as_posix()
        if large < LARGE_SHARE:
            failures.append(f"{name}: {large:.0%} of {total} characters at {LARGE_PT} pt or more")
        if tiny:
            failures.append(f"{name}: {tiny} characters under {SMALLEST_PT} pt")
        if body < LARGE_PT or max(sizes) < TITLE_PT:
            failures.append(f"{name}: body {body} pt, largest {max(sizes)} pt")
    assert not failures, "\n".join(failures)


LONG = """---
title: Long lesson
summary: A lesson whose sections do not fit one slide.
audiences: [middle]
minutes: 45
objectives: [OBJ-en]
reviewed: 2026-11-22
sources:
  - {title: Source, url: "https://example.org/s", publisher: Publisher, date: 2024-10-10}
---
## A long list {minutes=5}

The things we agree on:

{items}

## A long table {minutes=5}

| What someone does | What the law says |
|---|---|
{rows}

## Questions {minutes=5}

::: discuss
{questions}
:::

::: answers
ANSWER-ONE-en
:::

## Part two {minutes=1}

::: notes
DIVIDER-NOTE-en
:::

## Short rules {minutes=2}

- RULE-1 be kind
- RULE-2 no names
- RULE-3 say pass
- RULE-4 ask later
- RULE-5 step out
- RULE-6 listen well
- RULE-7 no photos

## Help {minutes=3}

::: help
:::
"""


@pytest.fixture(scope="module")
def long_deck(tmp_path_factory):
    import shutil

    from conftest import FIXTURES
    root = tmp_path_factory.mktemp("long") / "course"
    shutil.copytree(FIXTURES / "mini", root)
    items = "\n".join(f"- ITEM-{n:02d} a sentence long enough to take most of a line on the slide" for n in range(1, 15))
    rows = "\n".join(f"| ROW-{n:02d} makes or shares an image | up to {n} years in prison or a fine |" for n in range(1, 13))
    questions = "\n".join(f"{n}. QUESTION-{n:02d} what would you say to a friend who saw it, and why?" for n in range(1, 10))
    text = LONG.replace("{items}", items).replace("{rows}", rows).replace("{questions}", questions)
    for lang in ("en", "ko"):  # --strict: a lesson needs every language (the Korean copy is never built here)
        (root / "lessons" / f"long.{lang}.md").write_text(text)
    out = root.parent / "output"
    assert build(root, out, "--lesson", "long", "--lang", "en", "--audience", "middle", "--strict") == 0
    return out / "en/middle"


def test_long_sections_continue_on_more_slides_not_smaller_type(long_deck):
    html = (long_deck / "long.slides.html").read_text()
    titles = re.findall(r'<h2>(.*?)</h2>', html)
    assert sum("A long list" in t for t in titles) >= 2 and any("(cont.)" in t and "A long list" in t for t in titles)
    assert sum("A long table" in t for t in titles) >= 2
    assert sum("Questions" in t for t in titles) >= 2
    for marker in ("ITEM-14", "ROW-12", "QUESTION-09"):
        assert html.count(marker) == 1, marker
    slides = html.split('<section class="slide ')[1:]
    table_slides = [s for s in slides if "ROW-" in s]
    assert all("What someone does" in s for s in table_slides), "the table header is repeated"
    assert re.search(r'<ol start="\d+">\s*<li>QUESTION', html) or re.search(r'<ol start="\d+">', html), \
        "a continued numbered list keeps its numbers"
    pdf = pdf_text(long_deck / "long.slides.pdf").split("\f")
    assert len([p for p in pdf if p.strip()]) == len(slides), "the PDF shows the same slides as the HTML"
    sizes = type_sizes(long_deck / "long.slides.pdf")
    assert sum(n for s, n in sizes.items() if s >= LARGE_PT) / sum(sizes.values()) >= LARGE_SHARE


def test_layouts_follow_the_content(long_deck):
    html = (long_deck / "long.slides.html").read_text()
    slides = html.split('<section class="slide ')[1:]
    divider = next(s for s in slides if "Part two" in s)
    assert divider.startswith("slide-divider") and "DIVIDER-NOTE-en" in divider
    rules = next(s for s in slides if "Short rules" in s)
    assert 'class="text two-col"' in rules and "RULE-7" in rules, "seven short items in two columns, one slide"
    assert any(s.startswith("slide-question") for s in slides), "a slide of questions only"
    assert slides[-1].startswith("slide-help")
    assert not any(s.startswith("slide-sources") for s in slides), "no notes cited, no sources slide"


def test_answers_are_presenter_notes_not_slides(long_deck):
    html = (long_deck / "long.slides.html").read_text()
    assert re.search(r'<aside class="notes notes-answers" hidden>.*?ANSWER-ONE-en', html, re.S)
    assert "ANSWER-ONE-en" not in pdf_text(long_deck / "long.slides.pdf")


def test_the_guide_names_the_slides_of_each_section(long_deck):
    text = re.sub(r"\s+", " ", pdf_text(long_deck / "long.guide.pdf"))
    assert re.search(r"1\. A long list \(5 ?min\w*\) \(slides 2–\d\)", text), text[:2000]


def test_line_estimate_breaks_between_words():
    assert line_count("가나다 라마바", 10_000, 36) == 1
    assert line_count("가나다라마바사 " * 10, 400, 36) >= 10  # one 7-syllable word a line at most


def test_numbers_and_korean_words_are_kept_whole():
    assert 'class="nobr">031-123-4567로<' in str(nobreak("전화 031-123-4567로"))  # with its particle, as keep-all
    assert 'class="nobr">https://example.org/a-b<' in str(nobreak("https://example.org/a-b"))
    html = keep_words('<html><head><title>제목 글</title></head><body><p>썼어요 <b>a</b></p></body></html>')
    assert "<title>제목 글</title>" in html and '<span class="w">썼어요</span>' in html
