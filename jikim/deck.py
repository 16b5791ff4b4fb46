"""The deck's slide list: each `## ` section becomes one slide or more, split by an estimate of height.

Lesson authors write ordinary Markdown; the deck keeps its type large by putting what does
not fit on continuation slides ("(계속)"), never by shrinking it. A section is cut only at
block boundaries: between paragraphs, between list items, between table rows (the header
repeated), between the questions of a `::: discuss`. The estimate is deliberately a little
pessimistic; the PDF's layout still reports a slide that does not fit (`--strict` fails).

Sizes are CSS pixels on the 1280×720 stage (0.75 pt each in the 960×540 pt PDF); keep them in
step with templates/css/deck.css.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cached_property

from markupsafe import Markup

from .kinds import BLOCK_KINDS, BLOCKS
from .lessons import FENCE
from .model import Block, Text
from .render import LessonView, Rendered, _items
from .select import has_help, sections, select

#: Body text per audience (px at 1280×720); 32 px is 24 pt in the PDF. Headings are larger.
BODY_PX = {"elementary": 40, "middle": 36, "high": 36, "staff": 34}
DEFAULT_BODY_PX = 36
TITLE_PX = 54            # a slide's `##` title (h2)
LINE = 1.32              # line height of body text
CONTENT_WIDTH = 1136     # 1280 − 2 × 72 px padding
CONTENT_HEIGHT = 500     # under the title, above the slide number and source line (517 px, less a margin)
SOURCES_PX = 32          # the sources slide (24 pt)
STATEMENT_PX = 60        # a slide whose whole content is one short sentence
CARD_PAD = 2 * 22 + 2 * 4 + 14   # a block's padding, border and margin
IMAGE_PX = 400

#: Blocks the deck shows only in the presenter view, never on a projected slide.
PRESENTER = tuple(kind.name for kind in BLOCK_KINDS if kind.teacher_only and (kind.presenter_only or "deck" in kind.outputs))

LIST_ITEM = re.compile(r"^ {0,3}(?P<marker>[-*+]|\d{1,9}[.)])\s+")
TABLE_ROW = re.compile(r"^\s*\|")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
MARKUP = re.compile(r"\[\^[^\]]+\]|!\[[^\]]*\]\([^)]*\)|\{[^}]*\}\s*$|[*_`]|<[^>]+>")
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


# --- estimating heights ---------------------------------------------------------------

#: NanumGothic's lowercase advances (em); Malgun Gothic and Apple SD Gothic Neo are close.
LOWER = dict(zip("abcdefghijklmnopqrstuvwxyz", (.55, .61, .48, .61, .55, .36, .61, .61, .24, .27, .52, .24, .91, .61,
                                                .61, .61, .61, .36, .42, .36, .61, .48, .85, .51, .46, .48)))


def advance(ch: str) -> float:
    """Width of one character in em (NanumGothic; Malgun Gothic and Apple SD Gothic Neo are close)."""
    if ch == " ":
        return 0.28
    if ch in ".,:;'|!()[]·ilI\"“”‘’「」『』":
        return 0.36
    if ch in LOWER:
        return LOWER[ch]
    if "\u1100" <= ch <= "\u11ff" or "\u2e80" <= ch <= "\ua4cf" or "\uac00" <= ch <= "\ud7af" or "\uff00" <= ch <= "\uffef":
        return 0.94
    if ch.isupper() or ch in "%@":
        return 0.72
    if ch.isdigit():
        return 0.61
    return 0.56


def plain(text: str) -> str:
    return re.sub(r"\s+", " ", MARKUP.sub("", LINK.sub(r"\1", text))).strip()


def line_count(text: str, width: float, px: float) -> int:
    """Lines `text` takes at `px` in a box `width` wide, breaking between words only (keep-all)."""
    words = plain(text).split(" ")
    lines, used = 1, 0.0
    for word in words:
        w = sum(advance(c) for c in word) * px
        gap = 0.28 * px if used else 0.0
        if used and used + gap + w > width:
            lines += 1 + int(w // width)
            used = w % width
        else:
            used += gap + w
            lines += int(used // width) if used > width else 0
            used = used % width if used > width else used
    return lines


def text_height(text: str, width: float, px: float) -> float:
    return line_count(text, width, px) * px * LINE


# --- cutting a section into units -------------------------------------------------------

@dataclass
class Unit:
    """One piece a slide may start or end at."""

    kind: str                      # para, item, row, image, code, block, help, presenter
    lines: tuple = ()              # Markdown (para, item, row, image, code)
    group: int = 0                 # list or table it belongs to (joined again on a slide)
    head: tuple = ()               # a table's header lines, repeated on each slide
    block: Block | None = None     # block, presenter
    inner: list = field(default_factory=list)  # a block's own units
    height: float = 0.0
    extra: float = 0.0             # added when the unit opens its list or table on a slide (a table's header)
    columns: int = 1               # 2: a list of short items set in two columns
    cont: bool = False             # a block's piece after its first slide


class Cutter:
    """Cuts selected nodes into units and estimates each one's height at one body size."""

    def __init__(self, px: float):
        self.px = px
        self.groups = 0

    def units(self, nodes, width: float = CONTENT_WIDTH) -> list[Unit]:
        found: list[Unit] = []
        for node in nodes:
            if isinstance(node, Text):
                found.extend(self.text_units(node.lines, width))
            elif node.kind in PRESENTER:
                found.append(Unit("presenter", block=node))
            elif node.kind == "help":
                found.append(Unit("help", block=node, height=CONTENT_HEIGHT))
            else:
                found.extend(self.block_units(node, width))
        return found

    def block_units(self, block: Block, width: float) -> list[Unit]:
        inner_width = width - 2 * 26
        inner = self.units(block.children, inner_width)
        hoisted = [u for u in inner if u.kind == "presenter"]
        inner = [u for u in inner if u.kind != "presenter"]
        unit = Unit("block", block=block, inner=inner)
        unit.height = self.block_overhead() + sum(u.height for u in inner)
        return [unit, *hoisted]

    def block_overhead(self) -> float:
        return CARD_PAD + 0.9 * self.px * LINE + 8

    def text_units(self, lines, width: float) -> list[Unit]:
        found: list[Unit] = []
        i, n, last_list = 0, len(lines), None
        while i < n:
            line = lines[i]
            if not line.strip():
                i += 1
                continue
            if FENCE.match(line):
                end = next((j for j in range(i + 1, n) if FENCE.match(lines[j])), n - 1)
                found.append(Unit("code", tuple(lines[i:end + 1]), height=(end - i + 1) * self.px * 1.2))
                i, last_list = end + 1, None
            elif TABLE_ROW.match(line) and i + 1 < n and TABLE_RULE.match(lines[i + 1]):
                i = self.table_units(lines, i, width, found)
                last_list = None
            elif LIST_ITEM.match(line):
                ordered = LIST_ITEM.match(line)["marker"][0].isdigit()
                if last_list is None or last_list[1] != ordered:
                    self.groups += 1
                    last_list = (self.groups, ordered)
                j = i + 1
                while j < n and not LIST_ITEM.match(lines[j]) and (
                        lines[j].startswith(("  ", "\t")) or (lines[j].strip() and lines[j - 1].strip())
                        or (not lines[j].strip() and j + 1 < n and lines[j + 1].startswith(("  ", "\t")))):
                    j += 1
                item = tuple(lines[i:j])
                indent = 1.5 * self.px
                text = LIST_ITEM.sub("", " ".join(item))
                found.append(Unit("item", item, group=last_list[0], extra=0.4 * self.px,
                                  height=text_height(text, width - indent, self.px) + 0.22 * self.px))
                i = j
                if i < n and not lines[i].strip() and not (i + 1 < n and LIST_ITEM.match(lines[i + 1])):
                    last_list = None
            else:
                j = i + 1
                while j < n and lines[j].strip() and not LIST_ITEM.match(lines[j]) and not TABLE_ROW.match(lines[j]) \
                        and not FENCE.match(lines[j]):
                    j += 1
                para = tuple(lines[i:j])
                joined = " ".join(para)
                if "![" in joined or "<img" in joined:
                    found.append(Unit("image", para, height=IMAGE_PX))
                else:
                    found.append(Unit("para", para, height=text_height(joined, width, self.px) + 0.4 * self.px))
                i, last_list = j, None
        self.two_columns(found, width)
        return found

    def table_units(self, lines, i: int, width: float, found: list) -> int:
        head = tuple(lines[i:i + 2])
        j = i + 2
        while j < len(lines) and TABLE_ROW.match(lines[j]):
            j += 1
        rows = [self.cells(row) for row in (lines[i], *lines[i + 2:j])]
        widths = self.column_widths(rows, width)
        px = self.table_px()
        height = lambda cells: max(line_count(c, w - 28, px) for c, w in zip(cells, widths)) * px * 1.25 + 18  # noqa: E731
        self.groups += 1
        head_height = height(rows[0]) + 0.4 * self.px
        for row, cells in zip(lines[i + 2:j], rows[1:]):
            found.append(Unit("row", (row,), group=self.groups, head=head, height=height(cells), extra=head_height))
        return j

    def table_px(self) -> float:
        return max(32, round(self.px * 0.92))

    @staticmethod
    def cells(row: str) -> list[str]:
        return [c.strip() for c in row.strip().strip("|").split("|")]

    def column_widths(self, rows, width: float) -> list[float]:
        """Roughly the browser's automatic table layout: each column its widest cell when all fit,
        else shares in proportion to those widths."""
        px = self.table_px()
        count = max(len(r) for r in rows)
        widest = [max((sum(advance(ch) for ch in plain(r[k])) * px if k < len(r) else 0) for r in rows) + 30
                  for k in range(count)]
        total = sum(widest)
        if total <= width:
            return [w + (width - total) * w / total for w in widest]
        floor = [max(w, 4 * px) for w in widest]
        return [width * w / sum(floor) for w in floor]

    def two_columns(self, units: list[Unit], width: float) -> None:
        """A list of six or more short items is set in two columns (and estimated so)."""
        by_group: dict[int, list[Unit]] = {}
        for u in units:
            if u.kind == "item":
                by_group.setdefault(u.group, []).append(u)
        half = (width - 40) / 2 - 1.5 * self.px
        for items in by_group.values():
            texts = [LIST_ITEM.sub("", " ".join(u.lines)) for u in items]
            if len(items) >= 6 and all(line_count(t, half, self.px) == 1 for t in texts):
                rows = math.ceil(len(items) / 2)
                each = rows * (self.px * LINE + 0.22 * self.px) / len(items)
                for u in items:
                    u.height, u.columns = each, 2


