"""python build.py letter: the parent letter for one class, as PDF, Word, 한글 and text in one folder."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from .artifacts import Producer
from .errors import UsageError
from .model import ClassLetter
from .overrides import template_folders
from .pipeline import Options, check
from .plan import LETTER_KINDS, Artifact, _digest, ordered
from .render import environment


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
    producer = Producer(course, loaded.lessons, loaded.pack, environment(course), list(template_folders(course)),
                        loaded.problems, options.paper or course.paper, class_letter=request)
    stage = folder.with_name(f".{folder.name}.partial")
    shutil.rmtree(stage, ignore_errors=True)
    written = []
    try:
        for lang in langs:
            for kind in LETTER_KINDS:
                artifact = Artifact(kind, lang, audience.id, key=_digest(request, lang, kind))
                producer(artifact, stage)
                made = stage / artifact.path
                name = f"parent-letter.{lang}{made.suffix}"
                made.rename(stage / name)
                written.append(folder / name)
        for path in sorted(stage.glob("*/")):
            shutil.rmtree(path)
        folder.mkdir(parents=True, exist_ok=True)
        for path in written:
            (stage / path.name).replace(path)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return written


def _folder_name(request: ClassLetter) -> str:
    parts = [request.day.isoformat() if request.day else "", request.audience, request.class_name]
    return "-".join(re.sub(r"[\s/\\:]+", "", p) for p in parts if p)
