"""Render artifacts in parallel worker processes, grouped so each print pack reuses its handouts."""

from __future__ import annotations

import multiprocessing
import sys
from collections import defaultdict
from pathlib import Path

from .plan import Artifact

_job: tuple | None = None  # (producer, stage), inherited by forked workers


def groups(artifacts: list[Artifact]) -> list[list[Artifact]]:
    """One group per language and audience (the pack needs its handouts), largest first."""
    by_key: dict = defaultdict(list)
    for artifact in artifacts:
        by_key[(artifact.lang, artifact.audience)].append(artifact)
    return sorted(by_key.values(), key=lambda g: (-len(g), g[0].path))


def _die_with_parent() -> None:
    """A worker whose build was killed stops at once instead of writing on (Linux)."""
    try:
        import ctypes
        import signal
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _render(group: list[Artifact]) -> tuple[int, dict]:
    """Render a group; return its size and, per artifact path, the warnings it raised."""
    producer, stage = _job
    raised = {}
    for artifact in group:
        before = len(producer.problems.warnings)
        producer(artifact, stage)
        raised[artifact.path] = producer.problems.warnings[before:]
    return len(group), raised


def render_all(producer, stage: Path, artifacts: list[Artifact], jobs: int, progress) -> dict:
    """Render every artifact into `stage`; returns artifact path → the warnings it raised."""
    global _job
    _job = (producer, stage)
    work = groups(artifacts)
    done, raised = 0, {}
    try:
        if jobs <= 1 or len(work) <= 1 or sys.platform == "win32":
            results = map(_render, work)
            pool = None
        else:
            pool = multiprocessing.get_context("fork").Pool(min(jobs, len(work)), initializer=_die_with_parent)
            results = pool.imap_unordered(_render, work)
        for count, found in results:
            done += count
            raised.update(found)
            progress(done, len(artifacts))
        if pool:
            pool.close()
            pool.join()
        return raised
    finally:
        _job = None
        if "pool" in locals() and pool:
            pool.terminate()


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
