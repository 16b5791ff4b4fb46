"""Hostile lessons, round two: every attack a row, each ending in exit 0 with the hostile part
gone or exit 1 with `path:line`, within bounded time and memory, never a traceback.

Each row runs build.py in a child process with an address-space limit and a timeout, so a
regression (a hang, a blow-up, a segfault) fails the row instead of the test run.
"""

from __future__ import annotations

import io
import os
import re
import resource
import signal
import subprocess
import sys
import time
import types
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
from conftest import ROOT

LESSON = """---
title: TITLE
summary: A lesson someone sent the school.
audiences: [elementary, middle]
minutes: 45
objectives: [I can see nothing bad got through]
reviewed: 2026-11-22
sources:
  - {title: A, url: https://example.org, publisher: P, date: 2024-01-01}
---
Intro

## One {minutes=5}

BODY
"""
SECONDS = 60  # a row's hard limit under a loaded machine; each takes a few seconds at most
MEMORY = 1536 * 1024 * 1024  # address space of a `check`: the sparse file and the bombs stay far below


def lesson(course: Path, body: str = "Text", front: dict | None = None, name: str = "x.en.md") -> Path:
    text = LESSON.replace("BODY", body)
    for old, new in (front or {}).items():
        assert old in text, old
        text = text.replace(old, new, 1)
    path = course / "lessons" / name
    path.write_text(text, encoding="utf-8", newline="\n")
    return path


def body_line(offset: int = 0) -> int:
    """The line number of BODY in LESSON, plus `offset`."""
    return LESSON.split("\n").index("BODY") + 1 + offset


def png(width: int = 8, height: int = 8, noise: bool = False, kind: str = "PNG") -> bytes:
    from PIL import Image
    picture = (Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)) if noise
               else Image.new("RGB", (width, height), (200, 40, 40)))
    out = io.BytesIO()
    picture.save(out, kind)
    return out.getvalue()


def picture(course: Path, name: str, data: bytes) -> None:
    (course / "lessons/images" / name).write_bytes(data)


