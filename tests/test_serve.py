"""`build.py serve`: a saved lesson reloads the open page; a mistake shows on the page with path:line."""

import re
import subprocess
import sys
import time

import pytest
from browser import chromium
from conftest import ROOT


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
        page.goto(address + "en/middle/blocks.html")
        assert "COMMON-en" in page.inner_text("main")
        page.wait_for_timeout(1000)
        saved = time.monotonic()
        lesson.write_text(lesson.read_text().replace("COMMON-en", "COMMON-EDITED-en"))
        page.wait_for_function("document.body.innerText.includes('COMMON-EDITED-en')", timeout=20000)
        print(f"page reloaded {time.monotonic() - saved:.2f} s after the save")
        lesson.write_text(lesson.read_text().replace("::: discuss", "::: discus"))
        page.wait_for_selector("#jikim-errors", timeout=20000)
        assert re.search(r"lessons/blocks\.en\.md:\d+: unknown block 'discus'", page.inner_text("#jikim-errors"))
        lesson.write_text(lesson.read_text().replace("::: discus", "::: discuss"))
        page.wait_for_selector("#jikim-errors", state="detached", timeout=20000)
