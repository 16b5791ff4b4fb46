"""Input keys: an edit re-renders what contains it, and nothing else."""

from jikim.datapack import pack_path
from jikim.overrides import PACKAGE_TEMPLATES
from jikim.pipeline import Options, load
from jikim.plan import Selection, plan

STAFF_ONLY = """---
title: Staff note
summary: For staff.
audiences: [staff]
minutes: {staff: 50}
objectives: [I can respond]
reviewed: 2026-11-22
sources:
  - {title: A, url: https://example.org, publisher: P, date: 2024-01-01}
---
## One {minutes=5}

BODY

::: notes
N
:::
"""


def keys(root):
    loaded = load(Options(root=root))
    return {a.path: a.key for a in plan(loaded.course, loaded.lessons, pack_path(loaded.course), Selection(),
                                        "a4", [PACKAGE_TEMPLATES])}


def changed(before, after):
    return {path for path in before if before[path] != after.get(path)}


def test_a_body_edit_renders_the_lesson_and_its_pack_not_the_letters(mini):
    before = keys(mini)
    lesson = mini / "lessons/blocks.en.md"
    lesson.write_text(lesson.read_text().replace("COMMON-en", "COMMON-en edited"))
    touched = changed(before, keys(mini))
    assert "en/middle/blocks.handout.pdf" in touched and "en/middle/handouts.pdf" in touched
    assert "en/middle/index.html" in touched, "the index shows the new file sizes"
    assert not any(p.startswith("ko/") for p in touched), "the other language stays"
    assert not any("parent-letter" in p for p in touched), "a letter shows only titles and summaries"


def test_a_staff_lesson_leaves_the_pupils_packs_alone(mini):
    for lang in ("en", "ko"):
        (mini / f"lessons/staffnote.{lang}.md").write_text(STAFF_ONLY)
    before = keys(mini)
    lesson = mini / "lessons/staffnote.en.md"
    lesson.write_text(lesson.read_text().replace("BODY", "BODY edited"))
    touched = changed(before, keys(mini))
    assert "en/staff/handouts.pdf" in touched and "en/staff/staffnote.guide.pdf" in touched
    assert not any(p.startswith(("en/middle/", "en/elementary/", "ko/")) for p in touched), touched


def test_a_new_summary_rewrites_the_letters(mini):
    before = keys(mini)
    lesson = mini / "lessons/blocks.en.md"
    text = lesson.read_text()
    summary = next(line for line in text.splitlines() if line.startswith("summary:"))
    lesson.write_text(text.replace(summary, "summary: A new summary."))
    touched = changed(before, keys(mini))
    assert {"en/middle/parent-letter.pdf", "en/middle/parent-letter.txt"} <= touched
