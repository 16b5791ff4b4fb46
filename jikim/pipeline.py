"""build(): load and validate everything, plan, render, write, swap — top to bottom."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import lessons as lesson_files
from .config import load_course
from .datapack import load_pack, pack_path, stale_entries
from .errors import ContentError, Problem, Problems, UsageError
from .model import Course, DataPack, Lesson
from .kinds import OUTPUTS
from .make import write_assets
from .make.context import Sources, offered, size_text
from .parallel import Workers
from .plan import Artifact, Selection, digest, plan
from .overrides import check_overrides, template_folders
from .render import environment, template_errors
from .scaffold import leftovers, placeholder_lines
from .write import cache_dir, staging, swap_in

log = logging.getLogger(__name__)


@dataclass
class Options:
    root: Path = Path(".")
    out: Path | None = None
    selection: Selection = field(default_factory=Selection)
    paper: str | None = None
    strict: bool = False
    jobs: int = 1
    today: dt.date | None = None
    progress: object = None  # called with (done, total) as artifacts are rendered; may raise to stop


@dataclass
class Loaded:
    course: Course
    lessons: list[Lesson]
    pack: DataPack
    problems: Problems


@dataclass
class Summary:
    built: int = 0
    reused: int = 0
    warnings: list = field(default_factory=list)
    seconds: float = 0.0
    out: Path | None = None


def load(options: Options) -> Loaded:
    """Every source, validated; raises ContentError listing every mistake."""
    root = options.root.resolve()
    problems = Problems(root)
    course = load_course(root / "course.yaml", problems)
    if course is None:
        problems.check()
    _check_selection(course, options.selection)
    found = [lesson_files.load_lesson(p, course, problems) for p in lesson_files.lesson_files(course, problems)]
    lessons = [x for x in found if x is not None]
    pack = load_pack(course, problems, {a for x in lessons for a in x.declared})
    check_overrides(course, problems)
    problems.check()
    _check_lessons_chosen(lessons, options.selection)
    _warn_incomplete(course, lessons, problems)
    _warn_stale(course, lessons, pack, problems, options.today or dt.date.today())
    _warn_placeholders(course, lessons, problems)
    return Loaded(course, [x for x in lessons if not x.draft], pack, problems)


def _check_selection(course: Course, selection: Selection) -> None:
    for name, chosen, known in (("--lang", selection.langs, course.languages),
                                ("--audience", selection.audiences, [a.id for a in course.audiences])):
        for value in chosen:
            if value not in known:
                raise UsageError(f"{name} {value}: not in course.yaml — choose from {', '.join(known)}")


def _check_lessons_chosen(lessons: list[Lesson], selection: Selection) -> None:
    known = sorted({x.id for x in lessons})
    for value in selection.lessons:
        if value not in known:
            raise UsageError(f"--lesson {value}: no such lesson in lessons/ — choose from {', '.join(known)}")


def _warn_incomplete(course: Course, lessons: list[Lesson], problems: Problems) -> None:
    have = {(x.id, x.lang) for x in lessons}
    for lesson_id in sorted({x.id for x in lessons}):
        for lang in course.languages:
            if (lesson_id, lang) not in have:
                problems.warn(course.root / "lessons" / f"{lesson_id}.{lang}.md", 0,
                              f"lesson '{lesson_id}' has no {lang} translation — add lessons/{lesson_id}.{lang}.md")
    for lesson_id in course.lesson_order:
        if not any(x.id == lesson_id for x in lessons):
            problems.warn(course.path, 0, f"course.yaml lists lesson '{lesson_id}' but lessons/ has no file for it")


def _warn_stale(course, lessons, pack, problems, today) -> None:
    limit, months = course.review_limit(today), course.review_months
    for lesson in lessons:
        if lesson.reviewed < limit:
            problems.warn(lesson.path, 1, f"reviewed {lesson.reviewed} is more than {months} months ago — "
                          "check the facts against the sources and update 'reviewed'")
    for entry_id, verified in stale_entries(pack, limit):
        problems.warn(pack.path, 0, f"'{entry_id}' was verified on {verified}, more than {months} months ago — re-check it")


def _warn_placeholders(course: Course, lessons: list[Lesson], problems: Problems) -> None:
    """A finished lesson (not `draft: true`) holds none of the scaffold's placeholder text."""
    env = environment(course)
    placeholders = {lang: placeholder_lines(env, lang) for lang in course.languages}  # read once, not per lesson
    for lesson in lessons:
        if lesson.draft:
            continue
        for line, text in leftovers(lesson, placeholders[lesson.lang])[:3]:
            problems.warn(lesson.path, line, f"'{text[:60]}' is the new-lesson placeholder — write the lesson's "
                          "own text, or mark it 'draft: true' so it is not built")


def check(options: Options) -> Loaded:
    loaded = load(options)
    if options.strict and loaded.problems.warnings:
        raise ContentError(list(loaded.problems.warnings))
    return loaded


