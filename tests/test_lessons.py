"""Loading and validating lessons: every mistake named with its path:line and a fix."""

from pathlib import Path

import pytest

from jikim.errors import ContentError
from jikim.pipeline import Options, load

GOOD = """---
title: T
summary: S
audiences: [elementary, middle]
minutes: {elementary: 40, middle: 45}
objectives: [I can do it]
reviewed: 2026-11-22
sources:
  - {title: A, url: https://example.org, publisher: P, date: 2024-01-01}
---
Intro

## One {minutes=5}

::: notes
N
:::
"""


def write(root: Path, name: str, text: str | bytes) -> Path:
    path = root / "lessons" / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def errors(root: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load(Options(root=root))
    return [str(p) for p in caught.value.problems]


def test_fixture_course_loads(mini):
    loaded = load(Options(root=mini))
    lesson = next(x for x in loaded.lessons if x.lang == "ko")
    assert lesson.id == "blocks" and lesson.audiences == ("elementary", "middle", "staff")
    assert lesson.minutes["middle"] == 45 and str(lesson.reviewed) == "2026-11-22"
    assert [b.kind for b in lesson.body if hasattr(b, "kind")][:2] == ["notes", "audience"]
    assert "one" in lesson.footnotes


#: (what is changed in GOOD, the line the error names, words the message must hold)
BROKEN = [
    (("title: T\n", ""), 2, "no 'title'"),
    (("reviewed: 2026-11-22", "reviewed: 2026-13-45"), 7, "not a date"),
    (("reviewed: 2026-11-22", "reviewd: 2026-11-22"), 7, "did you mean 'reviewed'"),
    (("[elementary, middle]", "[elementary, middel]"), 4, "unknown audience 'middel'"),
    (("{elementary: 40, middle: 45}", "{elementary: 40}"), 5, "no entry for audience 'middle'"),
    (("{elementary: 40, middle: 45}", "{elementary: forty, middle: 45}"), 5, "whole number"),
    (("url: https://example.org", "url: ftp://example.org"), 9, "must start with https://"),
    (("{title: A, url: https://example.org, publisher: P, date: 2024-01-01}", "{title: A}"), 9, "no url, publisher, date"),
    (("::: notes\nN\n:::\n", "::: notes\nN\n"), 15, "never closed"),
    (("::: notes\nN\n:::\n", "::: note\nN\n:::\n"), 15, "unknown block 'note' — did you mean 'notes'"),
    (("::: notes\nN\n:::\n", "::: audience teachers\nN\n:::\n"), 15, "unknown audience 'teachers'"),
    (("::: notes\nN\n:::\n", "::: activity\nN\n:::\n"), 15, "needs a title"),
    (("::: notes\nN\n:::\n", "::: discuss now\nN\n:::\n"), 15, "takes no arguments"),
    (("::: notes\nN\n:::\n", "N\n:::\n"), 16, "closes no open block"),
    (("Intro\n", "Intro ![](images/square.png)\n"), 11, "no alt text"),
    (("Intro\n", "Intro ![a map](images/nothing.png)\n"), 11, "does not exist"),
    (("Intro\n", "Intro ![a map](https://example.org/x.png)\n"), 11, "not a local file"),
    (("Intro\n", "Intro ![a map](../../../etc/passwd)\n"), 11, "outside lessons/"),
    (("Intro\n", "Intro[^gone]\n"), 11, "[^gone] has no definition"),
    (("## One {minutes=5}", "## One {minutes=five}"), 13, "not a whole number"),
    (("title: T\n", "title: [T\n"), 2, "YAML syntax"),
]


@pytest.mark.parametrize("change,line,words", BROKEN, ids=[b[2] for b in BROKEN])
def test_broken_lesson_names_its_line(mini, change, line, words):
    old, new = change
    assert old in GOOD
    write(mini, "broken.ko.md", GOOD.replace(old, new, 1))
    found = [e for e in errors(mini) if e.startswith("lessons/broken.ko.md:")]
    assert found, "no error for lessons/broken.ko.md"
    assert any(e.startswith(f"lessons/broken.ko.md:{line}: ") and words in e for e in found), found


def test_every_error_of_a_run_is_reported(mini):
    write(mini, "one.ko.md", GOOD.replace("reviewed: 2026-11-22", "reviewed: soon"))
    write(mini, "two.ko.md", GOOD.replace("::: notes", "::: nots"))
    found = errors(mini)
    assert any(e.startswith("lessons/one.ko.md:7:") for e in found)
    assert any(e.startswith("lessons/two.ko.md:15:") for e in found)


@pytest.mark.parametrize("name,words", [
    ("Consent.ko.md", "named <id>.<lang>.md"),
    ("my lesson.ko.md", "named <id>.<lang>.md"),
    ("consent.fr.md", "language 'fr' is not one of"),
])
def test_bad_file_names(mini, name, words):
    write(mini, name, GOOD)
    assert any(name in e and words in e for e in errors(mini))


@pytest.mark.parametrize("content,words", [
    (b"", "the file is empty"),
    (b"no front matter", "starts with front matter"),
    (b"---\ntitle: x\n", "never closed"),
    (GOOD.encode("utf-16"), "not UTF-8"),
    (b"---\ntitle: \xff\n---\n", "not UTF-8"),
])
def test_unreadable_files_give_messages(mini, content, words):
    write(mini, "odd.ko.md", content)
    assert any("odd.ko.md:" in e and words in e for e in errors(mini))


def test_bom_and_windows_line_endings_are_fine(mini):
    write(mini, "crlf.ko.md", b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode())
    loaded = load(Options(root=mini))
    assert any(x.id == "crlf" for x in loaded.lessons)


def test_missing_translation_is_a_warning(mini):
    write(mini, "solo.ko.md", GOOD)
    loaded = load(Options(root=mini))
    assert any("no en translation" in str(w) for w in loaded.problems.warnings)


def test_stale_review_is_a_warning(mini):
    import datetime as dt
    loaded = load(Options(root=mini, today=dt.date(2028, 1, 1)))
    assert any("more than 12 months ago" in str(w) for w in loaded.problems.warnings)


def test_a_5_mb_lesson_gets_a_message(mini):
    write(mini, "huge.ko.md", GOOD + ("가나다라마바사 " * 400 + "\n") * 220)
    assert any("huge.ko.md" in e and "at most 1 MB" in e for e in errors(mini))


def test_duplicate_channel_id_in_the_data_pack(mini):
    pack = mini / "data/kr.yaml"
    pack.write_text(pack.read_text().replace('id: "117"', 'id: "1366"'))
    assert any(e.startswith("data/kr.yaml:") and "used twice" in e for e in errors(mini))


def test_wording_for_an_unknown_audience_in_the_data_pack(mini):
    pack = mini / "data/kr.yaml"
    pack.write_text(pack.read_text().replace("      elementary: {ko: 누가", "      primary: {ko: 누가"))
    assert any(e.startswith("data/kr.yaml:") and "unknown audience 'primary'" in e for e in errors(mini))


HEADINGS = GOOD.replace("Intro\n", """Intro
## Two {minutes=7}
Two text
```
## in a fence
```
::: audience middle
## Middle only {minutes=3}
M
:::
::: activity Act
## Inside a box
:::
""")


def test_headings_are_parsed_once_into_nodes_of_their_own(mini):
    """A `## ` line outside fences and boxes is a Heading; a Text never holds one (issue 17)."""
    from jikim.model import Block, Heading, Text
    from jikim.select import sections, select
    write(mini, "heads.ko.md", HEADINGS)
    lesson = next(x for x in load(Options(root=mini)).lessons if x.id == "heads")
    assert [(n.title, n.minutes, n.line) for n in lesson.body if isinstance(n, Heading)] == \
        [("Two", 7, 12), ("One", 5, 25)]
    audience, activity = [n for n in lesson.body if isinstance(n, Block)][:2]
    assert audience.children[0] == Heading("Middle only", 3, 18, "## Middle only {minutes=3}")
    assert isinstance(activity.children[0], Text) and activity.children[0].lines == ("## Inside a box",)
    top = [line for n in lesson.body if isinstance(n, Text) for line in n.lines]
    assert "## in a fence" in top and not [x for x in top if x.startswith("## ") and x != "## in a fence"]
    preface, found = sections(select(lesson.body, "middle", "page"))
    assert [(s.title, s.minutes, s.line) for s in found] == [("Two", 7, 12), ("Middle only", 3, 18), ("One", 5, 25)]
    assert [s.title for s in sections(select(lesson.body, "elementary", "page"))[1]] == ["Two", "One"]


def test_a_heading_inside_a_box_is_markdown_inside_the_box(mini):
    from jikim.markdown import Renderer
    from jikim.render import LessonView
    write(mini, "heads.ko.md", HEADINGS)
    lesson = next(x for x in load(Options(root=mini)).lessons if x.id == "heads")
    view = LessonView(lesson, "middle", "page", Renderer(mini / "lessons", "file"))
    box = next(i for s in view.sections for i in s["items"] if i["kind"] == "activity")
    assert box["items"][0]["html"].startswith("<h2") and "Inside a box" in box["items"][0]["html"]
    assert [s["title"] for s in view.sections] == ["Two", "Middle only", "One"]


def stale_warnings(root: Path, today) -> list[str]:
    return [str(w) for w in load(Options(root=root, today=today)).problems.warnings if "months ago" in str(w)]


def test_months_are_calendar_months_for_lessons_and_the_data_pack(mini):
    """One definition of "N months ago" (issue 17): 2027-03-01 is 12 months before 2028-03-01,
    though 366 days are more than 12 × 30.44."""
    import datetime as dt
    for path in [*mini.glob("lessons/*.md"), mini / "data/kr.yaml"]:
        path.write_text(path.read_text().replace("2026-11-22", "2027-03-01"))
    assert stale_warnings(mini, dt.date(2028, 3, 1)) == []
    found = stale_warnings(mini, dt.date(2028, 3, 2))
    assert sum(w.startswith("lessons/") for w in found) == 2 and sum(w.startswith("data/kr.yaml") for w in found) == 4


@pytest.mark.parametrize("today,months,limit", [
    ("2027-01-31", 12, "2026-01-31"),  # not the 28th: 2026-01-30 is more than 12 months before
    ("2027-03-31", 1, "2027-02-28"),
    ("2028-03-31", 1, "2028-02-29"),
    ("2028-02-29", 12, "2027-02-28"),
    ("2027-01-15", 1, "2026-12-15"),
    ("2027-01-15", 100_000, "0001-01-01"),  # course.yaml may set any whole number
])
def test_months_before(today, months, limit):
    import datetime as dt

    from jikim.model import months_before
    assert months_before(dt.date.fromisoformat(today), months) == dt.date.fromisoformat(limit)
