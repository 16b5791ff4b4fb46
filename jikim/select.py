"""Which blocks each output keeps: the contract's table, and the functions that apply it."""

from __future__ import annotations

from dataclasses import dataclass, field

from .kinds import BLOCK_KINDS, SHOWN
from .model import Block, Heading

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
        if not isinstance(node, Block):
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
    """Group selected nodes at their Heading nodes: (preface items, sections).

    Only top-level headings are left after select() (lessons.py parses a `## ` in a box as
    the box's text); a Text of blank lines alone is no item.
    """
    preface: list = []
    found: list[Section] = []
    for node in nodes:
        if isinstance(node, Heading):
            found.append(Section(node.title, node.minutes, node.line))
        elif isinstance(node, Block) or any(line.strip() for line in node.lines):
            (found[-1].items if found else preface).append(node)
    return preface, found


def has_help(items) -> bool:
    return any(isinstance(n, Block) and (n.kind == "help" or has_help(n.children)) for n in items)
