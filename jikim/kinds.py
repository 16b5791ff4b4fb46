"""The two tables a kind lives in: output kinds (what a build writes) and block kinds (`::: x`).

Everything else reads them: plan (paths, which artifacts), parallel (cost), the pipeline (the
pages made last), jikim/make (the writer, template, stylesheet, the pages' download lists),
lessons (block arguments), select (which output keeps which block), render (labels,
teacher-only blocks) and the Word boxes.
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


#: Where a page offers a download: a student audience's own pages (lesson pages, index), a staff
#: audience's own pages, and a student audience's teachers.html.
PLACES = ("student", "staff", "teachers")
#: Who makes an output: jikim/make/pages.py, prints.py (PDFs) or office.py (Word, 한글, text).
FAMILIES = ("pages", "print", "office")


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
    #: The module (FAMILIES) and the function in it that makes it (jikim/make checks each at import).
    family: str
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
    #: The strings.yaml key of its download link, and the pages that offer it (PLACES), in this
    #: table's order.
    label: str = ""
    offered: tuple = ()
    #: A page that lists downloads with their sizes, made after the files in the build's last
    #: phase: those of the audience's own pages ("own": student or staff) or of "teachers".
    lists_downloads: str = ""
    #: Made only for an audience that is taught a lesson (in this language).
    needs_lessons: bool = False
    #: A PDF that should fit this many pages (0: any): the build warns when it runs over.
    max_pages: int = 0

    @property
    def extension(self) -> str:
        return self.path.rsplit(".", 1)[-1]

    def made_for(self, student: bool, taught: bool) -> bool:
        """Whether an audience (a student one or not, taught a lesson or not) has this output:
        what plan() makes and what pages may offer."""
        return (self.scope != "student-audience" or student) and (taught or not self.needs_lessons)

    @property
    def web(self) -> bool:
        """A web page: quick to render, and what `serve` shows first."""
        return self.extension == "html"


_PER_LESSON = "{lang}/{audience}/{lesson}"
_PER_AUDIENCE = "{lang}/{audience}"
_TEACHERS = ("staff", "teachers")  # a staff audience's own pages are for teachers already

#: Every output kind, in the order plan() lists them within a scope and pages offer them as
#: downloads: the lessons' files and pages, then each audience's, each language's, the root's.
OUTPUT_KINDS = (
    OutputKind("guide", f"{_PER_LESSON}.guide.pdf", "lesson", "lesson", "print", "guide", "guide.html",
               "css/print.css", shows="guide", image_mode="file", cost=8, label="guide", offered=_TEACHERS),
    OutputKind("deck", f"{_PER_LESSON}.slides.html", "lesson", "lesson", "pages", "deck", "deck.html",
               shows="deck", image_mode="inline", label="deck", offered=_TEACHERS),
    OutputKind("slides", f"{_PER_LESSON}.slides.pdf", "lesson", "lesson", "print", "slides", "deck.html",
               "css/deck.css", shows="deck", image_mode="file", cost=4, label="slides_pdf", offered=_TEACHERS),
    OutputKind("handout", f"{_PER_LESSON}.handout.pdf", "lesson", "lesson", "print", "handout", "handout.html",
               "css/print.css", shows="handout", image_mode="file", cost=3, label="handout",
               offered=("student", *_TEACHERS)),
    OutputKind("handout-docx", f"{_PER_LESSON}.handout.docx", "lesson", "lesson", "office", "handout_docx",
               "handout.html", shows="handout", image_mode="file", cost=1, label="handout_docx", offered=_TEACHERS),
    OutputKind("handout-hwpx", f"{_PER_LESSON}.handout.hwpx", "lesson", "lesson", "office", "handout_hwpx",
               "handout.html", shows="handout", image_mode="file", cost=1, label="handout_hwpx", offered=_TEACHERS),
    OutputKind("page", f"{_PER_LESSON}.html", "lesson", "lesson", "pages", "page", "lesson.html", shows="page",
               image_mode="asset", lists_downloads="own"),
    # A pack lays out every handout of its audience (about six) unless its unit already has them.
    OutputKind("pack", f"{_PER_AUDIENCE}/handouts.pdf", "audience", "audience", "print", "pack", "handout.html",
               "css/print.css", shows="handout", image_mode="file", cost=1 + 3 * 6, label="pack", offered=_TEACHERS,
               needs_lessons=True),
    OutputKind("letter", f"{_PER_AUDIENCE}/parent-letter.pdf", "student-audience", "letter", "print", "letter",
               "letter.html", "css/print.css", image_mode="file", cost=2, label="letter", offered=("teachers",),
               needs_lessons=True),
    OutputKind("letter-docx", f"{_PER_AUDIENCE}/parent-letter.docx", "student-audience", "letter", "office",
               "letter_docx", "letter.html", image_mode="file", cost=1, label="letter_docx", offered=("teachers",),
               needs_lessons=True),
    OutputKind("letter-hwpx", f"{_PER_AUDIENCE}/parent-letter.hwpx", "student-audience", "letter", "office",
               "letter_hwpx", "letter.html", image_mode="file", cost=1, label="letter_hwpx", offered=("teachers",),
               needs_lessons=True),
    OutputKind("letter-txt", f"{_PER_AUDIENCE}/parent-letter.txt", "student-audience", "letter", "office",
               "letter_txt", "letter.txt", image_mode="file", label="letter_txt", offered=("teachers",),
               needs_lessons=True),
    # For a wall: the five key messages in the audience's words and the help panel, read from 2 m.
    OutputKind("poster", f"{_PER_AUDIENCE}/poster.pdf", "student-audience", "common", "print", "sheet",
               "poster.html", "css/poster.css", image_mode="file", cost=2, label="poster",
               offered=("student", "teachers"), max_pages=1),
    OutputKind("audience-index", f"{_PER_AUDIENCE}/index.html", "audience", "audience", "pages", "audience_index",
               "audience_index.html", lists_downloads="own"),
    # A staff audience's own pages are for teachers already.
    OutputKind("teachers", f"{_PER_AUDIENCE}/teachers.html", "student-audience", "audience", "pages", "teachers",
               "teachers.html", lists_downloads="teachers"),
    OutputKind("lang-index", "{lang}/index.html", "language", "language", "pages", "lang_index", "lang_index.html"),
    OutputKind("help", "{lang}/help.html", "language", "common", "pages", "help", "help.html"),
    OutputKind("root-index", "index.html", "root", "site", "pages", "root_index", "root_index.html"),
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
