"""One function per artifact kind: gather its data, render its template, write its file."""

from __future__ import annotations

import datetime as dt
import logging
from functools import cached_property
from pathlib import Path

from . import office
from .errors import Problems
from .deck import DeckView, keep_words
from .lessons import image_refs, walk_text
from .markdown import Renderer
from .model import ClassLetter, Course, DataPack, Lesson
from .kinds import BLOCKS, OUTPUT_KINDS, OUTPUTS
from .plan import PATHS, Artifact, ordered
from .render import LessonView, ages_text, audience_strings, date_text, help_panel, strings
from .select import select
from .write import write_bytes, write_text

log = logging.getLogger(__name__)
STUDENT_HANDOUT_PAGES = 2
#: The kinds a page may offer as downloads (a link with its format and size).
DOWNLOADS = tuple(kind.name for kind in OUTPUT_KINDS if kind.label)
FORMATS = {"html": "HTML", "pdf": "PDF", "docx": "Word", "txt": "Text", "hwpx": "HWPX"}


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, round(n / 1024))} KB"


class Producer:
    """Renders artifacts for one build; holds what is paid once (templates, fonts, layouts)."""

    def __init__(self, course: Course, lessons: list[Lesson], pack: DataPack, env, template_dirs: list[Path],
                 problems: Problems, paper: str, class_letter: ClassLetter | None = None):
        self.course, self.data, self.env, self.template_dirs = course, pack, env, template_dirs
        self.class_letter = class_letter
        self.problems, self.paper = problems, paper
        self.lessons = {(x.id, x.lang): x for x in lessons}
        self.all_lessons = lessons
        self._handouts: dict = {}
        self.planned: frozenset[str] = frozenset()  # the paths this build writes (the pipeline sets them)

    @cached_property
    def printer(self):
        """WeasyPrint, loaded only when a PDF is to be made (a rebuild of pages starts at once)."""
        from .pdf import Printer
        return Printer(self.course.root, self.template_dirs)

    def __call__(self, artifact: Artifact, stage: Path) -> None:
        self.stage = stage
        getattr(self, OUTPUTS[artifact.kind].writer)(artifact, stage / artifact.path)

    # --- shared context -------------------------------------------------------------

    def context(self, lang: str, audience: str = "", depth: int = 0, **extra) -> dict:
        course = self.course
        aud = course.audience(audience) if audience else None
        words = audience_strings(strings(self.env, lang), aud.student if aud else True)
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
            "help": help_panel(course, self.data, lang, audience or None),
            "datapack": self.data,
            "root": "../" * depth,
            "paper": self.paper,
            "printed": False,
            "qr_codes": False,  # on student paper only: the guide's reader is the teacher
            "languages": [(other, strings(self.env, other)["language_name"]) for other in course.languages],
            **extra,
        }

    def render(self, names: list[str], **context) -> str:
        return self.env.select_template(names).render(**context)

    def stylesheet(self, name: str) -> str:
        """The text of a PDF's stylesheet: the printer parses each text once per build."""
        return self.env.get_template(name).render()

    def view(self, artifact: Artifact, output: str, image_mode: str) -> LessonView:
        lesson = self.lessons[(artifact.lesson, artifact.lang)]
        kind = DeckView if output == "deck" else LessonView
        return kind(lesson, artifact.audience, output,
                    Renderer(self.course.root / "lessons", image_mode, "../../", slides=output == "deck"))

    def lesson_context(self, artifact: Artifact) -> dict:
        """A lesson's output: the body as its kind shows it (`shows`), pictures as it embeds them."""
        kind = OUTPUTS[artifact.kind]
        output = kind.shows
        view = self.view(artifact, output, kind.image_mode)
        view.sections  # noqa: B018 — render now so footnotes are known
        lesson = view.lesson
        return self.context(artifact.lang, artifact.audience, depth=2, view=view, lesson=lesson,
                            printed=output in ("handout", "guide"), qr_codes=output == "handout",
                            reviewed=date_text(lesson.reviewed, artifact.lang))

    def files(self, lang: str, audience: str, lesson: str = "") -> dict:
        """Every download beside a page: kind → {href, format, size}, sizes as built in this stage."""
        result, words = {}, strings(self.env, lang)
        for kind in DOWNLOADS:
            path = PATHS[kind].format(lang=lang, audience=audience, lesson=lesson)
            target = self.stage / path
            ext = path.rsplit(".", 1)[-1]
            result[kind] = {"href": Path(path).name, "format": words.get(f"format_{ext}", FORMATS[ext]),
                            "size": _size(target.stat().st_size) if target.is_file() else ""}
        return result

    def _templates(self, artifact: Artifact) -> list[str]:
        """The kind's template; for an audience's output, first its own variant (`lesson.high.html`)."""
        name = OUTPUTS[artifact.kind].template
        stem, dot, suffix = name.rpartition(".")
        return [f"{stem}.{artifact.audience}.html", name] if artifact.audience and suffix == "html" else [name]

    def _stylesheet(self, artifact: Artifact) -> str:
        return self.stylesheet(OUTPUTS[artifact.kind].stylesheet)

    # --- lesson outputs ------------------------------------------------------------

    def page(self, artifact: Artifact, target: Path) -> None:
        ctx = self.lesson_context(artifact)
        files = self.files(artifact.lang, artifact.audience, artifact.lesson)
        write_text(target, self.render(self._templates(artifact), files=files, **ctx))

    def deck(self, artifact: Artifact, target: Path) -> None:
        ctx = self.lesson_context(artifact)
        write_text(target, self.render(self._templates(artifact), mode="screen", **ctx))

    def slides(self, artifact: Artifact, target: Path) -> None:
        ctx = self.lesson_context(artifact)
        html = keep_words(self.render(self._templates(artifact), mode="print", **ctx))
        document = self.printer.document(html, self._stylesheet(artifact))
        view = ctx["view"]
        from .pdf import split_slides
        pages, overflowing = split_slides(document)
        for number in map(int, overflowing):
            slide = view.slides[number - 1]
            title = slide.get("plain_title") or {"title": view.lesson.title, "note": "content note"}.get(slide["kind"], "help")
            self.problems.warn(view.lesson.path, slide["line"], f"slide {number} '{title}' does not fit the 16:9 slide "
                               f"for {artifact.audience} even when split — shorten a paragraph or table cell, or move "
                               f"detail to '::: notes' or '::: handout'")
        self.printer.write(document.copy(pages), target, artifact.key)

    def handout(self, artifact: Artifact, target: Path) -> None:
        document = self.handout_document(artifact.lang, artifact.audience, artifact.lesson)
        lesson = self.lessons[(artifact.lesson, artifact.lang)]
        pages = len(document.pages)
        if self.course.audience(artifact.audience).student and pages > STUDENT_HANDOUT_PAGES:
            self.problems.warn(lesson.path, 1, f"the {artifact.audience} handout has {pages} pages; a student "
                               f"handout has at most {STUDENT_HANDOUT_PAGES} — move detail to '::: notes' or '::: guide'")
        self.printer.write(document, target, artifact.key)

    def forget_layouts(self) -> None:
        """Drop the handout layouts kept for a pack (a worker's memory stays flat)."""
        self._handouts.clear()

    def handout_document(self, lang: str, audience: str, lesson_id: str):
        key = (lang, audience, lesson_id)
        if key not in self._handouts:
            artifact = Artifact("handout", lang, audience, lesson_id)
            ctx = self.lesson_context(artifact)
            document = None
            # Lines to write on: under each question and on the exit slip (3), under each group of
            # questions and on the slip (2), on the slip (1), none (0): the most that keeps a
            # student handout to its pages.
            for writing in (3, 2, 1, 0):
                html = self.render(self._templates(artifact), writing=writing, **ctx)
                document = self.printer.document(html, self._stylesheet(artifact))
                if not self.course.audience(audience).student or len(document.pages) <= STUDENT_HANDOUT_PAGES:
                    break
            self._handouts[key] = document
        return self._handouts[key]

    def guide(self, artifact: Artifact, target: Path) -> None:
        ctx = self.lesson_context(artifact)
        view = ctx["view"]
        planned, period = view.planned_minutes, view.minutes
        if planned and planned > period:
            self.problems.warn(view.lesson.path, 1, f"the {artifact.audience} sections add up to {planned} "
                               f"minutes, more than the lesson's {period} — shorten a section")
        deck = self.view(artifact, "deck", "file")
        document = self.printer.document(self.render(self._templates(artifact),
                                                     slide_numbers=deck.section_slides, **ctx),
                                         self._stylesheet(artifact))
        self.printer.write(document, target, artifact.key)

    # --- per audience -------------------------------------------------------------

    def taught(self, lang: str, audience: str) -> list[Lesson]:
        return [x for x in ordered(self.course, self.all_lessons, lang) if audience in x.audiences]

    def audience_index(self, artifact: Artifact, target: Path) -> None:
        self._audience_page(artifact, target)

    def teachers(self, artifact: Artifact, target: Path) -> None:
        """The teachers' way in: every lesson's guide, deck and handouts, the pack and the letter."""
        self._audience_page(artifact, target)

    def _audience_page(self, artifact: Artifact, target: Path) -> None:
        """An audience's page: its lessons, each with its downloads, and the audience's own files."""
        lessons = [{"lesson": x, "files": self.files(artifact.lang, artifact.audience, x.id),
                    "minutes": x.minutes.get(artifact.audience)} for x in self.taught(artifact.lang, artifact.audience)]
        ctx = self.context(artifact.lang, artifact.audience, depth=2, lessons=lessons,
                           files=self.files(artifact.lang, artifact.audience))
        write_text(target, self.render(self._templates(artifact), **ctx))

    def pack(self, artifact: Artifact, target: Path) -> None:
        """Every handout of the audience, each starting on a new sheet (front side)."""
        pages = []
        blank = None
        for lesson in self.taught(artifact.lang, artifact.audience):
            document = self.handout_document(artifact.lang, artifact.audience, lesson.id)
            if len(pages) % 2:
                blank = blank or self.printer.document(self.render(["blank.html"], paper=self.paper,
                                                                   lang=artifact.lang))
                pages.append(blank.pages[0])
            pages.extend(document.pages)
        first = self.handout_document(artifact.lang, artifact.audience, self.taught(artifact.lang, artifact.audience)[0].id)
        self.printer.write(first.copy(pages), target, artifact.key)

    def letter_lessons(self, artifact: Artifact) -> list[Lesson]:
        """The lessons a letter names: all the audience is taught, or those of one class's letter."""
        taught = self.taught(artifact.lang, artifact.audience)
        chosen = self.class_letter.lessons if self.class_letter else ()
        return [x for x in taught if x.id in chosen] if chosen else taught

    def letter_context(self, artifact: Artifact) -> dict:
        md = Renderer(self.course.root / "lessons", "file")
        lessons = [{"title": x.title, "summary": md.inline(x.summary), "plain_summary": x.summary}
                   for x in self.letter_lessons(artifact)]
        t = strings(self.env, artifact.lang)
        talk = t.get(f"letter_talk_{artifact.audience}") or t["letter_talk_middle"]
        act = t.get(f"letter_act_{artifact.audience}") or t["letter_act_items"]
        one = self.class_letter or ClassLetter(artifact.audience)
        dated = dt.date.fromisoformat(self.course.letter_date) if self.course.letter_date else None
        ctx = self.context(artifact.lang, artifact.audience, depth=2, lessons=lessons, talk=talk, act=act,
                           letter_date=date_text(dated, artifact.lang) if dated else "",
                           lesson_day=date_text(one.day, artifact.lang, weekday=True) if one.day else "",
                           class_name=one.class_name, teacher=one.teacher, printed=True)
        # One short line on what each service is for: the letter's own words, else the pack's.
        lines = t.get("letter_services") or {}
        ctx["services"] = [{**ch, "line": lines.get(ch["id"]) or ch["does"]} for ch in ctx["help"].channels]
        return ctx

    def letter(self, artifact: Artifact, target: Path) -> None:
        _ctx, html = self.letter_html(artifact)
        document = self.printer.document(html, self._stylesheet(artifact))
        self.printer.write(document, target, artifact.key)

    def handout_docx(self, artifact: Artifact, target: Path) -> None:
        """The handout as the PDF shows it (no writing lines), in Word styles: boxes as tables."""
        ctx = self.lesson_context(artifact)
        lesson, html = ctx["lesson"], self.render(self._templates(artifact), writing=0, editable=True, **ctx)
        document = office.handout_document(html, self.paper, lesson.title, lesson.summary, artifact.lang,
                                           lesson.reviewed, self.course.root / "lessons")
        office.save(document, target, lesson.reviewed)

    def letter_html(self, artifact: Artifact) -> tuple[dict, str]:
        ctx = self.letter_context(artifact)
        return ctx, self.render(self._templates(artifact), **ctx)

    def letter_day(self, artifact: Artifact):
        """The date inside the Word and 한글 files: from the sources, never the clock."""
        if self.class_letter and self.class_letter.day:
            return self.class_letter.day
        return max((x.reviewed for x in self.letter_lessons(artifact)), default=None) or self.course_day()

    def letter_docx(self, artifact: Artifact, target: Path) -> None:
        """The letter as the PDF shows it (the same template), in Word styles to adapt."""
        ctx, html = self.letter_html(artifact)
        day = self.letter_day(artifact)
        document = office.new_document(self.paper, ctx["t"]["letter_title"], ctx["audience_name"], artifact.lang, day)
        office.compact(document)
        office.HtmlToDocx(document, self.course.root / "lessons", shift=-1).add(html)
        office.save(document, target, day)

    def handout_hwpx(self, artifact: Artifact, target: Path) -> None:
        """The handout as the PDF shows it (no writing lines), as a 한글 document: boxes as tables."""
        from .hangul import HtmlToHwpx
        ctx = self.lesson_context(artifact)
        writer = HtmlToHwpx(self.paper)
        writer.add(self.render(self._templates(artifact), writing=0, **ctx))
        writer.save(target, ctx["lesson"].reviewed)

    def letter_hwpx(self, artifact: Artifact, target: Path) -> None:
        """The letter as the PDF shows it, as a 한글 document (HWPX) for the school's letterhead."""
        from .hangul import HtmlToHwpx
        _ctx, html = self.letter_html(artifact)
        writer = HtmlToHwpx(self.paper)
        writer.add(html)
        writer.save(target, self.letter_day(artifact))

    def letter_txt(self, artifact: Artifact, target: Path) -> None:
        ctx = self.letter_context(artifact)
        help_url = f"{self.course.school.site_url.rstrip('/')}/{artifact.lang}/help.html" if self.course.school.site_url else ""
        write_text(target, self.render(self._templates(artifact), help_url=help_url, **ctx).strip() + "\n")

    def poster(self, artifact: Artifact, target: Path) -> None:
        """The key messages (strings.yaml `poster_messages`, or its `_<audience>` variant) and the help panel."""
        ctx = self.context(artifact.lang, artifact.audience, depth=2, printed=True, qr_codes=True)
        t = ctx["t"]
        messages = t.get(f"poster_messages_{artifact.audience}") or t["poster_messages"]
        document = self.printer.document(self.render(self._templates(artifact), messages=messages, **ctx),
                                         self._stylesheet(artifact))
        if len(document.pages) > 1:
            self.problems.warn(self.course.path, 1, f"the {artifact.audience} poster ({artifact.lang}) runs onto "
                               f"{len(document.pages)} pages — shorten its messages or the services' lines")
        self.printer.write(document, target, artifact.key)

    def course_day(self):
        return max(x.reviewed for x in self.all_lessons)

    # --- per language and the top -------------------------------------------------

    def lang_index(self, artifact: Artifact, target: Path) -> None:
        ctx = self.context(artifact.lang, depth=1, front=[self.front(artifact.lang)])
        write_text(target, self.render(self._templates(artifact), **ctx))

    def exists(self, path: str) -> bool:
        """A page this build writes, or one an earlier build left in output/ (a partial build)."""
        return path in self.planned or (self.stage / path).is_file()

    def front(self, lang: str) -> dict:
        """One language's way in: its words, title and audiences (with their lesson counts)."""
        words = strings(self.env, lang)
        audiences = [{"audience": a, "name": a.name.get(lang, a.id), "ages": ages_text(a.ages, lang, words),
                      "count": len(self.taught(lang, a.id))} for a in self.course.audiences
                     if self.exists(PATHS["audience-index"].format(lang=lang, audience=a.id))]
        return {"lang": lang, "t": words, "title": self.course.title.get(lang, ""), "audiences": audiences,
                "school_name": self.course.school.name.get(lang, "")}

    def help(self, artifact: Artifact, target: Path) -> None:
        ctx = self.context(artifact.lang, depth=1, laws=self.data.laws)
        write_text(target, self.render(self._templates(artifact), **ctx))

    def root_index(self, artifact: Artifact, target: Path) -> None:
        built = [x for x in self.course.languages if self.exists(PATHS["lang-index"].format(lang=x))]
        lang = (built or self.course.languages)[0]
        ctx = self.context(lang, depth=0, front=[self.front(other) for other in built])
        write_text(target, self.render(self._templates(artifact), **ctx))

    def published_images(self) -> dict[str, Path]:
        """Asset path → picture, for the pictures some lesson page of the course shows.

        Only pages link to assets/ (a deck inlines its pictures, a PDF or .docx embeds them),
        and only checked pictures from lessons/images/ are published: a file that a lesson
        names in a block for no page (or no audience) never reaches the school's site.
        """
        lessons_dir = (self.course.root / "lessons").resolve()
        found = {}
        for lesson in self.all_lessons:
            checked = set(lesson.images)
            for audience in lesson.audiences:
                for node in walk_text(select(lesson.body, audience, "page")):
                    for image in image_refs(node.lines, lessons_dir):
                        if image in checked:
                            found[f"assets/{image.relative_to(lessons_dir).as_posix()}"] = image
        return dict(sorted(found.items()))

    def assets(self, stage: Path, planned: set[str] = frozenset()) -> None:
        """Shared files: the site stylesheet and the pictures that pages show; nothing else."""
        site_css = "assets/site.css"
        images = self.published_images()
        for path in images:
            if not path.startswith("assets/images/") or path in planned or path == site_css:
                raise AssertionError(f"a picture would overwrite {path}")  # images/ holds only pictures
        keep = {site_css, *images}
        for old in sorted((stage / "assets").rglob("*"), reverse=True) if (stage / "assets").is_dir() else ():
            rel = old.relative_to(stage).as_posix()
            if old.is_file() and rel not in keep or old.is_symlink():
                old.unlink()  # a file an earlier build published and no page now shows
            elif old.is_dir() and not any(old.iterdir()):
                old.rmdir()
        for path in keep:
            (stage / path).unlink(missing_ok=True)  # a hard link to output/: never written through
        write_text(stage / site_css, self.env.get_template("css/site.css").render())
        for path, image in images.items():
            write_bytes(stage / path, image.read_bytes())


for _kind in OUTPUT_KINDS:  # a row of kinds.py names a writer that exists
    if not callable(getattr(Producer, _kind.writer, None)):
        raise ImportError(f"output kind {_kind.name!r}: Producer has no writer {_kind.writer!r}")
