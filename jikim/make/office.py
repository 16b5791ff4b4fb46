"""The editable copies for a school's own tools: Word, 한글 (HWPX) and plain text.

Each is made from the HTML of the same template as its PDF (the handout, the letter), so a
school's template changes its Word and 한글 files too.
"""

from __future__ import annotations

from .. import office
from ..kinds import BLOCKS
from ..plan import Artifact
from . import context
from .context import Rendered, Sources, render, templates


def handout_docx(src: Sources, artifact: Artifact, sizes: dict) -> Rendered:
    ctx = context.lesson(src, artifact)
    view, t = ctx["view"], ctx["t"]
    lesson = view.lesson
    document = office.new_document(src.paper, lesson.title, lesson.summary, artifact.lang, lesson.reviewed)
    label = t["handout"] if ctx["audience"].student else t["handout_staff"]
    document.add_paragraph(f"{ctx['course_title']} · {label} · {ctx['audience_name']}")
    document.add_paragraph(lesson.title, style="Title")
    writer = office.HtmlToDocx(document, src.course.root / "lessons")
    if lesson.content_note:
        cell = office.boxed(document, t["content_note"])
        cell.add_paragraph(lesson.content_note)
    _docx_items(writer, document, view.preface, t, ctx)
    for section in view.sections:
        document.add_paragraph(section["plain_title"], style="Heading 1")
        _docx_items(writer, document, section["items"], t, ctx)
    if view.footnotes:
        document.add_paragraph(t["notes"], style="Heading 2")
        for note in view.footnotes:
            writer.add(f"<p>{note['number']}. {note['html']}</p>")
    if not view.has_help:
        _docx_help(document, ctx)
    document.add_paragraph(f"{lesson.title} · {ctx['audience_name']} · {t['reviewed']} {ctx['reviewed']}")
    return Rendered(office.to_bytes(document, lesson.reviewed))


def _docx_items(writer, container, items, t, ctx) -> None:
    for item in items:
        if item["kind"] == "text":
            writer.add(item["html"], container)
        elif item["kind"] == "help":
            _docx_help(container, ctx)
        elif BLOCKS[item["kind"]].boxed:
            label = t[item["label"]] + (f": {item['title']}" if item["title"] else "")
            _docx_items(writer, office.boxed(container, label), item["items"], t, ctx)
        else:  # handouts hold no notes, answers or guide blocks; anything else is plain content
            _docx_items(writer, container, item["items"], t, ctx)


def _docx_help(container, ctx) -> None:
    t, help = ctx["t"], ctx["help"]
    container.add_paragraph(t["help_title"], style="Heading 1")
    audience = ctx["audience"]
    lead = (t.get(f"not_your_fault_{audience.id}") if audience else None) or t["not_your_fault"]
    container.add_paragraph(lead).runs[0].bold = True
    for c in help.contacts:
        container.add_paragraph(" · ".join(x for x in (c["name"], c["role"], c["room"], c["phone"], c["hours"]) if x),
                                style="List Bullet")
    table = container.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, word in zip(table.rows[0].cells, (t["help_national"], t["phone"], t["hours"], t["website"])):
        cell.paragraphs[0].add_run(word).bold = True
    for ch in help.channels:
        row = table.add_row().cells
        row[0].paragraphs[0].add_run(ch["name"]).bold = True
        row[0].add_paragraph(ch["does"])
        row[1].text, row[2].text, row[3].text = ch["phone"], ch["hours"], ch["website"]


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
