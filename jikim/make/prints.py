"""The PDFs: slides, handout, guide, the audience's pack, the parent letter and the poster.

A process keeps what it pays for once: WeasyPrint with its fonts (`printer`), and the
handout layouts of one work unit, which the pack reuses (`forget_layouts` after the unit).
"""

from __future__ import annotations

import functools
from pathlib import Path

from ..deck import keep_words
from ..kinds import OUTPUTS
from ..plan import Artifact
from . import context
from .context import Rendered, Sources, render, templates

STUDENT_HANDOUT_PAGES = 2
_layouts: dict = {}  # (lang, audience, lesson, paper) → the handout laid out, for the pack of the same unit


@functools.cache
def _printer(root: Path, template_dirs: tuple[Path, ...]):
    from ..pdf import Printer  # WeasyPrint loads only when a PDF is to be made
    return Printer(root, list(template_dirs))


def printer(src: Sources):
    """WeasyPrint and its fonts, loaded once per process."""
    return _printer(src.course.root, src.template_dirs)


def _document(src: Sources, html: str, stylesheet: str = ""):
    """A layout, with the pictures and stylesheets decoded once a build (Sources.memo)."""
    return printer(src).document(html, stylesheet, src.memo)


def forget_layouts() -> None:
    """Drop the handout layouts kept for a pack (a worker's memory stays flat)."""
    _layouts.clear()


def _layout(src: Sources, artifact: Artifact, html: str):
    stylesheet = OUTPUTS[artifact.kind].stylesheet
    return _document(src, html, src.env.get_template(stylesheet).render())


def _pdf(document, artifact: Artifact, warnings=()) -> Rendered:
    from ..pdf import Printer
    return Rendered(Printer.to_bytes(document, artifact.key), tuple(warnings))


def slides(src: Sources, artifact: Artifact, sizes: dict) -> Rendered:
    from ..pdf import split_slides
    ctx = context.lesson(src, artifact)
    document = _layout(src, artifact, keep_words(render(src, templates(artifact), mode="print", **ctx)))
    view = ctx["view"]
    pages, overflowing = split_slides(document)
    warnings = []
    for number in map(int, overflowing):
        slide = view.slides[number - 1]
        title = slide.get("plain_title") or {"title": view.lesson.title, "note": "content note"}.get(slide["kind"], "help")
        warnings.append(src.warning(view.lesson.path, slide["line"], f"slide {number} '{title}' does not fit the 16:9 "
                                    f"slide for {artifact.audience} even when split — shorten a paragraph or table "
                                    "cell, or move detail to '::: notes' or '::: handout'"))
    return _pdf(document.copy(pages), artifact, warnings)


def handout_layout(src: Sources, lang: str, audience: str, lesson_id: str):
    """A handout laid out with as many lines to write on as keep a student's to its pages:
    under each question and on the exit slip (3), under each group of questions and on the
    slip (2), on the slip (1), none (0)."""
    key = (lang, audience, lesson_id, src.paper)
    if key not in _layouts:
        artifact = Artifact("handout", lang, audience, lesson_id)
        ctx = context.lesson(src, artifact)
        student = src.course.audience(audience).student
        for writing in (3, 2, 1, 0):
            document = _layout(src, artifact, render(src, templates(artifact), writing=writing, **ctx))
            if not student or len(document.pages) <= STUDENT_HANDOUT_PAGES:
                break
        _layouts[key] = document
    return _layouts[key]


def handout(src: Sources, artifact: Artifact, sizes: dict) -> Rendered:
    document = handout_layout(src, artifact.lang, artifact.audience, artifact.lesson)
    pages, warnings = len(document.pages), []
    if src.course.audience(artifact.audience).student and pages > STUDENT_HANDOUT_PAGES:
        warnings.append(src.warning(src.lesson(artifact.lesson, artifact.lang).path, 1,
                                    f"the {artifact.audience} handout has {pages} pages; a student handout has at "
                                    f"most {STUDENT_HANDOUT_PAGES} — move detail to '::: notes' or '::: guide'"))
    return _pdf(document, artifact, warnings)


def guide(src: Sources, artifact: Artifact, sizes: dict) -> Rendered:
    ctx = context.lesson(src, artifact)
    deck = context.view(src, artifact, "deck", "file")  # the guide names each section's slides
    html = render(src, templates(artifact), slide_numbers=deck.section_slides, **ctx)
    return _pdf(_layout(src, artifact, html), artifact)


def pack(src: Sources, artifact: Artifact, sizes: dict) -> Rendered:
    """Every handout of the audience, each starting on a new sheet (front side)."""
    pages, blank = [], None
    taught = src.taught(artifact.lang, artifact.audience)
    for lesson in taught:
        document = handout_layout(src, artifact.lang, artifact.audience, lesson.id)
        if len(pages) % 2:
            blank = blank or _document(src, render(src, ["blank.html"], paper=src.paper, lang=artifact.lang))
            pages.append(blank.pages[0])
        pages.extend(document.pages)
    first = handout_layout(src, artifact.lang, artifact.audience, taught[0].id)
    return _pdf(first.copy(pages), artifact)


def letter(src: Sources, artifact: Artifact, sizes: dict) -> Rendered:
    html = render(src, templates(artifact), **context.letter(src, artifact))
    return _pdf(_layout(src, artifact, html), artifact)


def sheet(src: Sources, artifact: Artifact, sizes: dict) -> Rendered:
    """A printed sheet for an audience made of the course's words and its help panel (the poster):
    its template with the audience's context and nothing else, so such a kind is one table row,
    a template and its strings. It warns when it runs over the row's `max_pages`."""
    kind = OUTPUTS[artifact.kind]
    ctx = context.site(src, artifact.lang, artifact.audience, depth=2, printed=True, qr_codes=True)
    document = _layout(src, artifact, render(src, templates(artifact), **ctx))
    warnings = []
    if kind.max_pages and len(document.pages) > kind.max_pages:
        warnings.append(src.warning(src.course.path, 1, f"the {artifact.audience} {kind.name} ({artifact.lang}) runs "
                                    f"onto {len(document.pages)} pages, more than {kind.max_pages} — shorten its "
                                    "words in strings.yaml or the services' lines"))
    return _pdf(document, artifact, warnings)
