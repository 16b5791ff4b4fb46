"""What every output is made from (Sources), and the data each template gets: pure functions.

Nothing here writes a file or keeps state between calls: a function takes the sources and
one artifact (and, for a page, the sizes of the files it offers) and returns a context.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from ..errors import Problem, Problems
from ..kinds import OUTPUT_KINDS, OUTPUTS, path
from ..markdown import Renderer
from ..model import ClassLetter, Course, DataPack, Lesson
from ..plan import Artifact, ordered
from ..render import LessonView, ages_text, audience_strings, date_text, help_panel, strings

FORMATS = {"html": "HTML", "pdf": "PDF", "docx": "Word", "txt": "Text", "hwpx": "HWPX"}


@dataclass(frozen=True)
class Sources:
    """Everything a build renders from, read-only for the whole build (and its workers)."""

    course: Course
    lessons: tuple[Lesson, ...]
    pack: DataPack
    env: jinja2.Environment
    template_dirs: tuple[Path, ...]
    paper: str
    #: The pages the site has after this build: what it writes and what output/ already holds
    #: (a partial build's front door links only those).
    pages: frozenset[str] = frozenset()
    class_letter: ClassLetter | None = None
    #: What one build works out once and reuses (lesson views, decoded pictures, parsed
    #: stylesheets): it lives as long as the build's Sources, so `serve`'s next build starts
    #: afresh and sees a picture changed on disk under the same name.
    memo: dict = field(default_factory=dict, compare=False, repr=False)

    def warning(self, where: Path | str, line: int, message: str) -> Problem:
        return Problems(self.course.root).problem(where, line, message)

    def lesson(self, lesson_id: str, lang: str) -> Lesson:
        return next(x for x in self.lessons if x.id == lesson_id and x.lang == lang)

    def taught(self, lang: str, audience: str) -> list[Lesson]:
        return [x for x in ordered(self.course, list(self.lessons), lang) if audience in x.audiences]


@dataclass(frozen=True)
class Rendered:
    """One artifact's bytes and the warnings its rendering raised (the file is written by the caller)."""

    data: bytes
    warnings: tuple[Problem, ...] = ()


def render(src: Sources, names: list[str], **context) -> str:
    return src.env.select_template(names).render(**context)


def templates(artifact: Artifact) -> list[str]:
    """The kind's template; for an audience's output, first its own variant (`lesson.high.html`)."""
    name = OUTPUTS[artifact.kind].template
    stem, _, suffix = name.rpartition(".")
    return [f"{stem}.{artifact.audience}.html", name] if artifact.audience and suffix == "html" else [name]


def site(src: Sources, lang: str, audience: str = "", depth: int = 0, **extra) -> dict:
    """What every template gets: the words, the course, the audience, the help panel."""
    course = src.course
    aud = course.audience(audience) if audience else None
    words = audience_strings(strings(src.env, lang), aud.student if aud else True)
    return {
        "t": words,
        "lang": lang,
        "course": course,
        "course_title": course.title.get(lang, ""),
        "school_name": course.school.name.get(lang, ""),
        "designated": course.school.designated.get(lang, ""),
        "audience": aud,
        "audience_name": aud.name.get(lang, aud.id) if aud else "",
        "audience_ages": ages_text(aud.ages, lang, words) if aud else "",
        "help": help_panel(course, src.pack, lang, audience or None),
        "datapack": src.pack,
        "root": "../" * depth,
        "paper": src.paper,
        "printed": False,
        "qr_codes": False,  # on student paper only: the guide's reader is the teacher
        "languages": [(other, strings(src.env, other)["language_name"]) for other in course.languages],
        **extra,
    }


def view(src: Sources, artifact: Artifact, output: str, image_mode: str) -> LessonView:
    """A lesson as one output shows it, made once a build (in each process): the PDF, Word and
    한글 handouts share theirs, the slides and the guide's slide numbers theirs (a one-process
    build of the default course spent 1.8 s making views, 1.25 s once each is made once)."""
    from ..deck import DeckView  # the deck's layout, for the deck and the guide's slide numbers
    views = src.memo.setdefault("views", {})
    key = (artifact.lesson, artifact.lang, artifact.audience, output, image_mode)
    if key not in views:
        kind = DeckView if output == "deck" else LessonView
        views[key] = kind(src.lesson(artifact.lesson, artifact.lang), artifact.audience, output,
                          Renderer(src.course.root / "lessons", image_mode, "../../", slides=output == "deck"))
    return views[key]


def lesson(src: Sources, artifact: Artifact) -> dict:
    """A lesson's output: the body as its kind shows it (`shows`), pictures as it embeds them."""
    kind = OUTPUTS[artifact.kind]
    shown = view(src, artifact, kind.shows, kind.image_mode)
    shown.sections  # noqa: B018 — render now so footnotes are known
    return site(src, artifact.lang, artifact.audience, depth=2, view=shown, lesson=shown.lesson,
                printed=kind.shows in ("handout", "guide"), qr_codes=kind.shows == "handout",
                reviewed=date_text(shown.lesson.reviewed, artifact.lang))


