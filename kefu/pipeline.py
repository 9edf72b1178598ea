"""Read and grade many answer files, reporting progress as it goes."""

from __future__ import annotations

from collections.abc import Callable

from kefu.answers import Rejection, read_file
from kefu.banks import Bank
from kefu.grading import GradedAttempt, grade_each

CHUNK = 1000  # files between progress reports


def grade_files(files: list[str], banks: dict[str, Bank], *, quiz: str | None = None,
                scoring_override: str | None = None, progress: Callable[[int], None] = lambda done: None,
                ) -> tuple[list[GradedAttempt], list[Rejection]]:
    """Graded attempts and rejections, both in input order."""
    graded: list[GradedAttempt] = []
    rejected: list[Rejection] = []
    for start in range(0, len(files), CHUNK):
        attempts = []
        for path in files[start:start + CHUNK]:
            found, bad = read_file(path, banks, quiz)
            attempts += found
            rejected += bad
        g, bad = grade_each(banks, attempts, scoring_override)
        graded += g
        rejected += bad
        progress(min(start + CHUNK, len(files)))
    return graded, rejected
