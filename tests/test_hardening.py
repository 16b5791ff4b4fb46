"""Untrusted lessons, privacy, accessibility metadata, reproducibility and crash safety."""

import contextlib
import hashlib
import http.server
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, build, pdf_text, until

from jikim.pdf import ProjectFetcher

FORBIDDEN = [r"<script", r"javascript:", r"vbscript:", r"\bon[a-z]+\s*=", r"<iframe", r"<object", r"<embed",
             r"<form", r"<link", r"<video", r"<audio", r"<base", r"http-equiv=\"refresh", r"data:text",
             r"alert\(", r"rel=\"?attachment"]


class Recorder(http.server.BaseHTTPRequestHandler):
    hits: list = []

    def do_GET(self):  # noqa: N802
        Recorder.hits.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def hostile_out(tmp_path_factory, server):
    base = tmp_path_factory.mktemp("hostile")
    course = base / "course"
    shutil.copytree(FIXTURES / "mini", course)
    text = (FIXTURES / "hostile/hostile.en.md").read_text().replace("SERVER", server)
    (course / "lessons/hostile.en.md").write_text(text)
    (course / "lessons/hostile.ko.md").write_text(text)
    out = base / "output"
    Recorder.hits.clear()
    assert build(course, out, "--audience", "middle") == 0
    return out


def test_hostile_lesson_makes_no_request(hostile_out):
    assert Recorder.hits == []


def test_hostile_lesson_leaves_no_trace_in_html(hostile_out):
    for name in ("hostile.html", "hostile.slides.html"):
        html = (hostile_out / "en/middle" / name).read_text()
        assert "HOSTILE-START" in html and "HOSTILE-END" in html and "styled div" in html
        if name.endswith("slides.html"):  # our own runtime is the deck's one script
            assert html.count("<script") == 1
        html = html[html.index("<main"):html.index("</main>")]  # what the lesson put on the page
        for pattern in FORBIDDEN:
            assert not re.search(pattern, html, re.I), f"{name}: {pattern}"


def test_hostile_lesson_leaves_no_trace_in_pdfs(hostile_out):
    for path in (hostile_out / "en/middle").glob("hostile.*.pdf"):
        data = path.read_bytes()
        assert b"/EmbeddedFile" not in data and b"/JavaScript" not in data and b"/Launch" not in data, path.name
        assert b"SERVER" not in data
        assert "SCRIPT-RAN" not in pdf_text(path)


def test_fetcher_allows_project_files_only(tmp_path):
    root = tmp_path / "project"
    (root / "lessons/images").mkdir(parents=True)
    (root / "lessons/images/ok.png").write_bytes(b"png")
    (tmp_path / "secret.txt").write_text("secret")
    os.symlink(tmp_path / "secret.txt", root / "lessons/images/link.png")
    fetcher = ProjectFetcher([root / "lessons"])
    assert fetcher.fetch((root / "lessons/images/ok.png").as_uri()).read() == b"png"
    for url in [(tmp_path / "secret.txt").as_uri(), (root / "lessons/images/link.png").as_uri(),
                (root / "lessons/images/../../../secret.txt").as_uri(), "http://127.0.0.1:9/x",
                "https://example.org/x.png", "data:text/plain,hi", "data:image/svg+xml,<svg/>",
                "ftp://example.org/x"]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    # The one data URL allowed: a PNG in the page itself (the QR codes), read from nowhere.
    assert fetcher.fetch("data:image/png;base64,iVBORw0KGgo=").read() == b"\x89PNG\r\n\x1a\n"


def test_symlinked_image_outside_the_project_is_an_error(mini, tmp_path, capsys):
    (tmp_path / "outside.png").write_bytes((mini / "lessons/images/square.png").read_bytes())
    os.symlink(tmp_path / "outside.png", mini / "lessons/images/sneaky.png")
    lesson = mini / "lessons/blocks.en.md"
    lesson.write_text(lesson.read_text().replace("(images/square.png)", "(images/sneaky.png)"))
    assert build(mini, tmp_path / "out") == 1
    assert "outside lessons/" in capsys.readouterr().err


def test_every_page_has_a_content_security_policy(mini_out):
    for page in mini_out.rglob("*.html"):
        html = page.read_text()
        policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
        assert policy, page
        assert "default-src 'none'" in policy[1] and "http" not in policy[1]


