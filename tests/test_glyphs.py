"""Every character we print has a glyph: in the fonts themselves, and in every kind of PDF we make."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, build, mapped_characters, without_school

#: The printed outputs' font stack (templates/css/print.css): Korean first, then DejaVu Sans for symbols.
PRINT_FONTS = ("NanumGothic", "DejaVu Sans")
#: Every kind of PDF, as a path under output/L/A/ (X = a lesson taught to A).
PDF_KINDS = ("X.handout.pdf", "X.guide.pdf", "X.slides.pdf", "handouts.pdf", "parent-letter.pdf")
SOURCES = ("templates/strings.yaml", "course.yaml", "data/*.yaml", "lessons/*.md", "templates/*.html",
           "templates/_partials/*.html", "templates/letter.txt")


def _font_file(family: str) -> Path:
    found = subprocess.run(["fc-match", "-f", "%{family}\t%{file}", family], capture_output=True, text=True,
                           check=True).stdout
    families, _, file = found.partition("\t")
    assert family in families.split(","), f"font '{family}' is not installed (scripts/debian-deps.sh installs it)"
    return Path(file)


def _covered() -> set[int]:
    from fontTools.ttLib import TTFont
    covered: set[int] = set()
    for family in PRINT_FONTS:
        covered |= set(TTFont(_font_file(family), fontNumber=0).getBestCmap())
    return covered


def test_every_character_of_our_words_has_a_glyph_in_the_print_fonts():
    covered = _covered()
    missing = {}
    for pattern in SOURCES:
        for path in sorted(ROOT.glob(pattern)):
            bad = sorted({ch for ch in path.read_text(encoding="utf-8")
                          if ord(ch) > 0x7E and ord(ch) not in covered and ch not in "\ufeff\u200b"})
            if bad:
                missing[path.relative_to(ROOT).as_posix()] = [f"{ch} U+{ord(ch):04X}" for ch in bad]
    assert not missing, f"characters with no glyph in {', '.join(PRINT_FONTS)}: {missing}"


def test_letter_blanks_print_with_real_glyphs(mini, tmp_path):
    """The Korean letter without school details prints its ○○학교 blanks, not empty boxes."""
    assert build(without_school(mini), tmp_path / "out", "--lang", "ko", "--audience", "middle") == 0
    good, missing = mapped_characters(tmp_path / "out/ko/middle/parent-letter.pdf")
    assert "○" in good and not missing


def _pdfs(course_out: Path, kind: str) -> list[Path]:
    pattern = kind.replace("X.", "*.")
    return sorted(p for p in course_out.glob(f"*/*/{pattern}"))


@pytest.mark.parametrize("kind", PDF_KINDS)
def test_no_pdf_of_the_default_course_draws_a_missing_glyph(course_out, kind):
    pdfs = _pdfs(course_out, kind)
    assert {p.parent.parent.name for p in pdfs} == {"ko", "en"}, f"no {kind} in both languages"
    broken = {}
    for pdf in pdfs:
        good, missing = mapped_characters(pdf)
        assert good, f"{pdf}: no text read from its fonts"
        if missing:
            broken[pdf.relative_to(course_out).as_posix()] = sorted(missing)
    assert not broken, f"characters drawn as empty boxes: {broken}"
