"""lessons/<id>.<lang>.md → Lesson: front matter and the `:::` block tree, with line numbers."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import warnings
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from .kinds import BLOCK_KINDS
from .errors import Problems
from .model import Block, Course, Footnote, Heading, Lesson, Source, Text
from .select import select
from .yamlio import FORBIDDEN_CHARS, LINE_BREAKS, YamlError, forbidden_char, line_of, parse

FILENAME = re.compile(r"^(?P<id>[a-z0-9-]+)\.(?P<lang>[a-z]{2,3})\.md$")
# Every pattern here runs on untrusted lines (at most MAX_LINE characters): each is linear,
# with possessive quantifiers where a backtracking one could split a run of spaces many ways.
OPEN = re.compile(r"^:::\s*+(?P<kind>\S++)(?P<args>.*)$")  # args: strip them
CLOSE = re.compile(r"^:::\s*$")
FENCE = re.compile(r"^\s{0,3}(```|~~~)")
FOOTNOTE_DEF = re.compile(r"^\[\^(?P<id>[^\]\s]+)\]:\s*(?P<text>.*)$")
FOOTNOTE_REF = re.compile(r"\[\^(?P<id>[^\]\[\s^]++)\](?!:)")
#: Alt text may hold one level of brackets (`![a [b] c](…)`), as Markdown allows.
IMAGE = re.compile(r"!\[(?P<alt>(?:[^\[\]]|\[[^\[\]]*+\])*+)\]\(\s*+<?(?P<src>[^)\s>]*+)>?(?:\s++\"[^\"]*+\")?\s*+\)")
HTML_IMG = re.compile(r"<img\b", re.IGNORECASE)
HEADING = re.compile(r"^##(?!#)\s++(?P<text>.*)$")  # text: may end in spaces
MINUTES = re.compile(r"\bminutes=(?P<value>\S+)")
#: Raw HTML tags that open an element (a void one closes itself); for the nesting limit.
HTML_TAG = re.compile(r"<(?P<close>/?)(?P<name>[A-Za-z][A-Za-z0-9]*+)(?=[\s/>]|$)")
VOID_TAGS = frozenset("area base br col embed hr img input link meta param source track wbr".split())
#: What opens a nesting level at the start of a line: `>`, a list marker, or indentation.
NESTING_PREFIX = re.compile(r"(?:[ \t>]|[-*+](?=[ \t])|[0-9]{1,9}[.)](?=[ \t]))*+")
LIST_MARKER = re.compile(r"[-*+](?=[ \t])|[0-9]{1,9}[.)](?=[ \t])")
BRACKETS = re.compile(r"[\[\]()]")

#: Block kinds and the arguments each takes: None (none), "audiences" (one or more), "title".
BLOCK_ARGS = {kind.name: kind.args for kind in BLOCK_KINDS}
#: Blocks that only choose content: a `## ` inside them still starts a section.
TRANSPARENT = frozenset(kind.name for kind in BLOCK_KINDS if kind.transparent)
REQUIRED = ("title", "summary", "audiences", "minutes", "objectives", "reviewed", "sources")
OPTIONAL = ("content_note", "draft")
SOURCE_KEYS = ("title", "url", "publisher", "date")
#: Ids of generated pages beside the lessons (index.html, help.html, handouts.pdf, …).
RESERVED_IDS = frozenset({"index", "help", "handouts", "parent-letter", "assets"})

#: Limits, each far above what a real lesson needs and far below what would hurt a build
#: (docs/authoring.md lists them for authors).
MAX_BYTES = 1024 * 1024  # a whole lesson with all its audiences is far smaller
MAX_LINE = 4000  # characters a line; the longest paragraph of the default course has 1,534
MAX_BLOCK_DEPTH = 10  # `:::` blocks inside each other
MAX_NESTING = 16  # Markdown nesting: `>` quotes, list indentation, raw HTML elements
MAX_MINUTES_DIGITS = 3
#: Characters Python-Markdown's link matching may scan in a lesson: for each '[' or '(' it
#: reads on to the matching bracket, or to the end of the paragraph when there is none, so
#: a paragraph of unclosed brackets costs its length squared. No lesson of the default course needs 1%.
MAX_SCAN = 500_000
IMAGE_FORMATS = {"PNG": ("image/png", (".png",)), "JPEG": ("image/jpeg", (".jpg", ".jpeg")),
                 "GIF": ("image/gif", (".gif",)), "WEBP": ("image/webp", (".webp",))}
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_SIDE = 8000  # pixels
MAX_IMAGE_PIXELS = 40_000_000  # a picture is decoded whole: 160 MB at this size
MAX_LESSON_IMAGE_BYTES = 20 * 1024 * 1024  # a deck inlines every picture it shows, each time it shows it


def lesson_files(course: Course, problems: Problems) -> list[Path]:
    """Every lesson file; badly named ones are reported, not skipped silently."""
    folder = course.root / "lessons"
    if not folder.is_dir():
        problems.error(folder, 0, "the lessons/ folder is missing — create it and add <id>.<lang>.md files")
        return []
    found = []
    project = course.root.resolve()
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() != ".md" or not path.is_file():
            continue
        match = FILENAME.match(path.name)
        if not path.resolve().is_relative_to(project):
            problems.error(path, 0, "this lesson is a link to a file outside the project — copy the file "
                           "into lessons/ instead")
        elif match and match["id"] in RESERVED_IDS:
            problems.error(path, 0, f"'{match['id']}' is the name of a page the build makes "
                           f"({', '.join(sorted(RESERVED_IDS))} are taken) — rename the lesson file")
        elif not match:
            problems.error(path, 0, "a lesson file is named <id>.<lang>.md, with an id of lowercase "
                           "a-z, 0-9 and - (for example getting-help.ko.md) — rename it")
        elif match["lang"] not in course.languages:
            problems.error(path, 0, f"language '{match['lang']}' is not one of the course's languages "
                           f"({', '.join(course.languages)}) — rename the file or add the language to course.yaml")
        else:
            found.append(path)
    return found


def load_lesson(path: Path, course: Course, problems: Problems) -> Lesson | None:
    """Parse and check one lesson file. Returns None when it has errors."""
    before = len(problems.errors)
    text = _read(path, problems)
    if text is None:
        return None
    front, body_lines, body_start = _split_front_matter(path, text, problems)
    if front is None:
        return None
    match = FILENAME.match(path.name)
    meta = _front_matter(path, front, body_start, course, problems)
    body, footnotes = _parse_body(path, body_lines, body_start, course, problems, meta["declared"] if meta else ())
    images = _check_body(path, body, footnotes, course, problems)
    if meta is None or len(problems.errors) > before:
        return None
    minutes_at = meta.pop("minutes_at")
    lesson = Lesson(id=match["id"], lang=match["lang"], path=path, rel=problems._rel(path),
                    body=tuple(body), footnotes=footnotes, images=tuple(images), **meta)
    _warn_timing(lesson, minutes_at, problems)
    return lesson


def _warn_timing(lesson: Lesson, minutes_at: dict, problems: Problems) -> None:
    """Each audience's sections, as its teacher guide plans them, fit in the lesson's minutes.
    A draft is never built, so its plan is not checked yet."""
    if lesson.draft:
        return
    for audience in lesson.audiences:
        planned = sum(n.minutes or 0 for n in select(lesson.body, audience, "guide") if isinstance(n, Heading))
        period = lesson.minutes.get(audience, 0)
        if planned > period:
            problems.warn(lesson.path, minutes_at[audience], f"the {audience} sections add up to {planned} "
                          f"minutes, more than the lesson's {period} — shorten a section")


def _read(path: Path, problems: Problems) -> str | None:
    """The text, or None with a message: too big (asked of the file system before reading),
    not UTF-8, a control character, or a line too long for the checks to read."""
    too_big = f"a lesson may be at most {MAX_BYTES // 1024 // 1024} MB — split it into several lessons"
    size = path.stat().st_size
    if size > MAX_BYTES:
        problems.error(path, 0, f"the file is {size / 1024 / 1024:.1f} MB; {too_big}")
        return None
    with path.open("rb") as file:
        data = file.read(MAX_BYTES + 1)  # the file may have grown since
    if len(data) > MAX_BYTES:
        problems.error(path, 0, f"the file is over {MAX_BYTES // 1024 // 1024} MB; {too_big}")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.error(path, line, "this line is not UTF-8 text — save the file with UTF-8 encoding")
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = FORBIDDEN_CHARS.search(text)
    if bad:
        problems.error(path, text.count("\n", 0, bad.start()) + 1, f"this line holds the control character "
                       f"{forbidden_char(bad[0])} — remove it (retype the line if you cannot see it)")
        return None
    for number, line in enumerate(text.split("\n"), 1):
        if len(line) > MAX_LINE:
            problems.error(path, number, f"this line has {len(line):,} characters; a line may have at most "
                           f"{MAX_LINE:,} — break it into paragraphs")
            return None
    return text


def _split_front_matter(path: Path, text: str, problems: Problems):
    lines = text.split("\n")
    if not text.strip():
        problems.error(path, 1, "the file is empty — start it with front matter between '---' lines "
                       "(run 'python build.py new ID' for an example)")
        return None, [], 0
    if lines[0].strip() != "---":
        problems.error(path, 1, "a lesson starts with front matter: a line '---', the keys, and another '---'")
        return None, [], 0
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            return "\n".join(lines[1:i]), lines[i + 1:], i + 2
    problems.error(path, 1, "the front matter opened here is never closed — add a line '---' after it")
    return None, [], 0


def _front_matter(path, front, body_start, course, problems):
    try:
        data, lines = parse(front, first_line=2)
    except YamlError as exc:
        problems.error(path, exc.args[0], exc.args[1])
        return None
    if not isinstance(data, dict):
        problems.error(path, 2, "the front matter must be keys and values (title: …, summary: …)")
        return None

    def err(key_path, message):
        problems.error(path, line_of(lines, *key_path, default=2), message)

    for key in REQUIRED:
        if data.get(key) in (None, "", [], {}):
            err((), f"the front matter has no '{key}' — add it (see README.md, 'Writing a lesson')")
    for key in data:
        if key not in REQUIRED + OPTIONAL:
            hint = difflib.get_close_matches(str(key), REQUIRED + OPTIONAL, n=1)
            fix = f"did you mean '{hint[0]}'?" if hint else f"the keys are {', '.join(REQUIRED + OPTIONAL)}"
            err((key,), f"unknown front-matter key '{key}' — {fix}")
    declared = _audience_list(data.get("audiences"), course, err)
    audiences = tuple(a for a in declared if a in {x.id for x in course.audiences})  # the others are left out
    kept = lambda mapping: {a: v for a, v in mapping.items() if a in audiences}  # noqa: E731
    return {
        "title": _line(data, "title", err),
        "summary": _line(data, "summary", err),
        "audiences": audiences,
        "declared": declared,
        "minutes": kept(_per_audience(data.get("minutes"), declared, "minutes", _minutes, err)),
        "minutes_at": {a: line_of(lines, "minutes", a, default=2) for a in audiences},  # for load_lesson
        "objectives": kept(_per_audience(data.get("objectives"), declared, "objectives", _objectives, err)),
        "reviewed": _date(data.get("reviewed"), ("reviewed",), err) or dt.date(1970, 1, 1),
        "sources": tuple(_sources(data.get("sources"), err)),
        "content_note": _line(data, "content_note", err),
        "draft": _flag(data, "draft", err),
    }


def _flag(data, key, err) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        err((key,), f"'{key}' must be true or false")
        return False
    return value


def _line(data, key, err) -> str:
    """A one-line text field: no line breaks or control characters (a forged letter line)."""
    value = _text(data, key, err)
    if LINE_BREAKS.search(value):
        err((key,), f"'{key}' must be one line of text without line breaks or control characters — join it")
        return ""
    return value


def _text(data, key, err) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        err((key,), f"'{key}' must be text")
        return ""
    return value.strip()


def _audience_list(value, course, err) -> tuple[str, ...]:
    """The audiences a lesson is written for. One the course does not have is left out of the build,
    unless it looks like a misspelt course audience ('middel')."""
    known = [a.id for a in course.audiences]
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        err(("audiences",), "audiences must be a list such as [elementary, middle]")
        return ()
    result = []
    for i, item in enumerate(value):
        close = difflib.get_close_matches(str(item), known, n=1, cutoff=0.75)
        if not re.fullmatch(r"[a-z0-9-]+", str(item)) or (str(item) not in known and close):
            hint = f"did you mean '{close[0]}'?" if close else f"the course's audiences are {', '.join(known)}"
            err(("audiences", i), f"unknown audience '{item}' — {hint}")
        elif str(item) in result:
            err(("audiences", i), f"audience '{item}' is listed twice — keep one")
        else:
            result.append(str(item))
    return tuple(result)


def _per_audience(value, audiences, key, convert, err) -> dict:
    """A value for all audiences, or a mapping audience → value naming each of them."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        one = convert(value, (key,), err)
        return {a: one for a in audiences}
    result = {}
    for name, item in value.items():
        if name not in audiences:
            err((key, name), f"'{key}' names '{name}', which is not in this lesson's audiences "
                f"({', '.join(audiences)}) — remove it or add the audience")
            continue
        result[name] = convert(item, (key, name), err)
    for name in audiences:
        if name not in value:
            err((key,), f"'{key}' has no entry for audience '{name}' — add one")
    return result


