"""Course × language × audience × output → the artifacts to build, with their input keys."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .kinds import OUTPUT_KINDS, outputs_of, path
from .model import Course, Lesson

#: The parent letter in every format (`build.py letter` writes these for one class).
LETTER_KINDS = tuple(kind.name for kind in outputs_of("student-audience") if kind.inputs == "letter")
#: The artifacts that are web pages (quick to render; serve shows them first).
HTML_KINDS = tuple(kind.name for kind in OUTPUT_KINDS if kind.web)


@dataclass(frozen=True)
class Artifact:
    kind: str
    lang: str = ""
    audience: str = ""
    lesson: str = ""
    key: str = ""

    @property
    def path(self) -> str:
        return path(self.kind, self.lang, self.audience, self.lesson)


@dataclass(frozen=True)
class Selection:
    """The part of the course a command line asked for (empty = all)."""

    langs: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()
    lessons: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()  # artifact kinds (serve builds the pages before the PDFs)

    @property
    def everything(self) -> bool:
        return not (self.langs or self.audiences or self.lessons or self.kinds)


def ordered(course: Course, lessons: list[Lesson], lang: str) -> list[Lesson]:
    """One language's lessons: course.yaml's order first, then the rest by id."""
    mine = {lesson.id: lesson for lesson in lessons if lesson.lang == lang}
    named = [mine[i] for i in course.lesson_order if i in mine]
    return named + [mine[i] for i in sorted(mine) if i not in course.lesson_order]


def digest(*parts) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else str(part).encode())
        h.update(b"\0")
    return h.hexdigest()


def _tree_digest(*folders: Path) -> str:
    h = hashlib.sha256()
    for folder in folders:
        if folder and folder.is_dir():
            for file in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
                h.update(file.relative_to(folder).as_posix().encode() + b"\0" + file.read_bytes())
    return h.hexdigest()


def plan(course: Course, lessons: list[Lesson], pack_file: Path, selection: Selection,
         paper: str, template_dirs: list[Path]) -> list[Artifact]:
    """Every artifact the selection asks for, each keyed by the digest of its inputs."""
    code = Path(__file__).resolve().parent
    common = digest(__version__, _tree_digest(code, *template_dirs), course.path.read_bytes(),
                     pack_file.read_bytes(), paper)
    lesson_keys = {(x.id, x.lang): digest(x.path.read_bytes(), *(p.read_bytes() for p in x.images))
                   for x in lessons}
    langs = [lang for lang in course.languages if not selection.langs or lang in selection.langs]
    result = []
    # What each kind's key is made of (kinds.OutputKind.inputs), per scope.
    of_site = {"common": common,
               "site": digest(common, *sorted(lesson_keys.values()), (selection.langs, selection.audiences))}
    for lang in langs:
        mine = ordered(course, lessons, lang)
        # The ways in link only the parts that exist: a partial build (--lang, --audience) makes
        # them again, and so does the next full build.
        partial = (selection.langs, selection.audiences)
        of_lang = {"common": digest(common, lang),
                   "language": digest(common, *(lesson_keys[(x.id, x.lang)] for x in mine), partial)}
        for audience in course.audiences:
            if selection.audiences and audience.id not in selection.audiences:
                continue
            taught = [x for x in mine if audience.id in x.audiences]
            for lesson in taught:
                if selection.lessons and lesson.id not in selection.lessons:
                    continue
                of_lesson = digest(common, audience.id, lesson_keys[(lesson.id, lang)])
                result.extend(Artifact(kind.name, lang, audience.id, lesson.id, digest(of_lesson, kind.name))
                              for kind in outputs_of("lesson"))
            # What an audience's files depend on: its own lessons only (a staff lesson's edit
            # leaves the pupils' packs alone); a letter needs only their titles and summaries.
            of_audience = {
                "audience": digest(common, audience.id, *(lesson_keys[(x.id, x.lang)] for x in taught)),
                "letter": digest(common, audience.id, *((x.id, x.title, x.summary, x.reviewed) for x in taught)),
                "common": digest(common, audience.id)}
            for kind in OUTPUT_KINDS:
                if kind.scope in ("audience", "student-audience") and kind.made_for(audience.student, bool(taught)):
                    key = digest(of_audience[kind.inputs], kind.name)
                    result.append(Artifact(kind.name, lang, audience.id, key=key))
        result.extend(Artifact(kind.name, lang, key=digest(of_lang[kind.inputs], kind.name))
                      for kind in outputs_of("language"))
    result.extend(Artifact(kind.name, key=digest(of_site[kind.inputs], kind.name))
                  for kind in outputs_of("root"))
    paths = [a.path for a in result]
    if len(set(paths)) != len(paths):  # lessons.RESERVED_IDS keeps lesson pages off generated ones
        raise AssertionError(f"two artifacts share a path: {sorted({p for p in paths if paths.count(p) > 1})}")
    return [a for a in result if a.kind in selection.kinds] if selection.kinds else result

