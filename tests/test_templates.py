"""The interface words: every language has every key, and every value is text."""

import re

import yaml
from conftest import ROOT


def test_strings_are_text_in_every_language():
    table = yaml.safe_load((ROOT / "templates/strings.yaml").read_text())
    keys = {lang: set(words) for lang, words in table.items()}
    assert keys["ko"] == keys["en"], keys["ko"] ^ keys["en"]
    for lang, words in table.items():
        for key, value in words.items():
            values = value if isinstance(value, list) else list(value.values()) if isinstance(value, dict) else [value]
            # A list may hold question-and-answer pairs ({q, a}): the guide's hard questions.
            values = [x for v in values for x in ([v["q"], v["a"]] if isinstance(v, dict) and set(v) == {"q", "a"} else [v])]
            assert all(isinstance(v, str) and v.strip() for v in values), (lang, key, value)


def test_a_schools_templates_restyle_the_pdfs_and_pages(mini, tmp_path):
    """`templates:` in course.yaml: a school's css/print.css, css/deck.css and css/site.css are used."""
    from conftest import build, pdf_text
    school = mini / "school-templates/css"
    school.mkdir(parents=True)
    for name in ("print", "deck", "site"):
        original = (ROOT / f"templates/css/{name}.css").read_text()
        (school / f"{name}.css").write_text(original + f'\nbody::before {{ content: "SCHOOL-{name.upper()}-CSS"; }}\n')
    course = mini / "course.yaml"
    course.write_text(course.read_text() + "templates: school-templates\n")
    out = tmp_path / "out"
    assert build(mini, out, "--lang", "en", "--audience", "middle") == 0
    assert "SCHOOL-PRINT-CSS" in pdf_text(out / "en/middle/blocks.handout.pdf")
    assert "SCHOOL-PRINT-CSS" in pdf_text(out / "en/middle/blocks.guide.pdf")
    assert "SCHOOL-DECK-CSS" in pdf_text(out / "en/middle/blocks.slides.pdf")
    assert "SCHOOL-DECK-CSS" in (out / "en/middle/blocks.slides.html").read_text()
    assert "SCHOOL-PRINT-CSS" not in pdf_text(out / "en/middle/blocks.slides.pdf")
    assert "SCHOOL-SITE-CSS" in (out / "assets/site.css").read_text()


def test_the_help_panel_lead_speaks_to_elementary_students_in_their_own_register():
    """`not_your_fault_<audience>` when strings.yaml has one (elementary: 해요체), else `not_your_fault`."""
    from types import SimpleNamespace

    import jinja2

    from jikim.render import Help, dial
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(ROOT / "templates")), undefined=jinja2.StrictUndefined)
    env.filters["tel"] = dial
    panel = env.get_template("_partials/help_panel.html")
    table = yaml.safe_load((ROOT / "templates/strings.yaml").read_text())
    common = {"help": Help(contacts=[], channels=[], emergency="112"), "school_name": "", "printed": True,
              "qr_codes": False}
    for words in table.values():
        assert words["not_your_fault_elementary"] != words["not_your_fault"]
        for audience, key in (("elementary", "not_your_fault_elementary"), ("middle", "not_your_fault"),
                              ("staff", "not_your_fault")):
            html = panel.render(t=words, audience=SimpleNamespace(id=audience), **common)
            assert f'<p class="help-lead">{words[key]}</p>' in html, (audience, html[:300])
        assert words["not_your_fault"] in panel.render(t=words, audience=None, **common)
        assert words["not_your_fault"] in panel.render(t=words, **common)  # pages of no audience


def test_a_staff_audience_reads_each_staff_word_in_place_of_the_students():
    """`<key>_staff` replaces `<key>` for an audience with student: false (연수 흐름, not 수업 흐름)."""
    from jikim.render import audience_strings
    table = yaml.safe_load((ROOT / "templates/strings.yaml").read_text())
    for lang, words in table.items():
        staff, students = audience_strings(words, student=False), audience_strings(words, student=True)
        for key in (k for k in words if k.endswith("_staff")):
            assert key.removesuffix("_staff") in words, (lang, key)  # a variant of a word that exists
            assert staff[key.removesuffix("_staff")] == words[key]
        assert students == words
    assert audience_strings(table["ko"], student=False)["guide_plan"] == "연수 흐름"
    assert audience_strings(table["en"], student=False)["help_school_blank_print"].startswith("School-violence lead")


