"""The web pages: a lesson's page and deck, an audience's pages, a language's, the front door."""

from __future__ import annotations

from ..plan import Artifact
from . import context
from .context import Rendered, Sources, render, templates


def _page(src: Sources, artifact: Artifact, ctx: dict) -> Rendered:
    return Rendered(render(src, templates(artifact), **ctx).encode())


def page(src: Sources, artifact: Artifact, sizes: dict) -> Rendered:
    ctx = context.lesson(src, artifact)
    files = context.downloads(src, sizes, artifact.lang, artifact.audience, artifact.lesson)
    return _page(src, artifact, {**ctx, "files": files})


def deck(src: Sources, artifact: Artifact, sizes: dict) -> Rendered:
    return _page(src, artifact, {**context.lesson(src, artifact), "mode": "screen"})


def audience_index(src: Sources, artifact: Artifact, sizes: dict) -> Rendered:
    """An audience's lessons: for students each page and its handout; for staff every download."""
    return _page(src, artifact, context.audience_page(src, artifact, sizes))


def teachers(src: Sources, artifact: Artifact, sizes: dict) -> Rendered:
    """The teachers' way in: every lesson's guide, deck and handouts, the pack and the letter."""
    return _page(src, artifact, context.audience_page(src, artifact, sizes))


def lang_index(src: Sources, artifact: Artifact, sizes: dict) -> Rendered:
    return _page(src, artifact, context.site(src, artifact.lang, depth=1, front=[context.front(src, artifact.lang)]))


def help(src: Sources, artifact: Artifact, sizes: dict) -> Rendered:  # noqa: A001 — the kind's name
    return _page(src, artifact, context.site(src, artifact.lang, depth=1, laws=src.pack.laws))


def root_index(src: Sources, artifact: Artifact, sizes: dict) -> Rendered:
    built = [x for x in src.course.languages if context.path("lang-index", x) in src.pages]
    lang = (built or list(src.course.languages))[0]
    return _page(src, artifact, context.site(src, lang, depth=0, front=[context.front(src, other) for other in built]))