def _minutes(value, where, err):
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        err(where, f"minutes must be a whole number such as 45, not '{value}'")
        return 0
    return value


def _objectives(value, where, err):
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(x, str) and x.strip() for x in value):
        err(where, "objectives must be a list of sentences, such as '- I can explain what consent means'")
        return ()
    for i, x in enumerate(value):
        if LINE_BREAKS.search(x.strip()):
            err(where + (i,), "an objective is one line of text without line breaks — join it")
            return ()
    return tuple(x.strip() for x in value)


def _date(value, where, err) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        err(where, f"'{value}' is not a date — write it as YYYY-MM-DD, such as 2026-11-22")
        return None


def _sources(value, err):
    if value is None:
        return
    if not isinstance(value, list):
        err(("sources",), "sources must be a list of {title, url, publisher, date}")
        return
    for i, item in enumerate(value):
        where = ("sources", i)
        if not isinstance(item, dict):
            err(where, "each source is a mapping with title, url, publisher and date")
            continue
        missing = [k for k in SOURCE_KEYS if not item.get(k)]
        if missing:
            err(where, f"this source has no {', '.join(missing)} — add {'it' if len(missing) == 1 else 'them'}")
            continue
        url = str(item["url"])
        if urlsplit(url).scheme not in ("http", "https") or re.search(r"\s", url):
            err(where + ("url",), f"source url '{url.strip()}' must start with https:// (or http://) "
                "and hold no spaces")
        for key in ("title", "publisher"):
            if LINE_BREAKS.search(str(item[key]).strip()):
                err(where + (key,), f"a source's {key} is one line of text without line breaks — join it")
        date = _date(item["date"], where + ("date",), err)
        yield Source(str(item["title"]), url, str(item["publisher"]), date or dt.date(1970, 1, 1))


