"""A contact sheet: a small picture of what a teacher projects, for the README.

Builds one lesson's decks (one language, every audience it is taught to) into a temporary
folder, draws a few slides of each deck's PDF with pdftoppm, and lays them out with Pillow:
one row an audience. Writes docs/contact-sheet.png (kept under 300 KB).

    .venv/bin/python scripts/contact_sheet.py [--lesson the-law] [--lang ko] [--slides 1,5,8,-1]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageDraw, ImageFont  # noqa: E402

from jikim.pipeline import Options, build  # noqa: E402
from jikim.plan import Selection  # noqa: E402

THUMB_WIDTH = 384          # px a slide (a tenth of a 1280 px slide is unreadable; this is a fifth and a half)
GAP = 12
LABEL = 34
FONT = "/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf"
LIMIT = 300 * 1024


def slide_images(pdf: Path, numbers: list[int], folder: Path) -> list[Image.Image]:
    count = int(next(line.split()[-1] for line in subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                                   text=True, check=True).stdout.splitlines()
                     if line.startswith("Pages:")))
    images = []
    for number in numbers:
        page = number if number > 0 else count + 1 + number
        page = max(1, min(count, page))
        stem = folder / f"{pdf.parent.name}-{page}"
        subprocess.run(["pdftoppm", "-png", "-singlefile", "-f", str(page), "-l", str(page),
                        "-scale-to-x", str(THUMB_WIDTH), "-scale-to-y", "-1", str(pdf), str(stem)], check=True)
        images.append(Image.open(f"{stem}.png").convert("RGB"))
    return images


def sheet(rows: list[tuple[str, list[Image.Image]]]) -> Image.Image:
    width = max(len(images) for _, images in rows) * (THUMB_WIDTH + GAP) + GAP
    height = THUMB_WIDTH * 9 // 16
    canvas = Image.new("RGB", (width, len(rows) * (height + LABEL + GAP) + GAP), "#d9dde3")
    draw = ImageDraw.Draw(canvas)
    font = ImageFont.truetype(FONT, 20) if Path(FONT).is_file() else ImageFont.load_default()
    y = GAP
    for label, images in rows:
        draw.text((GAP, y + 6), label, fill="#111111", font=font)
        y += LABEL
        for k, image in enumerate(images):
            canvas.paste(image, (GAP + k * (THUMB_WIDTH + GAP), y))
        y += height + GAP
    return canvas


def save_small(image: Image.Image, target: Path) -> int:
    """A PNG of at most 256 colours (slides are flat colour and text): small, and still crisp."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for colours in (256, 128, 64):
        image.quantize(colors=colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
            target, optimize=True)
        if target.stat().st_size <= LIMIT:
            break
    return target.stat().st_size


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lesson", default="the-law")
    parser.add_argument("--lang", default="ko")
    parser.add_argument("--slides", default="1,5,8,-1", help="slide numbers; negative counts from the end")
    parser.add_argument("--output", default=str(ROOT / "docs" / "contact-sheet.png"))
    args = parser.parse_args(argv)
    numbers = [int(x) for x in args.slides.split(",")]
    with tempfile.TemporaryDirectory(prefix="jikim-sheet-") as tmp:
        out = Path(tmp) / "output"
        build(Options(root=ROOT, out=out, selection=Selection(langs=(args.lang,), lessons=(args.lesson,), kinds=("slides",)), jobs=1))
        import yaml
        course = yaml.safe_load((ROOT / "course.yaml").read_text(encoding="utf-8"))
        rows = []
        for audience in course["audiences"]:
            pdf = out / args.lang / audience["id"] / f"{args.lesson}.slides.pdf"
            if pdf.is_file():
                name = audience["name"].get(args.lang, audience["id"])
                rows.append((f"{name} — {args.lesson}.slides.pdf", slide_images(pdf, numbers, Path(tmp))))
        size = save_small(sheet(rows), Path(args.output))
    print(f"wrote {args.output} ({size // 1024} KB, {len(rows)} decks × {len(numbers)} slides)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