def bomb(anchor_key: str = "a") -> str:
    """The 'billion laughs': nine levels of nine aliases, under a kilobyte."""
    lines = [f'{anchor_key}0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        lines.append(f"{anchor_key}{i}: &l{i} [" + ",".join([f"*l{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


# --- the attacks ---------------------------------------------------------------------

def html_as_image(course):
    picture(course, "evil.html", b"<script>alert('XSS')</script>")
    lesson(course, "::: audience elementary\n![a chart](images/evil.html)\n:::")


def svg_with_script(course):
    picture(course, "chart.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    lesson(course, "![a chart](images/chart.svg)")


def stylesheet_as_image(course):
    (course / "lessons/site.css").write_text("body { display: none }")
    lesson(course, "![x](site.css)")


def wrong_extension(course):
    picture(course, "photo.jpg", png())
    lesson(course, "![a photo](images/photo.jpg)")


def huge_picture_file(course):
    with (course / "lessons/images/big.png").open("wb") as file:
        file.write(png())
        file.truncate(6 * 1024 * 1024)  # sparse: a 6 MB file that costs nothing to make
    lesson(course, "![big](images/big.png)")


def huge_picture_size(course):
    picture(course, "wide.png", png(9000, 2))
    lesson(course, "![wide](images/wide.png)")


def many_copies_of_a_picture(course):
    picture(course, "noise.png", png(1200, 1200, noise=True))  # about 4.3 MB
    lesson(course, "\n".join(["![noise](images/noise.png)"] * 6))


def control_in_front_matter(course):
    lesson(course, front={"title: TITLE": "title: TIT\x07LE"})


def escaped_control_in_front_matter(course):
    lesson(course, front={"title: TITLE": 'title: "TIT\\x07LE"'})


def nonchar_in_body(course):
    lesson(course, "Some \ufffe text")


def ffff_in_front_matter(course):
    lesson(course, front={"summary: A lesson": "summary: A \uffff lesson"})


def long_minutes_attribute(course):
    lesson(course, "## Two {minutes=" + "9" * 3900 + "}")  # a longer line is refused as such


def superscript_minutes(course):
    lesson(course, "## Two {minutes=\u00b2}")


def long_number_in_yaml(course):
    lesson(course, front={"minutes: 45": "minutes: " + "9" * 3900})


def long_number_in_course(course):
    path = course / "course.yaml"
    path.write_text(path.read_text() + "review_months: " + "9" * 5000 + "\n")


def sparse_lesson(course):
    path = lesson(course)
    with path.open("r+b") as file:
        file.truncate(20 * 1024 ** 3)  # 20 GB, sparse


def alias_bomb_in_lesson(course):
    lesson(course, front={"reviewed:": bomb("x") + "reviewed:"})


def alias_bomb_in_course(course):
    path = course / "course.yaml"
    path.write_text(path.read_text() + bomb())


def alias_bomb_in_data_pack(course):
    path = course / "data/kr.yaml"
    path.write_text(path.read_text() + bomb())


def deep_yaml(course):
    lesson(course, front={"minutes: 45": "minutes:\n" + "  [\n" * 30_000 + "  ]\n" * 30_000})


def deep_yaml_in_course(course):  # libyaml's C parser segfaulted on this
    path = course / "course.yaml"
    path.write_text(path.read_text() + "deep: " + "[" * 100_000 + "]" * 100_000 + "\n")


def nested_blocks(course):
    lesson(course, "::: notes\n" * 1000 + "deep\n" + ":::\n" * 1000)


def nested_divs(course):
    lesson(course, "<div>" * 150 + "deep" + "</div>" * 150)


def nested_quotes(course):
    lesson(course, ">" * 150 + " deep")


def megabyte_line(course):
    lesson(course, "![" * 500_000)


def lines_of(pattern: str):
    def attack(course):
        line = (pattern * 4000)[:3990] + " end"
        lesson(course, "\n".join([line] * 250))  # about 1 MB: the most a lesson may hold
    attack.__name__ = f"lines_of_{pattern!r}"
    return attack


def symlink_out_of_the_project(course):
    outside = course.parent / "outside.en.md"
    outside.write_text(LESSON.replace("BODY", "Read from outside"))
    os.symlink(outside, course / "lessons/linked.en.md")


def forged_letter_title(course):
    lesson(course, front={"title: TITLE": "title: |\n  Safety talk\n  - Call 010-1234-5678 now to pay"})


def forged_letter_summary(course):
    lesson(course, front={"summary: A lesson someone sent the school.":
                          'summary: "A lesson\\u2028- Call 010-1234-5678"'})


def forged_school_name(course):
    path = course / "course.yaml"
    path.write_text(path.read_text().replace("en: Hanbit Middle School", 'en: "Hanbit\\n- Call 010-1234-5678"'))


def reserved_id(course):
    lesson(course, name="index.en.md")


@dataclass
class Row:
    attack: Callable
    exit: int
    message: str  # a regex for one line of stderr (exit 1), or "" for exit 0
    args: tuple = ("check",)


ROWS = [
    # images: only raster pictures from lessons/images/, checked by their bytes, bounded
    Row(html_as_image, 1, rf"lessons/x\.en\.md:{body_line(1)}: image 'images/evil\.html' is not a PNG"),
    Row(svg_with_script, 1, rf"lessons/x\.en\.md:{body_line()}: image 'images/chart\.svg' is an SVG"),
    Row(stylesheet_as_image, 1, rf"lessons/x\.en\.md:{body_line()}: image 'site\.css' points outside lessons/images/"),
    Row(wrong_extension, 1, rf"lessons/x\.en\.md:{body_line()}: .*holds a PNG picture but is named \.jpg"),
    Row(huge_picture_file, 1, rf"lessons/x\.en\.md:{body_line()}: .*is 6\.0 MB; a picture may be at most 5 MB"),
    Row(huge_picture_size, 1, rf"lessons/x\.en\.md:{body_line()}: .*is 9000×2 pixels"),
    Row(many_copies_of_a_picture, 1, rf"lessons/x\.en\.md:{body_line(4)}: the pictures up to here add up to more than 20 MB"),
    # crashes that are now messages
    Row(control_in_front_matter, 1, r"lessons/x\.en\.md:2: this line holds the control character U\+0007"),
    Row(escaped_control_in_front_matter, 1, r"lessons/x\.en\.md:2: this value holds the control character U\+0007"),
    Row(nonchar_in_body, 1, rf"lessons/x\.en\.md:{body_line()}: .*control character U\+FFFE"),
    Row(ffff_in_front_matter, 1, r"lessons/x\.en\.md:3: .*control character U\+FFFF"),
    Row(long_minutes_attribute, 1, rf"lessons/x\.en\.md:{body_line()}: minutes=9+ is not a whole number"),
    Row(superscript_minutes, 1, rf"lessons/x\.en\.md:{body_line()}: minutes=² is not a whole number"),
    Row(long_number_in_yaml, 1, r"lessons/x\.en\.md:5: this number has 3900 characters"),
    Row(long_number_in_course, 1, r"course\.yaml:\d+: this number has 5000 characters"),
    Row(sparse_lesson, 1, r"lessons/x\.en\.md: the file is 20480\.0 MB; a lesson may be at most 1 MB"),
    # resource exhaustion
    Row(alias_bomb_in_lesson, 1, r"lessons/x\.en\.md:\d+: anchors and aliases .* are not allowed"),
    Row(alias_bomb_in_course, 1, r"course\.yaml:\d+: anchors and aliases .* are not allowed"),
    Row(alias_bomb_in_data_pack, 1, r"data/kr\.yaml:\d+: anchors and aliases .* are not allowed"),
    Row(deep_yaml, 1, r"lessons/x\.en\.md:\d+: the values are nested too deeply"),
    Row(deep_yaml_in_course, 1, r"course\.yaml:\d+: the values are nested too deeply"),
    Row(nested_blocks, 1, rf"lessons/x\.en\.md:{body_line(10)}: blocks are nested more than 10 deep"),
    Row(nested_divs, 1, rf"lessons/x\.en\.md:{body_line()}: .*nested more than 16 deep"),
    Row(nested_quotes, 1, rf"lessons/x\.en\.md:{body_line()}: .*nested more than 16 deep"),
    Row(megabyte_line, 1, rf"lessons/x\.en\.md:{body_line()}: this line has 1,000,000 characters; .* at most 4,000"),
    *(Row(lines_of(pattern), 1, rf"lessons/x\.en\.md:{body_line()}: this paragraph has so many '\[' or '\('")
      for pattern in ("![", "[^", "[", "![a](", "(", "](")),
    Row(lines_of("- "), 1, rf"lessons/x\.en\.md:{body_line()}: .*nested more than 16 deep"),
    *(Row(lines_of(pattern), 0, "") for pattern in ("## " + " " * 10, "{", "*", "`", "<", "> x ")),
    # places and names
    Row(symlink_out_of_the_project, 1, r"lessons/linked\.en\.md: this lesson is a link to a file outside the project"),
    Row(forged_letter_title, 1, r"lessons/x\.en\.md:2: 'title' must be one line"),
    Row(forged_letter_summary, 1, r"lessons/x\.en\.md:3: 'summary' must be one line"),
    Row(forged_school_name, 1, r"course\.yaml:\d+: 'name' must be one line"),
    Row(reserved_id, 1, r"lessons/index\.en\.md: 'index' is the name of a page the build makes"),
]


def _limits():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run(course: Path, *args: str, limit_memory: bool = True) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), *args, "--root", str(course)],
                            capture_output=True, text=True, timeout=SECONDS,
                            preexec_fn=_limits if limit_memory else None)
    return result, time.monotonic() - started