def _parse_body(path, lines, start, course, problems, declared=frozenset()):
    """Build the block tree. Returns (children of the root, footnotes).

    `::: audience` may name the course's audiences and those the lesson's front matter declares.
    A `## ` line outside fences becomes a Heading node, unless a box (any block that is not
    TRANSPARENT) holds it: there it stays Markdown of the box's text.
    """
    known_audiences = {a.id for a in course.audiences} | set(declared)
    stack = [("root", (), start, [])]
    text, text_line, fence = [], start, None
    footnotes: dict[str, Footnote] = {}
    current_note = None

    def flush():
        nonlocal text
        if text:
            stack[-1][3].append(Text(tuple(text), text_line))
        text = []

    for offset, line in enumerate(lines):
        number = start + offset
        fence_match = FENCE.match(line)
        if fence:
            fence = None if fence_match and fence_match[1] == fence else fence
        elif fence_match:
            fence = fence_match[1]
        elif CLOSE.match(line):
            flush()
            current_note = None
            if len(stack) == 1:
                problems.error(path, number, "':::' here closes no open block — remove it or open a block above")
            else:
                kind, args, opened, children = stack.pop()
                stack[-1][3].append(Block(kind, args, opened, tuple(children)))
            text_line = number + 1
            continue
        elif OPEN.match(line):
            flush()
            current_note = None
            kind, args = OPEN.match(line)["kind"], OPEN.match(line)["args"].strip()
            if len(stack) > MAX_BLOCK_DEPTH:
                problems.error(path, number, f"blocks are nested more than {MAX_BLOCK_DEPTH} deep here — "
                               "close the ones above with ':::' first")
                return stack[0][3], footnotes
            _check_block(path, number, kind, args, known_audiences, problems)
            stack.append((kind, tuple(args.split()) if kind == "audience" else ((args,) if args else ()),
                          number, []))
            text_line = number + 1
            continue
        elif len(stack) == 1 and FOOTNOTE_DEF.match(line):
            flush()
            match = FOOTNOTE_DEF.match(line)
            if match["id"] in footnotes:
                problems.error(path, number, f"footnote [^{match['id']}] is defined twice — keep one definition")
            current_note = Footnote(match["id"], match["text"], number)
            footnotes[match["id"]] = current_note
            text_line = number + 1
            continue
        elif HEADING.match(line):
            heading = _heading(path, number, line, problems)
            if all(kind in TRANSPARENT for kind, *_ in stack[1:]):  # else a line of the box's text
                flush()
                current_note = None
                stack[-1][3].append(heading)
                text_line = number + 1
                continue
        elif current_note and line.startswith(("    ", "\t")) and line.strip():
            footnotes[current_note.id] = Footnote(current_note.id, current_note.text + " " + line.strip(),
                                                   current_note.line)
            current_note = footnotes[current_note.id]
            text_line = number + 1
            continue
        current_note = None if line.strip() else current_note
        if not text:
            text_line = number
        text.append(line)
    flush()
    while len(stack) > 1:
        kind, _, opened, _ = stack.pop()
        problems.error(path, opened, f"block '::: {kind}' opened here is never closed — add a line ':::' where it ends")
    return stack[0][3], footnotes


