"""The default course: complete, strict-clean, safe to hand to students."""

import re

import pytest
import yaml
from conftest import ROOT, assert_korean_glyphs, pdf_pages, pdf_text

from jikim.cli import main
from jikim.model import Block, Heading, Text
from jikim.pipeline import Options, load
from jikim.select import select

#: Issue 5: the lessons and the audiences each is taught to.
LESSONS = {
    "consent": {"elementary", "middle", "high", "staff"},
    "deepfakes": {"elementary", "middle", "high", "staff"},
    "the-law": {"elementary", "middle", "high", "staff"},
    "getting-help": {"elementary", "middle", "high", "staff"},
    "grooming": {"elementary", "middle", "high"},
    "bystander": {"elementary", "middle", "high"},
    "supporting-a-friend": {"elementary", "middle", "high"},
    "staff-response": {"staff"},
}
STUDENTS = ("elementary", "middle", "high")
PACK = yaml.safe_load((ROOT / "data/kr.yaml").read_text(encoding="utf-8"))
LOADED = load(Options(root=ROOT))


def test_check_strict_passes(capsys):
    assert main(["check", "--strict", "--root", str(ROOT)]) == 0, capsys.readouterr().err


def test_the_build_has_no_warnings(course_build):
    _, summary = course_build
    assert [str(w) for w in summary.warnings] == []


@pytest.mark.parametrize("lesson_id", sorted(LESSONS))
def test_every_lesson_in_both_languages_for_its_audiences(lesson_id):
    for lang in ("ko", "en"):
        lesson = next((x for x in LOADED.lessons if x.id == lesson_id and x.lang == lang), None)
        assert lesson, f"lessons/{lesson_id}.{lang}.md is missing"
        assert set(lesson.audiences) == LESSONS[lesson_id]
        assert lesson.content_note and all(s.url.startswith("https://") for s in lesson.sources)


def blocks_of(nodes, kinds):
    for node in nodes:
        if isinstance(node, Block):
            if node.kind in kinds:
                yield node
            yield from blocks_of(node.children, kinds)


def plain(nodes) -> str:
    return "\n".join(line for n in nodes for line in (
        n.lines if isinstance(n, Text) else [n.source] if isinstance(n, Heading) else [plain(n.children)]))


def squash(text: str) -> str:
    text = re.sub(r"\[\^[^\]]+\]|[*_`>#|]|\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"\s+", "", text)


def teacher_only_lines(lesson):
    for block in blocks_of(lesson.body, {"notes", "answers", "guide"}):
        for line in plain(block.children).splitlines():
            line = squash(re.sub(r"^\s*(\d+\.|[-*])\s*", "", line))
            if len(line) >= 24:
                yield line[:24]


@pytest.mark.parametrize("lesson_id", sorted(LESSONS))
def test_no_teacher_text_in_student_outputs(course_out, lesson_id):
    for lesson in (x for x in LOADED.lessons if x.id == lesson_id):
        secret = list(teacher_only_lines(lesson))
        for audience in set(lesson.audiences) & set(STUDENTS):
            # Words a teacher's note quotes from the student text are not a leak.
            meant = "".join(squash(plain(select(lesson.body, audience, output))) for output in ("page", "handout", "deck"))
            folder = course_out / lesson.lang / audience
            page = re.sub(r"<[^>]+>", "", (folder / f"{lesson_id}.html").read_text())
            student = squash(page) + squash(pdf_text(folder / f"{lesson_id}.handout.pdf")) + \
                squash(pdf_text(folder / f"{lesson_id}.slides.pdf"))
            leaked = [line for line in secret if line in student and line not in meant]
            assert not leaked, f"{lesson.rel} ({audience}): {leaked[:3]}"


HELP_TITLE = {"ko": "도움 받을 곳", "en": "Where to get help"}


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("audience", STUDENTS)
def test_every_student_output_ends_with_help(course_out, lang, audience):
    numbers = [c["phone"] for c in PACK["channels"] if c.get("phone") and audience in c.get("audiences", [audience])]
    for lesson_id, audiences in LESSONS.items():
        if audience not in audiences:
            continue
        folder = course_out / lang / audience
        handout = pdf_text(folder / f"{lesson_id}.handout.pdf")
        title = HELP_TITLE[lang]
        assert title in handout, (lesson_id, "handout has no help panel")
        panel = handout[handout.rindex(title):]  # the last help panel, and whatever follows it
        assert all(n in panel for n in numbers), (lesson_id, "handout: the help panel is not last")
        assert len(panel) < 4000, (lesson_id, f"handout: {len(panel)} characters after the help panel's title")
        assert pdf_pages(folder / f"{lesson_id}.handout.pdf") <= 2
        slides = pdf_text(folder / f"{lesson_id}.slides.pdf").split("\f")
        last = [s for s in slides if s.strip()][-1]
        assert numbers[0] in last, (lesson_id, "last slide")
        page = (folder / f"{lesson_id}.html").read_text()
        assert page.rindex('class="help-panel"') > page.rindex('class="lesson-section"'), (lesson_id, "page")


PHONE = re.compile(r"(?<![A-Za-z\d,.-])(0\d{1,2}-\d{3,4}-\d{4}|1\d{2,3})(?![\d,.%-])(?!\s*(?:건|명|개|년|월|일|cases|people|suspects|students|reports|victims))")
PHONE_WORDS = re.compile(r"전화|번호|신고|상담|문자|☎|call|phone|dial|text|hotline", re.I)


def test_every_phone_number_in_the_lessons_is_in_the_data_pack():
    known = {c["phone"] for c in PACK["channels"] if c.get("phone")} | {PACK["emergency"]}
    for path in sorted((ROOT / "lessons").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        assert "1377" not in text and "02-735-8894" not in text, path.name
        for match in PHONE.finditer(text):
            near = text[max(0, match.start() - 20): match.end() + 20]
            if "-" in match[1] or PHONE_WORDS.search(near):
                assert match[1] in known, f"{path.name}: {match[1]} in «{near}» is not in data/kr.yaml"


def test_words_the_content_standard_forbids():
    forbidden = re.compile(r"revenge porn|deepfake porn|child pornography|음란물|leaked|nudes|sexting", re.I)
    for path in sorted((ROOT / "lessons").glob("*.md")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if forbidden.search(line) and "title:" not in line:
                pytest.fail(f"{path.name}:{number}: {forbidden.search(line)[0]}")


@pytest.mark.parametrize("name", ["consent.handout.pdf", "consent.guide.pdf", "consent.slides.pdf",
                                  "parent-letter.pdf", "handouts.pdf"])
def test_korean_course_pdfs_have_glyphs(course_out, name):
    assert_korean_glyphs(course_out / "ko/middle" / name)


def test_staff_get_the_staff_lesson_and_no_letter(course_out):
    assert (course_out / "ko/staff/staff-response.guide.pdf").is_file()
    assert not (course_out / "ko/staff/parent-letter.pdf").exists()