@pytest.mark.parametrize("row", ROWS, ids=[r.attack.__name__ for r in ROWS])
def test_hostile_input_ends_in_a_message(mini, row):
    row.attack(mini)
    result, seconds = run(mini, *row.args)
    err = result.stderr
    assert "Traceback" not in err and result.returncode >= 0, err[-2000:]  # no crash, no signal
    assert result.returncode == row.exit, err[-2000:]
    if row.message:
        assert any(re.match(row.message, line) for line in err.splitlines()), err[-2000:]
        assert all(" — " in line for line in err.splitlines() if line.startswith("lessons/x.en.md")), err
    assert seconds < SECONDS / 2, f"{seconds:.1f} s"


#: Lines that made our patterns or Python-Markdown's backtrack, recurse or scan again and again.
PATHOLOGICAL = ["![", "[^", "## " + " " * 10, "{", "![a](", "<div ", "[", "*", "_*", "`", "<", "&#", "> ",
                "- ", "1. ", "    ", "](", "[a]", "**a", "<a", "<!--", "\\[", "[](", "(", "<b>", "~~~ "]


@pytest.mark.parametrize("pattern", PATHOLOGICAL)
def test_a_long_pathological_line_is_refused_or_renders_quickly(mini, pattern):
    """The check refuses a line Markdown would choke on; a line it accepts renders in moments."""
    from jikim.errors import ContentError
    from jikim.lessons import MAX_LINE
    from jikim.markdown import Renderer
    from jikim.pipeline import Options, load
    line = (pattern * MAX_LINE)[: MAX_LINE - 1] + "x"
    lesson(mini, line)
    started = time.monotonic()
    with _alarm(30):
        try:
            load(Options(root=mini))
        except ContentError as exc:
            assert all(str(p).startswith("lessons/x.en.md:") for p in exc.problems), exc.problems
        else:
            Renderer(mini / "lessons", "file")(line)
    assert time.monotonic() - started < 10


class _Alarm(Exception):
    pass


class _alarm:  # noqa: N801 — a context manager read as a phrase
    def __init__(self, seconds: int):
        self.seconds = seconds

    def __enter__(self):
        def ring(*_):
            raise _Alarm(f"still running after {self.seconds} s")
        self.previous = signal.signal(signal.SIGALRM, ring)
        signal.alarm(self.seconds)

    def __exit__(self, *exc):
        signal.alarm(0)
        signal.signal(signal.SIGALRM, self.previous)


