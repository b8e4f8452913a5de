"""Problems are values: every stage returns or raises them with a file and a line.

A build collects every problem it can find before it stops, so an editor fixes a
whole batch in one round instead of one error per build.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    path: str  # as the user should see it, relative to the site folder
    line: int | None  # 1-based; None when the problem is about the whole file
    zh: str  # what editors read first
    en: str  # the same in English, for CI logs and developers
    warning: bool = False  # reported, but the build goes on

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        label = "警告" if self.warning else "错误"
        return f"{where}: {label}：{self.zh}\n    ({self.en})"


def split_warnings(problems: Iterable[Problem]) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings)"""
    errors: list[Problem] = []
    warnings: list[Problem] = []
    for problem in problems:
        (warnings if problem.warning else errors).append(problem)
    return errors, warnings


class SiteError(Exception):
    """Raised at the end of a stage that found problems; carries all of them."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = tuple(sorted(problems, key=lambda p: (p.path, p.line or 0)))
        super().__init__("\n".join(p.format() for p in self.problems))

    def __reduce__(self) -> tuple[type, tuple[tuple[Problem, ...]]]:
        # Raised in build workers and re-raised in the parent: pickle the problems, not the text.
        return (SiteError, (self.problems,))


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> list[str]:
    import difflib

    return difflib.get_close_matches(word, choices, n=3, cutoff=0.5)