# --- packing units onto slides -------------------------------------------------------------

def group_height(units: list[Unit], k: int) -> float:
    """The height of the list or table that units[k] opens."""
    unit = units[k]
    total = unit.extra
    for other in units[k:]:
        if other.kind != unit.kind or other.group != unit.group:
            break
        total += other.height
    return total


def pack(units: list[Unit], budget: float, overhead: float, first: float | None = None,
         capacity: float | None = None) -> list[list[Unit]]:
    """Units → slides, greedily (the first slide has `first` of room, the others `budget`).

    A lead-in paragraph stays with the list or table after it; a list or table that fits on
    one slide (`capacity`, the real room when `budget` is a balancing target) is not cut; a
    table's header is repeated on each slide it continues on; a block too tall for one slide
    is cut between its own units.
    """
    pages: list[list[Unit]] = [[]]
    used = 0.0
    room = budget if first is None else first
    capacity = capacity or budget
    hold = None  # the list or table kept whole on this slide: it may fill the slide past `budget`

    def new_page():
        nonlocal used, room
        pages.append([])
        used, room = 0.0, budget

    for k, unit in enumerate(units):
        if unit.kind == "presenter":
            pages[-1].append(unit)
            continue
        if unit.kind == "help":
            if any(u.kind != "presenter" for u in pages[-1]):
                new_page()
            pages[-1].append(unit)
            new_page()
            continue
        previous = next((u for u in reversed(pages[-1]) if u.kind != "presenter"), None)
        opens = previous is None or previous.kind != unit.kind or previous.group != unit.group
        need = unit.height + (unit.extra if opens else 0.0)
        follower = units[k + 1] if k + 1 < len(units) else None
        led = k > 0 and previous is units[k - 1] and previous.kind == "para"  # its lead-in is already placed
        keep = None
        if unit.kind in ("item", "row") and opens and not led and group_height(units, k) <= capacity:
            need, keep = group_height(units, k), (unit.kind, unit.group)  # a list or table that fits a slide is kept whole
        if unit.kind == "para" and follower is not None and follower.kind in ("item", "row"):
            whole = group_height(units, k + 1)
            # a lead-in stays with what it introduces: all of it if it fits a slide, else its first item
            if unit.height + whole <= capacity:
                need, keep = need + whole, (follower.kind, follower.group)
            else:
                need += follower.height + follower.extra
        if unit.kind == "block" and unit.height > capacity:  # taller than any slide: cut between its units
            pieces = pack(unit.inner, budget - overhead, 0.0, room - used - overhead) if used else []
            if used and (room - used < 0.4 * budget or sum(u.kind != "presenter" for u in pieces[0]) < 2):
                new_page()  # a question or two alone at the foot of a slide reads as a leftover
            if not used:
                pieces = balanced(unit.inner, budget - overhead, 0.0)
            for n, piece in enumerate(pieces):
                if n:
                    new_page()
                height = overhead + sum(u.height + u.extra for u in piece)
                pages[-1].append(Unit("block", block=unit.block, inner=piece, height=height, cont=n > 0))
                used += height
            continue
        limit = capacity if hold == (unit.kind, unit.group) else room
        if used and used + need > limit:
            new_page()
            opens = True
        if keep:
            hold = keep
        pages[-1].append(unit)
        used += unit.height + (unit.extra if opens else 0.0)
    return [p for p in pages if p] or [[]]


