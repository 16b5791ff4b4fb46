"""The Jinja2 environment (the school's templates first) and the data each template gets."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import traceback
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import jinja2
import segno
import yaml
from markupsafe import Markup

from . import __version__
from .config import dial
from .markdown import Citations, Renderer
from .model import Course, DataPack, Lesson, Text
from .errors import ContentError, Problem, Problems
from .kinds import BLOCKS, BLOCK_KINDS
from .overrides import PACKAGE_TEMPLATES, TEMPLATE_SUFFIXES, merge_strings, template_folders
from .select import has_help, sections, select

def environment(course: Course) -> jinja2.Environment:
    """The templates: a school's folder, the course's, then Jikim's own.

    Jikim's own are also named `jikim/<name>`, so a school's `lesson.html` can start with
    `{% extends "jikim/lesson.html" %}` and change one block instead of copying the file.

    One environment serves every build of a process while the same files exist (`serve`
    then compiles a template only when it is saved; Jinja checks each one's time).
    """
    folders = template_folders(course)
    return _environment(folders, tuple(tuple(sorted(f.rglob("*"))) for f in folders))


@lru_cache(maxsize=8)
def _environment(folders: tuple[Path, ...], files: tuple) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.PrefixLoader({"jikim": jinja2.FileSystemLoader(str(PACKAGE_TEMPLATES))}),
                                    *(jinja2.FileSystemLoader(str(f)) for f in folders)]),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "xml", "svg"), default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["qr"] = qr_png
    env.globals["version"] = __version__
    env.filters["tel"] = dial
    return env


@lru_cache(maxsize=64)
def qr_png(url: str) -> str:
    """A QR code for a printed page as a PNG data URL, four pixels a module (printed unsmoothed).

    An image, not inline SVG: WeasyPrint decodes it once per process and draws it as one
    picture, where an SVG path of a few hundred squares is parsed and drawn on every page.
    """
    return segno.make(url, error="m").png_data_uri(scale=4, border=1)


def _template_frame(exc: BaseException) -> tuple[str, int] | None:
    """The line of a template the error passed through, if any: the innermost line of a school's
    template (what its author can fix, though the error surfaced in one of ours), else of ours."""
    frames = [(f.filename, f.lineno) for f in traceback.extract_tb(exc.__traceback__)
              if f.filename.endswith(TEMPLATE_SUFFIXES) and Path(f.filename).is_file()]
    schools = [f for f in frames if not Path(f[0]).resolve().is_relative_to(PACKAGE_TEMPLATES)]
    return (schools or frames)[-1] if frames else None


def template_problem(exc: Exception, problems: Problems) -> Problem:
    """A template's mistake met while rendering, as `template:line: what` (a school's template, mostly)."""
    path, line = _template_frame(exc) or (getattr(exc, "filename", None), getattr(exc, "lineno", None))
    return problems.problem(path or "templates", line or 0, f"template error: {getattr(exc, 'message', None) or exc}"
                            " — fix this line of the template, or remove the school's copy to use Jikim's")


@contextlib.contextmanager
def template_errors(root: Path):
    """A mistake in a template (a school's, mostly: a syntax error, an undefined name, a macro
    called the old way) as a ContentError naming the template's path:line, never a traceback."""
    try:
        yield
    except Exception as exc:
        if isinstance(exc, jinja2.TemplateError) or _template_frame(exc):
            raise ContentError([template_problem(exc, Problems(root))]) from None
        raise


def strings(env: jinja2.Environment, lang: str) -> dict:
    """The interface words of one language: every strings.yaml found, the school's winning key by key."""
    sources = []
    for loader in env.loader.loaders:
        try:
            sources.append(loader.get_source(env, "strings.yaml")[0])
        except jinja2.TemplateNotFound:
            continue
    table = _merged_strings(tuple(sources))
    return table.get(lang) or table["en"]


def audience_strings(words: dict, student: bool) -> dict:
    """A staff audience (student: false) reads each `<key>_staff` word in place of `<key>`: 연수 흐름, not 수업 흐름."""
    if student:
        return words
    return words | {key.removesuffix("_staff"): value for key, value in words.items() if key.endswith("_staff")}


@lru_cache(maxsize=4)
def _merged_strings(sources: tuple[str, ...]) -> dict:
    """Parsed once per build (per text of the files), not once per page: it is read-only."""
    return merge_strings([yaml.load(s, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) for s in sources])


@dataclass
class Help:
    """What a help panel shows: the school's contacts first, then the channels."""

    contacts: list
    channels: list
    emergency: str
    first_steps: list = field(default_factory=list)


