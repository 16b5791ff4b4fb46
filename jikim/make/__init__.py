"""Make one artifact: the writer its kind names (kinds.py), in its family's module.

pages (web pages), prints (PDFs) and office (Word, 한글, text) each hold one function per
kind, `writer(sources, artifact, sizes) -> Rendered`: the bytes and the warnings, never a
file. `sizes` are the download sizes a page shows (path → "12 KB"), given by the build
once the files exist.
"""

from __future__ import annotations

from pathlib import Path

from ..kinds import OUTPUT_KINDS, OUTPUTS
from ..lessons import image_refs, walk_text
from ..plan import Artifact
from ..select import select
from ..write import write_bytes, write_text
from . import office, pages, prints
from .context import Rendered, Sources

FAMILIES = {"pages": pages, "print": prints, "office": office}


def writer(kind: str):
    row = OUTPUTS[kind]
    return getattr(FAMILIES[row.family], row.writer)


def make(src: Sources, artifact: Artifact, sizes: dict | None = None) -> Rendered:
    return writer(artifact.kind)(src, artifact, sizes or {})


def published_images(src: Sources) -> dict[str, Path]:
    """Asset path → picture, for the pictures some lesson page of the course shows.

    Only pages link to assets/ (a deck inlines its pictures, a PDF or .docx embeds them),
    and only checked pictures from lessons/images/ are published: a file that a lesson
    names in a block for no page (or no audience) never reaches the school's site.
    """
    lessons_dir = (src.course.root / "lessons").resolve()
    found = {}
    for lesson in src.lessons:
        checked = set(lesson.images)
        for audience in lesson.audiences:
            for node in walk_text(select(lesson.body, audience, "page")):
                for image in image_refs(node.lines, lessons_dir):
                    if image in checked:
                        found[f"assets/{image.relative_to(lessons_dir).as_posix()}"] = image
    return dict(sorted(found.items()))


def write_assets(src: Sources, stage: Path, planned: set[str] = frozenset()) -> None:
    """Shared files: the site stylesheet and the pictures that pages show; nothing else."""
    site_css = "assets/site.css"
    images = published_images(src)
    for path in images:
        if not path.startswith("assets/images/") or path in planned or path == site_css:
            raise AssertionError(f"a picture would overwrite {path}")  # images/ holds only pictures
    keep = {site_css, *images}
    for old in sorted((stage / "assets").rglob("*"), reverse=True) if (stage / "assets").is_dir() else ():
        rel = old.relative_to(stage).as_posix()
        if old.is_file() and rel not in keep or old.is_symlink():
            old.unlink()  # a file an earlier build published and no page now shows
        elif old.is_dir() and not any(old.iterdir()):
            old.rmdir()
    for path in keep:
        (stage / path).unlink(missing_ok=True)  # a hard link to output/: never written through
    write_text(stage / site_css, src.env.get_template("css/site.css").render())
    for path, image in images.items():
        write_bytes(stage / path, image.read_bytes())


for _kind in OUTPUT_KINDS:  # a row of kinds.py names a writer that exists
    if not callable(getattr(FAMILIES.get(_kind.family), _kind.writer, None)):
        raise ImportError(f"output kind {_kind.name!r}: jikim/make has no {_kind.family} writer {_kind.writer!r}")