def balanced(units: list[Unit], budget: float, overhead: float) -> list[list[Unit]]:
    """As few slides as greedy packing needs, with the content shared evenly between them."""
    pages = pack(units, budget, overhead)
    if len(pages) < 2:
        return pages
    target = sum(u.height + u.extra for u in units) / len(pages)
    while target < budget:
        trial = pack(units, target, overhead, capacity=budget)
        if len(trial) <= len(pages):
            return trial
        target += 12
    return pages


# --- the slides --------------------------------------------------------------------------

@dataclass(frozen=True)
class DeckRendered(Rendered):
    slides: list  # what templates/deck.html walks


class DeckView(LessonView):
    """A lesson as its deck shows it: a title slide, the content note, the sections cut into
    slides, the help slide. `slides` is what templates/deck.html walks."""

    @property
    def body_px(self) -> int:
        return BODY_PX.get(self.audience, DEFAULT_BODY_PX)

    @property
    def slides(self) -> list[dict]:
        return self._rendered.slides

    @cached_property
    def _rendered(self) -> DeckRendered:
        from .markdown import Citations
        self.md.citations = Citations(self.lesson.footnotes)
        chosen = select(self.lesson.body, self.audience, "deck", presenter=True)
        preface, found = sections(chosen)
        px = self.body_px
        preface_items = _items([n for n in preface if not (isinstance(n, Block) and n.kind in PRESENTER)], self.md)
        slides = [{"kind": "title", "items": preface_items, "notes": self._presenter_items(
            [n for n in preface if isinstance(n, Block) and n.kind in PRESENTER]), "index": 0, "line": 1}]
        if self.lesson.content_note:
            slides.append({"kind": "note", "items": [], "notes": [], "index": -1, "line": 1})
        for number, section in enumerate(found, 1):
            slides.extend(self._section_slides(section, number, px))
        # the help closes the deck; the notes cited on the slides come just before it
        closing = [slides.pop()] if slides[-1]["kind"] == "help" else [
            {"kind": "help", "closing": True, "items": [], "notes": [], "index": -2, "line": 1, "plain_title": "help"}]
        slides.extend(self._source_slides(px))
        slides.extend(closing)
        for n, slide in enumerate(slides, 1):
            slide["number"] = n
        rendered = []
        for number, section in enumerate(found, 1):
            own = [x for x in slides if x.get("section") == number]
            rendered.append({"title": own[0]["title"], "plain_title": section.title, "minutes": section.minutes,
                             "line": section.line, "has_help": has_help(section.items), "items": [], "cited": [],
                             "slides": (own[0]["number"], own[-1]["number"]),
                             "help_only": len(own) == 1 and own[0]["kind"] == "help"})
        # The deck's notes are on its sources slides, not under a last section.
        return DeckRendered(preface_items, rendered, [], has_help(preface) or any(has_help(s.items) for s in found),
                            slides)

    def _section_slides(self, section, number: int, px: float) -> list[dict]:
        cutter = Cutter(px)
        units = cutter.units(section.items)
        title = self.md.inline(section.title)
        title_lines = line_count(section.title + " (계속)", CONTENT_WIDTH, TITLE_PX)
        budget = CONTENT_HEIGHT - (title_lines - 1) * TITLE_PX * 1.2
        if not any(u.kind != "presenter" for u in units):
            return [self._slide("divider", section, number, title, [], units, 0, 1)]
        pages = balanced(units, budget, cutter.block_overhead())
        # The presenter sees the section's notes on each of its slides, and the model answers
        # beside every part of the questions they answer.
        notes = [u for u in units if u.kind == "presenter" and u.block.kind == "notes"]
        answers = [u for u in units if u.kind == "presenter" and u.block.kind != "notes"]
        asks = [any(u.kind == "block" and u.block.kind == "discuss" for u in page) for page in pages]
        return [self._slide(self._kind(page), section, number, title, page,
                            notes + (answers if asks[n] or not any(asks) else []), n, len(pages))
                for n, page in enumerate(pages)]

    def _source_slides(self, px: float) -> list[dict]:
        """The notes cited on the slides, in full and large, on their own slide(s) before the help:
        a slide's foot shows only its note numbers (and the presenter view the notes' text)."""
        notes, px = self.md.citations.notes(), SOURCES_PX
        # "N\." and a blank line: a paragraph a note, numbered as in the text, not a list that
        # Markdown would number from 1 again on the second sources slide.
        units = [Unit("item", (f"{number}\\. {text}\n",), group=-1, extra=0.4 * px,
                      height=text_height(text, CONTENT_WIDTH - 1.5 * px, px) * 1.25 / LINE + 0.3 * px)
                 for number, _, text in notes]
        if not units:
            return []
        self.md.citations.take_seen()
        pages = balanced(units, CONTENT_HEIGHT, 0)
        return [{"kind": "sources", "items": self._render(page), "notes": [], "cited": [], "part": n, "parts": len(pages),
                 "line": 1, "index": -3, "plain_title": "sources", "closing": False} for n, page in enumerate(pages)]

    def _kind(self, page: list[Unit]) -> str:
        shown = [u for u in page if u.kind != "presenter"]
        if any(u.kind == "help" for u in shown):
            return "help"
        if len(shown) == 1 and shown[0].kind == "para" and \
                line_count(" ".join(shown[0].lines), CONTENT_WIDTH, STATEMENT_PX) <= 3:
            return "statement"
        if shown and all(u.kind == "block" and u.block.kind == "discuss" for u in shown):
            return "question"
        return "content"

    def _slide(self, kind, section, number, title, page, units, part, parts) -> dict:
        self.md.citations.take_seen()
        items = self._render(page)
        cited = [{"number": n, "html": self.md.inline(text)} for n, text in self.md.citations.take_seen()]
        notes = self._presenter_items([u.block for u in units if u.kind == "presenter"])
        return {"kind": kind, "title": title, "plain_title": section.title, "section": number, "line": section.line,
                "items": items, "notes": notes, "cited": cited, "part": part, "parts": parts, "index": number,
                "closing": False}

    def _presenter_items(self, blocks) -> list:
        return [{"kind": b.kind, "items": _items(b.children, self.md)} for b in blocks]

    def _render(self, units: list[Unit]) -> list[dict]:
        """One slide's units back into the dicts deck.html walks, lists and tables joined again."""
        result: list[dict] = []
        run: list[str] = []
        columns = 1
        previous: Unit | None = None

        def flush():
            nonlocal run, columns
            if run:
                result.append({"kind": "text", "html": nobreak(self.md("\n".join(run).strip("\n"))), "columns": columns})
            run, columns = [], 1

        for unit in units:
            if unit.kind in ("presenter",):
                continue
            if unit.kind in ("block", "help"):
                flush()
                if unit.kind == "help":
                    result.append({"kind": "help"})
                else:
                    block = unit.block
                    result.append({"kind": block.kind, "title": block.args[0] if block.args else "",
                                   "label": BLOCKS[block.kind].label, "cont": unit.cont, "items": self._render(unit.inner)})
                previous = unit
                continue
            same = previous is not None and previous.kind == unit.kind and previous.group == unit.group \
                and unit.kind in ("item", "row")
            if not same:
                if unit.kind == "row" or (unit.columns != columns and run):
                    flush()
                if run:
                    run.append("")
                if unit.kind == "row":
                    run.extend(unit.head)
            columns = unit.columns
            run.extend(unit.lines)
            previous = unit
        flush()
        return result

    @property
    def section_slides(self) -> dict[int, tuple[int, int]]:
        """Section line → (its first slide, its last slide): the guide's headings cite them."""
        return {s["line"]: s["slides"] for s in self.sections}


