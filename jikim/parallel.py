"""Render artifacts in parallel worker processes: the longest work first, in small units."""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import signal
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import jinja2

from .errors import BuildError, ContentError
from .kinds import OUTPUT_KINDS
from .plan import Artifact
from .render import template_problem

_job: tuple | None = None  # (producer, stage), inherited by forked workers

#: Rough cost of one artifact (kinds.OutputKind.cost), to start long work first.
COST = {kind.name: kind.cost for kind in OUTPUT_KINDS if kind.cost}
#: Rendered after the files, because they show their sizes (a deck is a download too).
LATE = frozenset(kind.name for kind in OUTPUT_KINDS if kind.late)


def units(artifacts: list[Artifact]) -> tuple[list[list[Artifact]], list[list[Artifact]]]:
    """(files, pages): two phases of work units, each longest first.

    A print pack shares a unit with its handouts, whose layouts it reuses; every other file
    is a unit of its own, so the cores stay busy to the end. The HTML comes second because
    a page shows the sizes of the files it links.
    """
    packs = {(a.lang, a.audience): [a] for a in artifacts if a.kind == "pack"}
    files, pages = [], []
    for artifact in artifacts:
        if artifact.kind in LATE:
            pages.append([artifact])
        elif artifact.kind == "handout" and (artifact.lang, artifact.audience) in packs:
            packs[(artifact.lang, artifact.audience)].insert(0, artifact)
        elif artifact.kind != "pack":
            files.append([artifact])
    files += packs.values()
    return sorted(files, key=lambda u: (-sum(COST.get(a.kind, 0) for a in u), u[0].path)), pages


def _worker_start() -> None:
    """A worker leaves Ctrl+C to the build, and stops at once if the build is killed (Linux).

    Ctrl+C reaches every process of the terminal's group. A worker that died of it could
    hold the pool's queue lock, and the build then hung; ignoring it, the workers are
    stopped by the build (`_stop`).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import ctypes
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _render(unit: list[Artifact]) -> tuple[int, dict]:
    """Render a unit; return its size and, per artifact path, the warnings it raised."""
    producer, stage = _job
    raised = {}
    for artifact in unit:
        before = len(producer.problems.warnings)
        try:
            producer(artifact, stage)
        except jinja2.TemplateError as exc:
            raise ContentError([template_problem(exc, producer.problems)]) from None
        raised[artifact.path] = producer.problems.warnings[before:]
    producer.forget_layouts()
    return len(unit), raised


@contextlib.contextmanager
def fewer_collections():
    """Collect cyclic garbage less often while rendering, in this process and its workers.

    A layout makes millions of short-lived objects. At Python's default rhythm (every 700
    allocations) the collector took 8% of a one-process build of the default course, at
    this one 6%. What exists before rendering starts (WeasyPrint, fonts, templates, lessons)
    is frozen out of its sight, so forked workers never rescan, or copy, the parent's objects.
    """
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def render_all(producer, stage: Path, artifacts: list[Artifact], jobs: int, progress) -> dict:
    """Render every artifact into `stage`; returns artifact path → the warnings it raised."""
    with fewer_collections():
        return _render_all(producer, stage, artifacts, jobs, progress)


def _render_all(producer, stage: Path, artifacts: list[Artifact], jobs: int, progress) -> dict:
    global _job
    _job = (producer, stage)
    phases = units(artifacts)
    done, raised = 0, {}
    pool = None
    try:
        if jobs > 1 and len(artifacts) > 1 and sys.platform != "win32":
            if any(a.path.endswith(".pdf") for a in artifacts):
                producer.printer  # noqa: B018 — load WeasyPrint and the fonts once, before the fork
            pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"),
                                       initializer=_worker_start)
        for phase in phases:
            results = _as_completed(pool, phase, lambda: progress(done, len(artifacts))) if pool \
                else map(_render, phase)
            for count, found in results:
                done += count
                raised.update(found)
                progress(done, len(artifacts))
        if pool:
            pool.shutdown(wait=True)
            pool = None
        return raised
    finally:
        _job = None
        if pool:
            _stop(pool)


def _as_completed(pool, phase, tick, every: float = 0.1):
    """The results as they come, calling `tick` while none does (progress may stop a build).

    A worker that dies (killed, out of memory) breaks the pool: the build fails at once,
    where a multiprocessing.Pool waited forever for the lost unit.
    """
    pending = [pool.submit(_render, unit) for unit in phase]
    quiet = time.monotonic()
    while pending:
        # Each future asked on its own, never `wait(pending)`: that takes every future's lock in
        # turn, and a Ctrl+C met halfway left some taken — the pool's shutdown then hung on one.
        done = [future.done() for future in pending]
        finished = [future for future, ended in zip(pending, done) if ended]
        pending = [future for future, ended in zip(pending, done) if not ended]
        for future in finished:
            try:
                yield future.result()
            except BrokenProcessPool:
                raise BuildError("a rendering process died (killed, or out of memory) — nothing was "
                                 "written; run the build again with --jobs 1 to see which file it was") from None
        if finished:
            quiet = time.monotonic()
        elif time.monotonic() - quiet >= every:
            tick()
            quiet = time.monotonic()
        else:
            time.sleep(0.005)


def _stop(pool) -> None:
    """Stop the workers now, whatever they are doing: a build that failed or was interrupted
    must not wait for the layouts still running (Python 3.14 calls this terminate_workers)."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        with contextlib.suppress(OSError):
            process.kill()
    pool.shutdown(wait=True, cancel_futures=True)


class Progress:
    """A bar on a terminal, a plain line per step elsewhere (CI logs)."""

    def __init__(self, stream=sys.stderr):
        self.stream = stream
        self.tty = stream.isatty()
        self.last = -1

    def __call__(self, done: int, total: int) -> None:
        if self.tty:
            width = 30
            filled = int(width * done / max(total, 1))
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
            if done == total:
                self.stream.write("\n")
            self.stream.flush()
        elif done == total or done * 10 // max(total, 1) != self.last:
            self.last = done * 10 // max(total, 1)
            print(f"rendered {done}/{total}", file=self.stream)
