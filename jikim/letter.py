"""python build.py letter: the parent letter for one class, as PDF, Word, 한글 and text in one folder."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from .errors import UsageError
from .make import make
from .make.context import Sources
from .model import ClassLetter
from .overrides import template_folders
from .pipeline import Options, check
from .plan import LETTER_KINDS, Artifact, digest, ordered
from .render import environment, template_errors
from .write import write_bytes


def class_letter(options: Options, request: ClassLetter) -> list[Path]:
    """Write the letter for `request` in every chosen language; returns the files written."""
    loaded = check(options)
    course = loaded.course
    audience = course.audience(request.audience)
    if not audience.student:
        raise UsageError(f"--audience {audience.id}: parent letters are for student audiences — choose from "
                         f"{', '.join(a.id for a in course.audiences if a.student)}")
    langs = options.selection.langs or course.languages
    taught = {x.id for lang in langs for x in ordered(course, loaded.lessons, lang) if audience.id in x.audiences}
    for lesson in request.lessons:
        if lesson not in taught:
            raise UsageError(f"--lesson {lesson}: not taught to {audience.id} — choose from {', '.join(sorted(taught))}")
    folder = (options.out or course.root / "letters" / _folder_name(request)).resolve()
    src = Sources(course, tuple(loaded.lessons), loaded.pack, environment(course), tuple(template_folders(course)),
                  options.paper or course.paper, class_letter=request)
    stage = folder.with_name(f".{folder.name}.partial")
    shutil.rmtree(stage, ignore_errors=True)
    written = []
    try:
        with template_errors(course.root):
            for lang in langs:
                for kind in LETTER_KINDS:
                    artifact = Artifact(kind, lang, audience.id, key=digest(request, lang, kind))
                    name = f"parent-letter.{lang}{Path(artifact.path).suffix}"
                    write_bytes(stage / name, make(src, artifact).data)
                    written.append(folder / name)
        folder.mkdir(parents=True, exist_ok=True)
        for path in written:
            (stage / path.name).replace(path)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return written


def _folder_name(request: ClassLetter) -> str:
    parts = [request.day.isoformat() if request.day else "", request.audience, request.class_name]
    return "-".join(re.sub(r"[\s/\\:]+", "", p) for p in parts if p)
