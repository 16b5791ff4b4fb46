"""The tables of kinds.py: the plan they drive, each row checked, and no kind named elsewhere."""

import json
import re
import string
from pathlib import Path

import pytest
import yaml

from jikim.make import writer
from jikim.make.context import FORMATS
from jikim.datapack import pack_path
from jikim.overrides import PACKAGE_TEMPLATES
from jikim.pipeline import Options, load
from jikim.kinds import BLOCK_KINDS, BLOCKS, FAMILIES, IMAGE_MODES, OUTPUT_KINDS, OUTPUTS, PLACES, SCOPES, SHOWN
from jikim.plan import HTML_KINDS, Selection, plan

ROOT = Path(__file__).resolve().parent.parent


#: Kinds added since tests/fixtures/plan-default.json was captured: one artifact per language
#: and student audience each.
ADDED = {"poster"}


def test_the_default_course_plans_the_same_artifacts_as_before_the_tables():
    """tests/fixtures/plan-default.json: plan() of the default course before kinds.py existed."""
    expected = json.loads((ROOT / "tests/fixtures/plan-default.json").read_text())
    loaded = load(Options(root=ROOT))
    for name, selection in (("all", Selection()), ("pages", Selection(kinds=HTML_KINDS))):
        found = plan(loaded.course, loaded.lessons, pack_path(loaded.course), selection, "a4", [PACKAGE_TEMPLATES])
        # The same artifacts (the order within a scope is the table's, and downloads follow it).
        assert sorted([a.kind, a.path] for a in found if a.kind not in ADDED) == sorted(expected[name])
        added = sorted(a.path for a in found if a.kind in ADDED)
        students = [a.id for a in loaded.course.audiences if a.student]
        wanted = [] if selection.kinds else [f"{lang}/{aud}/{kind}.pdf" for kind in ADDED
                                             for lang in loaded.course.languages for aud in students]
        assert added == sorted(wanted)


# --- each row of the tables --------------------------------------------------------------

TEMPLATES = ROOT / "templates"
STRINGS = yaml.safe_load((TEMPLATES / "strings.yaml").read_text(encoding="utf-8"))
#: The fields a path may use, and the key inputs a kind may have, in each scope.
FIELDS = {"lesson": {"lang", "audience", "lesson"}, "audience": {"lang", "audience"},
          "student-audience": {"lang", "audience"}, "language": {"lang"}, "root": set()}
INPUTS = {"lesson": {"lesson"}, "audience": {"audience", "letter", "common"},
          "student-audience": {"audience", "letter", "common"}, "language": {"language", "common"},
          "root": {"site", "common"}}


@pytest.mark.parametrize("kind", OUTPUT_KINDS, ids=lambda k: k.name)
def test_an_output_kind_row_is_whole(kind):
    assert kind.scope in SCOPES
    assert {f for _, f, _, _ in string.Formatter().parse(kind.path) if f} == FIELDS[kind.scope]
    assert kind.inputs in INPUTS[kind.scope]
    assert kind.family in FAMILIES and callable(writer(kind.name))
    assert not kind.template or (TEMPLATES / kind.template).is_file()
    assert not kind.stylesheet or (TEMPLATES / kind.stylesheet).is_file()
    assert bool(kind.stylesheet) == (kind.extension == "pdf")  # every PDF has its stylesheet, nothing else
    assert set(kind.offered) <= set(PLACES) and bool(kind.offered) == bool(kind.label)
    assert not kind.offered or kind.scope in ("lesson", "audience", "student-audience")  # what pages list
    assert kind.lists_downloads in ("", "own", "teachers") and (not kind.lists_downloads or kind.web)
    assert kind.family == ("pages" if kind.web else "print" if kind.extension == "pdf" else "office")
    assert not kind.shows or kind.shows in SHOWN
    assert kind.image_mode in IMAGE_MODES
    assert kind.extension in FORMATS
    assert kind.cost >= 0
    for lang, words in STRINGS.items():
        assert not kind.label or kind.label in words, f"strings.yaml {lang} has no '{kind.label}'"
        assert f"format_{kind.extension}" in words or kind.extension in FORMATS


