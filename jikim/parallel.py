"""Render artifacts in parallel worker processes: the longest work first, in small units."""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import queue
import signal
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from .errors import BuildError
from .kinds import OUTPUT_KINDS
from .make import make
from .make.context import Sources
from .make.prints import forget_layouts, printer
from .plan import Artifact
from .render import template_errors
from .write import write_bytes

_sources: Sources | None = None  # what every artifact is made from, inherited by forked workers

#: Rough cost of one artifact (kinds.OutputKind.cost), to start long work first.
COST = {kind.name: kind.cost for kind in OUTPUT_KINDS if kind.cost}


def units(artifacts: list[Artifact]) -> list[list[Artifact]]:
    """Work units, longest first: a print pack shares a unit with its handouts, whose layouts
    it reuses; every other artifact is a unit of its own, so the cores stay busy to the end."""
    packs = {(a.lang, a.audience): [a] for a in artifacts if a.kind == "pack"}
    result = []
    for artifact in artifacts:
        if artifact.kind == "handout" and (artifact.lang, artifact.audience) in packs:
            packs[(artifact.lang, artifact.audience)].insert(0, artifact)
        elif artifact.kind != "pack":
            result.append([artifact])
    result += packs.values()
    return sorted(result, key=lambda u: (-sum(COST.get(a.kind, 0) for a in u), u[0].path))


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


def _render(unit: list[Artifact], stage: Path, sizes: dict) -> tuple[int, dict]:
    """Make a unit's artifacts and write them into `stage`; returns its size and, per artifact
    path, the warnings it raised. `sizes`: page path → the download sizes it shows."""
    raised = {}
    try:
        with template_errors(_sources.course.root):
            for artifact in unit:
                rendered = make(_sources, artifact, sizes.get(artifact.path))
                write_bytes(stage / artifact.path, rendered.data)
                raised[artifact.path] = list(rendered.warnings)
    finally:
        forget_layouts()
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


class Workers:
    """The processes that render a build's artifacts, phase after phase (`run`), with one bar.

    With jobs > 1 (not on Windows) a pool of forked workers: WeasyPrint and its fonts are loaded
    once, before the fork, and every worker inherits the sources. A build that fails or is
    stopped kills them at once.
    """

    def __init__(self, sources: Sources, stage: Path, jobs: int, total: int, progress):
        self.sources, self.stage, self.jobs, self.total, self.progress = sources, stage, jobs, total, progress
        self.done, self.pool = 0, None

    def __enter__(self):
        global _sources
        _sources = self.sources
        self._collections = fewer_collections()
        self._collections.__enter__()
        return self

    def run(self, artifacts: list[Artifact], sizes: dict | None = None) -> dict:
        """Render `artifacts` into the stage; returns artifact path → the warnings it raised."""
        sizes, raised = sizes or {}, {}
        phase = units(artifacts)
        if self.pool is None and self.jobs > 1 and self.total > 1 and sys.platform != "win32":
            if any(a.path.endswith(".pdf") for a in artifacts):
                printer(self.sources)  # load WeasyPrint and the fonts once, before the fork
            self.pool = ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("fork"),
                                            initializer=_worker_start)
        if self.pool:
            results = _as_completed(self.pool, [(u, self.stage, _sizes_of(u, sizes)) for u in phase],
                                    lambda: self.progress(self.done, self.total))
        else:
            results = (_render(u, self.stage, sizes) for u in phase)
        for count, found in results:
            self.done += count
            raised.update(found)
            self.progress(self.done, self.total)
        return raised

    def __exit__(self, kind, value, traceback):
        global _sources
        try:
            if self.pool and kind is None:
                self.pool.shutdown(wait=True)
            elif self.pool:
                _stop(self.pool)
        finally:
            _sources = None
            self._collections.__exit__(kind, value, traceback)


def _sizes_of(unit: list[Artifact], sizes: dict) -> dict:
    """What a unit's pages show, and no more, goes to a worker."""
    return {a.path: sizes[a.path] for a in unit if a.path in sizes}


def _as_completed(pool, phase, tick, every: float = 0.1):
    """The results as they come, calling `tick` while none does (progress may stop a build).

    A worker that dies (killed, out of memory) breaks the pool: the build fails at once,
    where a multiprocessing.Pool waited forever for the lost unit. Each future reports itself
    on a queue when done: the build neither polls (which took CPU from the workers) nor calls
    `wait(pending)`, which takes every future's lock in turn — a Ctrl+C met halfway left some
    taken, and the pool's shutdown then hung on one.
    """
    finished = queue.SimpleQueue()
    for job in phase:
        pool.submit(_render, *job).add_done_callback(finished.put)
    for _ in phase:
        while True:
            try:
                future = finished.get(timeout=every)
                break
            except queue.Empty:
                tick()
        try:
            yield future.result()
        except BrokenProcessPool:
            raise BuildError("a rendering process died (killed, or out of memory) — nothing was "
                             "written; run the build again with --jobs 1 to see which file it was") from None


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
