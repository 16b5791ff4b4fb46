"""Editable copies for schools: Word documents (python-docx) with real styles, byte-for-byte stable."""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import zipfile
from pathlib import Path

import docx
import lxml.html
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .lessons import image_path, image_type

PAPER = {"a4": (Mm(210), Mm(297)), "letter": (Mm(215.9), Mm(279.4))}
KOREAN_FONT = "맑은 고딕"  # Malgun Gothic: what Korean schools' Word and 한글 have
LATIN_FONT = "Calibri"
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 3, "h5": 3, "h6": 3}
#: Classes of our templates drawn as a box (a bordered one-cell table): an activity or a question,
#: the content note, the exit slip, the letter's reply slip.
BOXES = frozenset({"block", "content-note", "exit-slip", "reply-box"})
#: Classes whose words the stylesheet sets in bold: a box's label, the help panel's first line.
BOLD = frozenset({"block-label", "help-lead"})
CONTAINERS = ("div", "section", "header", "footer", "main", "article", "aside", "blockquote", "figure", "dl")
#: What starts a new paragraph (or several); anything else is inline, a run of its paragraph.
BLOCK_TAGS = frozenset({"p", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "hr", "figcaption",
                        "address", *CONTAINERS})


def new_document(paper: str, title: str, subject: str, lang: str, day: dt.date):
    document = docx.Document()
    document.part.get_style_id = functools.partial(_style_id, document.part.get_style_id)
    section = document.sections[0]
    section.page_width, section.page_height = PAPER[paper]
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(18))
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet", "List Number"):
        _fonts(document.styles[name])
    document.styles["Normal"].font.size = Pt(10.5)
    props = document.core_properties
    props.title, props.subject, props.language = title, subject, lang
    props.author = props.last_modified_by = "Jikim"
    props.created = props.modified = dt.datetime(day.year, day.month, day.day)
    props.revision = 1
    props.comments = props.keywords = ""
    return document


#: Style name and type → id. python-docx scans every style for each named lookup (a fifth of
#: the time of a Word handout, measured); every document starts from its same template, so
#: a name means the same id in all of them, and is looked up once a process.
_STYLE_IDS: dict = {}


def _style_id(lookup, style_or_name, style_type):
    if not isinstance(style_or_name, str):
        return lookup(style_or_name, style_type)
    key = (style_or_name, style_type)
    if key not in _STYLE_IDS:
        _STYLE_IDS[key] = lookup(style_or_name, style_type)
    return _STYLE_IDS[key]
def handout_document(html: str, paper: str, title: str, summary: str, lang: str, day: dt.date, lessons_dir: Path):
    """A handout as its template shows it (without writing lines), in Word styles: the title, sections
    as headings, boxes as bordered tables with their label, the help panel, the running footer as
    the page footer."""
    document = new_document(paper, title, summary, lang, day)
    HtmlToDocx(document, lessons_dir, shift=-1).add(html)
    return document


def compact(document) -> None:
    """A one-page letter: the PDF letter's margins and type, little space between paragraphs."""
    section = document.sections[0]
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(12))
    sizes = {"Normal": 9, "List Bullet": 9, "Title": 15, "Heading 1": 11, "Heading 2": 10}
    for name, size in sizes.items():
        style = document.styles[name]
        style.font.size = Pt(size)
        style.paragraph_format.space_before = Pt(5 if name.startswith("Heading") else 0)
        style.paragraph_format.space_after = Pt(1.5)
        style.paragraph_format.line_spacing = 1.05


def _fonts(style) -> None:
    style.font.name = LATIN_FONT
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), KOREAN_FONT)


def to_bytes(document, day: dt.date) -> bytes:
    """The Word file with fixed zip entry times, so the same sources give the same bytes.

    The parts go straight into the dated zip, in the order python-docx's `save` writes them:
    saving through python-docx and rewriting its zip deflated every part twice and inflated
    it once (a third of the time of saving the default course's 58 Word files, measured).
    """
    parts = _Parts()
    package = document.part.package
    for part in package.parts:
        part.before_marshal()
    PackageWriter._write_content_types_stream(parts, package.parts)
    PackageWriter._write_pkg_rels(parts, package.rels)
    PackageWriter._write_parts(parts, package.parts)
    return _zip(parts.entries, day, lambda name: zipfile.ZIP_DEFLATED)


class _Parts:
    """python-docx's physical package writer, keeping (name, bytes) for `_zip`."""

    def __init__(self):
        self.entries: list[tuple[str, bytes]] = []

    def write(self, pack_uri, blob: bytes) -> None:
        self.entries.append((pack_uri.membername, blob))