def test_every_output_kind_has_its_own_name_and_path():
    assert len(OUTPUTS) == len(OUTPUT_KINDS)
    paths = [k.path for k in OUTPUT_KINDS]
    assert len(set(paths)) == len(paths)


@pytest.mark.parametrize("kind", BLOCK_KINDS, ids=lambda k: k.name)
def test_a_block_kind_row_is_whole(kind):
    assert kind.args in (None, "audiences", "title")
    assert kind.outputs and kind.outputs <= SHOWN
    for lang, words in STRINGS.items():
        assert not kind.label or kind.label in words, f"strings.yaml {lang} has no '{kind.label}'"
    assert not kind.transparent or not (kind.label or kind.teacher_only)
    assert not kind.presenter_only or "deck" not in kind.outputs
    assert len(BLOCKS) == len(BLOCK_KINDS)


# --- no kind named outside the tables ----------------------------------------------------

#: Other vocabularies that share the word "kind": a rendered item's plain text, and the deck's
#: own units and slides (deck.py). Not output or block kinds; a new name here is a decision.
OTHER_KINDS = {"text", "para", "item", "row", "block", "presenter", "title", "statement", "sources", "note",
               "divider"}
NAMED = [
    re.compile(r"""kind\s*(?:==|!=)\s*["']([\w-]+)["']"""),
    re.compile(r"""kind\s+(?:not\s+)?in\s+\(([^)]*)\)"""),
    re.compile(r"""Artifact\(\s*["']([\w-]+)["']"""),
    re.compile(r"""\b(?:PATHS|OUTPUTS|BLOCKS|VISIBILITY|COST|BLOCK_ARGS)\[["']([\w-]+)["']\]"""),
    re.compile(r"""\bpath\(\s*["']([\w-]+)["']"""),  # kinds.path("page", …)
]
SHOWN_NAMED = re.compile(r"""\b(?:output|shows)\s*(?:==|!=)\s*["']([\w-]+)["']""")
FILES_NAMED = re.compile(r"""\bfiles(?:\.(\w+)|\[["']([\w-]+)["']\])""")


def _sources():
    for folder in (ROOT / "jikim", TEMPLATES):
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".py", ".html", ".txt") and path.name != "kinds.py":
                yield path, path.read_text(encoding="utf-8")


def test_no_module_or_template_names_a_kind_the_tables_do_not_have():
    known = set(OUTPUTS) | set(BLOCKS) | OTHER_KINDS
    unknown, seen = [], 0
    for path, text in _sources():
        where = path.relative_to(ROOT)
        for pattern in NAMED:
            for match in pattern.finditer(text):
                for name in re.findall(r"[\w-]+", match[1]):
                    seen += 1
                    if name not in known:
                        unknown.append(f"{where}: {match[0]}")
        unknown += [f"{where}: {m[0]}" for m in SHOWN_NAMED.finditer(text) if m[1] not in SHOWN]
        if path.suffix == ".html":
            unknown += [f"{where}: {m[0]}" for m in FILES_NAMED.finditer(text)
                        if (m[1] or m[2]).replace("_", "-") not in OUTPUTS or not OUTPUTS[(m[1] or m[2]).replace("_", "-")].label]
    assert seen > 30  # the patterns still find the places that name kinds
    assert not unknown, "\n".join(unknown)


def test_the_check_finds_a_kind_the_tables_do_not_have():
    text = 'if item.kind == "poem":\n    PATHS["leaflet"]\n    context.path("flyer", lang)\n'
    found = [m[1] for pattern in NAMED for m in pattern.finditer(text)]
    assert found == ["poem", "leaflet", "flyer"]
    assert not {"poem", "leaflet", "flyer"} & (set(OUTPUTS) | set(BLOCKS) | OTHER_KINDS)


# --- the poster: one row, one template, its strings ----------------------------------------

