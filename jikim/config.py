"""course.yaml → Course."""

from __future__ import annotations

import re
from pathlib import Path

from .errors import Problems
from .model import Audience, Contact, Course, School
from .yamlio import YamlError, line_of, parse

ID = re.compile(r"^[a-z0-9-]+$")
LANG = re.compile(r"^[a-z]{2,3}$")
PAPERS = ("a4", "letter")


def load_course(path: Path, problems: Problems) -> Course | None:
    """Read and check course.yaml; report every mistake to `problems`."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        problems.error(path, 0, "course.yaml is missing — create it (see README.md, 'Customising')")
        return None
    except UnicodeDecodeError:
        problems.error(path, 1, "not UTF-8 text — save the file as UTF-8")
        return None
    try:
        data, lines = parse(text)
    except YamlError as exc:
        problems.error(path, exc.args[0], exc.args[1])
        return None
    if not isinstance(data, dict):
        problems.error(path, 1, "course.yaml must be a mapping of keys (title, languages, audiences, …)")
        return None
    return _course(path, data, lines, problems)


def _course(path: Path, data: dict, lines: dict, problems: Problems) -> Course:
    def err(key_path, message):
        problems.error(path, line_of(lines, *key_path), message)

    languages = tuple(str(x) for x in (data.get("languages") or ()))
    if not languages or not all(LANG.match(x) for x in languages):
        err(("languages",), "languages must be a list of language codes such as [ko, en]")
        languages = languages or ("ko",)
    title = _localized(data.get("title"), languages, ("title",), err)
    audiences = tuple(_audiences(data.get("audiences"), languages, err))
    order = data.get("lessons") or []
    if not isinstance(order, list) or not all(isinstance(x, str) and ID.match(x) for x in order):
        err(("lessons",), "lessons must be a list of lesson ids (a-z, 0-9, -) in teaching order")
        order = []
    for dup in {x for x in order if order.count(x) > 1}:
        err(("lessons",), f"lesson '{dup}' is listed twice — keep one")
    paper = str(data.get("paper", "a4")).lower()
    if paper not in PAPERS:
        err(("paper",), f"paper must be one of {', '.join(PAPERS)}, not '{paper}'")
        paper = "a4"
    months = data.get("review_months", 12)
    if not isinstance(months, int) or months < 1:
        err(("review_months",), "review_months must be a whole number of months, such as 12")
        months = 12
    templates = data.get("templates")
    return Course(
        root=path.parent,
        path=path,
        title=title,
        languages=languages,
        audiences=audiences,
        lesson_order=tuple(dict.fromkeys(order)),
        jurisdiction=str(data.get("jurisdiction", "kr")),
        school=_school(data.get("school") or {}, languages, err),
        paper=paper,
        review_months=months,
        templates=(path.parent / templates) if templates else None,
        letter_date=str(data.get("letter_date", "") or ""),
    )


def _localized(value, languages, key_path, err, required=True) -> dict:
    """A text given per language ({ko: …, en: …}) or once for all languages."""
    if value is None or value == "":
        if required:
            err(key_path, f"'{key_path[-1]}' is missing — give it for each language: {', '.join(languages)}")
        return {}
    if isinstance(value, str):
        return {lang: value for lang in languages}
    if isinstance(value, dict):
        missing = [lang for lang in languages if not value.get(lang)]
        if missing and required:
            err(key_path, f"'{key_path[-1]}' has no text for {', '.join(missing)} — add it")
        return {str(k): str(v) for k, v in value.items()}
    err(key_path, f"'{key_path[-1]}' must be text, or a mapping of language → text")
    return {}


def _audiences(value, languages, err):
    if not isinstance(value, list) or not value:
        err(("audiences",), "audiences must be a list, each with id, name, ages and student")
        return
    seen = set()
    for i, item in enumerate(value):
        where = ("audiences", i)
        if not isinstance(item, dict) or not ID.match(str(item.get("id", ""))):
            err(where, "each audience needs an id of a-z, 0-9 and - (such as middle)")
            continue
        if item["id"] in seen:
            err(where + ("id",), f"audience '{item['id']}' is defined twice — keep one")
        seen.add(item["id"])
        period = item.get("minutes", 45)
        if not isinstance(period, int) or period <= 0:
            err(where + ("minutes",), "minutes must be the class period in whole minutes, such as 45")
            period = 45
        yield Audience(
            id=item["id"],
            name=_localized(item.get("name"), languages, where + ("name",), err),
            ages=_localized(item.get("ages"), languages, where + ("ages",), err, required=False),
            student=bool(item.get("student", True)),
            period=period,
        )


def _school(value, languages, err) -> School:
    if not isinstance(value, dict):
        err(("school",), "school must be a mapping (name, contacts, designated, site_url)")
        return School(name={})
    contacts = []
    for i, item in enumerate(value.get("contacts") or []):
        where = ("school", "contacts", i)
        if not isinstance(item, dict):
            err(where, "each school contact is a mapping with name, role and phone")
            continue
        phone = str(item.get("phone", "") or "")
        if phone and not re.fullmatch(r"[0-9+() -]{3,20}", phone):
            err(where + ("phone",), f"phone '{phone}' should hold only digits, spaces, + and -")
        contacts.append(Contact(
            name=_localized(item.get("name"), languages, where + ("name",), err),
            role=_localized(item.get("role"), languages, where + ("role",), err, required=False),
            phone=phone,
            room=_localized(item.get("room"), languages, where + ("room",), err, required=False),
            email=str(item.get("email", "") or ""),
            hours=_localized(item.get("hours"), languages, where + ("hours",), err, required=False),
        ))
    site = str(value.get("site_url", "") or "")
    if site and not site.startswith("https://"):
        err(("school", "site_url"), "site_url must start with https://")
    return School(
        name=_localized(value.get("name"), languages, ("school", "name"), err, required=False),
        contacts=tuple(contacts),
        designated=_localized(value.get("designated"), languages, ("school", "designated"), err, required=False),
        site_url=site,
    )
