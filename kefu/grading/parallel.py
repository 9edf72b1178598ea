"""The second core, where the platform allows it: reading and grading files in two worker processes,
and writing an XLSX report while this process writes the others.

Only on Linux, where a forked child starts at once with the banks (or the results) already in its
memory: nothing goes through a pipe but the files' names and the graded attempts coming back. On
other systems, with one core, or whenever a child fails, the same work is done in this process in
the same order, so the reports are the same either way.
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

Context = TypeVar("Context")
Item = TypeVar("Item")
Result = TypeVar("Result")

PROCESSES: int | None = None  # None: one per core, at most MAX_PROCESSES; 1 turns the children off


MAX_PROCESSES = 2  # a trainer's laptop or this project's 2-core machines; more would only cost memory


def processes() -> int:
    """How many processes to use: 1 where forking is not available or not wanted."""
    if PROCESSES is not None:
        return PROCESSES
    if sys.platform != "linux" or "fork" not in multiprocessing.get_all_start_methods():
        return 1  # spawned children would have to re-import and re-check the banks: no gain
    return max(1, min(MAX_PROCESSES, len(os.sched_getaffinity(0))))


_context: Any = None  # a worker's context, set as it starts (inherited through fork, never pickled)


def _start_worker(context: Any) -> None:
    global _context
    _context = context
    gc.disable()  # a worker keeps nothing between tasks; the collector would only touch shared pages


def _call(function: Callable[[Any, Any], Any], item: Any) -> Any:
    return function(_context, item)


def map_in_processes(function: Callable[[Context, Item], Result], context: Context, items: Sequence[Item],
                     workers: int) -> Iterator[Result]:
    """``function(context, item)`` for each item, in order, in ``workers`` forked processes when
    there is more than one; ``function`` must be a module-level function (it is named, not copied).

    If a worker dies (out of memory, killed) the items not yet done are done here.
    """
    done = 0
    if workers > 1 and len(items) > 1:
        try:
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                     initializer=_start_worker, initargs=(context,)) as pool:
                for result in pool.map(functools.partial(_call, function), items):
                    yield result
                    done += 1
        except (BrokenProcessPool, OSError):
            pass  # the rest is done below, in this process
    for item in items[done:]:
        yield function(context, item)


class Background:
    """``write(path)`` in a forked child, started now; :meth:`wait` tells whether it succeeded."""

    def __init__(self, write: Callable[[Any], None], path: Any) -> None:
        self.process = multiprocessing.get_context("fork").Process(target=_write_in_child, args=(write, path),
                                                                   daemon=True)
        self.process.start()

    def wait(self) -> bool:
        self.process.join()
        return self.process.exitcode == 0

    def cancel(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()


def _write_in_child(write: Callable[[Any], None], path: Any) -> None:
    gc.disable()  # the parent's objects stay untouched, their pages shared with it
    try:
        write(path)
    except BaseException:  # the parent writes the file itself, and raises whatever it raises
        os._exit(1)
