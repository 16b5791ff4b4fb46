"""Which blocks each output keeps: the contract's table, and the functions that apply it."""

from __future__ import annotations

from dataclasses import dataclass, field

from .kinds import BLOCK_KINDS, SHOWN
from .lessons import HEADING, FENCE, heading_parts
from .model import Block, Text

#: The outputs a lesson body is rendered into (kinds.OutputKind.shows).
OUTPUTS = tuple(sorted(SHOWN))
EVERYWHERE = SHOWN

#: The contract's block table (kinds.BLOCK_KINDS): block kind → the outputs that keep it.
#: (`audience` is kept everywhere but filtered by audience; `notes` go to the deck's presenter view.)
VISIBILITY = {kind.name: kind.outputs for kind in BLOCK_KINDS}

#: Blocks the deck keeps for its presenter view only (never on a projected slide or the PDF):
#: the teacher sees a slide's model answers beside its questions.
PRESENTER_ONLY = frozenset(kind.name for kind in BLOCK_KINDS if kind.presenter_only)

#: Blocks that only choose content: their children take their place.
TRANSPARENT = frozenset(kind.name for kind in BLOCK_KINDS if kind.transparent)


def keeps(block: Block, audience: str, output: str, presenter: bool = False) -> bool:
    if output not in VISIBILITY[block.kind] and not (presenter and output == "deck" and block.kind in PRESENTER_ONLY):
        return False
    return block.kind != "audience" or audience in block.args


def select(nodes, audience: str, output: str, presenter: bool = False) -> list:
    """The body as `output` shows it to `audience`: dropped blocks gone, choosers unwrapped.

    `presenter`: the deck as its presenter view sees it, with the blocks of PRESENTER_ONLY.
    """
    result = []
    for node in nodes:
        if isinstance(node, Text):
            result.append(node)
        elif keeps(node, audience, output, presenter):
            children = select(node.children, audience, output, presenter)
            if node.kind in TRANSPARENT:
                result.extend(children)
            else:
                result.append(Block(node.kind, node.args, node.line, tuple(children)))
    return result


@dataclass
class Section:
    """One `## ` heading and what follows it: a slide, a handout part, a plan row."""

    title: str
    minutes: int | None
    line: int
    items: list = field(default_factory=list)


def sections(nodes) -> tuple[list, list[Section]]:
    """Split selected nodes at top-level `## ` headings: (preface items, sections)."""
    preface: list = []
    found: list[Section] = []
    for node in nodes:
        if isinstance(node, Block):
            (found[-1].items if found else preface).append(node)
            continue
        chunk, chunk_line, fence = [], node.line, None
        for offset, line in enumerate(node.lines):
            number = node.line + offset
            fence_match = FENCE.match(line)
            if fence_match:
                fence = None if fence == fence_match[1] else (fence or fence_match[1])
            heading = None if fence else HEADING.match(line)
            if heading:
                _add_text(found[-1].items if found else preface, chunk, chunk_line)
                title, minutes = heading_parts(heading["text"])
                found.append(Section(title, minutes, number))
                chunk, chunk_line = [], number + 1
            else:
                chunk.append(line)
        _add_text(found[-1].items if found else preface, chunk, chunk_line)
    return preface, found


def _add_text(items: list, lines: list, line: int) -> None:
    if any(x.strip() for x in lines):
        items.append(Text(tuple(lines), line))


def has_help(items) -> bool:
    return any(isinstance(n, Block) and (n.kind == "help" or has_help(n.children)) for n in items)