def test_a_schools_template_extends_ours_and_changes_one_block(mini, tmp_path):
    """`{% extends "jikim/lesson.html" %}`: the school writes the block it changes, not a copy of the file."""
    from conftest import build, school_template
    school_template(mini, "lesson.html", '{% extends "jikim/lesson.html" %}\n'
                    '{% block crumbs %}<a href="index.html">OUR-SCHOOL-CRUMBS</a>{% endblock %}\n')
    out = tmp_path / "out"
    assert build(mini, out, "--lang", "en", "--audience", "middle", "--lesson", "blocks") == 0
    page = (out / "en/middle/blocks.html").read_text()
    assert "OUR-SCHOOL-CRUMBS" in page  # the school's block
    assert 'class="downloads"' in page and "blocks.handout.pdf" in page  # the rest is ours
    assert "OUR-SCHOOL-CRUMBS" not in (out / "en/middle/index.html").read_text()  # one template only


def test_a_views_footnotes_and_help_are_computed_not_set_as_a_side_effect(mini):
    """LessonView.footnotes and .has_help read one cached result, whichever is asked first (issue 17)."""
    from jikim.deck import DeckView
    from jikim.markdown import Renderer
    from jikim.pipeline import Options, load
    from jikim.render import LessonView
    lesson = next(x for x in load(Options(root=mini)).lessons if x.lang == "en")
    md = lambda: Renderer(mini / "lessons", "file")  # noqa: E731
    view = LessonView(lesson, "middle", "page", md())
    assert [(n["number"], "FOOTNOTE-en" in n["html"]) for n in view.footnotes] == [(1, True)]
    assert view.has_help and [s["plain_title"] for s in view.sections][0] == "Common section"
    assert {"footnotes", "has_help"}.isdisjoint(vars(view))
    assert isinstance(LessonView.footnotes, property) and isinstance(LessonView.has_help, property)
    deck = DeckView(lesson, "middle", "deck", md())
    assert deck.has_help and deck.footnotes == [] and deck.slides[0]["kind"] == "title"
    assert {"footnotes", "has_help", "slides"}.isdisjoint(vars(deck))


def test_a_school_contact_reads_the_same_in_every_output(mini, tmp_path):
    """One macro (_partials/contact.html) writes a contact: name (role) · room · phone · hours · email,
    in the pages, handouts, guides, letters (PDF, Word, text); the slide stops after the phone."""
    import docx
    from conftest import build, pdf_text
    course = mini / "course.yaml"
    course.write_text(course.read_text().replace(
        "      phone: 02-123-4567\n",
        "      phone: 02-123-4567\n      role: {ko: 상담, en: Wee class}\n      hours: {ko: 평일 9–17시, en: Weekdays 9–5}\n"
        "      email: wee@school.example\n", 1))
    out = tmp_path / "out"
    assert build(mini, out, "--lang", "en", "--audience", "middle", "--lesson", "blocks") == 0
    full = "School counsellor (Wee class) · Main building 2F · 02-123-4567 · Weekdays 9–5 · wee@school.example"
    short = "School counsellor (Wee class) · Main building 2F · 02-123-4567"

    def flat(text: str) -> str:
        return " ".join(text.split())
    html = (out / "en/middle/blocks.html").read_text()
    assert 'href="tel:021234567"' in html and 'href="mailto:wee@school.example"' in html
    shown = {
        "page": re.sub(r"<[^>]+>", "", html),
        "handout": pdf_text(out / "en/middle/blocks.handout.pdf"),
        "guide": pdf_text(out / "en/middle/blocks.guide.pdf"),
        "letter": pdf_text(out / "en/middle/parent-letter.pdf"),
        "text letter": (out / "en/middle/parent-letter.txt").read_text(),
        "Word handout": "\n".join(p.text for p in docx.Document(out / "en/middle/blocks.handout.docx").paragraphs),
        "Word letter": "\n".join(p.text for p in docx.Document(out / "en/middle/parent-letter.docx").paragraphs),
    }
    for output, text in shown.items():
        assert full in flat(text), output
    slides = flat(re.sub(r"<[^>]+>", "", (out / "en/middle/blocks.slides.html").read_text()))
    assert short in slides and "Weekdays 9–5" not in slides
