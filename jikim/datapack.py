"""data/<code>.yaml → DataPack: laws and reporting channels, each with its source and date."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urlsplit

from .errors import Problems
from .model import Channel, Course, DataPack, Law
from .yamlio import LINE_BREAKS, YamlError, line_of, parse, read_source

LAW_TEXT = ("name", "article", "crime", "penalty")
CHANNEL_TEXT = ("name", "does", "who")
PHONE = re.compile(r"^[0-9][0-9-]{1,14}$")


def load_pack(course: Course, problems: Problems, lesson_audiences=frozenset()) -> DataPack | None:
    """The pack may name the course's audiences and those the lessons are written for (a school that
    teaches fewer audiences keeps the pack as it is)."""
    path = course.root / "data" / f"{course.jurisdiction}.yaml"
    if not re.fullmatch(r"[a-z0-9-]+", course.jurisdiction) or not path.is_file():
        problems.error(course.path, 0, f"jurisdiction '{course.jurisdiction}' has no data pack — "
                       f"add data/{course.jurisdiction}.yaml or fix 'jurisdiction'")
        return None
    try:
        data, lines = parse(read_source(path))
    except YamlError as exc:
        problems.error(path, exc.args[0], exc.args[1])
        return None
    except UnicodeDecodeError:
        problems.error(path, 1, "not UTF-8 text — save the file as UTF-8")
        return None
    if not isinstance(data, dict):
        problems.error(path, 1, "a data pack is a mapping with code, name, emergency, laws, channels")
        return None

    def err(key_path, message):
        problems.error(path, line_of(lines, *key_path), message)

    langs = course.languages
    return DataPack(
        code=str(data.get("code", course.jurisdiction)),
        name=_loc(data.get("name"), langs, ("name",), err),
        emergency=str(data.get("emergency", "")),
        laws=tuple(_laws(data.get("laws") or [], langs, err)),
        channels=tuple(_channels(data.get("channels") or [], langs, course, set(lesson_audiences), err)),
        first_steps=tuple(_loc(step, langs, ("first_steps", i), err)
                          for i, step in enumerate(data.get("first_steps") or [])),
        path=path,
    )


def _loc(value, langs, where, err) -> dict:
    if not isinstance(value, dict) or any(not value.get(lang) for lang in langs):
        err(where, f"'{where[-1]}' needs text in every course language ({', '.join(langs)})")
        return value if isinstance(value, dict) else {}
    if any(LINE_BREAKS.search(str(v).strip()) for v in value.values()):
        err(where, f"'{where[-1]}' must be one line of text in each language, without line breaks")
        return {}
    return {k: str(v).strip() for k, v in value.items()}


def _date(value, where, err) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        err(where, f"'{value}' is not a date — write YYYY-MM-DD, the day this entry was checked")
    return dt.date(1970, 1, 1)


def _url(value, where, err) -> str:
    value = str(value or "")
    if urlsplit(value).scheme != "https" or re.search(r"\s", value):
        err(where, f"'{value}' is not an https:// address — give the source's full https URL")
    return value


def _unique(items, kind, err):
    seen = set()
    for i, item in enumerate(items):
        if isinstance(item, dict) and item.get("id") is not None:
            if str(item["id"]) in seen:
                err((kind, i, "id"), f"{kind[:-1]} id '{item['id']}' is used twice — give each entry its own id")
            seen.add(str(item["id"]))


def _laws(items, langs, err):
    _unique(items, "laws", err)
    for i, item in enumerate(items):
        where = ("laws", i)
        if not isinstance(item, dict) or not item.get("id"):
            err(where, "each law needs an id, name, article, crime, penalty, in_force, source, verified")
            continue
        yield Law(
            id=str(item["id"]),
            **{k: _loc(item.get(k), langs, where + (k,), err) for k in LAW_TEXT},
            in_force=_date(item["in_force"], where + ("in_force",), err) if item.get("in_force") else None,
            source=_url(item.get("source"), where + ("source",), err),
            verified=_date(item.get("verified"), where + ("verified",), err),
        )


def _known(names, known, where, err) -> None:
    for name in names:
        if name not in known:
            err(where, f"unknown audience '{name}' — the course's audiences are {', '.join(sorted(known))}")


def _channels(items, langs, course, written_for, err):
    known = {a.id for a in course.audiences} | written_for
    _unique(items, "channels", err)
    for i, item in enumerate(items):
        where = ("channels", i)
        if not isinstance(item, dict) or not item.get("id"):
            err(where, "each channel needs an id, name, does, who, source and verified")
            continue
        phone = str(item.get("phone", "") or "")
        if phone and not PHONE.match(phone):
            err(where + ("phone",), f"phone '{phone}' must be digits and hyphens only, such as 02-735-8994")
        website = str(item.get("website", "") or "")
        if website:
            _url(website, where + ("website",), err)
        elif not phone:
            err(where, f"channel '{item['id']}' has neither a phone nor a website — nobody could reach it; "
                "add one of them")
        audiences = tuple(str(a) for a in item.get("audiences") or ())
        _known(audiences, known, where + ("audiences",), err)
        does_for = item.get("does_for") or {}
        if not isinstance(does_for, dict):
            err(where + ("does_for",), "'does_for' maps an audience to its own wording, such as "
                "elementary: {ko: ..., en: ...}")
            does_for = {}
        _known(does_for, known, where + ("does_for",), err)
        yield Channel(
            id=str(item["id"]),
            does_for={str(a): _loc(text, langs, where + ("does_for", a), err) for a, text in does_for.items()},
            **{k: _loc(item.get(k), langs, where + (k,), err) for k in CHANNEL_TEXT},
            source=_url(item.get("source"), where + ("source",), err),
            verified=_date(item.get("verified"), where + ("verified",), err),
            phone=phone,
            website=website,
            hours=item.get("hours") or {},
            audiences=audiences,
            removal=bool(item.get("removal", False)),
            emergency=bool(item.get("emergency", False)),
        )


def stale_entries(pack: DataPack, limit: dt.date):
    """(what, verified date) for every entry checked before `limit` (Course.review_limit)."""
    for entry in pack.laws + pack.channels:
        if entry.verified < limit:
            yield entry.id, entry.verified


def pack_path(course: Course) -> Path:
    return course.root / "data" / f"{course.jurisdiction}.yaml"