def _check_block(path, number, kind, args, known_audiences, problems):
    if kind not in BLOCK_ARGS:
        hint = difflib.get_close_matches(kind, BLOCK_ARGS, n=1)
        fix = f"did you mean '{hint[0]}'?" if hint else f"the blocks are {', '.join(BLOCK_ARGS)}"
        problems.error(path, number, f"unknown block '{kind}' — {fix}")
    elif BLOCK_ARGS[kind] == "audiences":
        if not args.split():
            problems.error(path, number, "'::: audience' needs one or more audience ids, such as '::: audience middle high'")
        for name in args.split():
            if name not in known_audiences:
                problems.error(path, number, f"unknown audience '{name}' — the course's audiences are "
                               f"{', '.join(sorted(known_audiences))}")
    elif BLOCK_ARGS[kind] == "title" and not args:
        problems.error(path, number, f"'::: {kind}' needs a title, such as '::: {kind} Group chat story'")
    elif BLOCK_ARGS[kind] is None and args:
        problems.error(path, number, f"'::: {kind}' takes no arguments — remove '{args}'")


def walk_text(nodes):
    """Every line of Markdown as Text nodes in document order, however deep: a Heading's
    line is yielded as a Text of one line (its footnotes, pictures and brackets are checked too)."""
    for node in nodes:
        if isinstance(node, Text):
            yield node
        elif isinstance(node, Heading):
            yield Text((node.source,), node.line)
        else:
            yield from walk_text(node.children)


