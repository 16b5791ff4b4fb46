"""The command line: exit statuses, messages, and output/ untouched on failure."""

import hashlib
from pathlib import Path

from conftest import build, pdf_text

from jikim.cli import main


def tree_digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(folder).as_posix().encode() + path.read_bytes())
    return h.hexdigest()


def test_check_passes_on_fixture(mini, capsys):
    assert main(["check", "--root", str(mini)]) == 0
    assert "no errors" in capsys.readouterr().out


def test_usage_errors_exit_2(mini, capsys):
    assert main(["--no-such-option"]) == 2
    assert main(["build", "--root", str(mini), "--lang", "fr"]) == 2
    assert "--lang fr" in capsys.readouterr().err
    assert main(["new", "--root", str(mini)]) == 2


def test_the_parser_is_made_as_one_that_reports_its_errors():
    """No class swapped after the fact: parser() itself raises, and main() prints the usage."""
    import pytest

    from jikim.cli import _Parser, _Usage, parser
    p = parser()
    assert type(p) is _Parser
    with pytest.raises(_Usage, match="--no-such-option"):
        p.parse_args(["--no-such-option"])


def test_content_error_exits_1_and_leaves_output_alone(mini, tmp_path, capsys):
    out = tmp_path / "site"
    assert build(mini, out, "--lang", "en", "--audience", "middle") == 0
    before = tree_digest(out)
    lesson = mini / "lessons" / "blocks.en.md"
    lesson.write_text(lesson.read_text().replace("::: discuss", "::: discus"))
    capsys.readouterr()
    assert build(mini, out) == 1
    err = capsys.readouterr().err
    assert "lessons/blocks.en.md:" in err and "unknown block 'discus'" in err
    assert "nothing was written" in err and "Traceback" not in err
    assert tree_digest(out) == before
    assert not any((out.parent / ".cache" / "staging").iterdir())


def test_strict_fails_on_warnings(mini, capsys):
    (mini / "lessons" / "blocks.en.md").unlink()
    assert main(["check", "--root", str(mini)]) == 0
    assert main(["check", "--strict", "--root", str(mini)]) == 1
    assert "no en translation" in capsys.readouterr().err


def test_partial_build_then_noop_then_edit(mini, tmp_path, capsys):
    out = tmp_path / "site"
    assert build(mini, out, "--lang", "en", "--audience", "staff") == 0
    assert (out / "en/staff/blocks.guide.pdf").is_file() and not (out / "ko").exists()
    assert build(mini, out, "--lang", "ko", "--audience", "staff") == 0
    assert (out / "en/staff/blocks.guide.pdf").is_file() and (out / "ko/staff/blocks.guide.pdf").is_file()
    capsys.readouterr()
    assert build(mini, out, "--lang", "ko", "--audience", "staff") == 0
    assert "built 0 file(s)" in capsys.readouterr().out
    lesson = mini / "lessons" / "blocks.ko.md"
    lesson.write_text(lesson.read_text().replace("GUIDE-ONLY-ko", "GUIDE-EDITED-ko"))
    assert build(mini, out, "--lang", "ko", "--audience", "staff") == 0
    assert "GUIDE-EDITED-ko" in pdf_text(out / "ko/staff/blocks.guide.pdf")


def test_letter_paper(mini, tmp_path):
    from pypdf import PdfReader
    out = tmp_path / "site"
    assert build(mini, out, "--lang", "en", "--audience", "middle", "--paper", "letter") == 0
    box = PdfReader(out / "en/middle/blocks.handout.pdf").pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_new_scaffolds_every_language(mini, capsys):
    assert main(["new", "online-safety", "--root", str(mini)]) == 0
    for lang in ("ko", "en"):
        assert (mini / "lessons" / f"online-safety.{lang}.md").is_file()
    assert main(["check", "--root", str(mini)]) == 0
    assert main(["new", "online-safety", "--root", str(mini)]) == 2


