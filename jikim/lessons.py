"""lessons/<id>.<lang>.md → Lesson: front matter and the `:::` block tree, with line numbers."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path
from urllib.parse import urlsplit

from .errors import Problems
from .model import Block, Course, Footnote, Lesson, Source, Text
from .yamlio import YamlError, line_of, parse

FILENAME = re.compile(r"^(?P<id>[a-z0-9-]+)\.(?P<lang>[a-z]{2,3})\.md$")
OPEN = re.compile(r"^:::\s*(?P<kind>\S+)\s*(?P<args>.*?)\s*$")
CLOSE = re.compile(r"^:::\s*$")
FENCE = re.compile(r"^\s{0,3}(```|~~~)")
FOOTNOTE_DEF = re.compile(r"^\[\^(?P<id>[^\]\s]+)\]:\s*(?P<text>.*)$")
FOOTNOTE_REF = re.compile(r"\[\^(?P<id>[^\]\s]+)\](?!:)")
IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\(\s*<?(?P<src>[^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
HTML_IMG = re.compile(r"<img\b", re.IGNORECASE)
HEADING = re.compile(r"^##(?!#)\s+(?P<text>.*?)\s*$")
MINUTES_ATTR = re.compile(r"\{[^}]*\bminutes=(?P<value>[^\s}]+)[^}]*\}\s*$")
ATTR_LIST = re.compile(r"\s*\{[^}]*\}\s*$")

#: Block kinds and the arguments each takes: None (none), "audiences" (one or more), "title".
BLOCK_ARGS = {
    "audience": "audiences",
    "slides": None,
    "handout": None,
    "guide": None,
    "notes": None,
    "activity": "title",
    "discuss": None,
    "answers": None,
    "help": None,
}
REQUIRED = ("title", "summary", "audiences", "minutes", "objectives", "reviewed", "sources")
OPTIONAL = ("content_note", "draft")
SOURCE_KEYS = ("title", "url", "publisher", "date")
MAX_BYTES = 1024 * 1024  # a whole lesson with all its audiences is far smaller


def lesson_files(course: Course, problems: Problems) -> list[Path]:
    """Every lesson file; badly named ones are reported, not skipped silently."""
    folder = course.root / "lessons"
    if not folder.is_dir():
        problems.error(folder, 0, "the lessons/ folder is missing — create it and add <id>.<lang>.md files")
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() != ".md" or not path.is_file():
            continue
        match = FILENAME.match(path.name)
        if not match:
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
    return Lesson(id=match["id"], lang=match["lang"], path=path, rel=problems._rel(path),
                  body=tuple(body), footnotes=footnotes, images=tuple(images), **meta)


def _read(path: Path, problems: Problems) -> str | None:
    data = path.read_bytes()
    if len(data) > MAX_BYTES:
        problems.error(path, 0, f"the file is {len(data) / 1024 / 1024:.1f} MB; a lesson may be at most "
                       f"{MAX_BYTES // 1024 // 1024} MB — split it into several lessons")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.error(path, line, "this line is not UTF-8 text — save the file with UTF-8 encoding")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


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
        "title": _text(data, "title", err),
        "summary": _text(data, "summary", err),
        "audiences": audiences,
        "declared": declared,
        "minutes": kept(_per_audience(data.get("minutes"), declared, "minutes", _minutes, err)),
        "objectives": kept(_per_audience(data.get("objectives"), declared, "objectives", _objectives, err)),
        "reviewed": _date(data.get("reviewed"), ("reviewed",), err) or dt.date(1970, 1, 1),
        "sources": tuple(_sources(data.get("sources"), err)),
        "content_note": _text(data, "content_note", err),
        "draft": _flag(data, "draft", err),
    }


def _flag(data, key, err) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        err((key,), f"'{key}' must be true or false")
        return False
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
        if urlsplit(url).scheme not in ("http", "https"):
            err(where + ("url",), f"source url '{url}' must start with https:// (or http://)")
        date = _date(item["date"], where + ("date",), err)
        yield Source(str(item["title"]), url, str(item["publisher"]), date or dt.date(1970, 1, 1))


def _parse_body(path, lines, start, course, problems, declared=frozenset()):
    """Build the block tree. Returns (children of the root, footnotes).

    `::: audience` may name the course's audiences and those the lesson's front matter declares.
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
            kind, args = OPEN.match(line)["kind"], OPEN.match(line)["args"]
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
    """Every Text node in document order, however deep."""
    for node in nodes:
        if isinstance(node, Text):
            yield node
        else:
            yield from walk_text(node.children)


def _check_body(path, body, footnotes, course, problems) -> list[Path]:
    images, used = [], set()
    images_root = (course.root / "lessons").resolve()
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
                found = _check_image(path, number, image["alt"], image["src"], images_root, problems)
                if found:
                    images.append(found)
            match = HEADING.match(line)
            if match and MINUTES_ATTR.search(match["text"]):
                value = MINUTES_ATTR.search(match["text"])["value"].strip("\"'")
                if not value.isdigit() or int(value) <= 0:
                    problems.error(path, number, f"minutes={value} is not a whole number — write e.g. {{minutes=8}}")
    for note in footnotes.values():
        if note.id not in used:
            problems.warn(path, note.line, f"footnote [^{note.id}] is never cited — cite it or remove it")
    return images


def _check_image(path, number, alt, src, images_root, problems) -> Path | None:
    if not alt.strip():
        problems.error(path, number, f"image '{src}' has no alt text — describe it: ![what it shows]({src})")
    if urlsplit(src).scheme or src.startswith("//"):
        problems.error(path, number, f"image '{src}' is not a local file — put it in lessons/images/ "
                       "and write images/<name>; pages load nothing from the network")
        return None
    target = (images_root / src).resolve()
    if not target.is_relative_to(images_root / "images") and not target.is_relative_to(images_root):
        problems.error(path, number, f"image '{src}' points outside lessons/ — put it in lessons/images/")
        return None
    if not target.is_file():
        problems.error(path, number, f"image '{src}' does not exist — add lessons/{src} or fix the path")
        return None
    return target


def heading_parts(text: str) -> tuple[str, int | None]:
    """'Title {minutes=8}' → ('Title', 8)."""
    match = MINUTES_ATTR.search(text)
    minutes = int(match["value"].strip("\"'")) if match and match["value"].strip("\"'").isdigit() else None
    return ATTR_LIST.sub("", text).strip(), minutes