def _nesting(path, body, problems) -> bool:
    """Refuse Markdown nested deeper than MAX_NESTING (Python-Markdown recurses per level)."""
    html = 0
    for node in walk_text(body):
        for offset, line in enumerate(node.lines):
            prefix = NESTING_PREFIX.match(line)[0]
            markers = len(LIST_MARKER.findall(prefix))
            spaces = LIST_MARKER.sub("", prefix).replace(">", "")
            depth = prefix.count(">") + markers + len(spaces.expandtabs(4)) // 4
            for tag in HTML_TAG.finditer(line):
                if tag["name"].lower() not in VOID_TAGS:
                    html = max(html - 1, 0) if tag["close"] else html + 1
                depth = max(depth, html)
            if depth > MAX_NESTING:
                problems.error(path, node.line + offset, f"quotes ('>'), list indentation or HTML elements "
                               f"are nested more than {MAX_NESTING} deep here — flatten them")
                return False
    return True


def _scan_cost(path, body, problems) -> bool:
    """Refuse a lesson whose brackets would keep Markdown's link matching busy for minutes."""
    total = 0
    for node in walk_text(body):
        start = 0
        lines = list(node.lines) + [""]
        for offset, line in enumerate(lines):
            if line.strip():
                continue
            if offset > start:
                total += bracket_scan("\n".join(lines[start:offset]))
                if total > MAX_SCAN:
                    problems.error(path, node.line + start, "this paragraph has so many '[' or '(' without "
                                   "a closing ']' or ')' that the lesson would take minutes to render — close "
                                   "them, or write \\[ for a bracket that opens nothing")
                    return False
            start = offset + 1
    return True