def stable_zip(data: bytes, day: dt.date, compression: int | None = None) -> bytes:
    """An office file (a zip) again with every entry dated `day`, in the same order:
    the same sources give the same bytes. `compression` None keeps each entry's own (HWPX
    stores its `mimetype` uncompressed, first)."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        kept = {info.filename: info.compress_type for info in source.infolist()}
        entries = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    return _zip(entries, day, kept.get if compression is None else lambda name: compression)


def _zip(entries, day: dt.date, compression) -> bytes:
    """A zip of (name, bytes) entries, each dated `day`, compressed as `compression(name)` says."""
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dest:
        for name, data in entries:
            entry = zipfile.ZipInfo(name, date_time=stamp)
            entry.compress_type = compression(name)
            entry.external_attr = 0o644 << 16
            dest.writestr(entry, data)
    return out.getvalue()


def parse_body(html: str):
    """The <body> of our own templates' HTML, as elements (lxml's C parser: 40 times faster than
    an HTML5 parser here, 7 ms a handout, with the same tree for what our templates write)."""
    return lxml.html.document_fromstring(str(html)).find("body")


class HtmlToDocx:
    """Our sanitised lesson HTML → paragraphs, runs, lists, tables and pictures in Word styles."""

    def __init__(self, document, lessons_dir: Path, shift: int = 1):
        """`shift` maps <h1> to Word's "Heading 1+shift": 1 inside a lesson's section, -1 for a whole
        document whose <h1> is its title."""
        self.document = document
        self.lessons_dir = lessons_dir.resolve()
        self.shift = shift
        self._fresh: dict = {}  # a new table cell → its first paragraph, empty until something is written

    def add(self, html: str, container=None) -> None:
        body = parse_body(html)
        self._blocks(body, container or self.document, level=0)

    def _blocks(self, element, container, level: int) -> None:
        if not any(isinstance(child.tag, str) and child.tag in BLOCK_TAGS for child in element):
            if "".join(element.itertext()).strip() or element.find(".//img") is not None:
                # Words and inline markup only (the content note's label and text): one paragraph.
                self._runs(self._paragraph(container), element)
            return
        for child in element:
            tag, classes = child.tag, set((child.get("class") or "").split())
            if "running-footer" in classes:  # the printed page's footer: Word's, on every page
                self._footer(child)
                continue
            if child.get("aria-hidden") == "true" or child.get("hidden") is not None or not isinstance(tag, str) \
                    or tag in ("script", "style"):
                continue
            if tag == "hr":
                self._paragraph(container).add_run("—")
            elif not "".join(child.itertext()).strip() and child.find(".//img") is None:
                continue  # an empty label or line: no empty paragraph
            elif classes & BOXES:
                self._blocks(child, self._box(container), level)
            elif tag in HEADINGS:
                heading = min(HEADINGS[tag] + self.shift, 3)
                self._runs(self._paragraph(container, f"Heading {heading}" if heading > 0 else "Title"), child)
            elif tag in ("ul", "ol"):
                self._list(child, container, level)
            elif tag == "table":
                self._table(child, container)
            elif tag in CONTAINERS:
                self._blocks(child, container, level)
            elif tag == "pre":
                run = self._paragraph(container).add_run("".join(child.itertext()))
                run.font.name = "Consolas"
            else:
                self._runs(self._paragraph(container), child, bold=bool(classes & BOLD))

    def _paragraph(self, container, style: str | None = None):
        """A new paragraph; in a new table cell, the empty one Word gives every cell."""
        paragraph = self._fresh.pop(getattr(container, "_tc", None), None) or container.add_paragraph()
        if style:
            paragraph.style = style
        return paragraph

    def _new_table(self, container, rows: int, cols: int):
        self._fresh.pop(getattr(container, "_tc", None), None)  # the cell's first paragraph stays above the table
        table = container.add_table(rows=rows, cols=cols)
        table.style = "Table Grid"
        for cell in (c for row in table.rows for c in row.cells):
            self._fresh[cell._tc] = cell.paragraphs[0]
        return table

    def _box(self, container):
        """A bordered one-cell table (an activity, a question, the content note), returning its cell."""
        return self._new_table(container, 1, 1).cell(0, 0)

    def _footer(self, element) -> None:
        paragraph = self.document.sections[0].footer.paragraphs[0]
        if not paragraph.text:
            self._runs(paragraph, element)

    def _list(self, element, container, level: int) -> None:
        base = "List Bullet" if element.tag == "ul" else "List Number"
        style = base if level == 0 else f"{base} {min(level + 1, 3)}"
        items = element.findall("li")
        if element.tag == "ol" and items and all(item.get("value") for item in items):
            style = None  # numbered as its text shows them (the notes: "1." is written in each)
        number = self._numbering(style, element.get("start")) if style and element.tag == "ol" else None
        for item in items:
            paragraph = self._paragraph(container, style)
            if number is not None:
                num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
                num_pr.get_or_add_ilvl().val = 0
                num_pr.get_or_add_numId().val = number
            nested = [c for c in item if c.tag in ("ul", "ol")]
            self._runs(paragraph, item, skip=("ul", "ol"))
            for sub in nested:
                self._list(sub, container, level + 1)

    def _numbering(self, style: str, start: str | None) -> int:
        """A numbered list of its own, from `start` (1): Word otherwise goes on counting from the last
        list of the same style, across boxes and sections."""
        numbering = self.document.part.numbering_part.element
        shared = self.document.styles[style].element.pPr.numPr.numId.val
        num = numbering.add_num(numbering.num_having_numId(shared).abstractNumId.val)
        num.add_lvlOverride(ilvl=0).add_startOverride(int(start) if (start or "").isdigit() else 1)
        return num.numId

    def _table(self, element, container) -> None:
        rows = [tr for tr in element.iter("tr")]
        if not rows:
            return
        width = max(len([c for c in tr if c.tag in ("td", "th")]) for tr in rows)
        table = self._new_table(container, len(rows), width)
        # Each row's cells once: python-docx's table.cell(r, c) walks the whole table every time.
        for tr, row in zip(rows, table.rows):
            cells = [c for c in tr if c.tag in ("td", "th")]
            if cells and all(c.tag == "th" for c in cells):  # a header row: repeated on each page
                row._tr.get_or_add_trPr().append(_on("w:tblHeader"))
            for cell, target in zip(cells, row.cells):
                if any(child.tag in BLOCK_TAGS for child in cell):  # paragraphs, lists: as they are
                    self._blocks(cell, target, 0)
                else:
                    self._runs(self._paragraph(target), cell, bold=cell.tag == "th")

    def _runs(self, paragraph, element, bold=False, italic=False, sup=False, skip=()) -> None:
        if element.text:
            self._run(paragraph, element.text, bold, italic, sup)
        for child in element:
            if child.tag in skip:
                pass
            elif child.tag == "img":
                self._picture(paragraph, child)
            elif child.tag == "br":
                paragraph.add_run().add_break()
            elif child.tag in ("p", "div"):
                self._runs(paragraph, child, bold, italic, sup)
            else:
                self._runs(paragraph, child, bold or child.tag in ("strong", "b", "th"),
                           italic or child.tag in ("em", "i", "cite"), sup or child.tag == "sup")
                if child.tag == "a" and (child.get("href") or "").startswith("http"):
                    self._run(paragraph, f" ({child.get('href')})", bold, italic, False)
            if child.tail:
                self._run(paragraph, child.tail, bold, italic, sup)

    @staticmethod
    def _run(paragraph, text, bold, italic, sup) -> None:
        text = re.sub(r"\s+", " ", text)  # as HTML shows it: the space between two runs stays
        if not paragraph.text:
            text = text.lstrip()
        if text:
            run = paragraph.add_run(text)
            run.bold, run.italic = bold or None, italic or None
            run.font.superscript = sup or None

    def _picture(self, paragraph, img) -> None:
        src, alt = img.get("src", ""), img.get("alt", "")
        path = image_path(self.lessons_dir, src[len("lessons/"):]) if src.startswith("lessons/") else None
        kind = image_type(path) if path and path.is_file() else None
        if kind is None:
            return
        try:
            shape = paragraph.add_run().add_picture(_word_picture(path, kind), width=Mm(60))
        except Exception:  # noqa: BLE001 — a picture Word cannot take: its description stands in
            paragraph.add_run(f"[{alt}]").italic = True
            return
        shape._inline.docPr.set("descr", alt)
        shape._inline.docPr.set("title", alt)


def _on(name: str):
    element = OxmlElement(name)
    element.set(qn("w:val"), "true")
    return element


def _word_picture(path: Path, kind: str) -> io.BytesIO:
    """The picture as Word takes it: PNG, JPEG and GIF as they are, WebP converted to PNG."""
    if kind != "image/webp":
        return io.BytesIO(path.read_bytes())
    from PIL import Image
    out = io.BytesIO()
    with Image.open(path, formats=["WEBP"]) as picture:
        picture.save(out, "PNG")
    out.seek(0)
    return out
