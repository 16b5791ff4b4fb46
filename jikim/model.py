"""Plain, frozen data: what the loaders produce and every later stage reads."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

Localized = dict  # language code → text


@dataclass(frozen=True)
class Audience:
    id: str
    name: Localized
    ages: Localized  # "10–12" for every language, or {ko: 성인, en: adults}
    student: bool
    period: int


@dataclass(frozen=True)
class Contact:
    name: Localized
    role: Localized
    phone: str = ""
    room: Localized = field(default_factory=dict)
    email: str = ""
    hours: Localized = field(default_factory=dict)


@dataclass(frozen=True)
class School:
    name: Localized
    contacts: tuple[Contact, ...] = ()
    designated: Localized = field(default_factory=dict)  # who receives disclosures
    site_url: str = ""


@dataclass(frozen=True)
class Course:
    root: Path
    path: Path
    title: Localized
    languages: tuple[str, ...]
    audiences: tuple[Audience, ...]
    lesson_order: tuple[str, ...]
    jurisdiction: str
    school: School
    paper: str = "a4"
    review_months: int = 12
    templates: Path | None = None  # the school's own templates, looked up first
    letter_date: str = ""

    def audience(self, audience_id: str) -> Audience:
        return next(a for a in self.audiences if a.id == audience_id)

    def review_limit(self, today: dt.date) -> dt.date:
        """A fact checked before this day was checked more than `review_months` months ago."""
        return months_before(today, self.review_months)


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier (the month's last day when it is shorter):
    what "N months ago" means for a lesson's `reviewed` and a data pack's `verified`."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    if year < dt.MINYEAR:
        return dt.date.min
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@dataclass(frozen=True)
class ClassLetter:
    """A parent letter for one class: `build.py letter --audience … --lesson … --date … --class …`."""

    audience: str
    lessons: tuple[str, ...] = ()  # empty: every lesson the audience is taught
    day: dt.date | None = None  # the day of the lesson
    class_name: str = ""
    teacher: str = ""  # the homeroom teacher and how to reach them


@dataclass(frozen=True)
class Source:
    title: str
    url: str
    publisher: str
    date: dt.date


@dataclass(frozen=True)
class Text:
    """A run of Markdown lines; `line` is the file line of the first."""

    lines: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Heading:
    """A `## ` line that starts a section (a slide, a handout part, a plan row).

    Only outside fences and outside every block but those that merely choose content
    (audience, slides, handout): a `## ` inside a box stays a line of its Text.
    """

    title: str  # Markdown, without the closing `{minutes=N}`
    minutes: int | None
    line: int
    source: str  # the line as written, for the checks that read every line


@dataclass(frozen=True)
class Block:
    """A `::: kind args` … `:::` block with its children."""

    kind: str
    args: tuple[str, ...]
    line: int
    children: tuple  # of Text | Heading | Block


@dataclass(frozen=True)
class Footnote:
    id: str
    text: str
    line: int


@dataclass(frozen=True)
class Lesson:
    id: str
    lang: str
    path: Path
    rel: str  # path relative to the course root, for messages
    title: str
    summary: str
    audiences: tuple[str, ...]
    minutes: dict  # audience → int
    objectives: dict  # audience → tuple[str, ...]
    reviewed: dt.date
    sources: tuple[Source, ...]
    content_note: str
    body: tuple  # of Text | Heading | Block
    footnotes: dict  # id → Footnote
    images: tuple[Path, ...] = ()
    draft: bool = False  # checked like any lesson, never built
    declared: tuple[str, ...] = ()  # every audience the file is written for; `audiences` are the course's


@dataclass(frozen=True)
class Law:
    id: str
    name: Localized
    article: Localized
    crime: Localized
    penalty: Localized
    in_force: dt.date | None  # when the current wording took effect, where a source gives it
    source: str
    verified: dt.date


@dataclass(frozen=True)
class Channel:
    id: str
    name: Localized
    does: Localized
    who: Localized
    source: str
    verified: dt.date
    phone: str = ""
    website: str = ""
    hours: Localized = field(default_factory=dict)
    audiences: tuple[str, ...] = ()
    removal: bool = False
    emergency: bool = False
    does_for: dict[str, Localized] = field(default_factory=dict)  # audience → wording for it

    def does_text(self, audience: str | None) -> Localized:
        return self.does_for.get(audience or "", self.does)


@dataclass(frozen=True)
class DataPack:
    code: str
    name: Localized
    emergency: str
    laws: tuple[Law, ...]
    channels: tuple[Channel, ...]
    first_steps: tuple[Localized, ...]
    path: Path = Path()

    def channels_for(self, audience_id: str) -> tuple[Channel, ...]:
        return tuple(c for c in self.channels if not c.audiences or audience_id in c.audiences)
