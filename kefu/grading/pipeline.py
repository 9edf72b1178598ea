"""Read and grade many answer files, reporting progress as it goes."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from kefu.bank import Bank
from kefu.grading.answers import Rejection, read_file
from kefu.grading.grade import DrawLookup, GradedAttempt, grade_each

CHUNK = 1000  # files between progress reports


def grade_files(files: list[str], banks: dict[str, Bank], *, quiz: str | None = None,
                scoring_override: str | None = None, progress: Callable[[int], None] = lambda done: None,
                draws: DrawLookup | None = None) -> tuple[list[GradedAttempt], list[Rejection]]:
    """Graded attempts and rejections, both in input order."""
    graded: list[GradedAttempt] = []
    rejected: list[Rejection] = []
    for start in range(0, len(files), CHUNK):
        attempts = []
        for path in files[start:start + CHUNK]:
            found, bad = read_file(path, banks, quiz)
            attempts += found
            rejected += bad
        newly_graded, bad = grade_each(banks, attempts, scoring_override, draws)
        graded += newly_graded
        rejected += bad
        progress(min(start + CHUNK, len(files)))
    return graded, rejected


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector around bulk grading.

    A run builds hundreds of thousands of small dicts and lists, none of them in a
    reference cycle; with the collector on, it rescans them again and again and the
    run slows down more than linearly. Reference counting still frees memory as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