def build(options: Options) -> Summary:
    """Load → plan → render the files, then the pages that list them, into a stage → swap it in."""
    started = time.monotonic()
    loaded = check(options)
    course, problems = loaded.course, loaded.problems
    out = (options.out or course.root / "output").resolve()
    paper = options.paper or course.paper
    template_dirs = tuple(template_folders(course))
    artifacts = plan(course, loaded.lessons, pack_path(course), options.selection, paper, list(template_dirs))
    state_file = cache_dir(out) / f"{out.name}.state.json"
    previous, previous_warnings = _read_state(state_file) if out.is_dir() else ({}, {})
    stage = staging(out)
    summary = Summary(out=out)
    try:
        linked = _link_tree(out, stage)
        planned = {a.path for a in artifacts}
        # The ways in link the pages this build makes and those an earlier (partial) one left.
        existing = {p for p in linked if p.endswith(".html")}
        src = Sources(course, tuple(loaded.lessons), loaded.pack, environment(course), template_dirs, paper,
                      pages=frozenset(planned | existing))
        artifacts, redone, raised = _make(src, stage, artifacts, previous, options)
        # A reused file's warnings are those it raised when made (the state keeps them): reported
        # again, so --strict sees them.
        warned = {a.path: [Problem(*w) for w in previous_warnings.get(a.path, [])] for a in artifacts
                  if a.path not in redone} | raised
        for path in sorted(warned):
            for problem in warned[path]:
                problems.add_warning(problem)
        summary.built, summary.reused = len(redone), len(artifacts) - len(redone)
        with template_errors(course.root):  # the stylesheet is a template a school may extend
            write_assets(src, stage, planned)
        if options.selection.everything:
            _remove_stale(stage, planned)
        if options.strict and problems.warnings:
            raise ContentError(list(problems.warnings))
        keep = previous if not options.selection.everything else {}
        state = {**keep, **{a.path: a.key for a in artifacts}}
        kept_warnings = {p: w for p, w in previous_warnings.items() if p in keep}
        swap_in(stage, out)
        _write_state(state_file, {"keys": state, "warnings": {**kept_warnings, **{
            path: [[w.path, w.line, w.message] for w in found] for path, found in warned.items()}}})
    finally:
        if stage.exists():
            shutil.rmtree(stage, ignore_errors=True)
    summary.warnings = list(problems.warnings)
    summary.seconds = time.monotonic() - started
    return summary


def _make(src: Sources, stage: Path, artifacts: list[Artifact], previous: dict,
          options: Options) -> tuple[list[Artifact], set[str], dict]:
    """Make, in the stage, what is not there as the last build left it: the files, then the pages
    that list them with their sizes (known then, and part of a page's key). Returns the
    artifacts with their final keys, the paths made, and path → the warnings each raised."""
    def stale(batch: list[Artifact]) -> list[Artifact]:
        todo = [a for a in batch if previous.get(a.path) != a.key or not (stage / a.path).is_file()]
        for artifact in todo:
            (stage / artifact.path).unlink(missing_ok=True)  # never write through a link to output/
        return todo

    files = [a for a in artifacts if not OUTPUTS[a.kind].lists_downloads]
    pages = [a for a in artifacts if OUTPUTS[a.kind].lists_downloads]
    todo, raised = stale(files), {}
    with Workers(src, stage, options.jobs, len(todo) + len(pages), options.progress or (lambda d, t: None)) as work:
        raised.update(work.run(todo))
        sizes = {page.path: _sizes(stage, offered(src, page)) for page in pages}
        pages = [replace(a, key=digest(a.key, *sorted(sizes[a.path].items()))) for a in pages]
        redo = stale(pages)
        work.total = len(todo) + len(redo)
        raised.update(work.run(redo, sizes))
    return files + pages, {a.path for a in todo + redo}, raised


def _sizes(stage: Path, paths: list[str]) -> dict[str, str]:
    """Path → its size as a page shows it ("12 KB"), for the files the stage holds."""
    return {p: size_text((stage / p).stat().st_size) for p in paths if (stage / p).is_file()}


def _link_tree(src: Path, dst: Path) -> set[str]:
    """Start the stage as the previous output, by hard links: unchanged files cost nothing.
    Returns the files it holds now (paths relative to the stage)."""
    linked = set()
    if not src.is_dir():
        return linked
    for path in sorted(src.rglob("*")):
        target = dst / path.relative_to(src)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif path.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(path, target)
            except OSError:
                shutil.copy2(path, target)
            linked.add(path.relative_to(src).as_posix())
    return linked


def _remove_stale(stage: Path, keep: set[str]) -> None:
    for path in sorted(stage.rglob("*"), reverse=True):
        rel = path.relative_to(stage).as_posix()
        if path.is_file() and rel not in keep and not rel.startswith("assets/"):
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def _read_state(path: Path) -> tuple[dict, dict]:
    """(artifact path → input key, artifact path → its warnings) of the last build."""
    try:
        data = json.loads(path.read_text())
        return data["keys"], data["warnings"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}, {}


def _write_state(path: Path, state: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, sort_keys=True, indent=0))
    os.replace(tmp, path)
