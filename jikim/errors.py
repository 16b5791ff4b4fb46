"""The problems a user can cause, collected with their place, reported together."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in a source file: `path:line: message`."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


@dataclass
class Problems:
    """Every error and warning of one run, in the order they were found."""

    root: Path = Path(".")
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def _rel(self, path: Path | str) -> str:
        path = Path(path)
        for candidate in (Path(os.path.normpath(path.absolute())), path.resolve()):  # a link: its own place
            try:
                return candidate.relative_to(self.root.resolve()).as_posix()
            except ValueError:
                pass
        return path.as_posix()

    def error(self, path: Path | str, line: int, message: str) -> None:
        self.errors.append(self.problem(path, line, message))

    def problem(self, path: Path | str, line: int, message: str) -> Problem:
        return Problem(self._rel(path), line, message)

    def warn(self, path: Path | str, line: int, message: str) -> None:
        self.add_warning(Problem(self._rel(path), line, message))

    def add_warning(self, problem: Problem) -> None:
        if problem not in self.warnings:
            self.warnings.append(problem)
            log.debug("warning: %s", problem)

    def check(self) -> None:
        """Stop the run if any error was found."""
        if self.errors:
            raise ContentError(list(self.errors))


class JikimError(Exception):
    """Base of the errors that the command line turns into an exit status."""


class ContentError(JikimError):
    """The sources hold mistakes: exit status 1, nothing written."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} error(s)")
        self.problems = problems

    def __reduce__(self):  # raised in a worker process, reported by the build
        return ContentError, (self.problems,)


class BuildError(JikimError):
    """Rendering failed for a reason outside the sources (a worker died): exit status 1."""


class UsageError(JikimError):
    """The command line was wrong: exit status 2."""