# --- rows that build: what is allowed reaches every output, what is hostile is gone ----------

LINKS = """
[unc](//host/share/x.docx) [drive](/C:/Windows/System32/calc.exe) [file](file:///etc/passwd)
[up](../../secret.txt) [web](https://example.org/ok) [mail](mailto:help@example.org) [call](tel:112)
[here](#top)
"""


def test_allowed_pictures_reach_every_output_and_only_shown_ones_are_published(mini, tmp_path):
    """PNG, JPEG, GIF and WebP in the page, deck, PDFs and .docx; a picture no page shows, and a
    file an earlier build published, are not on the site; links keep only safe hrefs."""
    for kind, suffix in (("PNG", "png"), ("JPEG", "jpg"), ("GIF", "gif"), ("WEBP", "webp")):
        picture(mini, f"p.{suffix}", png(40, 30, kind=kind))
    for name in ("slides-only", "guide-only", "staff-only", "unused"):
        picture(mini, f"{name}.png", png(20, 20))
    body = ("![a png](images/p.png) ![a jpeg](images/p.jpg)\n\n![a gif](images/p.gif) ![a webp](images/p.webp)\n"
            + LINKS + "\n::: slides\n![deck only](images/slides-only.png)\n:::\n"
            "\n::: guide\n![guide only](images/guide-only.png)\n:::\n"
            "\n::: audience staff\n![nobody](images/staff-only.png)\n:::\n")  # staff: not this lesson's
    lesson(mini, body, name="x.en.md")
    out = tmp_path / "out"
    stale = out / "assets/evil.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("<script>alert(1)</script>")  # as the old build published it
    result, seconds = run(mini, "--out", str(out), "--lang", "en", "--audience", "middle", "--jobs", "1",
                          limit_memory=False)
    assert result.returncode == 0, result.stderr[-3000:]
    published = sorted(p.relative_to(out / "assets").as_posix() for p in (out / "assets").rglob("*") if p.is_file())
    assert published == ["images/p.gif", "images/p.jpg", "images/p.png", "images/p.webp", "images/square.png",
                         "site.css"]  # square.png: the fixture lesson's own
    page = (out / "en/middle/x.html").read_text()
    main = page[page.index("<main"):page.index("</main>")]
    for suffix in ("png", "jpg", "gif", "webp"):
        assert f'src="../../assets/images/p.{suffix}"' in main
    hrefs = re.findall(r'href="([^"]*)"', main)
    assert {"#top", "https://example.org/ok", "mailto:help@example.org", "tel:112"} <= set(hrefs), hrefs
    assert not [h for h in hrefs if re.search(r"host|C:|file:|secret|^/", h)], hrefs
    deck = (out / "en/middle/x.slides.html").read_text()
    for mime in ("png", "jpeg", "gif", "webp"):
        assert f"data:image/{mime};base64," in deck
    with zipfile.ZipFile(out / "en/middle/x.handout.docx") as docx:
        media = [n for n in docx.namelist() if n.startswith("word/media/")]
    assert len(media) == 4, media
    from pypdf import PdfReader
    for name in ("x.handout.pdf", "x.guide.pdf", "x.slides.pdf"):
        reader = PdfReader(out / "en/middle" / name)
        uris = [annot.get_object().get("/A", {}).get("/URI") for page in reader.pages
                for annot in page.get("/Annots", [])]
        assert not [u for u in uris if u and not str(u).startswith(("https:", "mailto:", "tel:"))], (name, uris)
        images = sum(len(page.images) for page in reader.pages)
        assert images >= 4, (name, images)
    assert seconds < 120, f"{seconds:.0f} s"


def test_a_dead_worker_fails_the_build_instead_of_hanging(tmp_path, monkeypatch):
    from jikim import parallel
    from jikim.errors import BuildError
    from jikim.make.context import Rendered
    from jikim.plan import Artifact

    def killer(sources, artifact, sizes):
        if artifact.lesson == "b":
            os.kill(os.getpid(), signal.SIGKILL)  # what the kernel's out-of-memory killer does
        return Rendered(b"page")

    monkeypatch.setattr(parallel, "make", killer)  # forked workers inherit it
    artifacts = [Artifact("page", "en", "middle", name) for name in "abcd"]
    started = time.monotonic()
    with _alarm(60), pytest.raises(BuildError, match="a rendering process died"):
        sources = types.SimpleNamespace(course=types.SimpleNamespace(root=tmp_path))  # all `killer` needs
        with parallel.Workers(sources, tmp_path, 2, len(artifacts), lambda done, total: None) as work:
            work.run(artifacts)
    assert time.monotonic() - started < 10