def test_nothing_in_the_site_loads_from_the_network(mini_out):
    remote = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import""", re.I)
    for path in mini_out.rglob("*"):
        if path.suffix in (".html", ".css"):
            for match in remote.finditer(path.read_text()):
                context = path.read_text()[match.start() - 40: match.end() + 60]
                assert re.search(r"<a\b[^>]*$", context[:60]), f"{path}: {context}"  # only plain links


def test_pdfs_are_tagged_with_language_and_title(mini_out):
    from pypdf import PdfReader
    for path in sorted(mini_out.rglob("*.pdf")):
        reader = PdfReader(path)
        catalog = reader.trailer["/Root"]
        assert catalog["/Lang"] == path.relative_to(mini_out).parts[0], path
        assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"], path
        assert reader.metadata.title, path


def tree(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_builds_are_byte_identical(mini_out, tmp_path):
    course = tmp_path / "elsewhere"
    shutil.copytree(FIXTURES / "mini", course)
    assert build(course, tmp_path / "second") == 0
    first, second = tree(mini_out), tree(tmp_path / "second")
    assert first.keys() == second.keys()
    assert [p for p in first if first[p] != second[p]] == []


def test_sigkill_at_any_moment_leaves_output_whole(mini, tmp_path):
    """Killed while it renders (at the start, early, midway, near the end), a build leaves the
    previous output exactly as it was; the next build completes it."""
    out = tmp_path / "site"
    args = [sys.executable, str(ROOT / "build.py"), "--root", str(mini), "--out", str(out), "--lang", "en", "--jobs", "2"]
    subprocess.run(args, check=True, capture_output=True)
    before = tree(out)
    lesson = mini / "lessons/blocks.en.md"
    lesson.write_text(lesson.read_text().replace("COMMON-en", "COMMON-en!"))
    for progress_lines in (1, 2, 5, 9):  # "rendered N/M" lines seen before the kill
        process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        rendered = (line for line in iter(process.stderr.readline, "") if line.startswith("rendered "))
        for _ in range(progress_lines):
            assert next(rendered, None), "the build ended before the kill"
        process.send_signal(signal.SIGKILL)
        process.wait()
        process.stderr.close()
        assert tree(out) == before, f"killed after {progress_lines} progress lines, output/ changed"
    subprocess.run(args, check=True, capture_output=True)
    assert tree(out).keys() == before.keys()
    assert "COMMON-en!" in (out / "en/middle/blocks.html").read_text()
    assert not [p for p in (tmp_path / ".cache/staging").iterdir()]


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False


def test_ctrl_c_during_a_parallel_build_stops_it_at_once(tmp_path):
    """Ctrl+C reaches the whole process group, workers too; the build used to hang in terminate()."""
    out = tmp_path / "site"
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--root", str(ROOT), "--out", str(out),
                                "--jobs", "2"], stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        lines = iter(process.stderr.readline, "")
        rendered = (line for line in lines if line.startswith("rendered "))
        assert next(rendered, "").startswith("rendered 0/") and next(rendered, ""), "the PDFs did not render"
        os.killpg(process.pid, signal.SIGINT)  # what a terminal does on Ctrl+C
        assert process.wait(timeout=60) == 130
        assert "interrupted; output/ was left as it was." in process.stderr.read()
        assert not out.exists()
        assert until(lambda: not group_alive(process.pid), timeout=10), "a worker outlived the interrupted build"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.stderr.close()


def test_fetcher_maps_the_virtual_root(tmp_path):
    from jikim.pdf import VIRTUAL_ROOT
    (tmp_path / "lessons/images").mkdir(parents=True)
    (tmp_path / "lessons/images/a.png").write_bytes(b"A")
    fetcher = ProjectFetcher([tmp_path / "lessons"], tmp_path)
    assert fetcher.fetch(f"file://{VIRTUAL_ROOT}/lessons/images/a.png").read() == b"A"
    with pytest.raises(ValueError):
        fetcher.fetch(f"file://{VIRTUAL_ROOT}/lessons/../../../etc/passwd")


def test_lesson_text_naming_a_file_is_only_text(mini, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT")
    lesson = mini / "lessons/blocks.en.md"
    lesson.write_text(lesson.read_text().replace("HANDOUT-ONLY-en", str(secret)))
    assert build(mini, tmp_path / "out", "--lang", "en", "--audience", "middle") == 0
    import docx
    text = "\n".join(p.text for p in docx.Document(tmp_path / "out/en/middle/blocks.handout.docx").paragraphs)
    assert str(secret) in text and "SECRET-CONTENT" not in text
