"""The two tables a kind lives in: output kinds (what a build writes) and block kinds (`::: x`).

Everything else reads them: plan (paths, which artifacts), parallel (cost, phases),
artifacts (the writer, template, stylesheet, downloads), lessons (block arguments), select
(which output keeps which block), render (labels, teacher-only blocks) and the Word boxes.
Adding a kind is one row here, its template and its strings (docs/contributing.md);
tests/test_kinds.py walks every row and fails on a kind named anywhere but here.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Where an output kind is made once: per lesson (of an audience), per audience, per student
#: audience, per language, or once for the whole site.
SCOPES = ("lesson", "audience", "student-audience", "language", "root")
#: What a Markdown picture becomes: a file in assets/, inlined data, or a file path (PDF, Office).
IMAGE_MODES = ("", "asset", "inline", "file")


@dataclass(frozen=True)
class OutputKind:
    name: str
    #: The output path, with {lang}, {audience} and {lesson} as its scope has them.
    path: str
    scope: str
    #: What its key is made of: "lesson" (the lesson), "audience" (the audience's lessons),
    #: "letter" (their titles and summaries), "common" (code, templates, course, data pack),
    #: "language" (every lesson of the language, and which parts a build made), "site" (all).
    inputs: str
    #: The Producer method that writes it (artifacts.py checks each one at import).
    writer: str
    #: Its template (a school may add `<stem>.<audience>.html` for one audience); "" for none.
    template: str = ""
    #: The stylesheet of a PDF ("" for anything else).
    stylesheet: str = ""
    #: The output a lesson body is selected for (select.py; a block kind's `outputs`).
    shows: str = ""
    image_mode: str = ""
    #: Rough cost of one artifact (a guide is the longest layout), to start long work first.
    cost: int = 0
    #: A web page: quick to render, and what `serve` shows first.
    web: bool = False
    #: Rendered in the second phase, after the files whose sizes it shows.
    late: bool = False
    #: The strings.yaml key of its download link; "" when no page offers it as a download.
    label: str = ""
    #: Made only for an audience that is taught a lesson (in this language).
    needs_lessons: bool = False

    @property
    def extension(self) -> str:
        return self.path.rsplit(".", 1)[-1]


_PER_LESSON = "{lang}/{audience}/{lesson}"
_PER_AUDIENCE = "{lang}/{audience}"

#: Every output kind, in the order plan() lists them within a scope (the lessons' files first,
#: the deck and page last; then each audience's files and pages; then each language's; then the root).
OUTPUT_KINDS = (
    OutputKind("slides", f"{_PER_LESSON}.slides.pdf", "lesson", "lesson", "slides", "deck.html", "css/deck.css",
               "deck", "file", cost=4, label="slides_pdf"),
    OutputKind("handout", f"{_PER_LESSON}.handout.pdf", "lesson", "lesson", "handout", "handout.html",
               "css/print.css", "handout", "file", cost=3, label="handout"),
    OutputKind("guide", f"{_PER_LESSON}.guide.pdf", "lesson", "lesson", "guide", "guide.html", "css/print.css",
               "guide", "file", cost=8, label="guide"),
    OutputKind("handout-docx", f"{_PER_LESSON}.handout.docx", "lesson", "lesson", "handout_docx", "handout.html",
               shows="handout", image_mode="file", cost=1, label="handout_docx"),
    OutputKind("handout-hwpx", f"{_PER_LESSON}.handout.hwpx", "lesson", "lesson", "handout_hwpx", "handout.html",
               shows="handout", image_mode="file", cost=1, label="handout_hwpx"),
    OutputKind("deck", f"{_PER_LESSON}.slides.html", "lesson", "lesson", "deck", "deck.html", shows="deck",
               image_mode="inline", web=True, label="deck"),
    OutputKind("page", f"{_PER_LESSON}.html", "lesson", "lesson", "page", "lesson.html", shows="page",
               image_mode="asset", web=True, late=True, label="page"),
    # A pack lays out every handout of its audience (about six) unless its unit already has them.
    OutputKind("pack", f"{_PER_AUDIENCE}/handouts.pdf", "audience", "audience", "pack", "handout.html",
               "css/print.css", "handout", "file", cost=1 + 3 * 6, label="pack", needs_lessons=True),
    OutputKind("letter", f"{_PER_AUDIENCE}/parent-letter.pdf", "student-audience", "letter", "letter",
               "letter.html", "css/print.css", image_mode="file", cost=2, label="letter"),
    OutputKind("letter-docx", f"{_PER_AUDIENCE}/parent-letter.docx", "student-audience", "letter", "letter_docx",
               "letter.html", image_mode="file", cost=1, label="letter_docx"),
    OutputKind("letter-txt", f"{_PER_AUDIENCE}/parent-letter.txt", "student-audience", "letter", "letter_txt",
               "letter.txt", image_mode="file", label="letter_txt"),
    OutputKind("letter-hwpx", f"{_PER_AUDIENCE}/parent-letter.hwpx", "student-audience", "letter", "letter_hwpx",
               "letter.html", image_mode="file", cost=1, label="letter_hwpx"),
    # For a wall: the five key messages in the audience's words and the help panel, read from 2 m.
    OutputKind("poster", f"{_PER_AUDIENCE}/poster.pdf", "student-audience", "common", "poster", "poster.html",
               "css/poster.css", image_mode="file", cost=2, label="poster"),
    OutputKind("audience-index", f"{_PER_AUDIENCE}/index.html", "audience", "audience", "audience_index",
               "audience_index.html", web=True, late=True),
    # A staff audience's own pages are for teachers already.
    OutputKind("teachers", f"{_PER_AUDIENCE}/teachers.html", "student-audience", "audience", "teachers",
               "teachers.html", web=True, late=True),
    OutputKind("lang-index", "{lang}/index.html", "language", "language", "lang_index", "lang_index.html",
               web=True, late=True),
    OutputKind("help", "{lang}/help.html", "language", "common", "help", "help.html", web=True, late=True),
    OutputKind("root-index", "index.html", "root", "site", "root_index", "root_index.html", web=True, late=True),
)
OUTPUTS = {kind.name: kind for kind in OUTPUT_KINDS}


def path(kind: str, lang: str = "", audience: str = "", lesson: str = "") -> str:
    return OUTPUTS[kind].path.format(lang=lang, audience=audience, lesson=lesson)


def outputs_of(scope: str) -> tuple[OutputKind, ...]:
    return tuple(kind for kind in OUTPUT_KINDS if kind.scope == scope)


#: The outputs a lesson body is selected for (select.py): page, handout, deck, guide.
SHOWN = frozenset(kind.shows for kind in OUTPUT_KINDS if kind.shows)


@dataclass(frozen=True)
class BlockKind:
    name: str
    #: Its arguments: None (none), "audiences" (one or more audience ids), "title".
    args: str | None
    #: The outputs (SHOWN) that keep it.
    outputs: frozenset
    #: The strings.yaml key of the label above its box ("" for none).
    label: str = ""
    #: For the teacher only: never a section's own content (render.py), on a slide only in
    #: the presenter view (deck.py).
    teacher_only: bool = False
    #: Kept by the deck for its presenter view only, though the deck does not otherwise keep it.
    presenter_only: bool = False
    #: It only chooses content: its children take its place.
    transparent: bool = False


_EVERYWHERE = SHOWN

#: The contract's block table (SPEC.md). `audience` is kept everywhere but filtered by audience;
#: `notes` go to the deck's presenter view and the guide.
BLOCK_KINDS = (
    BlockKind("audience", "audiences", _EVERYWHERE, transparent=True),
    BlockKind("slides", None, frozenset({"deck"}), transparent=True),
    BlockKind("handout", None, frozenset({"handout", "page"}), transparent=True),
    BlockKind("guide", None, frozenset({"guide"}), label="guide_box", teacher_only=True),
    BlockKind("notes", None, frozenset({"deck", "guide"}), label="speaker_notes", teacher_only=True),
    BlockKind("activity", "title", _EVERYWHERE, label="activity"),
    BlockKind("discuss", None, _EVERYWHERE, label="discuss"),
    BlockKind("answers", None, frozenset({"guide"}), label="answers", teacher_only=True, presenter_only=True),
    BlockKind("help", None, _EVERYWHERE),
)
BLOCKS = {kind.name: kind for kind in BLOCK_KINDS}