@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("audience", ["elementary", "middle"])
def test_a_poster_per_student_audience_on_one_page_in_its_words(mini_out, lang, audience):
    from conftest import pdf_pages, pdf_text
    words = STRINGS[lang]
    poster = mini_out / lang / audience / "poster.pdf"
    assert pdf_pages(poster) == 1
    text = " ".join(pdf_text(poster).split())
    messages = words.get(f"poster_messages_{audience}") or words["poster_messages"]
    assert len(messages) == 5
    for message in messages:  # every key message, in this audience's words
        assert " ".join(message.split()[:3]) in text, message
    other = words["poster_messages" if audience == "elementary" else "poster_messages_elementary"]
    assert " ".join(other[2].split()[:6]) not in text
    from jikim.render import help_panel
    loaded = load(Options(root=ROOT / "tests/fixtures/mini"))
    phones = [ch["phone"] for ch in help_panel(loaded.course, loaded.pack, lang, audience).channels if ch["phone"]]
    assert phones and all(phone in text for phone in phones)  # the whole help panel, every number
    assert "poster.pdf" in (mini_out / lang / audience / "index.html").read_text()
    assert "poster.pdf" in (mini_out / lang / audience / "teachers.html").read_text()
    assert not (mini_out / lang / "staff/poster.pdf").exists()


# --- the pages' download lists: the table's `offered`, in its order ------------------------

def _listed(page: Path) -> list[list[str]]:
    """The hrefs of each download list of a page (ul.files, and the lesson page's downloads)."""
    html = page.read_text()
    lists = re.findall(r'<ul class="files[^"]*"[^>]*>(.*?)</ul>|<nav class="downloads".*?<ul>(.*?)</ul>', html, re.S)
    return [re.findall(r'<a href="([^"]+)"', a or b) for a, b in lists]


def _offered(place: str, lang: str, audience: str, lesson: str = "") -> list[str]:
    scopes = ("lesson",) if lesson else ("audience", "student-audience")
    return [Path(k.path.format(lang=lang, audience=audience, lesson=lesson)).name
            for k in OUTPUT_KINDS if k.scope in scopes and place in k.offered
            and (k.scope != "student-audience" or audience != "staff")]


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("audience", ["elementary", "middle", "staff"])
def test_every_page_offers_the_downloads_the_table_gives_it_in_its_order(mini_out, lang, audience):
    own = "staff" if audience == "staff" else "student"
    folder = mini_out / lang / audience
    assert _listed(folder / "blocks.html") == [_offered(own, lang, audience, "blocks")]
    assert _listed(folder / "index.html") == [_offered(own, lang, audience, "blocks"), _offered(own, lang, audience)]
    if own == "student":
        teachers = _listed(folder / "teachers.html")
        assert teachers == [_offered("teachers", lang, audience), _offered("teachers", lang, audience, "blocks")]
        assert "blocks.guide.pdf" in teachers[1] and "parent-letter.hwpx" in teachers[0]
        assert "blocks.guide.pdf" not in _listed(folder / "index.html")[0], "students get no guide"
    for names in _listed(folder / "index.html"):
        for name in names:  # every listed file exists, and the page shows its size
            assert (folder / name).is_file(), name
    from jikim.make.context import size_text
    shown = re.findall(r'<a href="([^"]+)">[^<]*</a> <small class="file-meta">\([^,)]+, ([^)]+)\)',
                       (folder / "index.html").read_text())
    assert [name for name, _ in shown] == [n for names in _listed(folder / "index.html") for n in names]
    assert all(size == size_text((folder / name).stat().st_size) for name, size in shown), shown


def test_a_poster_that_runs_over_its_page_is_a_warning_that_strict_refuses(mini, tmp_path, capsys):
    """The poster is the generic `sheet` writer: its row's max_pages is the only poster-specific check."""
    from conftest import build, school_template
    long = "Everyone deserves to feel safe at school, online and offline, every single day of the year. " * 4
    school_template(mini, "strings.yaml", "en:\n  poster_messages:\n" + f"    - {long}\n" * 5)
    args = ("--lang", "en", "--audience", "middle")
    assert build(mini, tmp_path / "out", *args) == 0
    assert "the middle poster (en) runs onto" in capsys.readouterr().err
    assert build(mini, tmp_path / "strict", *args, "--strict") == 1
    assert not (tmp_path / "strict").exists()
