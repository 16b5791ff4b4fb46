"""Shared fixtures: a small course copied per test, and one build of each course per session."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from jikim.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture
def mini(tmp_path) -> Path:
    """A fresh copy of the small fixture course that a test may change."""
    target = tmp_path / "course"
    shutil.copytree(FIXTURES / "mini", target)
    return target


def school_template(course_root: Path, name: str, text: str) -> Path:
    """A file of the school's own templates folder (course.yaml `templates:`), such as a
    template that extends ours or a strings.yaml; returns the course root."""
    folder = course_root / "school"
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    course = course_root / "course.yaml"
    if "templates: school\n" not in course.read_text():
        course.write_text(course.read_text() + "templates: school\n")
    return course_root


def without_school(course_root: Path) -> Path:
    """The fixture course with no school details: the outputs print their blanks."""
    import yaml
    course = course_root / "course.yaml"
    data = yaml.safe_load(course.read_text())
    data["school"] = {}
    course.write_text(yaml.safe_dump(data, allow_unicode=True))
    return course_root


def build(root: Path, out: Path, *args: str) -> int:
    return main(["build", "--root", str(root), "--out", str(out), *args])


@pytest.fixture(scope="session")
def mini_out(tmp_path_factory) -> Path:
    """The fixture course, built once for every output test."""
    base = tmp_path_factory.mktemp("mini")
    shutil.copytree(FIXTURES / "mini", base / "course")
    out = base / "output"
    assert build(base / "course", out) == 0
    return out


@pytest.fixture(scope="session")
def course_build(tmp_path_factory):
    """The default course of this repository, built once: (output folder, build summary)."""
    import os

    from jikim.pipeline import Options
    from jikim.pipeline import build as run_build
    out = tmp_path_factory.mktemp("default") / "output"
    summary = run_build(Options(root=ROOT, out=out, jobs=os.cpu_count() or 1))
    return out, summary


@pytest.fixture(scope="session")
def course_out(course_build) -> Path:
    return course_build[0]


def until(condition, timeout: float, every: float = 0.05) -> bool:
    """Poll `condition` until it holds (True) or `timeout` seconds pass (False): a wait on a
    condition, checked every `every` seconds, never a fixed delay that a slow machine outruns."""
    import threading
    import time
    deadline = time.monotonic() + timeout
    tick = threading.Event()
    while not condition():
        if time.monotonic() > deadline:
            return False
        tick.wait(every)
    return True


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def pdf_pages(path: Path) -> int:
    from pypdf import PdfReader
    return len(PdfReader(path).pages)


HANGUL = re.compile(r"[\uac00-\ud7a3]")


def mapped_characters(path: Path) -> tuple[set[str], set[str]]:
    """(characters drawn with a real glyph, characters drawn with glyph 0 = a missing glyph).

    WeasyPrint writes CID fonts with Identity-H encoding, so a character code is the glyph id
    and each font's ToUnicode CMap maps glyph ids back to text.
    """
    from pypdf import PdfReader
    good, missing = set(), set()
    for page in PdfReader(path).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            cmap = font.get("/ToUnicode")
            if cmap is None:
                continue
            data = cmap.get_object().get_data().decode("latin-1")
            for gid, text in _cmap_pairs(data):
                (missing if gid == 0 else good).update(text)
    return good, missing


def _cmap_pairs(data: str):
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            yield int(src, 16), bytes.fromhex(dst).decode("utf-16-be", "replace")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            start = int(dst, 16)
            for offset, gid in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                yield gid, chr(start + offset)


def assert_korean_glyphs(path: Path) -> None:
    """Every Hangul syllable in the PDF's text is drawn with a real glyph."""
    text = pdf_text(path)
    hangul = set(HANGUL.findall(text))
    assert hangul, f"{path.name} has no Korean text"
    good, missing = mapped_characters(path)
    assert not (hangul & missing), f"{path.name}: drawn without a glyph: {sorted(hangul & missing)[:20]}"
    assert hangul <= good, f"{path.name}: no glyph for {sorted(hangul - good)[:20]}"