def help_panel(course: Course, pack: DataPack, lang: str, audience: str | None) -> Help:
    channels = pack.channels if audience is None else pack.channels_for(audience)
    loc = lambda d: d.get(lang) or next(iter(d.values()), "") if d else ""  # noqa: E731
    return Help(
        contacts=[{"name": loc(c.name), "role": loc(c.role), "phone": c.phone, "room": loc(c.room),
                   "email": c.email, "hours": loc(c.hours)} for c in course.school.contacts],
        channels=[{"id": c.id, "name": loc(c.name), "phone": c.phone, "website": c.website,
                   "hours": loc(c.hours), "does": loc(c.does_text(audience)), "who": loc(c.who),
                   "removal": c.removal, "emergency": c.emergency} for c in channels],
        emergency=pack.emergency,
        first_steps=[loc(s) for s in pack.first_steps],
    )


#: A phone number such as 02-735-8994 or 1588-1234, in the text of a lesson (not in a tag).
_PHONE = re.compile(r"(?<![\w-])(?:\d{2,4}-){1,2}\d{4}(?![\w-])")
_TAG = re.compile(r"(<[^>]*>)")


def keep_phones(html: str) -> str:
    """Each phone number in a span that CSS keeps on one line (browsers break after its hyphens)."""
    if "-" not in html:
        return html
    parts = _TAG.split(html)
    for i in range(0, len(parts), 2):
        parts[i] = _PHONE.sub(lambda m: f'<span class="tel">{m.group(0)}</span>', parts[i])
    return Markup("".join(parts))  # the sanitised HTML it was given, with spans of our own


#: Blocks for the teacher only: never what makes a section "help only".
TEACHER_ONLY = frozenset(kind.name for kind in BLOCK_KINDS if kind.teacher_only)


def _items(nodes, md: Renderer) -> list:
    """Selected nodes → the plain dicts that templates/_partials/items.html walks."""
    result = []
    for node in nodes:
        if isinstance(node, Text):
            result.append({"kind": "text", "html": keep_phones(md("\n".join(node.lines)))})
        else:
            result.append({"kind": node.kind, "title": node.args[0] if node.args else "",
                           "label": BLOCKS[node.kind].label, "line": node.line, "items": _items(node.children, md)})
    return result


@dataclass(frozen=True)
class Rendered:
    """A lesson body rendered for one view: what its properties read."""

    preface: list
    sections: list
    footnotes: list  # the notes cited, numbered in order of first citation
    has_help: bool  # the body places the help panel itself


@dataclass
class LessonView:
    """One lesson as one output shows it to one audience."""

    lesson: Lesson
    audience: str
    output: str
    md: Renderer

    @cached_property
    def _rendered(self) -> Rendered:
        self.md.citations = Citations(self.lesson.footnotes)
        preface, found = sections(select(self.lesson.body, self.audience, self.output))
        items, rendered = _items(preface, self.md), [self._section(s) for s in found]
        notes = [{"number": n, "html": self.md.inline(text)} for n, _, text in self.md.citations.notes()]
        return Rendered(items, rendered, notes, has_help(preface) or any(s["has_help"] for s in rendered))

    def _section(self, section) -> dict:
        self.md.citations.take_seen()
        title, items = self.md.inline(section.title), _items(section.items, self.md)
        cited = [{"number": n, "html": self.md.inline(text)} for n, text in self.md.citations.take_seen()]
        shown = [i for i in items if i["kind"] not in TEACHER_ONLY]
        return {"title": title, "plain_title": section.title, "minutes": section.minutes, "line": section.line,
                "items": items, "has_help": has_help(section.items), "cited": cited,
                "help_only": bool(shown) and all(i["kind"] == "help" for i in shown)}

    @property
    def preface(self):
        return self._rendered.preface

    @property
    def sections(self):
        return self._rendered.sections

    @property
    def footnotes(self):
        return self._rendered.footnotes

    @property
    def has_help(self) -> bool:
        return self._rendered.has_help

    @property
    def body_sections(self):
        """The sections before a closing help-only section (so notes can sit above the help)."""
        return self.sections[:-1] if self.closing_help else self.sections

    @property
    def closing_help(self):
        """The last section when it holds nothing but the help panel: printed last of all."""
        return self.sections[-1] if self.sections and self.sections[-1]["help_only"] else None

    @property
    def minutes(self) -> int:
        return self.lesson.minutes.get(self.audience, 0)

    @property
    def objectives(self):
        return self.lesson.objectives.get(self.audience, ())

    @property
    def planned_minutes(self) -> int:
        return sum(s["minutes"] or 0 for s in self.sections)


def date_text(day: dt.date, lang: str, weekday: bool = False) -> str:
    if lang == "ko":
        return f"{day.year}년 {day.month}월 {day.day}일" + (f"({'월화수목금토일'[day.weekday()]})" if weekday else "")
    return day.strftime("%A %-d %B %Y") if weekday else day.isoformat()


def ages_text(ages: dict, lang: str, words: dict) -> str:
    """An audience's ages in a page's language: course.yaml's text, a word such as "adult"
    put through strings.yaml (`ages_adult`), so an older course.yaml shows no English on a Korean page."""
    value = ages.get(lang) or next(iter(ages.values()), "") if ages else ""
    return words.get(f"ages_{value.strip().lower()}", value) if value.isascii() and value.isalpha() else value
