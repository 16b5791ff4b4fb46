"""A school's configuration: every mistake is `path:line: what — how to fix`, nothing is ignored silently."""

import re

import pytest
from conftest import build, school_template

from jikim.cli import main


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def school_file(name, text):
    """A table row's change: a file of the school's templates folder (conftest.school_template)."""
    return lambda root: school_template(root, name, text)


# (what a school's IT person did, the change, the message expected, the exit status)
MISTAKES = [
    ("a misspelt top-level key", lambda r: edit(r / "course.yaml", "school:", "shcool:"),
     r"course\.yaml:\d+: unknown key 'shcool' in course\.yaml — did you mean 'school'\?", 1),
    ("a misspelt audience key", lambda r: edit(r / "course.yaml", "minutes: 45", "minuts: 45"),
     r"course\.yaml:7: unknown key 'minuts' in audience 'middle' — did you mean 'minutes'\?", 1),
    ("a misspelt contact key", lambda r: edit(r / "course.yaml", "phone: 02-123-4567", "phnoe: 02-123-4567"),
     r"course\.yaml:\d+: unknown key 'phnoe' in a school contact — did you mean 'phone'\?", 1),
    ("a misspelt school key", lambda r: edit(r / "course.yaml", "designated:", "designted:"),
     r"course\.yaml:\d+: unknown key 'designted' in school — did you mean 'designated'\?", 1),
    ("a templates folder that does not exist", lambda r: edit(r / "course.yaml", "lessons: [blocks]",
                                                              "lessons: [blocks]\ntemplates: school-templates"),
     r"course\.yaml:\d+: templates: 'school-templates' is not a folder next to course\.yaml", 1),
    ("a site address without https", lambda r: edit(r / "course.yaml", "  contacts:",
                                                    "  site_url: http://school.example/\n  contacts:"),
     r"course\.yaml:\d+: site_url must start with https://", 1),
    ("a phone number with words", lambda r: edit(r / "course.yaml", "02-123-4567", "call the office"),
     r"course\.yaml:\d+: phone 'call the office' should hold digits", 1),
    ("an e-mail without @", lambda r: edit(r / "course.yaml", "phone: 02-123-4567",
                                           "phone: 02-123-4567\n      email: wee.school.example"),
     r"course\.yaml:\d+: email 'wee\.school\.example' is not an e-mail address", 1),
    ("a paper size we do not print", lambda r: edit(r / "course.yaml", "paper: a4", "paper: a5"),
     r"course\.yaml:\d+: paper must be one of a4, letter", 1),
    ("a language code that is not the course's", lambda r: edit(r / "course.yaml", "{ko: 한빛중학교, en:",
                                                                "{ko: 한빛중학교, eng:"),
     r"course\.yaml:\d+: 'name' has text for eng, which is not a course language", 1),
    ("a misspelt word key in the school's strings", school_file("strings.yaml", "ko:\n  help_titel: 도움\n"),
     r"school/strings\.yaml:2: unknown key 'help_titel' — did you mean 'help_title'\?", 1),
    ("a list where a line is expected", school_file("strings.yaml", "en:\n  help_title: [a, b]\n"),
     r"school/strings\.yaml:2: 'help_title' must be one line of text", 1),
    ("a Jinja mistake in the school's template", school_file("lesson.html", "{% extends 'base.html' %}\n{% block main %}\n{{ lesson.title }\n{% endblock %}\n"),
     r"school/lesson\.html:3: template syntax: .* — compare with the same file", 1),
    ("a copy of an older lesson.html", school_file("lesson.html", "{% extends 'base.html' %}\n"
     "{% import '_partials/download.html' as dl %}{% block main %}\n<p>{{ dl.link(files.handout, t.handout) }}</p>\n"
     "{% endblock %}\n"), r"school/lesson\.html:3: template error: .*handout", 1),
    ("a macro called with an argument too many", school_file("lesson.html", "{% extends 'base.html' %}\n"
     "{% import '_partials/download.html' as dl %}{% block main %}\n<p>{{ dl.link(files[0], 'a', 'b') }}</p>\n"
     "{% endblock %}\n"), r"school/lesson\.html:3: template error: macro 'link' takes not more than 2", 1),
    ("a school stylesheet that reads as a template comment", school_file("css/site.css", "@media print{#toc{x:y}}\n"),
     r"school/css/site\.css:1: template syntax", 1),
    ("a help channel nobody can reach", lambda r: edit(r / "data/kr.yaml", '    phone: "1366"\n', ""),
     r"data/kr\.yaml:14: channel '1366' has neither a phone nor a website", 1),
    ("a lesson that does not exist", lambda r: None, r"--lesson nope: no such lesson in lessons/", 2),
]