def downloads(src: Sources, sizes: dict, lang: str, audience: str, lesson_id: str = "",
              place: str = "own") -> list[dict]:
    """The files a page offers, in the table's order: {path, href, label, format, size}.

    A lesson's files when `lesson_id` is given, else the audience's own (pack, letters,
    poster); those offered at `place` (kinds.PLACES): "own" is the audience's own pages.
    """
    student = src.course.audience(audience).student
    words = audience_strings(strings(src.env, lang), student)
    place = ("student" if student else "staff") if place == "own" else place
    scopes = ("lesson",) if lesson_id else ("audience", "student-audience")
    taught = bool(lesson_id) or bool(src.taught(lang, audience))
    result = []
    for kind in OUTPUT_KINDS:
        if kind.scope in scopes and place in kind.offered and kind.made_for(student, taught):
            where = path(kind.name, lang, audience, lesson_id)
            result.append({"path": where, "href": Path(where).name, "label": words[kind.label],
                           "format": words.get(f"format_{kind.extension}", FORMATS[kind.extension]),
                           "size": sizes.get(where, "")})
    return result


def offered(src: Sources, artifact: Artifact) -> list[str]:
    """The paths of the files a page lists (kinds.OutputKind.lists_downloads), whose sizes it shows."""
    place = OUTPUTS[artifact.kind].lists_downloads
    if not place:
        return []
    lessons = [artifact.lesson] if artifact.lesson else ["", *(x.id for x in src.taught(artifact.lang, artifact.audience))]
    return [d["path"] for x in lessons for d in downloads(src, {}, artifact.lang, artifact.audience, x, place)]


def size_text(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, round(n / 1024))} KB"


def audience_page(src: Sources, artifact: Artifact, sizes: dict) -> dict:
    """An audience's page: its lessons, each with its page and downloads, and the audience's own files."""
    lang, audience, place = artifact.lang, artifact.audience, OUTPUTS[artifact.kind].lists_downloads
    lessons = [{"lesson": x, "href": Path(path("page", lang, audience, x.id)).name,
                "files": downloads(src, sizes, lang, audience, x.id, place),
                "minutes": x.minutes.get(audience)} for x in src.taught(lang, audience)]
    return site(src, lang, audience, depth=2, lessons=lessons, files=downloads(src, sizes, lang, audience, "", place))


def front(src: Sources, lang: str) -> dict:
    """One language's way in: its words, title and audiences (with their lesson counts)."""
    words = strings(src.env, lang)
    audiences = [{"audience": a, "name": a.name.get(lang, a.id), "ages": ages_text(a.ages, lang, words),
                  "count": len(src.taught(lang, a.id))} for a in src.course.audiences
                 if path("audience-index", lang, a.id) in src.pages]
    return {"lang": lang, "t": words, "title": src.course.title.get(lang, ""), "audiences": audiences,
            "school_name": src.course.school.name.get(lang, "")}


# --- letters ----------------------------------------------------------------------

def letter_lessons(src: Sources, artifact: Artifact) -> list[Lesson]:
    """The lessons a letter names: all the audience is taught, or those of one class's letter."""
    taught = src.taught(artifact.lang, artifact.audience)
    chosen = src.class_letter.lessons if src.class_letter else ()
    return [x for x in taught if x.id in chosen] if chosen else taught


def letter(src: Sources, artifact: Artifact) -> dict:
    md = Renderer(src.course.root / "lessons", "file")
    lessons = [{"title": x.title, "summary": md.inline(x.summary), "plain_summary": x.summary}
               for x in letter_lessons(src, artifact)]
    t = strings(src.env, artifact.lang)
    talk = t.get(f"letter_talk_{artifact.audience}") or t["letter_talk_middle"]
    act = t.get(f"letter_act_{artifact.audience}") or t["letter_act_items"]
    one = src.class_letter or ClassLetter(artifact.audience)
    dated = dt.date.fromisoformat(src.course.letter_date) if src.course.letter_date else None
    ctx = site(src, artifact.lang, artifact.audience, depth=2, lessons=lessons, talk=talk, act=act,
               letter_date=date_text(dated, artifact.lang) if dated else "",
               lesson_day=date_text(one.day, artifact.lang, weekday=True) if one.day else "",
               class_name=one.class_name, teacher=one.teacher, printed=True)
    # One short line on what each service is for: the letter's own words, else the pack's.
    lines = t.get("letter_services") or {}
    ctx["services"] = [{**ch, "line": lines.get(ch["id"]) or ch["does"]} for ch in ctx["help"].channels]
    return ctx


def letter_day(src: Sources, artifact: Artifact) -> dt.date:
    """The date inside the Word and 한글 files: from the sources, never the clock."""
    if src.class_letter and src.class_letter.day:
        return src.class_letter.day
    return max((x.reviewed for x in letter_lessons(src, artifact)), default=None) or course_day(src)


def course_day(src: Sources) -> dt.date:
    return max(x.reviewed for x in src.lessons)
