"""`build.py serve`: a saved lesson reloads the open page; a mistake shows on the page with path:line."""

import re
import subprocess
import sys
import threading
import time

import pytest
from browser import chromium
from conftest import ROOT, pdf_text

from jikim.pipeline import Options, build
from jikim.make.context import size_text
from jikim.plan import HTML_KINDS, Selection
from jikim.serve import State, rebuild, watch_plan


@pytest.fixture
def server(mini, tmp_path):
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--root", str(mini),
                                "--out", str(tmp_path / "out"), "--port", "0", "--lang", "en", "--audience", "middle"],
                               stderr=subprocess.PIPE, text=True)
    address = None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and address is None:
        line = process.stderr.readline()
        match = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
        address = match and match[1]
    assert address, "serve did not start"
    yield address, mini
    process.terminate()
    process.wait(timeout=10)
    process.stderr.close()


def test_saving_a_lesson_reloads_the_page(server):
    address, mini = server
    lesson = mini / "lessons/blocks.en.md"
    with chromium() as browser:
        page = browser.new_page()
        with page.expect_response(lambda r: "/__jikim__/state" in r.url):  # the page knows the build it shows
            page.goto(address + "en/middle/blocks.html")
        assert "COMMON-en" in page.inner_text("main")
        lesson.write_text(lesson.read_text().replace("COMMON-en", "COMMON-EDITED-en"))
        page.wait_for_function("document.body.innerText.includes('COMMON-EDITED-en')", timeout=20000)
        lesson.write_text(lesson.read_text().replace("::: discuss", "::: discus"))
        page.wait_for_selector("#jikim-errors", timeout=20000)
        assert re.search(r"lessons/blocks\.en\.md:\d+: unknown block 'discus'", page.inner_text("#jikim-errors"))
        lesson.write_text(lesson.read_text().replace("::: discus", "::: discuss"))
        page.wait_for_selector("#jikim-errors", state="detached", timeout=20000)


def test_the_watch_survives_an_editor_that_replaces_course_yaml_on_save(server):
    address, mini = server
    course = mini / "course.yaml"
    with chromium() as browser:
        page = browser.new_page()
        with page.expect_response(lambda r: "/__jikim__/state" in r.url):
            page.goto(address + "en/middle/blocks.html")
        for title in ("Replaced once", "Replaced twice"):  # the second save proves the first kept the watch
            text = re.sub(r"en: [^}]*\}", f"en: {title}}}", course.read_text(), count=1)
            tmp = mini / "course.yaml.new"
            tmp.write_text(text)
            tmp.replace(course)  # what `sed -i` and many editors do: a new file renamed over the old one
            page.wait_for_function(f"document.title.includes({title!r})", timeout=20000)


def test_serve_watches_the_schools_template_folder(mini):
    (mini / "school").mkdir()
    course = mini / "course.yaml"
    course.write_text(course.read_text() + "templates: school\n")
    watched = [path for paths, _ in watch_plan(mini) for path in paths]
    assert (mini / "school").resolve() in watched and (mini / "lessons").resolve() in watched


def test_serve_renders_the_pages_an_edit_touches_then_the_rest_in_the_next_full_build(mini, tmp_path):
    out = tmp_path / "out"
    full, pages = Options(root=mini, out=out), Options(root=mini, out=out, selection=Selection(kinds=HTML_KINDS))
    build(full)
    inode = {name: (out / name).stat().st_ino for name in ("en/middle/blocks.html", "ko/middle/blocks.html",
                                                           "en/middle/blocks.guide.pdf")}
    lesson = mini / "lessons/blocks.en.md"
    lesson.write_text(lesson.read_text().replace("COMMON-en", "COMMON-EDITED-en"))
    first = build(pages)
    assert "COMMON-EDITED-en" in (out / "en/middle/blocks.html").read_text()
    assert (out / "en/middle/blocks.html").stat().st_ino != inode["en/middle/blocks.html"]
    assert (out / "ko/middle/blocks.html").stat().st_ino == inode["ko/middle/blocks.html"], "a ko page was redone"
    assert (out / "en/middle/blocks.guide.pdf").stat().st_ino == inode["en/middle/blocks.guide.pdf"]
    assert 0 < first.built < first.reused
    assert build(pages).built == 0
    build(full)  # the PDFs now; a page is made again only if the sizes it shows changed
    assert (out / "ko/middle/blocks.html").stat().st_ino == inode["ko/middle/blocks.html"]
    assert "COMMON-EDITED-en" in pdf_text(out / "en/middle/blocks.guide.pdf")
    page = (out / "en/middle/blocks.html").read_text()
    size = size_text((out / "en/middle/blocks.handout.pdf").stat().st_size)
    assert 'blocks.handout.pdf">' in page and f"(PDF, {size})" in page, "the page shows the new file's size"
    assert build(full).built == 0


def test_a_change_while_the_pdfs_render_stops_them_and_leaves_the_last_ones(mini, tmp_path):
    out = tmp_path / "out"
    build(Options(root=mini, out=out))
    lesson = mini / "lessons/blocks.en.md"
    lesson.write_text(lesson.read_text().replace("COMMON-en", "COMMON-EDITED-en"))
    state, pending = State(), threading.Event()
    pending.set()  # saved again at once
    rebuild(Options(root=mini, out=out, jobs=2), state, pending)
    assert state.build == 1 and state.errors == []
    assert "COMMON-EDITED-en" in (out / "en/middle/blocks.html").read_text()
    assert "COMMON-EDITED-en" not in pdf_text(out / "en/middle/blocks.guide.pdf")
    assert not list((tmp_path / ".cache/staging").iterdir())
    pending.clear()
    rebuild(Options(root=mini, out=out, jobs=2), state, pending)
    assert "COMMON-EDITED-en" in pdf_text(out / "en/middle/blocks.guide.pdf")


def test_an_open_page_hears_of_a_build_as_soon_as_it_is_done():
    state = State()
    seen = state.after(-1, timeout=0)
    threading.Timer(0.2, state.publish, ([],), {"built": True}).start()
    now = state.after(seen["version"], timeout=30)
    assert now["build"] == seen["build"] + 1 and now["version"] == seen["version"] + 1
    assert state.after(now["version"], timeout=0) == now  # nothing new: the same answer after the wait


def test_a_picture_replaced_between_two_builds_of_one_process_reaches_the_pdfs(mini, tmp_path):
    """serve builds again in the same process: WeasyPrint's decoded pictures are kept for one build only."""
    import io

    from PIL import Image
    from pypdf import PdfReader

    def colour(pdf) -> tuple:
        image = next(img for page in PdfReader(pdf).pages for img in page.images)
        return Image.open(io.BytesIO(image.data)).convert("RGB").getpixel((0, 0))

    def paint(rgb) -> None:
        Image.new("RGB", (8, 8), rgb).save(mini / "lessons/images/square.png")

    out, options = tmp_path / "out", Options(root=mini, out=tmp_path / "out", jobs=1,
                                             selection=Selection(langs=("en",), audiences=("middle",)))
    paint((255, 0, 0))
    build(options)
    assert colour(out / "en/middle/blocks.handout.pdf") == (255, 0, 0)
    paint((0, 0, 255))
    build(options)
    assert colour(out / "en/middle/blocks.handout.pdf") == (0, 0, 255)
