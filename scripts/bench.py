"""make bench: cold, no-op and one-edit build times against the WeasyPrint floor.

The floor is the time WeasyPrint needs to lay out the same number of pages one after
another, measured in this run with a plain one-page Korean document. Figures only: no
test depends on them.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLAIN = """<html lang="ko"><head><meta charset="utf-8"><style>@page{size:A4}
html{font-family:NanumGothic,sans-serif;font-size:10pt}</style></head><body><h1>지킴 — 한 쪽짜리 문서</h1>
<p>디지털 성범죄는 사진 속 사람의 잘못이 아닙니다. 만들고 퍼뜨린 사람에게 책임이 있습니다.</p>
<p>도움이 필요하면 1366, 117, 1388에 연락하세요.</p></body></html>"""


def floor_per_page(samples: int = 12) -> float:
    code = f"""
import time, io, weasyprint
from weasyprint.text.fonts import FontConfiguration
fonts = FontConfiguration()
html = {PLAIN!r}
weasyprint.HTML(string=html).write_pdf(io.BytesIO(), font_config=fonts)
start = time.perf_counter()
for _ in range({samples}):
    weasyprint.HTML(string=html).write_pdf(io.BytesIO(), font_config=fonts)
print((time.perf_counter() - start) / {samples})
"""
    return float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def pages(out: Path) -> int:
    from pypdf import PdfReader
    return sum(len(PdfReader(p).pages) for p in out.rglob("*.pdf"))


def timed(root: Path, out: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(root), "--out", str(out)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def inside_weasyprint(root: Path, out: Path) -> tuple[float, float]:
    """(whole build, time inside WeasyPrint) for a one-process cold build: what Jikim itself costs.

    Inside WeasyPrint: the calls Jikim makes to it (HTML and CSS parsing, layout, page copies,
    writing the PDF), timed at the outermost call. Everything else is Jikim's own time."""
    code = f"""
import sys, time
sys.path.insert(0, {str(ROOT)!r})
import weasyprint, weasyprint.document
spent, depth = [0.0], [0]
def timed(function):
    def wrapper(*args, **kwargs):  # the outermost WeasyPrint call only: no time counted twice
        depth[0] += 1
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            depth[0] -= 1
            if not depth[0]:
                spent[0] += time.perf_counter() - start
    return wrapper
# WeasyPrint's work: parsing the HTML and the stylesheets, laying out, copying pages, writing.
weasyprint.HTML.__init__ = timed(weasyprint.HTML.__init__)
weasyprint.CSS.__init__ = timed(weasyprint.CSS.__init__)
weasyprint.HTML.render = timed(weasyprint.HTML.render)
weasyprint.document.Document.copy = timed(weasyprint.document.Document.copy)
weasyprint.document.Document.write_pdf = timed(weasyprint.document.Document.write_pdf)
from pathlib import Path
from jikim.pipeline import Options, build
start = time.perf_counter()
build(Options(root=Path({str(root)!r}), out=Path({str(out)!r}), jobs=1))
print(time.perf_counter() - start, spent[0])
"""
    whole, inside = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                   check=True).stdout.split()
    return float(whole), float(inside)


def copy_course(target: Path, times: int) -> Path:
    target.mkdir(parents=True)
    for name in ("course.yaml", "data", "templates"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, target / name)
    (target / "lessons").mkdir()
    for lesson in sorted((ROOT / "lessons").glob("*.md")):
        lesson_id, rest = lesson.name.split(".", 1)
        for n in range(times):
            name = f"{lesson_id}-{n + 1}.{rest}" if times > 1 else lesson.name
            (target / "lessons" / name).write_bytes(lesson.read_bytes())
    if (ROOT / "lessons/images").is_dir():
        shutil.copytree(ROOT / "lessons/images", target / "lessons/images")
    return target


def run(label: str, times: int, per_page: float) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_course(Path(tmp) / "course", times)
        out = Path(tmp) / "output"
        cold = timed(root, out)
        per_page = (per_page + floor_per_page()) / 2  # this machine's speed drifts: measure it again
        noop = timed(root, out)
        edited = next(iter(sorted((root / "lessons").glob("*.ko.md"))))
        edited.write_text(edited.read_text(encoding="utf-8") + "\n<!-- edited -->\n", encoding="utf-8")
        one = timed(root, out)
        n = pages(out)
        floor = per_page * n
        lessons = len(list((root / "lessons").glob("*.md")))
        print(f"\n{label}: {lessons} lesson files, {len(list(out.rglob('*.pdf')))} PDFs, {n} pages, "
              f"{len(list(out.rglob('*.html')))} HTML files")
        print(f"  cold build       {cold:7.1f} s   {n / cold:6.1f} pages/s")
        print(f"  WeasyPrint floor {floor:7.1f} s   ({per_page * 1000:.0f} ms a page, one after another; "
              f"measured before and after the cold build)")
        print(f"  cold / floor     {cold / floor:7.2f}   (target ≤ 1.00)")
        print(f"  no-op rebuild    {noop:7.2f} s   {100 * noop / cold:5.1f}% of cold (target < 2 s and < 5%)")
        print(f"  one lesson edit  {one:7.1f} s   {100 * one / cold:5.1f}% of cold (target < 25%)")
        if times == 1:
            whole, inside = inside_weasyprint(root, Path(tmp) / "one-process")
            cores = os.cpu_count() or 1
            print(f"  one process      {whole:7.1f} s   {100 * (whole - inside) / whole:5.1f}% outside WeasyPrint "
                  f"(target < 5%)")
            print(f"  cold / (WeasyPrint time / {cores} cores) {cold / (inside / cores):5.2f}   (target ≤ 1.10)")
    return per_page


def main() -> None:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.machine()) if Path("/proc/cpuinfo").exists() else ""
    print(f"machine: {model or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    per_page = run("default course", 1, floor_per_page())
    if "--quick" not in sys.argv:
        run("ten times the default course", 10, per_page)


if __name__ == "__main__":
    main()
