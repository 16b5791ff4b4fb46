"""The contract's block table, row by row, for every output and audience, nested blocks included."""

from pathlib import Path

import pytest

from jikim.model import Block, Heading, Text
from jikim.select import OUTPUTS, VISIBILITY, has_help, sections, select

#: The contract (SPEC.md, "Blocks"): block kind → the outputs it appears in.
CONTRACT = {
    "slides": {"deck"},
    "handout": {"handout", "page"},
    "guide": {"guide"},
    "notes": {"deck", "guide"},
    "activity": {"deck", "handout", "page", "guide"},
    "discuss": {"deck", "handout", "page", "guide"},
    "answers": {"guide"},
    "help": {"deck", "handout", "page", "guide"},
}
AUDIENCES = ("elementary", "middle", "high", "staff")


def text_of(nodes) -> str:
    out = []
    for node in nodes:
        out.extend(node.lines if isinstance(node, Text) else [text_of(node.children)])
    return "\n".join(out)


def block(kind, *children, args=()):
    return Block(kind, tuple(args), 1, tuple(Text((c,), 1) if isinstance(c, str) else c for c in children))


def test_table_matches_contract():
    assert {k: set(v) for k, v in VISIBILITY.items() if k != "audience"} == CONTRACT


@pytest.mark.parametrize("kind", sorted(CONTRACT))
@pytest.mark.parametrize("output", OUTPUTS)
def test_each_row(kind, output):
    body = [Text(("everywhere",), 1), block(kind, "MARK")]
    kept = text_of(select(body, "middle", output))
    assert "everywhere" in kept
    assert ("MARK" in kept) == (output in CONTRACT[kind])


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("output", OUTPUTS)
def test_audience_rows(audience, output):
    body = [block("audience", "MIDDLE-HIGH", args=("middle", "high")), block("audience", "STAFF", args=("staff",))]
    kept = text_of(select(body, audience, output))
    assert ("MIDDLE-HIGH" in kept) == (audience in ("middle", "high"))
    assert ("STAFF" in kept) == (audience == "staff")


@pytest.mark.parametrize("outer", sorted(CONTRACT) + ["audience"])
@pytest.mark.parametrize("inner", sorted(CONTRACT))
@pytest.mark.parametrize("output", OUTPUTS)
def test_nested_blocks_need_both(outer, inner, output):
    args = ("middle",) if outer == "audience" else ()
    body = [block(outer, block(inner, "INNER"), args=args)]
    kept = text_of(select(body, "middle", output))
    outer_ok = outer == "audience" or output in CONTRACT[outer]
    assert ("INNER" in kept) == (outer_ok and output in CONTRACT[inner])


def test_nested_audience_filters_inside_other_blocks():
    body = [block("activity", block("audience", "ELEM", args=("elementary",)), "ALL", args=("T",))]
    assert "ELEM" not in text_of(select(body, "middle", "handout"))
    assert "ELEM" in text_of(select(body, "elementary", "handout"))


def test_sections_group_at_heading_nodes():
    """lessons.py parsed the headings (a fenced `## ` is text); sections() only groups."""
    body = [Text(("intro",), 10), Heading("One", 5, 11, "## One {minutes=5}"),
            Text(("a", "### sub", "```", "## not a heading", "```"), 12), Text(("", " "), 17),
            block("audience", Heading("Two", None, 20, "## Two"), Text(("b",), 21), args=("middle",))]
    preface, found = sections(select(body, "middle", "page"))
    assert text_of(preface) == "intro"
    assert [(s.title, s.minutes, s.line) for s in found] == [("One", 5, 11), ("Two", None, 20)]
    assert found[0].items == [body[2]]  # a Text of blank lines is no item
    assert "## not a heading" in text_of(found[0].items)
    assert [s.title for s in sections(select(body, "elementary", "page"))[1]] == ["One"]


def test_has_help_finds_nested_help():
    assert has_help([block("audience", block("help"), args=("middle",))])
    assert not has_help([block("notes", "x")])


def test_markdown_is_converted_once_but_notes_and_pictures_per_output(tmp_path):
    """Plain blocks are cached across outputs; footnotes and images never are."""
    from jikim.lessons import Footnote
    from jikim.markdown import Citations, Renderer, _plain
    (tmp_path / "images").mkdir()
    square = Path(__file__).parent / "fixtures/mini/lessons/images/square.png"
    (tmp_path / "images/a.png").write_bytes(square.read_bytes())  # pictures are checked by their bytes
    page, pdf = Renderer(tmp_path, "asset", "../../"), Renderer(tmp_path, "file")
    _plain.cache_clear()
    assert page("Say **no**.") == pdf("Say **no**.") == "<p>Say <strong>no</strong>.</p>"
    assert _plain.cache_info().hits == 1
    picture = "![A picture](images/a.png)"
    assert 'src="../../assets/images/a.png"' in page(picture)
    assert 'src="lessons/images/a.png"' in pdf(picture)
    notes = {"a": Footnote("a", "A.", 1), "b": Footnote("b", "B.", 2)}
    page.citations, pdf.citations = Citations(notes), Citations(notes)
    assert ">1<" in page("Fact[^b].") and ">1<" in pdf("Other[^a].")
    assert ">2<" in page("Fact[^a].")
