"""Staging folder → atomic swap into place, so a failed or killed build leaves output/ as it was."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import shutil
import tempfile
from pathlib import Path

RENAME_EXCHANGE = 2


@functools.cache
def _renameat2():
    """Linux's renameat2 (exchange two paths in one step), or None where the C library has none
    (macOS, musl before 1.2.x, Windows): loaded on the first swap, not at import."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True).renameat2
    except (OSError, AttributeError):
        return None


def cache_dir(out: Path) -> Path:
    """Where staging folders and caches live: beside output/, never inside it."""
    return out.parent / ".cache"


def staging(out: Path) -> Path:
    """A fresh, empty folder on the same file system as `out`; stale ones from killed builds go."""
    base = cache_dir(out) / "staging"
    base.mkdir(parents=True, exist_ok=True)
    for old in base.iterdir():
        pid = old.name[len(out.name) + 1:].split("-")[0]
        if old.name.startswith(out.name + "-") and not _alive(pid):
            shutil.rmtree(old, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"{out.name}-{os.getpid()}-", dir=base))


def _alive(pid_text: str) -> bool:
    try:
        os.kill(int(pid_text), 0)
    except (ValueError, ProcessLookupError, PermissionError):
        return False
    return True


def write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def swap_in(stage: Path, out: Path) -> None:
    """Make `stage` the new `out` in one step; the old one is removed afterwards."""
    stage.chmod(0o755)
    if not out.exists():
        os.replace(stage, out)
        return
    exchange = _renameat2()
    result = exchange(-100, os.fsencode(stage), -100, os.fsencode(out), RENAME_EXCHANGE) if exchange else -1
    if result != 0:  # no exchange here (macOS, or the file system): the brief gap of two renames
        old = stage.with_name(stage.name + "-old")
        os.replace(out, old)
        os.replace(stage, out)
        stage = old
    shutil.rmtree(stage, ignore_errors=True)
