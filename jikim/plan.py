"""Course × language × audience × output → the artifacts to build, with their input keys."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .model import Course, Lesson

#: Every output path of the contract, by artifact kind.
PATHS = {
    "page": "{lang}/{audience}/{lesson}.html",
    "deck": "{lang}/{audience}/{lesson}.slides.html",
    "slides": "{lang}/{audience}/{lesson}.slides.pdf",
    "handout": "{lang}/{audience}/{lesson}.handout.pdf",
    "guide": "{lang}/{audience}/{lesson}.guide.pdf",
    "handout-docx": "{lang}/{audience}/{lesson}.handout.docx",
    "handout-hwpx": "{lang}/{audience}/{lesson}.handout.hwpx",
    "audience-index": "{lang}/{audience}/index.html",
    "teachers": "{lang}/{audience}/teachers.html",
    "pack": "{lang}/{audience}/handouts.pdf",
    "letter": "{lang}/{audience}/parent-letter.pdf",
    "letter-docx": "{lang}/{audience}/parent-letter.docx",
    "letter-txt": "{lang}/{audience}/parent-letter.txt",
    "letter-hwpx": "{lang}/{audience}/parent-letter.hwpx",
    "lang-index": "{lang}/index.html",
    "help": "{lang}/help.html",
    "root-index": "index.html",
}
#: A lesson's artifacts (parallel.units renders pages after the files whose sizes they show).
LESSON_KINDS = ("slides", "handout", "guide", "handout-docx", "handout-hwpx", "deck", "page")
LETTER_KINDS = ("letter", "letter-docx", "letter-txt", "letter-hwpx")


@dataclass(frozen=True)
class Artifact:
    kind: str
    lang: str = ""
    audience: str = ""
    lesson: str = ""
    key: str = ""
    #: In a pages-only build, the key of a full build: a file made under it serves as well.
    settled: str = ""

    @property
    def path(self) -> str:
        return PATHS[self.kind].format(lang=self.lang, audience=self.audience, lesson=self.lesson)


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


def _digest(*parts) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else str(part).encode())
        h.update(b"\0")
    return h.hexdigest()


def _tree_digest(*folders: Path) -> str:
    h = hashlib.sha256()
    for folder in folders:
        if folder and folder.is_dir():
            for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
                h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def plan(course: Course, lessons: list[Lesson], pack_file: Path, selection: Selection,
         paper: str, template_dirs: list[Path]) -> list[Artifact]:
    """Every artifact the selection asks for, each keyed by the digest of its inputs."""
    code = Path(__file__).resolve().parent
    common = _digest(__version__, _tree_digest(code, *template_dirs), course.path.read_bytes(),
                     pack_file.read_bytes(), paper)
    lesson_keys = {(x.id, x.lang): _digest(x.path.read_bytes(), *(p.read_bytes() for p in x.images))
                   for x in lessons}
    langs = [lang for lang in course.languages if not selection.langs or lang in selection.langs]
    result = []
    for lang in langs:
        mine = ordered(course, lessons, lang)
        all_of_lang = _digest(common, *(lesson_keys[(x.id, x.lang)] for x in mine))
        for audience in course.audiences:
            if selection.audiences and audience.id not in selection.audiences:
                continue
            taught = [x for x in mine if audience.id in x.audiences]
            for lesson in taught:
                if selection.lessons and lesson.id not in selection.lessons:
                    continue
                for kind in LESSON_KINDS:
                    key = _digest(common, kind, audience.id, lesson_keys[(lesson.id, lang)])
                    result.append(Artifact(kind, lang, audience.id, lesson.id, key))
            # What an audience's files depend on: its own lessons only (a staff lesson's edit
            # leaves the pupils' packs alone); a letter needs only their titles and summaries.
            of_audience = _digest(common, audience.id, *(lesson_keys[(x.id, x.lang)] for x in taught))
            in_letter = _digest(common, audience.id, *((x.id, x.title, x.summary, x.reviewed) for x in taught))
            if taught:
                result.append(Artifact("pack", lang, audience.id, key=_digest(of_audience, "pack")))
            if audience.student:
                result.extend(Artifact(kind, lang, audience.id, key=_digest(in_letter, kind))
                              for kind in LETTER_KINDS)
            result.append(Artifact("audience-index", lang, audience.id, key=_digest(of_audience, "index")))
            if audience.student:  # a staff audience's own pages are for teachers already
                result.append(Artifact("teachers", lang, audience.id, key=_digest(of_audience, "teachers")))
        # The ways in link only the parts that exist: a partial build (--lang, --audience) makes
        # them again, and so does the next full build.
        partial = (selection.langs, selection.audiences)
        result.append(Artifact("lang-index", lang, key=_digest(all_of_lang, "lang-index", partial)))
        result.append(Artifact("help", lang, key=_digest(common, "help", lang)))
    result.append(Artifact("root-index", key=_digest(common, "root", *sorted(lesson_keys.values()),
                                                     (selection.langs, selection.audiences))))
    paths = [a.path for a in result]
    if len(set(paths)) != len(paths):  # lessons.RESERVED_IDS keeps lesson pages off generated ones
        raise AssertionError(f"two artifacts share a path: {sorted({p for p in paths if paths.count(p) > 1})}")
    if selection.kinds:  # what a pages-only build makes, the next full one redoes (file sizes)
        return [Artifact(a.kind, a.lang, a.audience, a.lesson, _digest(a.key, "partial"), a.key)
                for a in result if a.kind in selection.kinds]
    return result


#: The artifacts that are web pages (quick to render; serve shows them first).
HTML_KINDS = ("page", "deck", "audience-index", "teachers", "lang-index", "help", "root-index")
