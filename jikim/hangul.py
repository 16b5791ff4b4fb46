"""한글 (HWPX, KS X 6101) copies for schools: a letter's HTML as an editable 한글 document.

Written with python-hwpx from the same HTML as the PDF, so a school's template changes the
한글 file too. Byte-for-byte stable: the objects' ids come from a counter, not uuid4, and
the zip entries carry a fixed time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import re
import uuid

from .office import BLOCK_TAGS, BOXES, parse_body, stable_zip

PAPER = {"a4": "A4", "letter": "LETTER"}
MARGINS_MM = {"left": 20, "right": 20, "top": 15, "bottom": 15}  # 한글's usual 가정통신문 page
BODY_FONT, HEADING_FONT = "함초롬바탕", "함초롬돋움"  # the fonts every 한글 has
TEXT_WIDTH = {"a4": 170, "letter": 175.9}  # mm between the margins


@contextlib.contextmanager
def _counted_ids():
    """python-hwpx numbers new paragraphs and tables with uuid4 (its documented seam): count instead."""
    from hwpx.oxml import _document_impl
    before = _document_impl.uuid4
    counter = itertools.count(1_000_001)
    _document_impl.uuid4 = lambda: uuid.UUID(int=next(counter))
    try:
        yield
    finally:
        _document_impl.uuid4 = before


class HtmlToHwpx:
    """Headings, paragraphs, lists and tables of our templates' HTML → a 한글 document."""

    def __init__(self, paper: str):
        from hwpx import HwpxDocument
        self._ids = _counted_ids()
        self._ids.__enter__()
        self.paper = paper
        self.border = None  # the boxes' border, added to the document with its first table
        self.doc = HwpxDocument.new()
        self.doc.page.setup(paper_size=PAPER[paper], margins_mm=MARGINS_MM)
        ensure = self.doc.styles.ensure_run
        self.style = {
            "h1": ensure(bold=True, size=18, font=HEADING_FONT),
            "h2": ensure(bold=True, size=12, font=HEADING_FONT),
            "h3": ensure(bold=True, size=11, font=HEADING_FONT),
            "bold": ensure(bold=True, size=10, font=BODY_FONT),
            "text": ensure(size=10, font=BODY_FONT),
        }

    def add(self, html: str) -> None:
        body = parse_body(html)
        self._blocks(body, _Flow(self.doc))

    def _blocks(self, element, flow: "_Flow") -> None:
        if not any(isinstance(child.tag, str) and child.tag in BLOCK_TAGS for child in element):
            if _text(element):  # words and inline markup only (the content note's label and text): one paragraph
                self._inline(flow.paragraph(), element)
            return
        for child in element:
            tag, classes = child.tag, set((child.get("class") or "").split())
            if child.get("aria-hidden") == "true" or child.get("hidden") is not None or tag in ("img", "script"):
                continue  # running headers and footers, pictures (a QR code's address is printed beside it)
            if classes & BOXES:  # an activity, a question box, the content note, the slip: a one-cell table
                self._blocks(child, _Flow(self._table(1, 1).cell(0, 0)))
            elif tag in ("h1", "h2", "h3", "h4"):
                self._run(flow.paragraph(), _text(child), self.style[tag if tag != "h4" else "h3"])
            elif tag in ("ul", "ol"):
                for number, item in enumerate(child.findall("li"), 1):
                    paragraph = flow.paragraph()
                    if tag == "ul" or not item.get("value"):  # an item with its value writes its number (the notes)
                        self._run(paragraph, "• " if tag == "ul" else f"{number}. ", self.style["text"])
                    self._inline(paragraph, item)
            elif tag == "table":
                self._rows(child, flow)
            elif tag in ("div", "section", "header", "footer", "aside", "blockquote", "figure"):
                self._blocks(child, flow)
            elif tag in ("p", "pre", "address"):
                self._inline(flow.paragraph(), child)

    def _inline(self, paragraph, element, bold=False) -> None:
        if element.text:
            self._run(paragraph, element.text, self.style["bold" if bold else "text"])
        for child in element:
            if child.tag not in ("img", "ul", "ol"):
                self._inline(paragraph, child, bold or child.tag in ("strong", "b", "th"))
            if child.tail:
                self._run(paragraph, child.tail, self.style["bold" if bold else "text"])

    @staticmethod
    def _run(paragraph, text: str, style: str) -> None:
        text = re.sub(r"\s+", " ", text)
        if not paragraph.text:
            text = text.lstrip()
        if text:
            paragraph.add_run(text, char_pr_id_ref=style)

    def _rows(self, element, flow: "_Flow") -> None:
        rows = [[cell for cell in tr if cell.tag in ("td", "th")] for tr in element.iter("tr")]
        rows = [r for r in rows if r]
        if not rows:
            return
        if flow.in_box:  # a table inside a box: one line a row (한글 nests tables, python-hwpx adds them to the body)
            for cells in rows:
                self._run(flow.paragraph(), " | ".join(_text(c) for c in cells), self.style["text"])
            return
        table = self._table(len(rows), max(len(r) for r in rows))
        for r, cells in enumerate(rows):
            for c, cell in enumerate(cells):
                self._inline(table.cell(r, c).paragraphs[0], cell, bold=cell.tag == "th")

    def _table(self, rows: int, cols: int):
        mm = 7200 / 25.4  # HWPUNIT: 1/7200 inch
        if self.border is None:  # the same border every time: a quarter of a table's cost to look up
            self.border = self.doc.styles.ensure_border_fill(border_color="#000000", border_width="0.12 mm")
        return self.doc.add_table(rows, cols, width=int(TEXT_WIDTH[self.paper] * mm), border_fill_id_ref=self.border)

    def to_bytes(self, day: dt.date) -> bytes:
        """The document with fixed zip entry times, so the same sources give the same bytes."""
        try:
            data = self.doc.to_bytes()
        finally:
            self._ids.__exit__(None, None, None)
        return stable_zip(data, day)


class _Flow:
    """Where paragraphs go: the document, or a table cell (a box). The first paragraph of each
    (a new document's, a new cell's) is empty and is used before any is added."""

    def __init__(self, target):
        self.target = target
        self.in_box = hasattr(target, "address")  # a table cell
        self.fresh = target.paragraphs[-1] if target.paragraphs and not target.paragraphs[-1].text else None

    def paragraph(self):
        if self.fresh is not None:
            paragraph, self.fresh = self.fresh, None
            return paragraph
        if self.in_box:
            return self.target.add_paragraph("")
        return self.target.add_paragraph("", include_run=False)


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())