def nobreak(html: Markup) -> Markup:
    """Phone numbers, figures and URLs in a slide's text kept on one line."""
    parts = re.split(r"(<[^>]+>)", str(html))
    for k in range(0, len(parts), 2):
        parts[k] = NUMBER.sub(r'<span class="nobr">\1</span>', parts[k])
    return Markup("".join(parts))


NUMBER = re.compile(r"(?<![#&\w-])(\d[\d,.\-–~]*\d(?:[%년월일세조항명건]|\w*)?|https?://\S+|www\.\S+)")


HANGUL_WORD = re.compile(r"(?<![^\s>])[^\s<>]*[\uac00-\ud7af][^\s<>]*")


def keep_words(html: str) -> str:
    """Korean breaks between words in the PDF too: WeasyPrint has no `word-break: keep-all`,
    so each word with Hangul in it is kept whole (`.w { white-space: nowrap }`)."""
    head, mark, body = html.partition("<body")
    parts = re.split(r"(<[^>]+>)", body)
    for k in range(0, len(parts), 2):
        parts[k] = HANGUL_WORD.sub(_keep, parts[k])
    return head + mark + "".join(parts)


def _keep(match) -> str:
    """A word kept whole; a very long one (a compound name) may still break where it must."""
    word = match[0]
    return word if len(word) > 12 else f'<span class="w">{word}</span>'