def bracket_scan(text: str) -> int:
    """How many characters link matching reads in one paragraph (an upper bound)."""
    cost, opened = 0, {"[": [], "(": []}
    for match in BRACKETS.finditer(text):
        char, at = match[0], match.start()
        if char in opened:
            opened[char].append(at)
        else:
            stack = opened["[" if char == "]" else "("]
            if stack:
                cost += at - stack.pop()
    return cost + sum(len(text) - at for stack in opened.values() for at in stack)


def _check_body(path, body, footnotes, course, problems) -> list[Path]:
    images, used, sizes = [], set(), {}
    lessons_root = (course.root / "lessons").resolve()
    inlined = 0
    if not _nesting(path, body, problems) or not _scan_cost(path, body, problems):
        return []
    for node in walk_text(body):
        for offset, line in enumerate(node.lines):
            number = node.line + offset
            for ref in FOOTNOTE_REF.finditer(line):
                used.add(ref["id"])
                if ref["id"] not in footnotes:
                    problems.error(path, number, f"footnote [^{ref['id']}] has no definition — add a line "
                                   f"'[^{ref['id']}]: source, year' at the end of the lesson")
            if HTML_IMG.search(line):
                problems.error(path, number, "images are written as ![alt text](images/file.png), not <img>")
            for image in IMAGE.finditer(line):
                found = _check_image(path, number, image["alt"], image["src"], lessons_root, problems)
                if found:
                    images.append(found)
                    sizes.setdefault(found, found.stat().st_size)
                    inlined += sizes[found]
                    if inlined > MAX_LESSON_IMAGE_BYTES >= inlined - sizes[found]:
                        problems.error(path, number, f"the pictures up to here add up to more than "
                                       f"{MAX_LESSON_IMAGE_BYTES // 1024 // 1024} MB (each time one is shown "
                                       "counts: a slide deck carries them all) — use smaller or fewer pictures")
    for note in footnotes.values():
        if note.id not in used:
            problems.warn(path, note.line, f"footnote [^{note.id}] is never cited — cite it or remove it")
    return images


def _check_image(path, number, alt, src, lessons_root, problems) -> Path | None:
    if not alt.strip():
        problems.error(path, number, f"image '{src}' has no alt text — describe it: ![what it shows]({src})")
    if urlsplit(src).scheme or src.startswith("//"):
        problems.error(path, number, f"image '{src}' is not a local file — put it in lessons/images/ "
                       "and write images/<name>; pages load nothing from the network")
        return None
    target = image_path(lessons_root, src)
    if target is None:
        problems.error(path, number, f"image '{src}' points outside lessons/images/ (outside lessons/ is "
                       "never read) — put the picture in lessons/images/ and write images/<name>")
        return None
    if not target.is_file():
        problems.error(path, number, f"image '{src}' does not exist — add lessons/{src} or fix the path")
        return None
    problem = image_problem(target)
    if problem:
        problems.error(path, number, f"image '{src}' {problem}")
        return None
    return target