def test_a_slide_that_does_not_fit_is_a_warning_with_its_line(mini, tmp_path, capsys):
    lesson = mini / "lessons" / "blocks.en.md"
    text = lesson.read_text()
    # One paragraph longer than a slide: a list would be cut onto continuation slides.
    long = "## Far too long {minutes=1}\n\n" + " ".join(f"sentence number {i} of one long paragraph." for i in range(60)) + "\n\n"
    text = text.replace("## Help {minutes=3}", long + "## Help {minutes=3}")
    lesson.write_text(text)
    line = text.splitlines().index("## Far too long {minutes=1}") + 1
    out = tmp_path / "site"
    assert build(mini, out, "--lang", "en", "--audience", "middle") == 0
    err = capsys.readouterr().err
    assert f"lessons/blocks.en.md:{line}: slide 6 'Far too long' does not fit" in err
    assert "slide 'Common section'" not in err
    assert build(mini, tmp_path / "strict", "--lang", "en", "--audience", "middle", "--strict") == 1
    assert not (tmp_path / "strict").exists()


def test_print_pack_starts_every_handout_on_a_new_sheet(mini, tmp_path):
    from conftest import pdf_pages
    second = (mini / "lessons/blocks.en.md").read_text().replace("title: Block test", "title: Second lesson")
    (mini / "lessons/second.en.md").write_text(second)
    (mini / "lessons/second.ko.md").write_text((mini / "lessons/blocks.ko.md").read_text())
    out = tmp_path / "site"
    assert build(mini, out, "--lang", "en", "--audience", "middle") == 0
    first, other = pdf_pages(out / "en/middle/blocks.handout.pdf"), pdf_pages(out / "en/middle/second.handout.pdf")
    pack = out / "en/middle/handouts.pdf"
    assert pdf_pages(pack) == first + first % 2 + other
    pages = pdf_text(pack).split("\f")
    assert "Second lesson" in pages[first + first % 2]
    if first % 2:  # an odd handout is followed by a blank page, so the next starts on a new sheet
        assert not pages[first].strip()


def test_render_warnings_are_repeated_on_a_noop_build(mini, tmp_path, capsys):
    lesson = mini / "lessons" / "blocks.en.md"
    long = "## Far too long {minutes=1}\n\n" + " ".join(f"sentence {i} of one long paragraph." for i in range(60)) + "\n\n"
    lesson.write_text(lesson.read_text().replace("## Help {minutes=3}", long + "## Help {minutes=3}"))
    out = tmp_path / "site"
    assert build(mini, out, "--lang", "en", "--audience", "middle") == 0
    capsys.readouterr()
    assert build(mini, out, "--lang", "en", "--audience", "middle") == 0
    captured = capsys.readouterr()
    assert "built 0 file(s)" in captured.out and "'Far too long' does not fit" in captured.err
    assert build(mini, out, "--lang", "en", "--audience", "middle", "--strict") == 1


def test_sections_longer_than_the_lesson_fail_check_strict(mini, capsys):
    """No layout needed: `check --strict` fails where `build --strict` does (issue 17)."""
    lesson = mini / "lessons" / "blocks.en.md"
    text = lesson.read_text().replace("## Help {minutes=3}", "## Help {minutes=20}")  # 45: 40, 45, 50
    lesson.write_text(text)
    line = text.splitlines().index("minutes: {elementary: 40, middle: 45, staff: 50}") + 1
    assert main(["check", "--root", str(mini)]) == 0
    assert main(["check", "--strict", "--root", str(mini)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert [x for x in err if "add up to" in x] == [
        f"lessons/blocks.en.md:{line}: the elementary sections add up to 45 minutes, more than the lesson's 40 "
        "— shorten a section (warning)",
        f"lessons/blocks.en.md:{line}: the elementary sections add up to 45 minutes, more than the lesson's 40 "
        "— shorten a section"]
