"""python build.py [build|check|serve|new] …: parse the command line, map errors to exit 0/1/2."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
from pathlib import Path

from . import __version__
from .errors import BuildError, ContentError, UsageError
from .pipeline import Options, build, check
from .plan import Selection

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


class _Usage(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """A parser whose errors main() reports (usage, exit 2) instead of argparse exiting itself."""

    def error(self, message):
        raise _Usage(message)


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="build.py", description="Build the Jikim course into output/.")
    p.add_argument("command", nargs="?", default="build", choices=("build", "check", "serve", "new", "letter"),
                   help="build (default), check sources only, serve with live rebuild, new ID, "
                        "or the parent letter for one class")
    p.add_argument("id", nargs="?", help="with 'new': the id of the lesson to scaffold")
    p.add_argument("--lang", action="append", default=[], help="build only this language (repeatable)")
    p.add_argument("--audience", action="append", default=[], help="build only this audience (repeatable)")
    p.add_argument("--lesson", action="append", default=[], help="build only this lesson (repeatable)")
    p.add_argument("--out", type=Path, help="output folder (default: output/)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel PDF renderers")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--paper", choices=("a4", "letter"), help="paper size for printed outputs")
    p.add_argument("--root", type=Path, default=Path("."), help=argparse.SUPPRESS)
    p.add_argument("--port", type=int, default=8000, help="with 'serve': the port on localhost")
    p.add_argument("--date", type=_day, help="with 'letter': the day of the lesson, YYYY-MM-DD")
    p.add_argument("--class", dest="class_name", default="", help="with 'letter': the class, such as '2학년 3반'")
    p.add_argument("--teacher", default="", help="with 'letter': the homeroom teacher and how to reach them")
    p.add_argument("--version", action="version", version=f"jikim {__version__}")
    return p


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date — write it as YYYY-MM-DD, such as 2026-12-01") from None


def main(argv: list[str] | None = None) -> int:
    p = parser()
    try:
        args = p.parse_args(argv)
    except _Usage as exc:
        print(f"build.py: {exc}\n{p.format_usage().strip()}", file=sys.stderr)
        return EXIT_USAGE
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    options = Options(root=args.root, out=args.out, strict=args.strict, paper=args.paper, jobs=max(1, args.jobs),
                      selection=Selection(tuple(args.lang), tuple(args.audience), tuple(args.lesson)))
    try:
        return _run(args, options)
    except UsageError as exc:
        print(f"build.py: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        n = len(exc.problems)
        print(f"{n} error{'s' if n != 1 else ''}; nothing was written.", file=sys.stderr)
        return EXIT_CONTENT
    except BuildError as exc:
        print(f"build.py: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    except MemoryError:
        print("build.py: out of memory — nothing was written; check the lessons' pictures and size",
              file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        print("interrupted; output/ was left as it was.", file=sys.stderr)
        return 130


def _run(args, options: Options) -> int:
    if args.command == "check":
        loaded = check(options)
        _print_warnings(loaded.problems.warnings)
        n = len(loaded.lessons)
        print(f"checked {n} lesson file{'s' if n != 1 else ''}: no errors, "
              f"{len(loaded.problems.warnings)} warning(s).")
        return EXIT_OK
    if args.command == "new":
        from .scaffold import new_lesson
        if not args.id:
            raise UsageError("'new' needs a lesson id, such as: python build.py new online-safety")
        for path in new_lesson(options.root, args.id):
            print(f"wrote {path}")
        return EXIT_OK
    if args.command == "letter":
        return _letter(args, options)
    if args.command == "serve":
        from .serve import serve
        return serve(options, args.port)
    from .parallel import Progress
    options.progress = Progress()
    summary = build(options)
    _print_warnings(summary.warnings)
    print(f"built {summary.built} file(s), reused {summary.reused} unchanged, "
          f"{len(summary.warnings)} warning(s), in {summary.seconds:.1f} s → {summary.out}")
    return EXIT_OK


def _letter(args, options: Options) -> int:
    from .letter import class_letter
    from .model import ClassLetter
    if len(args.audience) != 1:
        raise UsageError("'letter' needs one --audience, such as: python build.py letter --audience middle "
                         "--lesson deepfakes --date 2026-12-01 --class '2학년 3반'")
    one = (" ".join(args.class_name.split()), " ".join(args.teacher.split()))
    request = ClassLetter(args.audience[0], tuple(args.lesson), args.date, *one)
    for path in class_letter(options, request):
        print(f"wrote {path}")
    return EXIT_OK


def _print_warnings(warnings) -> None:
    for problem in warnings:
        print(f"{problem} (warning)", file=sys.stderr)
