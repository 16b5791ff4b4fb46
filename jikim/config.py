"""course.yaml → Course."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path

from .errors import Problems
from .model import Audience, Contact, Course, School
from .yamlio import LINE_BREAKS, YamlError, line_of, parse, read_source

ID = re.compile(r"^[a-z0-9-]+$")
LANG = re.compile(r"^[a-z]{2,3}$")
PAPERS = ("a4", "letter")
# Every key a school may write in course.yaml, per level (README.md documents each one).
KEYS = {
    "course": ("title", "languages", "jurisdiction", "paper", "review_months", "audiences", "lessons",
               "school", "templates", "letter_date"),
    "audience": ("id", "name", "ages", "student", "minutes"),
    "school": ("name", "designated", "contacts", "site_url"),
    "contact": ("name", "role", "phone", "room", "email", "hours"),
}
# A phone number a person can dial, optionally followed by an extension: 031-123-4567 (내선 204).
PHONE = re.compile(r"(?P<number>\+?[0-9][0-9() -]{2,19}?)\s*(?:\((?:내선|ext\.?|extension)\s*[0-9]{1,6}\)"
                   r"|(?:내선|ext\.?)\s*[0-9]{1,6})?", re.IGNORECASE)


def load_course(path: Path, problems: Problems) -> Course | None:
    """Read and check course.yaml; report every mistake to `problems`."""
    try:
        text = read_source(path)
    except YamlError as exc:
        problems.error(path, exc.args[0], exc.args[1])
        return None
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


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
        return True
    except ValueError:
        return False


def unknown_keys(value: dict, known: tuple, where: tuple, err, what: str) -> None:
    """Report keys that nothing reads, with the nearest known key: `shcool` is not silently ignored."""
    for key in value:
        if str(key) in known:
            continue
        close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"the keys are {', '.join(known)}"
        err(where + (key,), f"unknown key '{key}' in {what} — {hint}")


def _course(path: Path, data: dict, lines: dict, problems: Problems) -> Course:
    def err(key_path, message):
        problems.error(path, line_of(lines, *key_path), message)

    def warn(key_path, message):
        problems.warn(path, line_of(lines, *key_path), message)

    unknown_keys(data, KEYS["course"], (), err, "course.yaml")

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
    letter_date = str(data.get("letter_date", "") or "")
    if letter_date and not _is_date(letter_date):
        err(("letter_date",), f"letter_date '{letter_date}' is not a date — write it as YYYY-MM-DD, such as 2026-12-01")
        letter_date = ""
    templates = data.get("templates")
    if templates is not None and not (isinstance(templates, str) and (path.parent / templates).is_dir()):
        err(("templates",), f"templates: '{templates}' is not a folder next to course.yaml — create it "
            "or remove the line")
        templates = None
    return Course(
        root=path.parent,
        path=path,
        title=title,
        languages=languages,
        audiences=audiences,
        lesson_order=tuple(dict.fromkeys(order)),
        jurisdiction=str(data.get("jurisdiction", "kr")),
        school=_school(data.get("school") or {}, languages, err, warn),
        paper=paper,
        review_months=months,
        templates=(path.parent / templates) if templates else None,
        letter_date=letter_date,
    )


def _localized(value, languages, key_path, err, required=True, warn=None) -> dict:
    """A text given per language ({ko: …, en: …}) or once for all languages.

    An optional text given in some languages only is used for the others too, with a warning.
    """
    if value is None or value == "":
        if required:
            err(key_path, f"'{key_path[-1]}' is missing — give it for each language: {', '.join(languages)}")
        return {}
    if isinstance(value, str):
        value = {lang: value for lang in languages}
    if isinstance(value, dict) and any(LINE_BREAKS.search(str(v).strip()) for v in value.values()):
        err(key_path, f"'{key_path[-1]}' must be one line of text without line breaks or control characters")
        return {}
    if isinstance(value, dict):
        missing = [lang for lang in languages if not value.get(lang)]
        unknown = [str(k) for k in value if k not in languages]
        if unknown:
            err(key_path, f"'{key_path[-1]}' has text for {', '.join(unknown)}, which is not a course language "
                f"({', '.join(languages)}) — fix the language code")
        if missing and required:
            err(key_path, f"'{key_path[-1]}' has no text for {', '.join(missing)} — add it")
        given = {str(k): str(v) for k, v in value.items() if v not in (None, "")}
        if missing and given and not required and warn:
            first = given.get(languages[0]) or next(iter(given.values()))
            warn(key_path, f"'{key_path[-1]}' has no text for {', '.join(missing)}; the "
                 f"{next(iter(given))} text is used there too — add a translation")
            given.update({lang: first for lang in missing})
        return given
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
        unknown_keys(item, KEYS["audience"], where, err, f"audience '{item['id']}'")
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


def _school(value, languages, err, warn) -> School:
    if not isinstance(value, dict):
        err(("school",), "school must be a mapping (name, contacts, designated, site_url)")
        return School(name={})
    unknown_keys(value, KEYS["school"], ("school",), err, "school")
    contacts = []
    items = value.get("contacts") or []
    if not isinstance(items, list):
        err(("school", "contacts"), "contacts must be a list, each with name and phone (and role, room, hours, email)")
        items = []
    for i, item in enumerate(items):
        where = ("school", "contacts", i)
        if not isinstance(item, dict):
            err(where, "each school contact is a mapping with name, role and phone")
            continue
        unknown_keys(item, KEYS["contact"], where, err, "a school contact")
        phone = str(item.get("phone", "") or "").strip()
        if phone and not PHONE.fullmatch(phone):
            err(where + ("phone",), f"phone '{phone}' should hold digits, spaces, + and -, and at most an "
                "extension such as '031-123-4567 (내선 204)'")
        email = str(item.get("email", "") or "")
        if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
            err(where + ("email",), f"email '{email}' is not an e-mail address such as wee@school.example")
        contacts.append(Contact(
            name=_localized(item.get("name"), languages, where + ("name",), err),
            role=_localized(item.get("role"), languages, where + ("role",), err, required=False, warn=warn),
            phone=phone,
            room=_localized(item.get("room"), languages, where + ("room",), err, required=False, warn=warn),
            email=email,
            hours=_localized(item.get("hours"), languages, where + ("hours",), err, required=False, warn=warn),
        ))
    site = str(value.get("site_url", "") or "")
    if site and (not site.startswith("https://") or re.search(r"\s", site)):
        err(("school", "site_url"), "site_url must start with https:// and hold no spaces or line breaks — the "
            "address where output/ is hosted")
    return School(
        name=_localized(value.get("name"), languages, ("school", "name"), err, required=False, warn=warn),
        contacts=tuple(contacts),
        designated=_localized(value.get("designated"), languages, ("school", "designated"), err, required=False,
                              warn=warn),
        site_url=site,
    )


def dial(phone: str) -> str:
    """The digits to dial for a `tel:` link: '031-123-4567 (내선 204)' → '0311234567'."""
    match = PHONE.fullmatch(phone.strip())
    number = match.group("number") if match else phone
    return "".join(ch for ch in number if ch.isdigit() or ch == "+")
