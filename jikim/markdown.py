"""One Python-Markdown configuration and the sanitiser every lesson's HTML passes through."""

from __future__ import annotations

import base64
import xml.etree.ElementTree as etree
from functools import lru_cache
from pathlib import Path

import markdown
import nh3
from markdown.inlinepatterns import InlineProcessor
from markupsafe import Markup

from .lessons import FOOTNOTE_REF, HTML_IMG, MAX_LESSON_IMAGE_BYTES, image_path, image_type

#: What lesson HTML may contain after sanitising. No script, style, form, frame,
#: object, embed or link element; no event handlers; links only to safe schemes.
TAGS = frozenset("""
p br hr h2 h3 h4 h5 h6 strong em b i u s del ins mark small sub sup code pre kbd q cite abbr
blockquote ul ol li dl dt dd table thead tbody tfoot tr th td caption a img span div figure figcaption
""".split())
ATTRIBUTES = {
    "*": {"class", "id", "lang", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "th": {"align", "colspan", "rowspan", "scope", "style"},
    "td": {"align", "colspan", "rowspan", "style"},
    "ol": {"start"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
#: A link keeps its href only with one of these schemes, or as an in-page `#fragment`: a
#: relative one (`//host/share/x.docx`, `/C:/…`) would become a file:// link in a PDF.
EXTENSIONS = ["tables", "attr_list", "sane_lists", "fenced_code", "def_list", "abbr"]


class Citations:
    """Footnotes of one rendered output, numbered in the order they are first cited."""

    def __init__(self, definitions: dict):
        self.definitions = definitions
        self.order: list[str] = []
        self.seen: list[str] = []  # cited since the last `reset_seen()`: one slide's notes

    def number(self, note_id: str) -> int:
        if note_id not in self.order:
            self.order.append(note_id)
        if note_id not in self.seen:
            self.seen.append(note_id)
        return self.order.index(note_id) + 1

    def take_seen(self) -> list[tuple[int, str]]:
        """(number, text) of the notes cited since the last call."""
        seen, self.seen = self.seen, []
        return [(self.order.index(key) + 1, self.definitions[key].text) for key in seen]

    def notes(self):
        """(number, id, text) for every note cited, in number order."""
        return [(i + 1, key, self.definitions[key].text) for i, key in enumerate(self.order)]


class _FootnoteRef(InlineProcessor):
    def __init__(self, renderer: "Renderer"):
        super().__init__(FOOTNOTE_REF.pattern)
        self.renderer = renderer

    def handleMatch(self, m, data):
        citations = self.renderer.citations
        if citations is None or m["id"] not in citations.definitions:
            return None, None, None
        number = citations.number(m["id"])
        sup = etree.Element("sup", {"class": "fnref"})
        if self.renderer.image_mode == "inline" or self.renderer.slides:
            sup.text = str(number)  # a slide lists its notes at its foot, not at an anchor
        else:
            link = etree.SubElement(sup, "a", {"href": f"#fn-{number}"})
            link.text = str(number)
        return sup, m.start(0), m.end(0)


class Renderer:
    """Markdown → sanitised HTML for one output; images resolved the way that output needs."""

    def __init__(self, lessons_dir: Path, image_mode: str = "file", asset_prefix: str = "",
                 slides: bool = False):
        self.lessons_dir = lessons_dir.resolve()
        self.slides = slides
        self.image_mode = image_mode  # "file" (PDF), "asset" (site page), "inline" (deck)
        self.asset_prefix = asset_prefix
        self.citations: Citations | None = None
        self.inlined: dict[Path, str] = {}  # a deck's pictures: each encoded once, their sum bounded
        self.inlined_bytes = 0
        self._md = markdown.Markdown(extensions=EXTENSIONS, output_format="html")
        self._md.inlinePatterns.register(_FootnoteRef(self), "jikim-footnote", 175)

    def __call__(self, text: str) -> Markup:
        if "[^" in text or "![" in text or HTML_IMG.search(text):
            return self._convert(text)  # notes are numbered, and pictures resolved, per output
        return _plain(text)

    def _convert(self, text: str) -> Markup:
        self._md.reset()
        html = self._md.convert(text)
        return Markup(nh3.clean(html, tags=set(TAGS), attributes={k: set(v) for k, v in ATTRIBUTES.items()},
                                url_schemes=set(URL_SCHEMES), attribute_filter=self._attribute,
                                filter_style_properties={"text-align"}))

    def inline(self, text: str) -> Markup:
        """One line of Markdown without the surrounding paragraph."""
        html = str(self(text)).strip()
        if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            html = html[3:-4]
        return Markup(html)

    def _attribute(self, tag: str, attribute: str, value: str):
        if tag == "img" and attribute == "src":
            return self._image(value)
        if tag == "a" and attribute == "href":
            return value if _safe_href(value) else None
        return value

    def _image(self, src: str):
        target = image_path(self.lessons_dir, src)
        kind = image_type(target) if target is not None and target.is_file() else None
        if kind is None:
            return None  # never reached for a checked lesson; dropped rather than fetched
        if self.image_mode == "inline":
            if target not in self.inlined:
                self.inlined[target] = f"data:{kind};base64,{base64.b64encode(target.read_bytes()).decode()}"
            self.inlined_bytes += target.stat().st_size
            if self.inlined_bytes > MAX_LESSON_IMAGE_BYTES:
                return None  # the check refuses such a lesson; a deck never grows past the limit
            return self.inlined[target]
        if self.image_mode == "asset":
            return self.asset_prefix + "assets/" + target.relative_to(self.lessons_dir).as_posix()
        return "lessons/" + target.relative_to(self.lessons_dir).as_posix()  # against the PDF's base URL


def _safe_href(value: str) -> bool:
    value = value.strip()
    if value.startswith("#"):
        return True
    scheme, _, rest = value.partition(":")
    if not rest or not scheme.isascii() or not scheme.isalpha() or scheme.lower() not in URL_SCHEMES:
        return False
    return scheme.lower() in ("mailto", "tel") or rest.startswith("//") and len(rest) > 2


@lru_cache(maxsize=4096)
def _plain(text: str) -> Markup:
    """Markdown without notes or pictures reads the same in every output: converted once a process."""
    return _plain_renderer()._convert(text)


@lru_cache(maxsize=1)
def _plain_renderer() -> Renderer:
    return Renderer(Path("."))
