"""한글 (HWPX) letters: valid by python-hwpx's own checks, read back by another package, stable bytes."""

import re

import pytest
from conftest import build, pdf_text

from jikim.cli import main

hwpx_validator = pytest.importorskip("hwpx.tools.package_validator")
reader = pytest.importorskip("hwp_hwpx_parser")
PHONE = re.compile(r"\b(?:\d{2,3}-\d{3,4}-\d{4}|1\d{2,3})\b")


def hwpx_text(path) -> str:
    """The text as an independent reader (hwp-hwpx-parser, not the writer's package) finds it."""
    document = reader.read(str(path))
    assert document.is_valid, path
    return document.text


def assert_valid(path) -> None:
    report = hwpx_validator.validate_editor_open_safety(path)
    assert report.validate_package.ok, report.validate_package.errors
    assert not report.blocking_package_errors
    assert report.document_validation_error is None
    assert not report.validate_document.errors, report.validate_document.errors
    assert report.reopen_ok, report.reopen_error


def words(text: str) -> list[str]:
    return re.findall(r"[\w@.:/-]+", text)


def letters(out):
    found = sorted(out.glob("*/*/parent-letter.hwpx"))
    assert found
    return found


def test_every_hwpx_letter_of_the_default_course_is_valid_and_says_what_the_pdf_says(course_out):
    for path in letters(course_out):
        assert_valid(path)
        text = hwpx_text(path)
        pdf = pdf_text(path.with_suffix(".pdf"))
        pdf_words = [w for w in words(pdf) if not re.fullmatch(r"\d+|/", w)]
        mine = set(words(text))
        found = sum(w in mine for w in pdf_words) / len(pdf_words)
        assert found >= 0.9, f"{path}: only {found:.0%} of the PDF letter's words"
        for phone in set(PHONE.findall(pdf)):
            assert phone in text, f"{path}: {phone} is missing"
        ko = "/ko/" in path.as_posix()
        for field in (["학부모 확인란", "학년", "반", "번호", "보호자 서명"] if ko else
                      ["Reply slip", "Grade", "Class", "Number", "Parent's signature"]):
            assert field in text, f"{path}: the reply slip has no '{field}'"


def test_the_hwpx_handout_says_what_the_pdf_handout_says_with_boxes_as_tables(mini_out):
    for path in sorted(mini_out.glob("*/*/*.handout.hwpx")):
        assert_valid(path)
        document = reader.read(str(path))
        pdf_words = [w for w in words(pdf_text(path.with_suffix(".pdf"))) if not re.fullmatch(r"\d+|/", w)]
        found = sum(w in document.text for w in pdf_words) / len(pdf_words)  # the reader joins a cell's lines
        assert found >= 0.85, f"{path}: only {found:.0%} of the PDF handout's words"
        assert document.get_tables(), f"{path}: the activity and question boxes are not tables"
        assert "02-735-8994" in document.text, f"{path}: the help panel is missing"
        lang = path.parts[-3]
        assert f"NOTE-CONTENT-{lang}" in document.text, f"{path}: the content note's box is empty"
        assert f"1. FOOTNOTE-{lang}" in document.text and "1. 1." not in document.text, path


def test_the_hwpx_letter_is_a4_with_a_font_hangul_has(mini_out):
    import zipfile
    with zipfile.ZipFile(mini_out / "ko/middle/parent-letter.hwpx") as package:
        section = package.read("Contents/section0.xml").decode()
        header = package.read("Contents/header.xml").decode()
    page = re.search(r'<hp:pagePr [^>]*width="(\d+)" height="(\d+)"', section)
    assert [round(int(x) / 7200 * 25.4) for x in page.groups()] == [210, 297]  # HWPUNIT: 1/7200 inch
    margins = re.search(r'<hp:margin [^>]*left="(\d+)" right="(\d+)" top="(\d+)" bottom="(\d+)"', section)
    assert [round(int(x) / 7200 * 25.4) for x in margins.groups()] == [20, 20, 15, 15]
    assert {"함초롬바탕", "함초롬돋움"} <= set(re.findall(r'face="([^"]+)"', header))


def test_a_second_build_writes_the_same_hwpx_bytes(mini, mini_out, tmp_path):
    assert build(mini, tmp_path / "again", "--lang", "ko", "--audience", "middle") == 0
    again = (tmp_path / "again/ko/middle/parent-letter.hwpx").read_bytes()
    assert again == (mini_out / "ko/middle/parent-letter.hwpx").read_bytes()


def test_a_letter_for_one_class(mini, tmp_path, capsys):
    from test_office import message_bytes
    course = mini / "course.yaml"
    course.write_text(course.read_text().replace("  contacts:", "  site_url: https://school.example/jikim/\n  contacts:"))
    folder = tmp_path / "letters"
    assert main(["letter", "--root", str(mini), "--audience", "middle", "--lesson", "blocks", "--date", "2026-12-01",
                 "--class", "2학년 3반", "--teacher", "김○○ 010-1234-5678", "--out", str(folder)]) == 0
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(f"parent-letter.{lang}.{ext}" for lang in ("ko", "en") for ext in ("pdf", "docx", "hwpx", "txt"))
    pdf = pdf_text(folder / "parent-letter.ko.pdf")
    for shown in ("2학년 3반", "2026년 12월 1일(화)", "김○○ 010-1234-5678", "한빛중학교장", "블록 시험"):
        assert shown in pdf, shown
        assert shown in hwpx_text(folder / "parent-letter.ko.hwpx"), shown
    assert_valid(folder / "parent-letter.ko.hwpx")
    for lang in ("ko", "en"):
        text = (folder / f"parent-letter.{lang}.txt").read_text()
        assert "2학년 3반" in text and "010-1234-5678" in text
        assert f"https://school.example/jikim/{lang}/help.html" in text
        assert message_bytes(text) <= 2000


@pytest.mark.parametrize("args,message", [
    (["--audience", "staff"], "parent letters are for student audiences"),
    (["--audience", "middle", "--audience", "elementary"], "'letter' needs one --audience"),
    (["--audience", "middle", "--lesson", "nope"], "--lesson nope"),
    (["--audience", "middle", "--date", "2026-13-01"], "is not a date"),
])
def test_letter_usage_mistakes_exit_2(mini, tmp_path, capsys, args, message):
    assert main(["letter", "--root", str(mini), "--out", str(tmp_path / "l"), *args]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "l").exists()