def image_path(lessons_root: Path, src: str) -> Path | None:
    """The file an image reference names, when it is inside lessons/images/ (links resolved)."""
    try:
        target = (lessons_root / src).resolve()
    except (OSError, RuntimeError, ValueError):
        return None
    return target if target.is_relative_to(lessons_root / "images") else None


def image_type(target: Path) -> str | None:
    """The MIME type of a picture that every output can show, or None."""
    return None if image_problem(target) else IMAGE_FORMATS[_sniff(*_stamp(target))[0]][0]


def image_problem(target: Path) -> str | None:
    """Why a file cannot be a lesson's picture (completing 'image X …'), or None."""
    size = target.stat().st_size
    if size > MAX_IMAGE_BYTES:
        return (f"is {size / 1024 / 1024:.1f} MB; a picture may be at most {MAX_IMAGE_BYTES // 1024 // 1024} MB "
                "— save it smaller")
    kind, width, height = _sniff(*_stamp(target))
    suffixes = ", ".join(s for _, found in IMAGE_FORMATS.values() for s in found)
    if target.suffix.lower() == ".svg":
        return "is an SVG, which can carry script and is not supported — export it as PNG"
    if kind is None:
        return f"is not a PNG, JPEG, GIF or WebP picture (checked by its content) — save it as PNG ({suffixes})"
    if target.suffix.lower() not in IMAGE_FORMATS[kind][1]:
        return f"holds a {kind} picture but is named {target.suffix or 'without an extension'} — rename it"
    if width > MAX_IMAGE_SIDE or height > MAX_IMAGE_SIDE or width * height > MAX_IMAGE_PIXELS:
        return (f"is {width}×{height} pixels; a picture may be at most {MAX_IMAGE_SIDE} pixels a side and "
                f"{MAX_IMAGE_PIXELS // 1_000_000} million pixels — scale it down")
    return None


def _stamp(target: Path) -> tuple:
    info = target.stat()
    return str(target), info.st_size, info.st_mtime_ns


@lru_cache(maxsize=256)
def _sniff(name: str, size: int, mtime: int) -> tuple[str | None, int, int]:
    """(format, width, height) read from the file's header by Pillow, or (None, 0, 0)."""
    from PIL import Image
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(name, formats=list(IMAGE_FORMATS)) as picture:
                return picture.format, picture.size[0], picture.size[1]
    except Exception:  # noqa: BLE001 — whatever Pillow makes of a hostile file, it is no picture
        return None, 0, 0


def image_refs(lines, lessons_root: Path):
    """The files that the image references in `lines` name inside lessons/images/."""
    for line in lines:
        for image in IMAGE.finditer(line):
            target = image_path(lessons_root, image["src"])
            if target is not None:
                yield target


def _attr_list(text: str) -> tuple[str, str | None]:
    """'Title {minutes=8}' → ('Title', 'minutes=8'): a heading's closing attribute list, found
    without a regex (a line of '{' made the old pattern backtrack for minutes)."""
    stripped = text.rstrip()
    if not stripped.endswith("}"):
        return stripped, None
    start = stripped.find("{", stripped.rfind("}", 0, len(stripped) - 1) + 1)
    if start < 0:
        return stripped, None
    return stripped[:start].rstrip(), stripped[start + 1:-1]


def _heading(path, number: int, line: str, problems: Problems) -> Heading:
    """A `## Title {minutes=8}` line → Heading('Title', 8, …); a bad minutes value is an error."""
    title, attrs = _attr_list(HEADING.match(line)["text"])
    found = MINUTES.findall(attrs) if attrs else []
    minutes = _minutes_value(found[-1]) if found else None
    if found and minutes is None:
        problems.error(path, number, f"minutes={found[-1][:20]} is not a whole number from 1 to 999 — "
                       "write e.g. {minutes=8}")
    return Heading(title.strip(), minutes, number, line)


def _minutes_value(value: str) -> int | None:
    value = value.strip("\"'")
    if not value.isascii() or not value.isdigit() or len(value) > MAX_MINUTES_DIGITS or int(value) <= 0:
        return None
    return int(value)
