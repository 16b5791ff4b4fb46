"""python build.py new ID: a starting lesson in every course language."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .config import load_course
from .errors import Problems, UsageError
from .lessons import FILENAME
from .render import environment


def new_lesson(root: Path, lesson_id: str) -> list[Path]:
    if not FILENAME.match(f"{lesson_id}.ko.md"):
        raise UsageError(f"'{lesson_id}' is not a lesson id: use lowercase a-z, 0-9 and -, such as online-safety")
    problems = Problems(root)
    course = load_course(root / "course.yaml", problems)
    problems.check()
    targets = [root / "lessons" / f"{lesson_id}.{lang}.md" for lang in course.languages]
    existing = [t for t in targets if t.exists()]
    if existing:
        raise UsageError(f"{existing[0].relative_to(root)} already exists — choose another id")
    env = environment(course)
    audiences = [a for a in course.audiences]
    for lang, target in zip(course.languages, targets):
        names = [f"scaffold.{lang}.md", "scaffold.en.md"]
        text = env.select_template(names).render(lesson_id=lesson_id, audiences=audiences,
                                                 today=dt.date.today().isoformat())
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return targets


def placeholder_lines(env, lang: str) -> set[str]:
    """The scaffold's own words: text that a finished lesson no longer holds.

    Lines with template code, headings, block fences, numbered questions and the content
    note are left out: a real lesson may keep those as they are.
    """
    source = env.get_or_select_template([f"scaffold.{lang}.md", "scaffold.en.md"])
    text = Path(source.filename).read_text(encoding="utf-8")
    kept = set()
    for line in text.splitlines():
        line = line.strip()
        if (len(line) >= 12 and not any(ch in line for ch in "{}%") and not line.startswith(("#", ":::", "---"))
                and not line[0].isdigit() and not line.startswith("content_note:")):
            kept.add(line)
    return kept


def leftovers(lesson, placeholders: set[str]) -> list[tuple[int, str]]:
    """(line, text) of every line of `lesson` that is still one of the scaffold's `placeholders`."""
    lines = lesson.path.read_text(encoding="utf-8-sig").splitlines()
    return [(n, line.strip()) for n, line in enumerate(lines, 1) if line.strip() in placeholders]