@pytest.mark.parametrize("what,change,message,status", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_a_configuration_mistake_is_reported_and_nothing_is_written(mini, tmp_path, capsys, what, change,
                                                                    message, status):
    change(mini)
    out = tmp_path / "out"
    out.mkdir()
    (out / "kept.txt").write_text("the last good build")
    args = ["--lesson", "nope"] if status == 2 else []
    assert build(mini, out, *args) == status, capsys.readouterr().err
    err = capsys.readouterr().err
    assert re.search(message, err), err
    assert "Traceback" not in err
    assert [p.name for p in out.iterdir()] == ["kept.txt"]


def test_a_partial_strings_override_changes_one_word_and_keeps_the_rest(mini, tmp_path):
    school_file("strings.yaml", "en:\n  help_title: Who can help\n")(mini)
    (mini / "school/css").mkdir()
    out = tmp_path / "out"
    assert main(["check", "--root", str(mini), "--strict"]) == 0
    assert build(mini, out, "--lang", "en", "--audience", "middle", "--lesson", "blocks") == 0
    page = (out / "en/middle/blocks.html").read_text()
    assert "Who can help" in page and "Where to get help" not in page
    assert "Skip to content" in page  # every other word still comes from Jikim's strings


def test_a_phone_with_an_extension_is_accepted_and_dials_the_number(mini, tmp_path):
    edit(mini / "course.yaml", "phone: 02-123-4567", "phone: 031-123-4567 (내선 204)")
    out = tmp_path / "out"
    assert build(mini, out, "--lang", "ko", "--audience", "middle", "--lesson", "blocks") == 0
    page = (out / "ko/middle/blocks.html").read_text()
    assert 'href="tel:0311234567"' in page and "031-123-4567 (내선 204)" in page


def test_a_detail_in_one_language_is_used_in_the_other_with_a_warning(mini, tmp_path, capsys):
    edit(mini / "course.yaml", "room: {ko: 본관 2층, en: Main building 2F}", "room: {ko: 본관 2층}")
    out = tmp_path / "out"
    assert build(mini, out, "--lang", "en", "--audience", "middle", "--lesson", "blocks") == 0
    err = capsys.readouterr().err
    assert re.search(r"course\.yaml:\d+: 'room' has no text for en; the ko text is used there too", err), err
    assert "본관 2층" in (out / "en/middle/blocks.html").read_text()
    assert main(["check", "--root", str(mini), "--strict"]) == 1


def test_windows_files_build_as_plain_utf8(mini, tmp_path):
    """CRLF line ends and a byte-order mark, as Windows editors write them."""
    for path in [mini / "course.yaml", mini / "data/kr.yaml", *sorted((mini / "lessons").glob("*.md"))]:
        text = path.read_text(encoding="utf-8")
        path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    out = tmp_path / "out"
    assert main(["check", "--root", str(mini), "--strict"]) == 0
    assert build(mini, out, "--lang", "en", "--audience", "middle", "--lesson", "blocks") == 0
    assert "\r" not in (out / "en/middle/blocks.html").read_text()


def test_a_scaffolded_lesson_is_refused_by_strict_until_written_or_marked_draft(mini, tmp_path, capsys):
    assert main(["new", "our-rules", "--root", str(mini)]) == 0
    capsys.readouterr()
    assert main(["check", "--root", str(mini), "--strict"]) == 1
    err = capsys.readouterr().err
    assert re.search(r"lessons/our-rules\.en\.md:2: 'title: New lesson title' is the new-lesson placeholder", err), err
    assert re.search(r"lessons/our-rules\.ko\.md:8: '- ~을 설명할 수 있다\.' is the new-lesson placeholder", err), err
    for path in (mini / "lessons").glob("our-rules.*.md"):
        path.write_text(path.read_text().replace("---\n", "---\ndraft: true\n", 1))
    assert main(["check", "--root", str(mini), "--strict"]) == 0
    out = tmp_path / "out"
    assert build(mini, out, "--lang", "en", "--audience", "middle") == 0
    assert not (out / "en/middle/our-rules.html").exists()
    assert "New lesson title" not in (out / "en/middle/parent-letter.txt").read_text()
    assert "New lesson title" not in (out / "en/middle/index.html").read_text()


def test_draft_must_be_true_or_false(mini, capsys):
    lesson = mini / "lessons/blocks.en.md"
    lesson.write_text(lesson.read_text().replace("---\n", "---\ndraft: maybe\n", 1))
    assert main(["check", "--root", str(mini)]) == 1
    assert re.search(r"lessons/blocks\.en\.md:2: 'draft' must be true or false", capsys.readouterr().err)


def broken_links(out) -> list[str]:
    """Every href or src of every page of `out` that names a file that is not there."""
    from html.parser import HTMLParser
    from urllib.parse import unquote, urlsplit

    class Links(HTMLParser):
        def __init__(self):
            super().__init__()
            self.found = []

        def handle_starttag(self, tag, attrs):
            self.found += [v for k, v in attrs if k in ("href", "src") and v]

    broken = []
    for page in sorted(out.rglob("*.html")):
        parser = Links()
        parser.feed(page.read_text())
        for link in parser.found:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("#") or not parts.path:
                continue
            if not (page.parent / unquote(parts.path)).exists():
                broken.append(f"{page.relative_to(out)} → {link}")
    return broken


def test_a_course_with_fewer_audiences_builds_with_no_broken_link(mini, tmp_path):
    """A middle school keeps the lessons and the data pack as they are and lists only its audiences."""
    edit(mini / "course.yaml", "  - {id: elementary, name: {ko: 초등, en: Elementary}, ages: \"10–12\", student: true, "
         "minutes: 40}\n", "")
    out = tmp_path / "out"
    assert main(["check", "--root", str(mini), "--strict"]) == 0
    assert build(mini, out) == 0
    assert not (out / "en/elementary").exists() and (out / "en/middle/index.html").is_file()
    assert not broken_links(out), broken_links(out)[:10]
    assert "elementary" not in (out / "en/index.html").read_text().lower()


def test_a_partial_build_links_only_what_exists_and_the_next_build_links_the_rest(mini, tmp_path):
    out = tmp_path / "out"
    assert build(mini, out, "--lang", "en", "--audience", "middle") == 0
    assert not broken_links(out), broken_links(out)[:10]
    assert "en/staff/" not in (out / "index.html").read_text() and "ko/" not in (out / "index.html").read_text()
    assert build(mini, out, "--lang", "en", "--audience", "staff") == 0
    assert not broken_links(out), broken_links(out)[:10]
    front = (out / "index.html").read_text()
    assert "en/staff/" in front and "en/middle/" in front


def test_a_template_mistake_met_while_rendering_is_a_path_line_error(mini, tmp_path, capsys):
    school_file("lesson.html", "{% extends 'base.html' %}\n{% block main %}\n{{ lessonn.title }}\n{% endblock %}\n")(mini)
    out = tmp_path / "out"
    assert build(mini, out, "--lang", "en", "--audience", "middle", "--jobs", "2") == 1
    err = capsys.readouterr().err
    assert re.search(r"school/lesson\.html:3: template error: 'lessonn' is undefined", err), err
    assert "Traceback" not in err and not out.exists()


def test_a_school_changes_colours_with_a_small_extra_css_per_output_family(mini, tmp_path):
    """css/site.extra.css, css/print.extra.css and css/deck.extra.css are read after ours."""
    import subprocess

    from PIL import Image

    for family in ("site", "print", "deck"):
        school_file(f"css/{family}.extra.css", f":root {{ --ink: #ff0000; }} /* {family}-extra */\n")(mini)
    out = tmp_path / "out"
    assert build(mini, out, "--lang", "en", "--audience", "middle", "--lesson", "blocks") == 0
    assert "site-extra" in (out / "assets/site.css").read_text()
    assert "deck-extra" in (out / "en/middle/blocks.slides.html").read_text()
    subprocess.run(["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", str(out / "en/middle/blocks.handout.pdf"),
                    str(tmp_path / "page")], check=True)
    page = Image.open(next(tmp_path.glob("page*.png"))).convert("RGB")
    red = sum(1 for r, g, b in page.getdata() if r > 200 and g < 80 and b < 80)
    assert red > 50, "the handout's text did not take the school's --ink"


def test_a_template_mistake_in_a_class_letter_is_a_path_line_error(mini, tmp_path, capsys):
    school_file("letter.html", "{% extends 'print_base.html' %}\n{% block main %}\n{{ nope.x }}\n{% endblock %}\n")(mini)
    assert main(["letter", "--root", str(mini), "--audience", "middle", "--out", str(tmp_path / "letter")]) == 1
    err = capsys.readouterr().err
    assert re.search(r"school/letter\.html:3: template error: 'nope' is undefined", err), err
    assert "Traceback" not in err and not (tmp_path / "letter").exists()


def test_a_course_whose_lessons_are_all_drafts_builds_its_ways_in_and_no_letter(mini, tmp_path):
    for path in (mini / "lessons").glob("*.md"):
        path.write_text(path.read_text().replace("---\n", "---\ndraft: true\n", 1))
    out = tmp_path / "out"
    assert build(mini, out) == 0
    assert (out / "index.html").is_file() and (out / "en/help.html").is_file()
    assert not list(out.rglob("parent-letter.*")) and not list(out.rglob("handouts.pdf"))
    assert not broken_links(out), broken_links(out)[:10]
