"""WeasyPrint: one font configuration, a fetcher that reads only project files, fixed dates."""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import zlib
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pydyf
import weasyprint
from weasyprint.text.fonts import FontConfiguration

log = logging.getLogger(__name__)

#: Tagged, accessible PDFs: structure tree, document language, title.
PDF_VARIANT = "pdf/ua-1"


#: The one data URL a PDF may hold: a PNG (the QR codes of the help panel).
PNG_DATA = "data:image/png;base64,"

#: PDFs see the project at this path, so nothing in them depends on where it really is.
VIRTUAL_ROOT = "/jikim-project"


#: Korean breaks between words, never inside one. WeasyPrint has no `word-break: keep-all`,
#: so a word joiner (U+2060: no glyph, not in the text layer) goes between the letters of a
#: word that holds Hangul ("말씀드렸어요", "2024년", "SNS에"), in the text of the page only.
WORD_JOINER = "\u2060"
_TAG = re.compile(r"(<[^>]*>)")
_INSIDE_WORD = re.compile(r"(?<=[\uac00-\ud7a3])(?=[\uac00-\ud7a3\w])|(?<=[\w)\]’”%])(?=[\uac00-\ud7a3])")
_RAW = re.compile(r"<(title|style|script)\b", re.I)


def keep_words(html: str) -> str:
    """The HTML with a word joiner inside each Korean word (not in tags, titles or styles)."""
    parts, raw = _TAG.split(html), ""
    for i, part in enumerate(parts):
        if i % 2:  # a tag
            opened = _RAW.match(part)
            raw = opened.group(1).lower() if opened else ("" if raw and part.lower() == f"</{raw}>" else raw)
        elif part and not raw:
            parts[i] = _INSIDE_WORD.sub(WORD_JOINER, part)
    return "".join(parts)


class ProjectFetcher(weasyprint.URLFetcher):
    """Reads files inside the allowed folders only: no network, no file outside the project."""

    def __init__(self, allowed: list[Path], root: Path | None = None):
        super().__init__(allowed_protocols={"file"}, allow_redirects=False)
        self.allowed = [folder.resolve() for folder in allowed]
        self.root = root.resolve() if root else None

    def fetch(self, url, headers=None):
        if url.startswith(PNG_DATA):  # our QR codes: bytes in the page itself, no file and no network
            return weasyprint.urls.URLFetcherResponse(url, body=base64.b64decode(url[len(PNG_DATA):]),
                                                      headers={"Content-Type": "image/png"})
        parts = urlsplit(url)
        if parts.scheme != "file":
            raise ValueError(f"blocked: {url.split(':', 1)[0]} URLs are never fetched")
        path = unquote(parts.path)
        if self.root and path.startswith(VIRTUAL_ROOT + "/"):
            path = str(self.root) + path[len(VIRTUAL_ROOT):]
        path = Path(path).resolve()
        if not any(path.is_relative_to(folder) for folder in self.allowed) or not path.is_file():
            raise ValueError(f"blocked: {path} is outside the project's lessons/, templates/ and data/")
        return weasyprint.urls.URLFetcherResponse(url, body=path.read_bytes())


class _Deflate:
    """pydyf deflates every stream at level 9: 2.5 times the time of level 6 for 1.5% fewer
    bytes (measured on our guides, handouts and slides). Level 6 is zlib's own default."""

    compress = staticmethod(zlib.compress)

    @staticmethod
    def compressobj(level=zlib.Z_DEFAULT_COMPRESSION, *args, **kwargs):
        return zlib.compressobj(min(level, 6), *args, **kwargs)


class _Quiet(logging.Filter):
    """WeasyPrint logs fetch refusals as errors; ours are deliberate and reported elsewhere."""

    def filter(self, record):
        return "blocked:" not in record.getMessage()


_QUIET = _Quiet()


def set_up() -> None:
    """What a Printer needs of its libraries, done when the first one is made (not at import),
    and once however many are made: pydyf's deflate level, WeasyPrint's refusals kept quiet."""
    pydyf.zlib = _Deflate  # pydyf's only use of zlib; pinned through weasyprint==70.0
    logging.getLogger("weasyprint").addFilter(_QUIET)  # a Filterer keeps one of each


class Printer:
    """What is paid once per process: WeasyPrint's set-up, the fonts, the fetcher."""

    def __init__(self, root: Path, template_dirs: list[Path]):
        set_up()
        self.root = root.resolve()
        self.fonts = FontConfiguration()
        self.fetcher = ProjectFetcher([root / "lessons", root / "data", *template_dirs], root)
        self.base_url = f"file://{VIRTUAL_ROOT}/"

    def document(self, html: str, stylesheet: str = "", memo: dict | None = None):
        """Lay out one HTML document (kept so a pack can reuse its pages).

        `memo` keeps, for as long as its owner wants (a build), the pictures WeasyPrint decoded
        (the same QR codes and pictures recur) and each `stylesheet` parsed with its selectors
        compiled, where a `<style>` element is parsed again for every PDF. WeasyPrint gives the
        stylesheet the user origin: above its own defaults, below anything the page itself says.
        """
        memo = {} if memo is None else memo
        sheets = [self._sheet(stylesheet, memo.setdefault("stylesheets", {}))] if stylesheet else []
        document = weasyprint.HTML(string=keep_words(html), base_url=self.base_url, url_fetcher=self.fetcher).render(
            font_config=self.fonts, pdf_tags=True, pdf_variant=PDF_VARIANT, cache=memo.setdefault("images", {}),
            stylesheets=sheets)
        for page in document.pages:  # the outline shows headings as written
            page.bookmarks = [(level, label.replace(WORD_JOINER, ""), *rest) for level, label, *rest in page.bookmarks]
        return document

    def _sheet(self, text: str, parsed: dict):
        if text not in parsed:
            parsed[text] = weasyprint.CSS(string=text, base_url=self.base_url, url_fetcher=self.fetcher,
                                          font_config=self.fonts)
        return parsed[text]

    @staticmethod
    def to_bytes(document, key: str) -> bytes:
        """The PDF, with an identifier derived from the inputs (`key`), never the clock."""
        identifier = hashlib.sha256(key.encode()).hexdigest()[:32].encode()
        return document.write_pdf(pdf_identifier=identifier, pdf_tags=True, pdf_variant=PDF_VARIANT,
                                  attachments=[], attachment_relationships=None)


def split_slides(document) -> tuple[list, list[int]]:
    """(the first page of each slide, the slides that ran onto more pages).

    WeasyPrint continues an overflowing slide on a new page; each continuation page starts
    with the same `.slide-body` element. Keeping only first pages keeps one slide a page.
    """
    first_pages, overflowing, previous = [], [], None
    for page in document.pages:
        index = _slide_index(page)
        if index is not None and index == previous:
            if index not in overflowing:
                overflowing.append(index)
            continue
        first_pages.append(page)
        previous = index
    return first_pages, overflowing


def _slide_index(page) -> str | None:
    for box in page._page_box.descendants():
        element = getattr(box, "element", None)
        if element is not None and "slide-body" in (element.get("class") or "").split():
            return element.get("data-index")
    return None
