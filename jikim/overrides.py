"""A school's templates and strings.yaml: merged over Jikim's own, checked before anything renders."""

from __future__ import annotations

import difflib
from pathlib import Path

import jinja2

from .errors import Problems
from .model import Course
from .yamlio import YamlError, line_of, parse

PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
TEMPLATE_SUFFIXES = (".html", ".txt", ".xml", ".svg", ".css")


def template_folders(course: Course) -> tuple[Path, ...]:
    """Where templates are looked up, most specific first: the school's, the course's, Jikim's."""
    folders = [course.templates, course.root / "templates", PACKAGE_TEMPLATES]
    unique = dict.fromkeys(f.resolve() for f in folders if f and f.is_dir())
    return tuple(unique)


def merge_strings(tables: list[dict]) -> dict:
    """Interface words, the first table winning key by key: a school's one-line file changes one word."""
    merged: dict = {}
    for table in reversed(tables):
        for lang, words in (table or {}).items():
            if isinstance(words, dict):
                merged.setdefault(lang, {}).update(words)
    return merged


def check_overrides(course: Course, problems: Problems) -> None:
    """Every strings.yaml and template of the school: known keys, right types, valid Jinja."""
    for folder in template_folders(course):
        if folder == PACKAGE_TEMPLATES.resolve():
            continue
        strings = folder / "strings.yaml"
        if strings.is_file():  # ours are parsed only when a school has its own to check against them
            _check_strings(strings, _package_strings(), course, problems)
        _check_templates(folder, problems)


def _package_strings() -> dict:
    data, _ = parse((PACKAGE_TEMPLATES / "strings.yaml").read_text(encoding="utf-8"))
    return data


def _check_strings(path: Path, ours: dict, course: Course, problems: Problems) -> None:
    try:
        data, lines = parse(path.read_text(encoding="utf-8-sig"))
    except YamlError as exc:
        problems.error(path, exc.args[0], exc.args[1])
        return
    except UnicodeDecodeError:
        problems.error(path, 1, "not UTF-8 text — save the file as UTF-8")
        return
    if data is None:
        return
    if not isinstance(data, dict):
        problems.error(path, 1, "strings.yaml maps a language code to its words, such as  ko: {help_title: …}")
        return
    for lang, words in data.items():
        if not isinstance(words, dict):
            problems.error(path, line_of(lines, lang), f"'{lang}' must map keys to words, such as  help_title: …")
            continue
        known = ours.get(lang) or ours["en"]
        if lang not in ours and lang not in course.languages:
            problems.warn(path, line_of(lines, lang), f"'{lang}' is not a course language — these words are unused")
        for key, value in words.items():
            where = line_of(lines, lang, key)
            if key not in known:
                close = difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.6)
                hint = f"did you mean '{close[0]}'?" if close else "see templates/strings.yaml for the keys"
                problems.error(path, where, f"unknown key '{key}' — {hint}")
            elif isinstance(known[key], list) != isinstance(value, list) or value is None:
                kind = "a list of lines" if isinstance(known[key], list) else "one line of text"
                problems.error(path, where, f"'{key}' must be {kind}, as in templates/strings.yaml")


def _check_templates(folder: Path, problems: Problems) -> None:
    env = jinja2.Environment()
    for path in sorted(folder.rglob("*")):
        if path.suffix not in TEMPLATE_SUFFIXES or not path.is_file():
            continue
        try:
            env.parse(path.read_text(encoding="utf-8-sig"))
        except UnicodeDecodeError:
            problems.error(path, 1, "not UTF-8 text — save the file as UTF-8")
        except jinja2.TemplateSyntaxError as exc:
            problems.error(path, exc.lineno or 1, f"template syntax: {exc.message} — compare with the same "
                           f"file in Jikim's templates/")
