"""The editable copies for a school's own tools: Word, 한글 (HWPX) and plain text.

Each is made from the HTML of the same template as its PDF (the handout, the letter), so a
school's template changes its Word and 한글 files too.
"""

from __future__ import annotations

from .. import office
from ..plan import Artifact
from . import context
from .context import Rendered, Sources, render, templates


def handout_docx(src: Sources, artifact: Artifact, sizes: dict) -> Rendered:
    """The handout as the PDF shows it (no writing lines), in Word styles: boxes as tables."""
    ctx = context.lesson(src, artifact)
    lesson, html = ctx["lesson"], render(src, templates(artifact), writing=0, editable=True, **ctx)
    document = office.handout_document(html, src.paper, lesson.title, lesson.summary, artifact.lang,
                                       lesson.reviewed, src.course.root / "lessons")
    return Rendered(office.to_bytes(document, lesson.reviewed))


def handout_hwpx(src: Sources, artifact: Artifact, sizes: dict) -> Rendered:
    """The handout as the PDF shows it (no writing lines), as a 한글 document: boxes as tables."""
    from ..hangul import HtmlToHwpx
    ctx = context.lesson(src, artifact)
    writer = HtmlToHwpx(src.paper)
    writer.add(render(src, templates(artifact), writing=0, **ctx))
    return Rendered(writer.to_bytes(ctx["lesson"].reviewed))


def _letter_html(src: Sources, artifact: Artifact) -> tuple[dict, str]:
    ctx = context.letter(src, artifact)
    return ctx, render(src, templates(artifact), **ctx)


def letter_docx(src: Sources, artifact: Artifact, sizes: dict) -> Rendered:
    """The letter as the PDF shows it (the same template), in Word styles to adapt."""
    ctx, html = _letter_html(src, artifact)
    day = context.letter_day(src, artifact)
    document = office.new_document(src.paper, ctx["t"]["letter_title"], ctx["audience_name"], artifact.lang, day)
    office.compact(document)
    office.HtmlToDocx(document, src.course.root / "lessons", shift=-1).add(html)
    return Rendered(office.to_bytes(document, day))


def letter_hwpx(src: Sources, artifact: Artifact, sizes: dict) -> Rendered:
    """The letter as the PDF shows it, as a 한글 document (HWPX) for the school's letterhead."""
    from ..hangul import HtmlToHwpx
    _ctx, html = _letter_html(src, artifact)
    writer = HtmlToHwpx(src.paper)
    writer.add(html)
    return Rendered(writer.to_bytes(context.letter_day(src, artifact)))


def letter_txt(src: Sources, artifact: Artifact, sizes: dict) -> Rendered:
    """The letter as plain text for a school messaging app."""
    ctx = context.letter(src, artifact)
    url = src.course.school.site_url
    help_url = f"{url.rstrip('/')}/{artifact.lang}/help.html" if url else ""
    return Rendered((render(src, templates(artifact), help_url=help_url, **ctx).strip() + "\n").encode())
